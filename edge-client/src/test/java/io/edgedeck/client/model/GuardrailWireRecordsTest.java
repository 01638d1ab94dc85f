package io.edgedeck.client.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guardrail states, metrics, ops and actions are types in Java and the same words on the wire. */
class GuardrailWireRecordsTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aStatusRoundTripsWithItsWireNames() throws Exception {
        var status = new GuardrailStatus("latency-guard", "chat-offer", "urgent", RuleMatch.ANY, GuardrailAction.ROLLBACK_BREACHED_POPS,
                true, GuardrailState.WATCHING,
                List.of(new ConditionStatus(GuardrailMetric.P95_LATENCY_RATIO, ComparisonOp.GE, 1.2, 1.05, 0.97, null, false,
                        ConditionState.NOT_RULED_OUT, 0.9975)), 800, 790, 500, 60, null, 1000L, 61_000L, 0.02);
        String json = mapper.writeValueAsString(status);
        JsonNode tree = mapper.readTree(json);
        assertEquals("any", tree.get("match").asText());
        assertEquals("rollback-breached-pops", tree.get("action").asText());
        assertEquals("watching", tree.get("state").asText());
        JsonNode c = tree.get("conditions").get(0);
        assertEquals("p95LatencyRatio", c.get("metric").asText());
        assertEquals(">=", c.get("op").asText());
        assertEquals("not-ruled-out", c.get("state").asText());
        assertTrue(c.get("upper").isNull(), "an end the data cannot bound yet is null");
        assertEquals(status, mapper.readValue(json, GuardrailStatus.class));
        assertFalse(tree.has("decidedBy"), "a rule decided where it is shown says nothing more: " + json);

        GuardrailStatus fleet = status.withDecidedBy(GuardrailStatus.DECIDED_BY_FLEET);
        String fleetJson = mapper.writeValueAsString(fleet);
        assertEquals("fleet", mapper.readTree(fleetJson).get("decidedBy").asText());
        assertEquals(fleet, mapper.readValue(fleetJson, GuardrailStatus.class));
    }

    @Test
    void aConditionFromAnOlderNodeReadsAsNoData() throws Exception {
        ConditionStatus c = mapper.readValue("{\"metric\":\"errorRate\",\"op\":\">\",\"threshold\":0.02,\"holds\":false}",
                ConditionStatus.class);
        assertEquals(ConditionState.NO_DATA, c.state());
        assertEquals(GuardrailMetric.ERROR_RATE, c.metric());
    }

    @Test
    void aFiringKeepsItsActionWord() throws Exception {
        var firing = new GuardrailFiring(302_000, "sentiment-guard", "offer-banner", "treatment", GuardrailAction.PAUSE,
                List.of("fra"), "since 04:31: ...", true, "guardrail:sentiment-guard", Map.of("sentimentChange", -0.4));
        String json = mapper.writeValueAsString(firing);
        assertEquals("pause", mapper.readTree(json).get("action").asText());
        assertEquals(firing, mapper.readValue(json, GuardrailFiring.class));
    }

    /**
     * A sentiment condition carries the difference of the mean scores as an optional field: written
     * when present, left out when absent, and a status from a node that does not send it reads with
     * none.
     */
    @Test
    void aSentimentConditionsMeanDifferenceIsOptionalOnTheWire() throws Exception {
        var with = new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15, -2.1, null, -0.12, true,
                ConditionState.HARM_ESTABLISHED, 0.99, new MeanDifference(-0.21, -0.3, -0.12));
        String json = mapper.writeValueAsString(with);
        JsonNode d = mapper.readTree(json).get("meanDifference");
        assertEquals(-0.21, d.get("estimate").asDouble());
        assertEquals(-0.3, d.get("lower").asDouble());
        assertEquals(-0.12, d.get("upper").asDouble());
        assertEquals(with, mapper.readValue(json, ConditionStatus.class));

        var without = new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15, -2.1, null, -0.12, true,
                ConditionState.HARM_ESTABLISHED, 0.99);
        String older = mapper.writeValueAsString(without);
        assertFalse(older.contains("meanDifference"), older);
        assertNull(mapper.readValue(older, ConditionStatus.class).meanDifference());
    }

    @Test
    void aMeanDifferenceOutOfOrderIsRefusedNamingTheField() {
        var e = assertThrows(Exception.class, () -> mapper.readValue(
                "{\"metric\":\"sentimentChange\",\"op\":\"<\",\"threshold\":-0.15,\"holds\":false,"
                        + "\"meanDifference\":{\"estimate\":-0.2,\"lower\":-0.1,\"upper\":0.1}}", ConditionStatus.class));
        assertTrue(e.getMessage().contains("meanDifference"), e.getMessage());
    }
}
