package io.edgedeck.simulator.server.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.http.RetainedHeap;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowChanges;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfrepEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Show show;
    private OfrepEvaluator ofrep;

    @BeforeEach
    void start() {
        show = new Show(new ShowDefinition(ScenarioCatalog.load("sentiment-crash"), 3), new MemoryJournal());
        show.core().experiments().create(FlagDefinition.booleanFlag("one-click", "One-click checkout", "growth", 2000,
                new Scope.Region("eu"), "oc", 3), "ana", "test", 0);
        while (show.core().nowMillis() < 2000) {
            show.step();
        }
        ofrep = new OfrepEvaluator(show.core().experiments()::snapshot, show.definition().scenario().pops().stream()
                .collect(Collectors.toMap(PopSpec::id, PopSpec::region)), ShowChanges.tenants(show));
    }

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(OfrepEvaluator.Response r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void resultsMatchTheEnginesOwnBucketing() throws Exception {
        var ev = show.core().experiments().snapshot().atPop().get("offer-banner").get("fra");
        for (int i = 0; i < 500; i++) {
            String unit = "viewer-" + i;
            var r = ofrep.evaluate("offer-banner", body("{\"context\":{\"targetingKey\":\"" + unit + "\",\"pop\":\"fra\"}}"));
            assertEquals(200, r.status());
            JsonNode n = json(r);
            String expected = ev.variantName(ev.evaluate(unit, "fra", "eu", null));
            assertEquals(expected, n.get("variant").asText());
            assertEquals(expected, n.get("value").asText());
            assertEquals("SPLIT", n.get("reason").asText());
        }
    }

    @Test
    void booleanFlagsAreBooleansAndScopeAndKillAreReasons() throws Exception {
        JsonNode inEu = json(ofrep.evaluate("one-click", body("{\"context\":{\"targetingKey\":\"u1\",\"pop\":\"fra\"}}")));
        assertTrue(inEu.get("value").isBoolean());
        JsonNode outside = json(ofrep.evaluate("one-click", body("{\"context\":{\"targetingKey\":\"u1\",\"pop\":\"iad\"}}")));
        assertEquals("DEFAULT", outside.get("reason").asText());
        assertEquals(false, outside.get("value").asBoolean());
        show.core().experiments().kill("one-click", "ana", "stop", show.core().nowMillis());
        show.step();
        JsonNode killed = json(ofrep.evaluate("one-click", body("{\"context\":{\"targetingKey\":\"u1\"}}")));
        assertEquals("DISABLED", killed.get("reason").asText());
    }

    @Test
    void errorsComeInTheProtocolsShape() throws Exception {
        var notFound = ofrep.evaluate("nope", body("{\"context\":{\"targetingKey\":\"u\"}}"));
        assertEquals(404, notFound.status());
        assertEquals("FLAG_NOT_FOUND", json(notFound).get("errorCode").asText());
        assertEquals("PARSE_ERROR", json(ofrep.evaluate("offer-banner", body("{\"context\":"))).get("errorCode").asText());
        assertEquals("TARGETING_KEY_MISSING", json(ofrep.evaluate("offer-banner", body("{\"context\":{}}"))).get("errorCode").asText());
        var badPop = ofrep.evaluate("offer-banner", body("{\"context\":{\"targetingKey\":\"u\",\"pop\":\"zzz\"}}"));
        assertEquals(400, badPop.status());
        assertEquals("INVALID_CONTEXT", json(badPop).get("errorCode").asText());
        assertEquals("INVALID_CONTEXT", json(ofrep.evaluate("offer-banner", body("{\"context\":[1]}"))).get("errorCode").asText());
    }

    @Test
    void aHugeUnknownKeyIsNotEchoedWhole() throws Exception {
        String key = "k".repeat(5000);
        var r = ofrep.evaluate(key, body("{\"context\":{\"targetingKey\":\"u\"}}"));
        assertEquals(404, r.status());
        assertEquals("k".repeat(256) + "...", json(r).get("key").asText());
        assertTrue(json(r).get("errorDetails").asText().length() < 200, r.body());
        assertEquals("k".repeat(256), json(ofrep.evaluate("k".repeat(256), body("{}"))).get("key").asText(), "a key at the bound is whole");
    }

    @Test
    void aSecondBodyGluedOnIsAParseErrorNotDropped() throws Exception {
        String one = "{\"context\":{\"targetingKey\":\"u1\"}}";
        for (String sent : List.of(one + one, one + " garbage", one + ",]]]")) {
            var single = ofrep.evaluate("offer-banner", body(sent));
            assertEquals(400, single.status(), sent);
            assertEquals("PARSE_ERROR", json(single).get("errorCode").asText(), sent);
            assertTrue(json(single).get("errorDetails").asText().contains("trailing content after the JSON object"), single.body());
            var bulk = ofrep.evaluateAll(body(sent), null);
            assertEquals(400, bulk.status(), sent);
            assertEquals("PARSE_ERROR", json(bulk).get("errorCode").asText(), sent);
        }
        assertEquals(200, ofrep.evaluate("offer-banner", body(one + " \n")).status(), "white space after it is fine");
    }

    @Test
    void bulkEvaluationHonoursIfNoneMatchUntilAFlagChanges() throws Exception {
        byte[] ctx = body("{\"context\":{\"targetingKey\":\"u7\"}}");
        var first = ofrep.evaluateAll(ctx, null);
        assertEquals(200, first.status());
        assertEquals(2, json(first).get("flags").size());
        var again = ofrep.evaluateAll(ctx, first.etag());
        assertEquals(304, again.status());
        assertNull(again.body());
        show.core().experiments().kill("one-click", "ana", "stop", show.core().nowMillis());
        show.step();
        assertEquals(200, ofrep.evaluateAll(ctx, first.etag()).status(), "a change makes a new ETag");
        assertEquals(304, ofrep.configuration(ofrep.configuration(null).etag()).status());
    }

    /**
     * The field names a caller of OFREP sends (a read key is enough) are not kept past its request: 400 requests each
     * naming a context field of 45,000 characters (under the parser's 50,000) leave nothing of them on the heap, where
     * the shared mapper's name table kept them (36 MB and more).
     */
    @Test
    void fieldNamesSentAreNotKeptPastTheirRequest() {
        int requests = 400;
        long grown = RetainedHeap.grownBy(requests, i -> {
            var r = ofrep.evaluate("offer-banner", body("{\"context\":{\"targetingKey\":\"u" + i + "\",\""
                    + RetainedHeap.uniqueName("ofrep", i, 45_000) + "\":1}}"));
            assertEquals(200, r.status(), r.body());
            return r;
        });
        assertTrue(grown < RetainedHeap.MARGIN_BYTES, "the heap kept " + grown + " bytes more after " + requests
                + " requests each naming a context field of 45000 characters");
    }
}
