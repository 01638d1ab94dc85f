package io.edgedeck.client.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EncoderHealthWireTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void encoderHealthRoundTripsWithItsLevelByName() throws Exception {
        EncoderHealth h = EncoderHealth.judge(1_777_665_600_000L, true, false, 6000, 0.02, 3, 120, 0, 120, 0, 240,
                9.8, 1000.0 / 60, 12.5, 60, 60);
        String json = mapper.writeValueAsString(h);
        assertEquals(h, mapper.readValue(json, EncoderHealth.class));
        assertEquals("WARN", mapper.readTree(json).get("level").asText());
        EncoderHealth gone = EncoderHealth.unreachable(1L, "could not connect to ws://127.0.0.1:4455");
        assertEquals(gone, mapper.readValue(mapper.writeValueAsString(gone), EncoderHealth.class));
    }
}
