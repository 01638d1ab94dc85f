package io.edgedeck.simulator.server.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.client.model.RollbackRequest;
import io.edgedeck.client.model.SpeedChange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Whatever bytes a peer sends as a request body, the API parses them into the request or refuses
 * them with a 400 that names the field: never another exception. Every build replays the inputs
 * under src/test/resources/.../ApiBodyFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 */
class ApiBodyFuzzTest {

    /** Each input is tried as every kind of body the API accepts. */
    @FuzzTest(maxDuration = "60s")
    void anyBytesAreABodyOrA400(byte[] body) {
        parse(() -> JsonBodies.parse(body, FlagChange.class, "expectedVersion", "operator", "reason"));
        parse(() -> JsonBodies.parse(body, OperatorAction.class, "operator", "reason"));
        parse(() -> JsonBodies.parse(body, RollbackRequest.class, "flag", "variant", "operator", "reason"));
        parse(() -> JsonBodies.parse(body, SpeedChange.class, "speed"));
        parse(() -> JsonBodies.parse(body, CueRequest.class, "type", "durationSeconds", "operator"));
    }

    private static void parse(java.util.function.Supplier<?> parser) {
        try {
            assertNotNull(parser.get());
        } catch (ApiException e) {
            assertEquals(400, e.status());
            assertNotNull(e.getMessage());
        }
    }
}
