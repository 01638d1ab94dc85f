package io.edgedeck.engine;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.pops.Slo;
import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.engine.time.VirtualClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The core on its own, as a live node runs it: no simulator, health from observations only. */
class EdgeCoreTest {
    private final VirtualClock clock = new VirtualClock();

    private static EdgeCore node() {
        List<PopSite> pops = List.of(new PopSite("fra", "eu", 0, new Slo(100, 0.05)), PopSite.of("ams", "eu", 0),
                PopSite.of("iad", "na", 0));
        return new EdgeCore(CoreConfig.of("node", 0, 250, pops, List.of()).withNoDataAfterMillis(5_000), new MemoryJournal());
    }

    /** Plays {@code seconds} of engine time, observing at fra, ams and iad every tick what the callbacks say. */
    private void play(EdgeCore core, int seconds, Runnable perTick) {
        for (int t = 0; t < seconds * core.ticksPerSecond(); t++) {
            perTick.run();
            clock.advance(core.tickMillis());
            core.advanceTo(clock);
        }
    }

    private static PopHealth health(EdgeCore core, String pop) {
        return core.pops().health(core.pops().index(pop));
    }

    @Test
    void healthComesFromObservationsAgainstEachPopsObjectives() {
        EdgeCore core = node();
        int fra = core.pops().index("fra");
        int ams = core.pops().index("ams");
        play(core, 3, () -> {
            core.pops().served(fra, 40);
            core.pops().lost(ams);
        });
        assertEquals(PopHealth.UP, health(core, "fra"), "40 ms against a 100 ms objective");
        assertEquals(PopHealth.DOWN, health(core, "ams"), "every request lost");
        assertEquals(PopHealth.UP, health(core, "iad"), "quiet, but not for long enough to be unknown");

        play(core, 3, () -> core.pops().served(fra, 180));
        assertEquals(PopHealth.DEGRADED, health(core, "fra"), "p95 over the objective");
        assertEquals(PopHealth.NO_DATA, health(core, "iad"), "nothing observed for 6 s");
        MetricsFrame frame = core.frame(ShowState.RUNNING, 1, 0);
        assertEquals(PopHealth.NO_DATA, frame.pop("iad").health());
        assertEquals(0, frame.pop("iad").degradedSeconds(), "unknown is not degraded");
        assertEquals(5, frame.pop("ams").degradedSeconds(), 0.01, "down from the end of its first second on");
    }

    @Test
    void aReportedStatusWinsWhileItKeepsComing() {
        EdgeCore core = node();
        int fra = core.pops().index("fra");
        play(core, 2, () -> {
            core.pops().served(fra, 500);
            core.pops().reportStatus(fra, PopHealth.PARTITIONED, 3);
        });
        assertEquals(PopHealth.PARTITIONED, health(core, "fra"));
        assertEquals(3, core.frame(ShowState.RUNNING, 1, 0).pop("fra").queueDepth());
        play(core, 6, () -> core.pops().served(fra, 500));
        assertEquals(PopHealth.DEGRADED, health(core, "fra"), "once the reports stop, judged from what is observed");
    }

    @Test
    void aWallClockMovesTheCoreByWholeTicks() {
        EdgeCore core = node();
        long start = 1_700_000_000_000L;
        EngineClock wall = EngineClock.wall(InstantSource.fixed(Instant.ofEpochMilli(start + 1_234)), start);
        assertEquals(123, core.advanceTo(wall));
        assertEquals(1_230, core.nowMillis());
        assertEquals(0, core.advanceTo(wall), "nothing more is due");
        assertEquals(500, wall.toEngineMillis(start + 500));
    }
}
