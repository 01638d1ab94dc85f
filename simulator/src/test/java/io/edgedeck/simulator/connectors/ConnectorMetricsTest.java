package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.server.http.JsonBodies;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorMetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^(edgedeck_connector_\\w+)\\{([^}]*)} (\\S+)$");

    @Test
    void lastEventTimesAreTheApisToTheMillisecond() throws Exception {
        List<SourceStatus> statuses = List.of(
                status("probes", "probes", 1_796_545_117_708L, 12.345678912),
                status("twitch", "#show", 1_796_544_983_920L, 0.1),
                status("obs", "obs", 0, 0));
        // What GET /api/v1/sources answers for the same statuses.
        JsonNode api = JsonBodies.MAPPER.readTree(JsonBodies.MAPPER.writeValueAsBytes(statuses));
        String text = ConnectorMetrics.render(statuses);

        Matcher m = SAMPLE.matcher(text);
        int timestamps = 0;
        while (m.find()) {
            double value = Double.parseDouble(m.group(3));
            if (m.group(1).equals("edgedeck_connector_last_event_timestamp_seconds")) {
                JsonNode row = row(api, m.group(2));
                assertEquals(row.path("lastEventMillis").asLong(), Math.round(value * 1000), m.group());
                timestamps++;
            } else if (m.group(1).equals("edgedeck_connector_events_per_second")) {
                assertEquals(row(api, m.group(2)).path("eventsPerSecond").asDouble(), value, 0, m.group());
            }
        }
        assertEquals(3, timestamps, text);
        assertTrue(text.contains("edgedeck_connector_last_event_timestamp_seconds{kind=\"probes\",name=\"probes\"} 1.796545117708E9"), text);
        assertTrue(text.contains("edgedeck_connector_last_event_timestamp_seconds{kind=\"obs\",name=\"obs\"} 0\n"), text);
    }

    private static JsonNode row(JsonNode api, String labels) {
        for (JsonNode row : api) {
            if (labels.equals("kind=\"" + row.path("kind").asText() + "\",name=\"" + row.path("name").asText() + "\"")) {
                return row;
            }
        }
        throw new AssertionError("no source in the API's answer for " + labels);
    }

    private static SourceStatus status(String kind, String name, long lastEventMillis, double perSecond) {
        return new SourceStatus(kind, name, SourceState.CONNECTED, "reading", 10, 0, perSecond, lastEventMillis,
                List.of(), Map.of());
    }
}
