package io.edgedeck.simulator.server.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real live node (docs/examples/node-config.json) serves over OFREP what its overrides say: after the
 * playbook {@code stop-the-bleed} rolls checkout-button's treatment back at fra and ams, units the split
 * puts in treatment are served control there (and where the context names no PoP, the default fra), still
 * treatment at iad; the bulk ETag changes; the units already counted in treatment move to control's moved
 * cohort. A paused treatment keeps the units already in it and serves control to new ones.
 */
class OfrepOverridesNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONFIG = Path.of("..", "docs", "examples", "node-config.json");
    private static final String FLAG = "checkout-button";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private EdgeNode node;
    private String readKey;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private void start(Path dir) throws Exception {
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(Files.readAllBytes(CONFIG)),
                InetAddress.getLoopbackAddress(), 0, dir));
        readKey = Files.readString(node.readKeyFile()).trim();
    }

    private HttpResponse<String> post(String path, String bearer, String body, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String context(String unit, String pop) {
        return "{\"context\":{\"targetingKey\":\"" + unit + "\"" + (pop == null ? "" : ",\"pop\":\"" + pop + "\"") + "}}";
    }

    private JsonNode evaluate(String unit, String pop) throws Exception {
        HttpResponse<String> r = post("/ofrep/v1/evaluate/flags/" + FLAG, readKey, context(unit, pop), null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Units the split puts in treatment at {@code pop}, evaluated (and so exposed) once each. */
    private List<String> treated(String prefix, String pop) throws Exception {
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            JsonNode n = evaluate(prefix + i, pop);
            assertEquals("SPLIT", n.get("reason").asText(), n.toString());
            if (n.get("variant").asText().equals("treatment")) {
                units.add(prefix + i);
            }
        }
        assertTrue(units.size() > 20, "a 50/50 split put " + units.size() + " of 120 units in treatment");
        return units;
    }

    /** The flag's result in a bulk evaluation's answer. */
    private static JsonNode bulkResult(HttpResponse<String> bulk) throws Exception {
        for (JsonNode f : JSON.readTree(bulk.body()).get("flags")) {
            if (f.get("key").asText().equals(FLAG)) {
                return f;
            }
        }
        throw new AssertionError("no " + FLAG + " in " + bulk.body());
    }

    /** Holds the engine thread until the returned latch is counted down; the future ends when it is let go. */
    private java.util.concurrent.Future<Object> holdEngine(java.util.concurrent.CountDownLatch release) {
        return node.runner().submit(show -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
    }

    private VariantMetrics variant(String name) {
        MetricsFrame f = node.latestFrame();
        return f == null ? null : f.variants().stream().filter(v -> v.flag().equals(FLAG) && v.variant().equals(name))
                .findFirst().orElse(null);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void awaitLive(OfrepOverridesNodeTest t) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (String pop : List.of("fra", "ams", "iad")) {
            while (t.evaluate("probe", pop).get("reason").asText().equals("DEFAULT")) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("checkout-button never went live at " + pop);
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aPopLocalRollbackServesControlAtThatPopOnly(@TempDir Path dir) throws Exception {
        start(dir);
        awaitLive(this);
        List<String> atFra = treated("fra-viewer-", "fra");
        List<String> atIad = treated("iad-viewer-", "iad");
        HttpResponse<String> before = post("/ofrep/v1/evaluate/flags", readKey, context(atFra.getFirst(), "fra"), null);
        String etag = before.headers().firstValue("ETag").orElseThrow();
        await("the treated units are counted", () -> variant("treatment") != null
                && variant("treatment").exposures() >= atFra.size() + atIad.size());

        HttpResponse<String> run = post("/api/v1/playbooks/stop-the-bleed/run", Files.readString(node.tokenFile()).trim(),
                "{\"reason\":\"chat turned on the treatment in Europe\"}", null);
        assertEquals(200, run.statusCode(), run.body());

        for (String unit : atFra) {
            JsonNode n = evaluate(unit, "fra");
            assertEquals("control", n.get("variant").asText(), n.toString());
            assertEquals("TARGETING_MATCH", n.get("reason").asText());
            assertEquals(OfrepEvaluator.ROLLED_BACK_AT_POP, n.get("metadata").get("override").asText());
            // No PoP in the context: the node's default PoP, fra.
            assertEquals("control", evaluate(unit, null).get("variant").asText());
        }
        for (String unit : atIad) {
            JsonNode n = evaluate(unit, "iad");
            assertEquals("treatment", n.get("variant").asText(), "iad was not rolled back: " + n);
            assertFalse(n.get("metadata").has("override"));
        }
        HttpResponse<String> after = post("/ofrep/v1/evaluate/flags", readKey, context(atFra.getFirst(), "fra"), etag);
        assertEquals(200, after.statusCode(), "the override changed the answer, so the old ETag must not match");
        assertNotEquals(etag, after.headers().firstValue("ETag").orElseThrow());
        assertEquals("control", bulkResult(after).get("variant").asText());
        // Each unit counted in treatment at fra and served control since is in control's moved cohort, not its exposures.
        await("the rolled-back units move to control", () -> variant("control").movedIn() >= atFra.size());
    }

    /**
     * Started again on its data directory, the node serves its flags as before, the rollback included:
     * every PoP runs the version the journal left, not none (which would serve every unit the default).
     */
    @Test
    void aNodeStartedAgainServesTheSplitAndTheRollbackAsBefore(@TempDir Path dir) throws Exception {
        start(dir);
        awaitLive(this);
        List<String> atFra = treated("fra-viewer-", "fra");
        List<String> atIad = treated("iad-viewer-", "iad");
        HttpResponse<String> run = post("/api/v1/playbooks/stop-the-bleed/run", Files.readString(node.tokenFile()).trim(),
                "{\"reason\":\"chat turned on the treatment in Europe\"}", null);
        assertEquals(200, run.statusCode(), run.body());
        node.close();
        node = null;
        Thread.sleep(1500);
        start(dir);
        awaitLive(this);
        for (String unit : atIad) {
            assertEquals("treatment", evaluate(unit, "iad").get("variant").asText());
        }
        for (String unit : atFra) {
            JsonNode n = evaluate(unit, "fra");
            assertEquals("control", n.get("variant").asText(), n.toString());
            assertEquals(OfrepEvaluator.ROLLED_BACK_AT_POP, n.get("metadata").get("override").asText());
        }
    }

    /** Starts the node, puts units in treatment at ams (counted), then pauses treatment: those units. */
    private List<String> treatedThenPaused(Path dir) throws Exception {
        start(dir);
        awaitLive(this);
        List<String> inBefore = treated("early-", "ams");
        await("the early units are counted", () -> variant("treatment") != null
                && variant("treatment").exposures() >= inBefore.size());
        node.runner().submit(show -> {
            show.core().experiments().setPaused(FLAG, "treatment", true, "test", "hold new exposures", show.core().nowMillis());
            return null;
        }).get(10, TimeUnit.SECONDS);
        return inBefore;
    }

    @Test
    void aPausedVariantKeepsItsUnitsAndTakesNoNewOnes(@TempDir Path dir) throws Exception {
        List<String> inBefore = treatedThenPaused(dir);

        for (String unit : inBefore) {
            JsonNode n = evaluate(unit, "ams");
            assertEquals("treatment", n.get("variant").asText(), "a unit already in a paused variant stays: " + n);
        }
        int newInTreatmentBySplit = 0;
        for (int i = 0; i < 120; i++) {
            JsonNode n = evaluate("late-" + i, "ams");
            assertEquals("control", n.get("variant").asText(), "a new unit is never served a paused variant: " + n);
            if (n.get("metadata").has("override")) {
                assertEquals(OfrepEvaluator.PAUSED, n.get("metadata").get("override").asText());
                newInTreatmentBySplit++;
            }
        }
        assertTrue(newInTreatmentBySplit > 20, "the split put " + newInTreatmentBySplit + " of 120 new units in treatment");
        // Resumed: the split serves treatment again.
        node.runner().submit(show -> {
            show.core().experiments().setPaused(FLAG, "treatment", false, "test", "resume", show.core().nowMillis());
            return null;
        }).get(10, TimeUnit.SECONDS);
        int treatedAfterResume = 0;
        for (int i = 0; i < 120; i++) {
            if (evaluate("late-" + i, "ams").get("variant").asText().equals("treatment")) {
                treatedAfterResume++;
            }
        }
        assertEquals(newInTreatmentBySplit, treatedAfterResume);
    }

    @Test
    void anEvaluationThatNamesNoPopIsEvaluatedAtTheDefaultPop(@TempDir Path dir) throws Exception {
        start(dir);
        awaitLive(this);
        // Scoped to the default PoP's region: a context with no PoP (and no region) is in it, as the
        // exposure it makes is counted at fra; iad, in na, is out of it.
        node.runner().submit(show -> {
            long version = show.core().experiments().registry().get(FLAG).orElseThrow().version();
            show.core().experiments().change(FLAG, version, io.edgedeck.engine.flags.FlagUpdate.scope(
                    new io.edgedeck.engine.flags.Scope.Region("eu")), "test", "eu only", show.core().nowMillis());
            return null;
        }).get(10, TimeUnit.SECONDS);
        await("iad takes the eu-only version", () -> {
            try {
                return evaluate("probe", "iad").get("reason").asText().equals("DEFAULT");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        for (int i = 0; i < 40; i++) {
            JsonNode noPop = evaluate("nowhere-" + i, null);
            JsonNode atFra = evaluate("nowhere-" + i, "fra");
            assertEquals("SPLIT", noPop.get("reason").asText(), noPop.toString());
            assertEquals("fra", noPop.get("metadata").get("pop").asText(), noPop.toString());
            assertEquals(atFra.get("variant"), noPop.get("variant"), noPop + " against " + atFra);
            assertEquals(atFra.get("metadata").get("version"), noPop.get("metadata").get("version"));
        }
    }

    @Test
    void aUnitTheNodeCannotPlaceInTimeIsServedControlAndNotMoved(@TempDir Path dir) throws Exception {
        List<String> inBefore = treatedThenPaused(dir);
        String unit = inBefore.getFirst();
        // The engine thread is held: whether the unit is in treatment cannot be known in time.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        var held = holdEngine(release);
        try {
            JsonNode blind = evaluate(unit, "ams");
            assertEquals("control", blind.get("variant").asText(), blind.toString());
            assertEquals(OfrepEvaluator.PAUSED_UNPLACED, blind.get("metadata").get("override").asText(), blind.toString());
        } finally {
            release.countDown();
        }
        held.get(10, TimeUnit.SECONDS);
        // That answer was not counted as control: the unit is still in treatment, and served it.
        JsonNode after = evaluate(unit, "ams");
        assertEquals("treatment", after.get("variant").asText(), "a guess moved the unit out of treatment: " + after);
    }

    /**
     * A provider polling for a unit whose bucket falls in a paused variant gets 304 while nothing it
     * would be served changed, without the node asking its engine (held here, so an answer that had to
     * ask could only be control, "paused-unplaced", and a new ETag); an answer the node could not place
     * in time is never confirmed by a 304; once the unit moves out of the variant, the same ETag gets
     * the new answer.
     */
    @Test
    void aConditionalPollInAPausedVariantNeedsNoEngineUntilTheUnitMoves(@TempDir Path dir) throws Exception {
        List<String> inBefore = treatedThenPaused(dir);
        String unit = inBefore.getFirst();
        HttpResponse<String> first = post("/ofrep/v1/evaluate/flags", readKey, context(unit, "ams"), null);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("treatment", bulkResult(first).get("variant").asText(), first.body());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        var held = holdEngine(release);
        String blindTag;
        try {
            HttpResponse<String> again = post("/ofrep/v1/evaluate/flags", readKey, context(unit, "ams"), etag);
            assertEquals(304, again.statusCode(), again.body());
            assertEquals(etag, again.headers().firstValue("ETag").orElseThrow());
            // Without an ETag the node must ask, and cannot in time: that answer's ETag is matched by no later poll.
            HttpResponse<String> blind = post("/ofrep/v1/evaluate/flags", readKey, context(unit, "ams"), null);
            assertEquals(OfrepEvaluator.PAUSED_UNPLACED, bulkResult(blind).get("metadata").get("override").asText(), blind.body());
            blindTag = blind.headers().firstValue("ETag").orElseThrow();
        } finally {
            release.countDown();
        }
        held.get(10, TimeUnit.SECONDS);
        HttpResponse<String> placed = post("/ofrep/v1/evaluate/flags", readKey, context(unit, "ams"), blindTag);
        assertEquals(200, placed.statusCode(), "a poll holding the unplaced answer gets the unit's own");
        assertEquals("treatment", bulkResult(placed).get("variant").asText(), placed.body());

        // The app reports the unit served control: it leaves the paused treatment, and the old ETag no longer matches.
        HttpResponse<String> moved = post("/ingest/v1/events", Files.readString(node.ingestKeyFile()).trim(),
                "[{\"id\":\"moved-1\",\"type\":\"exposure\",\"flag\":\"" + FLAG + "\",\"variant\":\"control\","
                        + "\"targetingKey\":\"" + unit + "\",\"pop\":\"ams\"}]", null);
        assertEquals(200, moved.statusCode(), moved.body());
        HttpResponse<String> after = post("/ofrep/v1/evaluate/flags", readKey, context(unit, "ams"), etag);
        assertEquals(200, after.statusCode(), "the unit left the paused variant: the old ETag must not match");
        JsonNode result = bulkResult(after);
        assertEquals("control", result.get("variant").asText(), after.body());
        assertEquals(OfrepEvaluator.PAUSED, result.get("metadata").get("override").asText(), after.body());
    }

    /**
     * A unit served treatment at iad and control at fra (rolled back there), in turn, moves each time,
     * however soon it comes back: the unit's state decides, not the ids the dedupe window remembers.
     * Started again, the node counts the same from its log.
     */
    @Test
    void aUnitServedTwoArmsInTurnMovesEachTime(@TempDir Path dir) throws Exception {
        start(dir);
        awaitLive(this);
        List<String> units = treated("roamer-", "iad");
        await("the treated units are counted", () -> variant("treatment") != null
                && variant("treatment").exposures() >= units.size());
        HttpResponse<String> run = post("/api/v1/playbooks/stop-the-bleed/run", Files.readString(node.tokenFile()).trim(),
                "{\"reason\":\"chat turned on the treatment in Europe\"}", null);
        assertEquals(200, run.statusCode(), run.body());
        long controlMoved = variant("control").movedIn();
        long treatmentMoved = variant("treatment").movedIn();
        for (int round = 1; round <= 2; round++) {
            for (String unit : units) {
                assertEquals("control", evaluate(unit, "fra").get("variant").asText());
                evaluate(unit, "fra");
            }
            long control = controlMoved + (long) round * units.size();
            await("round " + round + ": every unit moves to control at fra", () -> variant("control").movedIn() == control);
            for (String unit : units) {
                assertEquals("treatment", evaluate(unit, "iad").get("variant").asText());
                evaluate(unit, "iad");
            }
            long treatment = treatmentMoved + (long) round * units.size();
            await("round " + round + ": every unit moves back to treatment at iad", () -> variant("treatment").movedIn() == treatment);
        }
        VariantMetrics control = variant("control");
        VariantMetrics treatment = variant("treatment");
        node.close();
        node = null;
        start(dir);
        await("the node started again counts the same", () -> variant("control") != null && variant("treatment") != null
                && variant("control").movedIn() == control.movedIn() && variant("treatment").movedIn() == treatment.movedIn()
                && variant("control").exposures() == control.exposures() && variant("treatment").exposures() == treatment.exposures());
    }

    /**
     * A unit served control where its arm is rolled back, then its arm again elsewhere, both judged
     * before the first is applied (the engine held meanwhile): the second was judged against the arm
     * the unit was counted in before, found a repeat and dropped, so the unit stayed in control. Each
     * is judged against the exposure still on its way to the log, so the unit ends where it was
     * served last, live and after a restart.
     */
    @Test
    void aUnitServedBackBeforeItsMoveIsAppliedEndsWhereItWasServedLast(@TempDir Path dir) throws Exception {
        start(dir);
        awaitLive(this);
        List<String> units = treated("hopper-", "iad");
        await("the treated units are counted", () -> variant("treatment") != null
                && variant("treatment").exposures() >= units.size());
        HttpResponse<String> run = post("/api/v1/playbooks/stop-the-bleed/run", Files.readString(node.tokenFile()).trim(),
                "{\"reason\":\"chat turned on the treatment in Europe\"}", null);
        assertEquals(200, run.statusCode(), run.body());
        // One round applied in turn first, so each unit is counted under the rollback's version at both PoPs.
        long movedBefore = variant("control").movedIn();
        for (String unit : units) {
            evaluate(unit, "fra");
        }
        await("every unit moves to control at fra", () -> variant("control").movedIn() == movedBefore + units.size());
        long backBefore = variant("treatment").movedIn();
        for (String unit : units) {
            evaluate(unit, "iad");
        }
        await("every unit moves back to treatment at iad", () -> variant("treatment").movedIn() == backBefore + units.size());
        long controlMoved = variant("control").movedIn();
        long treatmentMoved = variant("treatment").movedIn();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Future<Object> held = holdEngine(release);
        try {
            for (String unit : units) {
                assertEquals("control", evaluate(unit, "fra").get("variant").asText());
                assertEquals("treatment", evaluate(unit, "iad").get("variant").asText());
            }
        } finally {
            release.countDown();
        }
        held.get(10, TimeUnit.SECONDS);
        await("every unit moves to control and back to treatment", () -> variant("control").movedIn() == controlMoved + units.size()
                && variant("treatment").movedIn() == treatmentMoved + units.size());
        LiveIntake intake = node.intake().orElseThrow();
        for (String unit : units) {
            assertEquals(Boolean.TRUE, intake.inVariant(unit, FLAG, "treatment"), unit + " ends in the arm it was served last");
        }
    }

    @Test
    void aLongTargetingKeyIsCountedAndAnOverlongOneRefused(@TempDir Path dir) throws Exception {
        start(dir);
        awaitLive(this);
        String longest = "u".repeat(256);
        JsonNode n = evaluate(longest, "fra");
        String served = n.get("variant").asText();
        await("the 256-character unit's exposure is counted", () -> variant(served) != null && variant(served).exposures() == 1);
        HttpResponse<String> r = post("/ofrep/v1/evaluate/flags/" + FLAG, readKey, context(longest + "u", "fra"), null);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode refused = JSON.readTree(r.body());
        assertEquals("INVALID_CONTEXT", refused.get("errorCode").asText(), r.body());
        assertTrue(refused.get("errorDetails").asText().contains("targetingKey"), r.body());
    }
}
