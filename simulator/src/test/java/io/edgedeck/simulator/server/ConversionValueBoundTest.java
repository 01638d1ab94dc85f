package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.edgedeck.simulator.server.LiveNodeFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ingest key travels in the show's apps, so anyone may send conversions. However many they
 * send, the revenue a node shows per PoP and per variant stays a number: one conversion carries at
 * most 10^12, and a larger (or non-finite) value is refused naming {@code value}. Two conversions of
 * 1e308 once summed a PoP's revenue to "Infinity" for the rest of the show, restarts included.
 */
class ConversionValueBoundTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private JsonNode ingest(String body) throws Exception {
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), body);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode fra() {
        return live.framePop("fra").get("value");
    }

    @Test
    void noConversionsSumTheRevenuePastANumber(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(IngestRefusedAfterRestartTest.CONFIG, dir);
        live.start();
        JsonNode huge = ingest("[{\"id\":\"h1\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u1\",\"value\":1e308},"
                + "{\"id\":\"h2\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u1\",\"value\":1e308},"
                + "{\"id\":\"h3\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u1\",\"value\":1000000000000.5}]");
        assertEquals(0, huge.get("accepted").asInt(), huge.toString());
        assertEquals(3, huge.get("refused").size(), huge.toString());
        for (JsonNode refused : huge.get("refused")) {
            assertEquals("value", refused.get("field").asText(), huge.toString());
        }
        JsonNode largest = ingest("[{\"id\":\"m1\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u1\",\"value\":1e12},"
                + "{\"id\":\"m2\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u1\",\"value\":19.99}]");
        assertEquals(2, largest.get("accepted").asInt(), largest.toString());
        await("fra's frame counts the two conversions", () -> fra().get("conversions").asLong() == 2);
        JsonNode revenue = fra().get("revenue");
        assertTrue(revenue.isNumber(), "revenue is a number: " + revenue);
        assertEquals(1e12 + 19.99, revenue.asDouble(), 0.001);
    }
}
