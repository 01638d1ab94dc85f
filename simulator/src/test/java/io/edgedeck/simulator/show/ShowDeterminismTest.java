package io.edgedeck.simulator.show;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShowDeterminismTest {

    /** The frames of the first {@code seconds} of a show, stepped directly, with speed and state blanked. */
    private static List<MetricsFrame> stepped(long seed, int seconds) {
        Show show = new Show(new ShowDefinition(ScenarioCatalog.load("steady-show"), seed), new MemoryJournal());
        List<MetricsFrame> frames = new ArrayList<>();
        while (show.core().nowMillis() < seconds * 1000L) {
            show.step();
            if (show.atFrameBoundary()) {
                frames.add(show.frame(ShowState.RUNNING, 0));
            }
        }
        return frames;
    }

    private static MetricsFrame normalise(MetricsFrame f) {
        return f.withRunState(0, ShowState.RUNNING, 0);
    }

    @Test
    void sameSeedSameShow() {
        assertEquals(stepped(7, 120), stepped(7, 120));
        assertNotEquals(stepped(7, 60), stepped(8, 60));
    }

    @Test
    void theSpeedDoesNotChangeTheShow() throws Exception {
        List<MetricsFrame> reference = stepped(7, 60);
        for (double speed : new double[]{ShowRunner.MAX_SPEED, 400}) {
            List<MetricsFrame> seen = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            try (ShowRunner runner = new ShowRunner(new Show(new ShowDefinition(ScenarioCatalog.load("steady-show"), 7), new MemoryJournal()), speed)) {
                runner.subscribe(f -> {
                    if (f.state() == ShowState.RUNNING && f.engineMillis() > 0 && f.engineMillis() <= 60_000
                            && f.engineMillis() % 250 == 0 && (seen.isEmpty() || seen.getLast().engineMillis() < f.engineMillis())) {
                        seen.add(normalise(f));
                    }
                    if (f.engineMillis() >= 60_000) {
                        runner.pause();
                        done.countDown();
                    }
                });
                runner.start();
                assertTrue(done.await(60, TimeUnit.SECONDS), "the show reached 60 s");
            }
            List<MetricsFrame> expected = reference.stream().map(ShowDeterminismTest::normalise).toList();
            assertEquals(expected, seen, "speed " + speed);
        }
    }
}
