package io.edgedeck.simulator.server.stream;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameRingTest {

    private static MetricsFrame frame(long sequence) {
        return new MetricsFrame(sequence, sequence * 250, "t", 1, ShowState.RUNNING, 1, 60, List.of(), List.of(),
                new CheckoutCounts(0, 0, 0, 0, 0, 0), new EventCounts(0, 0, 0), null, null, null, null, null, null);
    }

    /** A ring of 5 holding frames 6..10 (frames 1..5 fell out). */
    @ParameterizedTest(name = "after {0}: {1}")
    @CsvSource({
            "7,  8 9 10",       // within the ring: exactly what follows
            "5,  6 7 8 9 10",   // just before the ring: still gapless
            "10, ''",           // up to date: nothing
            "3,  10",           // older than the ring: a gap is unavoidable, jump to the newest
            "42, 10",           // newer than anything here (the node restarted): the newest
    })
    void whatAResumingClientGets(long lastId, String expected) {
        FrameRing ring = new FrameRing(5);
        for (long s = 1; s <= 10; s++) {
            ring.add(frame(s));
        }
        List<Long> got = ring.after(lastId).stream().map(FrameRing.Entry::sequence).toList();
        List<Long> want = expected.isBlank() ? List.of() : Arrays.stream(expected.trim().split(" ")).map(Long::valueOf).toList();
        assertEquals(want, got);
    }
}
