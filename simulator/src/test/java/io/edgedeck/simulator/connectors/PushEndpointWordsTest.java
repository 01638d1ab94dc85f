package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sender's broken record is described in words the sender can act on: where it breaks and why, not
 * the JSON library's source note or the names of its switches, which no sender can turn on.
 */
class PushEndpointWordsTest {
    private static final String SECRET = "push-endpoint-words-secret";

    private static PushResult push(String body) {
        PushEndpoint endpoint = new PushEndpoint("X-Push-Secret", Secret.of(SECRET), new PushLimits(8L << 20, 8L << 20, 65536),
                new RecordingSink(), new ConnectorCounters("chat", "test", Clock.systemUTC(), SourceState.LISTENING, "test"),
                record -> new PushEndpoint.Outcome.Refused("not-mapped", "body", "the test maps nothing"));
        return endpoint.handle(name -> name.equalsIgnoreCase("X-Push-Secret") ? SECRET : null,
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "{\"id\": \"m1\", \"at\": Infinity}", "[", "[{\"id\": \"m1\"}, NaN]",
            "{\"id\": \"m1\"} // a comment", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]"})
    void aBrokenRecordIsDescribedWithoutTheLibrarysInsides(String body) {
        // Nested past the reader's limit of 1000 levels where the body asks for it.
        PushResult result = push(body.startsWith("[[[") ? "[" + "[".repeat(1000) + "]".repeat(1001) : body);
        assertFalse(result.lines().isEmpty(), body);
        for (PushResult.LineProblem line : result.lines()) {
            for (String inside : new String[] {"Source:", "REDACTED", "`", "Feature", "StreamReadConstraints"}) {
                assertFalse(line.detail().contains(inside), "the detail names the JSON library's insides (" + inside + "): " + line.detail());
            }
            assertTrue(line.detail().length() > 10, line.detail());
        }
    }
}
