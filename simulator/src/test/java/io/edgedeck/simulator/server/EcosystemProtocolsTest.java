package io.edgedeck.simulator.server;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.edgedeck.engine.flags.FlagEvaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A node speaks the ecosystem's protocols: the real OpenFeature Java SDK with its OFREP provider
 * evaluates EdgeDeck flags exactly as the engine buckets them, and a Prometheus scrape of /metrics
 * passes Prometheus's own linter.
 */
class EcosystemProtocolsTest {
    private static final String FLAG = "checkout-button";

    @TempDir
    static Path dataDir;
    static LiveNode live;
    static Client openFeature;

    @BeforeAll
    static void startNode() throws Exception {
        live = LiveNode.start(dataDir, 2);
        OfrepProvider provider = OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                .baseUrl(live.base().toString())
                .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + live.readKey())))
                .requestTimeout(Duration.ofSeconds(5))
                .build());
        OpenFeatureAPI.getInstance().setProviderAndWait("edgedeck-test", provider);
        openFeature = OpenFeatureAPI.getInstance().getClient("edgedeck-test");
    }

    @AfterAll
    static void stopNode() {
        OpenFeatureAPI.getInstance().shutdown();
        live.close();
    }

    @Test
    void theSdkSeesExactlyTheVariantTheEngineBucketsEachUnitInto() {
        FlagEvaluator engine = live.node.runner().show().core().experiments().snapshot().latest().get(FLAG);
        int treatment = 0;
        for (int i = 0; i < 200; i++) {
            String unit = "viewer-" + i;
            FlagEvaluationDetails<String> d = openFeature.getStringDetails(FLAG, "fallback", new MutableContext(unit));
            String expected = engine.variantName(engine.evaluate(unit, null, null, null));
            assertEquals(expected, d.getValue(), unit);
            assertEquals(expected, d.getVariant(), unit);
            assertEquals("SPLIT", d.getReason());
            treatment += expected.equals("treatment") ? 1 : 0;
        }
        assertTrue(treatment > 60 && treatment < 140, "a 50/50 split: " + treatment + " of 200 in treatment");
    }

    @Test
    void aPopInTheContextGetsTheVersionThatPopRuns() {
        MutableContext ctx = new MutableContext("viewer-9");
        ctx.add("pop", "fra");
        FlagEvaluationDetails<String> d = openFeature.getStringDetails(FLAG, "fallback", ctx);
        assertEquals(null, d.getErrorCode(), d.getErrorMessage());
        assertTrue(d.getValue().equals("control") || d.getValue().equals("treatment"));
    }

    @Test
    void protocolErrorsReachTheSdk() {
        FlagEvaluationDetails<String> missing = openFeature.getStringDetails("no-such-flag", "fallback", new MutableContext("u1"));
        assertEquals("fallback", missing.getValue());
        assertEquals(ErrorCode.FLAG_NOT_FOUND, missing.getErrorCode());
        // Without a targeting key there is no unit to bucket: the application gets its default.
        FlagEvaluationDetails<String> noKey = openFeature.getStringDetails(FLAG, "fallback", new MutableContext());
        assertEquals("fallback", noKey.getValue());
        assertTrue(noKey.getErrorCode() != null, "an error code says why");
    }

    @Test
    void evaluationNeedsTheReadKeyAndTheAdminTokenIsNotEnoughForNothing() throws Exception {
        HttpRequest.Builder eval = HttpRequest.newBuilder(live.base().resolve("/ofrep/v1/evaluate/flags/" + FLAG))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u\"}}"));
        assertEquals(401, live.send(eval.copy().build()).statusCode());
        assertEquals(401, live.send(eval.copy().header("X-API-Key", "wrong").build()).statusCode());
        assertEquals(200, live.send(eval.copy().header("X-API-Key", live.readKey()).build()).statusCode());
        HttpRequest bulk = HttpRequest.newBuilder(live.base().resolve("/ofrep/v1/evaluate/flags"))
                .header("Authorization", "Bearer " + live.readKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u\"}}")).build();
        HttpResponse<String> first = live.send(bulk);
        assertEquals(200, first.statusCode());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = live.send(HttpRequest.newBuilder(bulk, (n, v) -> true).header("If-None-Match", etag).build());
        assertEquals(304, again.statusCode());
        // The read key is read-only: the control API refuses it, as a key the node knows whose lane does not open it.
        HttpResponse<String> mutate = live.send(HttpRequest.newBuilder(live.api("/show/pause"))
                .header("Authorization", "Bearer " + live.readKey()).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(403, mutate.statusCode());
    }

    @Test
    void aScrapePassesPromtoolAndCarriesTheNodesNumbers() throws Exception {
        HttpRequest scrape = HttpRequest.newBuilder(live.base().resolve("/metrics")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + live.readKey()).GET().build();
        assertEquals(401, live.send(HttpRequest.newBuilder(live.base().resolve("/metrics")).GET().build()).statusCode());
        LiveNode.await("traffic has been served", () -> live.node.latestFrame() != null
                && live.node.latestFrame().pops().getFirst().requests() > 0);
        HttpResponse<String> r = live.send(scrape);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(r.body().contains("edgedeck_pop_requests_total{pop=\"fra\""), r.body());
        assertTrue(r.body().contains("edgedeck_flag_version{flag=\"" + FLAG + "\"} 1"), "the scenario's flag at version 1");
        Path promtool = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        if (promtool == null) {
            if ("true".equals(System.getenv("CI"))) fail("promtool is not installed; .ci/run installs the Debian package prometheus");
            assumeTrue(false, "promtool is not installed here (apt-get install prometheus): the scrape was not linted");
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(r.body().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
