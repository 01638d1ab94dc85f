package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.edgedeck.simulator.server.LiveNodeFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node started again on its data directory counts every exposure and conversion of the show
 * as it counted them before the stop, when flags changed while they came: a new version of the
 * weights, a PoP-local rollback, a scope that left their PoP out, a rollback by hand, a kill. Each
 * event read back from the ingest log meets the flags as they were when it came, not as at the end.
 */
class FlagChangesRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "flag-changes-restart",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "ams", "region": "eu", "propagationDelayMs": 40},
                      {"id": "iad", "region": "na", "propagationDelayMs": 60}],
             "flags": [{"key": "checkout-button", "owner": "growth", "control": "control",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}]},
                       {"key": "banner", "owner": "growth", "control": "off",
                        "variants": [{"name": "off", "weight": 50}, {"name": "on", "weight": 50}]}],
             "playbooks": [{"id": "fra-to-control", "description": "The treatment back to control at fra.",
                            "actions": [{"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra"]}]}]}""";
    private static final long TICK_MILLIS = io.edgedeck.engine.CoreConfig.DEFAULT_TICK_MILLIS;
    /** iad's propagationDelayMs in {@link #CONFIG}, the longest. */
    private static final long MAX_PROPAGATION_MILLIS = 60;
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    @Test
    void exposuresAndConversionsTakenAroundFlagChangesCountTheSameAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        batch(1);
        change("PATCH", "/api/v1/flags/checkout-button", "{\"expectedVersion\": 1, \"reason\": \"ramp\","
                + " \"variants\": [{\"name\": \"control\", \"weight\": 3000}, {\"name\": \"treatment\", \"weight\": 7000}]}");
        batch(2);
        change("POST", "/api/v1/playbooks/fra-to-control/run", "{\"reason\": \"chat turned at fra\"}");
        batch(3);
        change("PATCH", "/api/v1/flags/banner", "{\"expectedVersion\": 1, \"reason\": \"na only\", \"scope\": \"region:na\"}");
        batch(4);
        change("POST", "/api/v1/rollbacks", "{\"flag\": \"banner\", \"variant\": \"on\", \"reason\": \"chat angry\"}");
        change("POST", "/api/v1/flags/checkout-button/kill", "{\"reason\": \"stop\"}");
        batch(5);
        await("every batch is in the report", () -> read("/api/v1/report").path("events").path("total").asLong() == 5 * 60);
        JsonNode report = read("/api/v1/report");
        await("/metrics shows the report's exposures", () -> showsExposures(report));
        List<String> metrics = variantMetrics();
        JsonNode audit = read("/api/v1/audit");
        // the changes moved the counts: a restart that judged every event against the last flags would differ
        assertTrue(exposures(report, "banner", "on") > 0 && exposures(report, "checkout-button", "treatment") > 0, report.toString());
        assertEquals(1, report.get("guardrailFirings").size(), report.toString());

        live.stopNode();
        live.start();
        JsonNode again = read("/api/v1/report");
        assertEquals(report.get("variants"), again.get("variants"), "the exposures and conversions per variant");
        assertEquals(report.get("guardrailFirings"), again.get("guardrailFirings"));
        await("a frame of the restarted node", () -> live.node().latestFrame() != null);
        assertEquals(metrics, variantMetrics(), "/metrics per variant");
        assertEquals(audit, read("/api/v1/audit"), "the audit trail, each change once and in its order");
    }

    /**
     * Sixty events at fra and ams: each of 20 units exposed to both flags (a variant that changes from
     * batch to batch, so some move) and converting. Answered once applied; then the core ends the tick
     * it took them in, so the change after it is made in a later tick of the engine than the batch came
     * in (a batch and a change the core takes between the same two ticks are placed as they were taken:
     * ChangeAmongBatchesRestartTest).
     */
    private void batch(int n) throws Exception {
        List<String> events = new ArrayList<>();
        for (int u = 0; u < 20; u++) {
            String unit = "u" + u;
            String pop = u % 2 == 0 ? "fra" : "ams";
            events.add("{\"id\": \"x-" + n + "-" + u + "\", \"type\": \"exposure\", \"flag\": \"checkout-button\", \"variant\": \""
                    + ((u + n) % 3 == 0 ? "control" : "treatment") + "\", \"targetingKey\": \"" + unit + "\", \"pop\": \"" + pop + "\"}");
            events.add("{\"id\": \"b-" + n + "-" + u + "\", \"type\": \"exposure\", \"flag\": \"banner\", \"variant\": \""
                    + ((u + n) % 2 == 0 ? "off" : "on") + "\", \"targetingKey\": \"" + unit + "\", \"pop\": \"" + pop + "\"}");
            events.add("{\"id\": \"c-" + n + "-" + u + "\", \"type\": \"conversion\", \"name\": \"purchase\", \"targetingKey\": \""
                    + unit + "\"}");
        }
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), "[" + String.join(",", events) + "]");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(60, JSON.readTree(r.body()).get("accepted").asInt(), r.body());
        live.awaitEngine(live.engineMillis() + TICK_MILLIS);
    }

    /**
     * A change, and engine time for it to reach every PoP (iad's 60 ms and two ticks): the ingest log
     * keeps when a batch came, not when the engine took it once durable, so a batch that came while a
     * PoP was taking a new version could be counted at either.
     */
    private void change(String method, String path, String body) throws Exception {
        HttpResponse<String> r = live.send(method, path, live.key("token"), body);
        assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
        live.awaitEngine(live.engineMillis() + MAX_PROPAGATION_MILLIS + 2 * TICK_MILLIS);
    }

    private JsonNode read(String path) {
        try {
            HttpResponse<String> r = live.send("GET", path, live.key("token"), null);
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> variantMetrics() throws Exception {
        HttpResponse<String> r = live.send("GET", "/metrics", live.key("read-key"), null);
        assertEquals(200, r.statusCode(), r.body());
        return r.body().lines().filter(l -> l.startsWith("edgedeck_variant_")).toList();
    }

    /** Whether /metrics, from the newest frame, has every variant's exposures as {@code report} counts them. */
    private boolean showsExposures(JsonNode report) {
        try {
            List<String> lines = variantMetrics();
            for (JsonNode v : report.get("variants")) {
                String prefix = "edgedeck_variant_exposures_total{flag=\"" + v.get("flag").asText() + "\",variant=\""
                        + v.get("variant").asText() + "\",";
                if (lines.stream().noneMatch(l -> l.startsWith(prefix) && l.endsWith(" " + v.get("exposures").asLong()))) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long exposures(JsonNode report, String flag, String variant) {
        for (JsonNode v : report.get("variants")) {
            if (v.get("flag").asText().equals(flag) && v.get("variant").asText().equals(variant)) {
                return v.get("exposures").asLong();
            }
        }
        throw new AssertionError("no variant " + flag + "/" + variant + " in " + report);
    }
}
