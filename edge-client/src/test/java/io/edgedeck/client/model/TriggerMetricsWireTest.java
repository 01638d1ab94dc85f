package io.edgedeck.client.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A frame's trigger figures keep the rules' order, on the wire and read back: the same show writes the same bytes. */
class TriggerMetricsWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void firingsByRuleKeepTheRulesOrderWrittenAndReadBack() throws Exception {
        Map<String, Long> byRule = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String rule = (i % 2 == 0 ? "hot-buyer-" : "chatty-browser-") + (11 - i);
            byRule.put(rule, (long) i);
            order.add(rule);
        }
        TriggerMetrics metrics = new TriggerMetrics(byRule, 1, 2, 3.5, 4);
        assertEquals(order, List.copyOf(metrics.firingsByRule().keySet()));
        String wire = JSON.writeValueAsString(metrics);
        int last = -1;
        for (String rule : order) {
            int at = wire.indexOf("\"" + rule + "\"");
            assertEquals(true, at > last, rule + " in the rules' order: " + wire);
            last = at;
        }
        assertEquals(order, List.copyOf(JSON.readValue(wire, TriggerMetrics.class).firingsByRule().keySet()));
        assertEquals(wire, JSON.writeValueAsString(JSON.readValue(wire, TriggerMetrics.class)));
    }
}
