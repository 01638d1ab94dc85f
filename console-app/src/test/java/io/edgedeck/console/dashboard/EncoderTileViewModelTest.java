package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.Status;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoderTileViewModelTest {
    private static final long NOW = 1_800_000_000_000L;

    /** A read of OBS at 60 fps over a 60 s window: {@code dropped} of 3600 stream frames, the given render time. */
    private static EncoderHealth read(long dropped, double renderMs, boolean reconnecting) {
        return EncoderHealth.judge(NOW - 1000, true, reconnecting, 6000, 0, dropped, 3600, 0, 3600, 0, 3600, renderMs,
                1000.0 / 60, 12, 60, 60);
    }

    @Test
    void obsThresholdsColourTheTile() {
        EncoderTileViewModel vm = new EncoderTileViewModel();
        assertFalse(vm.presentProperty().get());
        vm.update(null, 0, NOW);
        assertFalse(vm.presentProperty().get(), "no encoder in the frames: no tile");

        vm.update(read(18, 8, false), 0, NOW); // 0.5% dropped
        assertTrue(vm.presentProperty().get());
        assertEquals(Status.OK, vm.statusProperty().get());
        assertEquals(0.5, vm.droppedPercentProperty().get(), 1e-9);
        vm.update(read(72, 8, false), 0, NOW); // 2%: over OBS's 1% warning
        assertEquals(Status.WARN, vm.statusProperty().get());
        assertTrue(vm.whyProperty().get().contains("dropped"), vm.whyProperty().get());
        vm.update(read(216, 8, false), 0, NOW); // 6%: over 5%
        assertEquals(Status.BAD, vm.statusProperty().get());
        vm.update(read(0, 14, false), 0, NOW); // render 14 ms of 16.7: over 75% of a frame
        assertEquals(Status.WARN, vm.statusProperty().get());
        vm.update(read(0, 20, false), 0, NOW); // longer than a frame
        assertEquals(Status.BAD, vm.statusProperty().get());
        assertTrue(vm.detailProperty().get().contains("render 20.0 of 16.7 ms"), vm.detailProperty().get());
        vm.update(read(0, 8, true), 0, NOW);
        assertEquals(Status.BAD, vm.statusProperty().get());
        assertEquals("reconnecting", vm.headlineProperty().get());
    }

    @Test
    void theNumberIsTheMeasureThatDecidedTheColourNeverACleanShareOnARedTile() {
        EncoderTileViewModel vm = new EncoderTileViewModel();
        vm.update(read(18, 8, false), 0, NOW); // within every threshold: the dropped share
        assertEquals("% dropped", vm.unitProperty().get());
        assertEquals(0.5, vm.figureProperty().get(), 1e-9);
        vm.update(read(216, 8, false), 0, NOW);
        assertEquals("% dropped", vm.unitProperty().get());
        assertEquals(6.0, vm.figureProperty().get(), 1e-9);
        vm.update(read(0, 20, false), 0, NOW); // render longer than a frame
        assertEquals("ms render", vm.unitProperty().get());
        assertEquals(20.0, vm.figureProperty().get(), 1e-9);
        vm.update(read(0, 8, true), 0, NOW); // reconnecting: what reaches the ingest server
        assertEquals("kb/s", vm.unitProperty().get());
        assertEquals(6000, vm.figureProperty().get(), 1e-9);
        // A bitrate collapse judged against the stream's healthy readings, every frame share clean.
        EncoderHealth collapsed = new EncoderHealth(EncoderHealth.Level.BAD, "bitrate 800 kb/s, 13% of its usual 6,000 kb/s for 14 s",
                NOW - 1000, true, false, 800, 0, 0, 0, 3600, 0, 0, 4, 1000.0 / 60, 12, 60, 60);
        vm.update(collapsed, 0, NOW);
        assertEquals(Status.BAD, vm.statusProperty().get());
        assertEquals("kb/s", vm.unitProperty().get());
        assertEquals(800, vm.figureProperty().get(), 1e-9);
        vm.update(EncoderHealth.unreachable(NOW, "could not connect to 127.0.0.1:4455"), 0, NOW);
        assertTrue(Double.isNaN(vm.figureProperty().get()), "nothing measured: a dash");
    }

    @Test
    void oldReadsStoppedFramesAndAnUnreachableObsAreGrey() {
        EncoderTileViewModel vm = new EncoderTileViewModel();
        vm.update(read(0, 8, false), 0, NOW + EncoderTileViewModel.STALE_AFTER_MILLIS + 5000);
        assertEquals(Status.STALE, vm.statusProperty().get());
        assertTrue(vm.whyProperty().get().startsWith("OBS last read 16 s ago"), vm.whyProperty().get());
        vm.update(read(0, 8, false), 4000, NOW);
        assertEquals(Status.STALE, vm.statusProperty().get());
        vm.update(EncoderHealth.unreachable(NOW, "could not connect to 127.0.0.1:4455"), 0, NOW);
        assertEquals(Status.STALE, vm.statusProperty().get());
        assertEquals("unreachable", vm.headlineProperty().get());
        assertEquals("could not connect to 127.0.0.1:4455", vm.whyProperty().get());
        // Nothing was measured: no figure (the tile shows a dash), not a 0 % that reads as a clean stream.
        assertTrue(Double.isNaN(vm.droppedPercentProperty().get()), "dropped: " + vm.droppedPercentProperty().get());
    }

    @Test
    void anObsTheNodeCouldNotReachSaysWhyAndWhenItLastTriedNotThatItWasRead() {
        EncoderTileViewModel vm = new EncoderTileViewModel();
        // The node backs off to 30 s between tries: its newest word is older than a read would be.
        vm.update(EncoderHealth.unreachable(NOW - 20_000, "could not connect to 127.0.0.1:4455"), 0, NOW);
        assertEquals(Status.STALE, vm.statusProperty().get());
        assertEquals("unreachable", vm.headlineProperty().get());
        assertEquals("could not connect to 127.0.0.1:4455 · last tried 20 s ago", vm.whyProperty().get());
    }

    @Test
    void aRehearsalsEncoderIsAgedOnTheShowsEngineClockALiveNodesOnTheWallClock() {
        MetricsFrame rehearsal = io.edgedeck.console.Frames.frame(300_000, null, null, null, null, null, null, null);
        EncoderHealth simulated = EncoderHealth.judge(300_000, true, false, 6000, 0, 0, 3600, 0, 3600, 0, 3600, 4,
                1000.0 / 60, 12, 60, 60);
        EncoderTileViewModel vm = new EncoderTileViewModel();
        vm.update(simulated, 0, EncoderTileViewModel.readClockMillis(rehearsal, NOW));
        assertEquals(Status.OK, vm.statusProperty().get(), vm.whyProperty().get());

        MetricsFrame live = new MetricsFrame(rehearsal.sequence(), rehearsal.engineMillis(), rehearsal.scenario(), rehearsal.seed(),
                rehearsal.state(), rehearsal.speed(), 0, rehearsal.pops(), rehearsal.variants(), rehearsal.checkouts(),
                rehearsal.events(), rehearsal.chat(), rehearsal.flags(), rehearsal.guardrails(), rehearsal.firings(),
                rehearsal.triggers(), rehearsal.timeline(), simulated, rehearsal.node(), rehearsal.decisions());
        assertEquals(NOW, EncoderTileViewModel.readClockMillis(live, NOW), "a live node's OBS reads are wall-clock times");
        vm.update(read(0, 8, false), 0, EncoderTileViewModel.readClockMillis(live, NOW));
        assertEquals(Status.OK, vm.statusProperty().get(), vm.whyProperty().get());
    }
}
