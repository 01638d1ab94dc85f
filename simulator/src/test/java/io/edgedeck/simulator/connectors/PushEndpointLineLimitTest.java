package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceState;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record over {@code maxLineBytes} in a body of JSON objects is refused without being built:
 * reading a batch with one allocates about what the body weighs, not a tree of the record (a tree
 * of many small objects weighs tens of times its text). What the sender is told is as before.
 */
class PushEndpointLineLimitTest {
    private static final String SECRET = "push-endpoint-line-limit-secret";

    private static PushEndpoint endpoint() {
        return new PushEndpoint("X-Push-Secret", Secret.of(SECRET), new PushLimits(8L << 20, 8L << 20, 4096), new RecordingSink(),
                new ConnectorCounters("cdn", "test", Clock.systemUTC(), SourceState.LISTENING, "test"),
                record -> new PushEndpoint.Outcome.Refused("not-mapped", "body", "the test maps nothing"));
    }

    private static PushResult push(PushEndpoint endpoint, byte[] body) {
        return endpoint.handle(name -> name.equalsIgnoreCase("X-Push-Secret") ? SECRET : null, new ByteArrayInputStream(body));
    }

    /** One small record, then one of about {@code bytes} bytes made of many small objects, then a small one. */
    private static byte[] body(int bytes) {
        StringBuilder big = new StringBuilder("{\"many\":[");
        while (big.length() < bytes) {
            big.append("{\"a\":1},");
        }
        big.setLength(big.length() - 1);
        big.append("]}");
        return ("{\"first\":1}\n" + big + "\n{\"last\":1}\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRecordOverTheLimitIsRefusedWithoutBeingBuilt() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PushEndpoint endpoint = endpoint();
        push(endpoint, body(64 << 10));
        byte[] body = body(1 << 20);
        long before = threads.getCurrentThreadAllocatedBytes();
        PushResult result = push(endpoint, body);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(200, result.status());
        assertEquals(Map.of("not-mapped", 2L, "line-too-long", 1L), result.refusedByReason());
        PushResult.LineProblem tooLong = result.lines().stream().filter(l -> l.reason().equals("line-too-long")).findFirst().orElseThrow();
        assertEquals(2, tooLong.line());
        assertEquals(List.of(1L, 2L, 3L), result.lines().stream().map(PushResult.LineProblem::line).sorted().toList());
        assertTrue(allocated < 6L * body.length, "reading a body of " + body.length + " bytes allocated " + allocated
                + " bytes: the record over the limit was built");
    }
}
