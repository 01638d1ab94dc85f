package io.edgedeck.client.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A PoP's own objectives on the wire: carried when its node config declares them, and absent from an older node's frames. */
class PopSloWireTest {
    /** As the console's connection reads frames: fields it does not know are skipped. */
    private final ObjectMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static PopMetrics pop(PopSlo slo) {
        return new PopMetrics("fra", "eu", PopHealth.DEGRADED, new LatencyWindow(10, 100, 60, 130, 160, 200),
                LatencyWindow.empty(60), 2, 0, 10, 100, 0, 3, 0, 0, List.of(), PopBaseline.NONE, PopValue.NONE, slo);
    }

    @Test
    void aPopCarriesItsDeclaredObjectivesAndOneWithoutAnyOrFromAnOlderNodeReadsAsNone() throws Exception {
        String json = mapper.writeValueAsString(pop(new PopSlo(120, 0.01)));
        assertEquals(new PopSlo(120, 0.01), mapper.readValue(json, PopMetrics.class).slo());

        String none = mapper.writeValueAsString(pop(null));
        assertFalse(mapper.readTree(none).has("slo"), "no objectives declared: no field, as an older node sends: " + none);
        ObjectNode older = (ObjectNode) mapper.readTree(json);
        older.remove("slo");
        older.remove("value");
        older.remove("baseline");
        PopMetrics read = mapper.readValue(older.toString(), PopMetrics.class);
        assertNull(read.slo());
        assertEquals(130, read.last10s().p95Ms());
    }
}
