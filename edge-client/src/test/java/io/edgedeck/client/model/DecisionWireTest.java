package io.edgedeck.client.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.ingest.IngestEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The decision budget on the wire: added to frames and checkout events without breaking either side. */
class DecisionWireTest {
    /** As the console's connection reads frames: fields it does not know are skipped. */
    private final ObjectMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static MetricsFrame frame(DecisionMetrics decisions) {
        return new MetricsFrame(3, 1_000, "show", 7, ShowState.RUNNING, 1, 60, List.of(), List.of(),
                new CheckoutCounts(0, 0, 0, 0, 0, 0), new EventCounts(0, 0, 0), null, null, null, null, null, null, null,
                null, decisions);
    }

    @Test
    void aFrameCarriesItsDecisionsAndOneFromANodeWithoutThemReadsAsNone() throws Exception {
        DecisionMetrics d = new DecisionMetrics(10, 2, 60, 8, 1,
                List.of(new DecisionMetrics.StageLatency("act", 180, 290, 2000, 300)));
        MetricsFrame f = frame(d);
        String json = mapper.writeValueAsString(f);
        assertEquals(d, mapper.readValue(json, MetricsFrame.class).decisions());
        ObjectNode older = (ObjectNode) mapper.readTree(json);
        older.remove("decisions");
        assertSame(DecisionMetrics.NONE, mapper.readValue(older.toString(), MetricsFrame.class).decisions());
        assertEquals(0.125, d.windowOverSloShare(), 1e-12);
        assertEquals(0.2, d.overSloShare(), 1e-12);
    }

    @Test
    void aFrameThatKeepsItsShapeKeepsItsDecisions() {
        DecisionMetrics d = new DecisionMetrics(1, 0, 60, 1, 0, List.of());
        MetricsFrame f = frame(d);
        assertSame(d, f.withRunState(9, ShowState.PAUSED, 0).decisions());
        assertSame(d, f.withNode(NodeCondition.OK).decisions());
    }

    @Test
    void aCheckoutEventWithoutStageTimesKeepsItsOldShape() throws Exception {
        IngestEvent plain = new IngestEvent.Checkout("e-1", null, "c-1", "fra", "authorised");
        String json = mapper.writeValueAsString(plain);
        assertFalse(json.contains("Ms"), json);
        IngestEvent.Checkout read = (IngestEvent.Checkout) mapper.readValue(json, IngestEvent.class);
        assertNull(read.validateMs());
        IngestEvent timed = new IngestEvent.Checkout("e-2", null, "c-2", "fra", "queued", 40.0, 60.0, 2000.0);
        assertEquals(timed, mapper.readValue(mapper.writeValueAsString(timed), IngestEvent.class));
        assertEquals(DecisionStage.ENRICH, DecisionStage.of("enrich"));
        assertNull(DecisionStage.of("other"));
    }
}
