package io.edgedeck.console;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstLiveFrameReportTest {

    @Test
    void asksForTheJvmStartOnlyOnceTheFirstFrameIsThereAndReportsOnce() {
        AtomicInteger asked = new AtomicInteger();
        AtomicLong now = new AtomicLong(11_450);
        List<Runnable> layouts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        FirstLiveFrameReport report = new FirstLiveFrameReport(() -> {
            asked.incrementAndGet();
            return 10_000;
        }, now::get, layouts::add, lines::add);

        assertEquals(0, asked.get(), "the JVM's start is not asked for before the first frame");

        report.onTick(null, true, 0);
        now.set(11_520);
        report.onTick(null, true, 100);
        assertEquals(1, layouts.size(), "one wait for the layout, for the first frame only");
        assertTrue(lines.isEmpty(), "nothing printed before the scene is laid out");

        layouts.getFirst().run();
        assertEquals(List.of("first live frame 1450 ms after JVM start (laid out for drawing at 1520 ms)"), lines);
        assertEquals(1, asked.get());
    }
}
