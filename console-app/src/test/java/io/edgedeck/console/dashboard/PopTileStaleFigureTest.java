package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static io.edgedeck.console.dashboard.DashboardViewModelTest.frame;
import static io.edgedeck.console.dashboard.DashboardViewModelTest.pop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PoP whose figures are not of now (its node has no data of it but still sends its last p95, as an aggregator does for
 * a silent node's PoPs; or no frame came lately) shows no number in large type: a dash, and the last p95 small, with how
 * long ago it was live. A live PoP keeps its number.
 */
class PopTileStaleFigureTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    /** The tile's large value for {@code tile}, drawn by a PopTile on the FX thread. */
    private static String shown(PopTileViewModel tile) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> new PopTile(tile).valueText()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPopWithoutDataNowShowsADashAndItsLastP95SmallWithHowLongAgo() throws Exception {
        DashboardViewModel vm = new DashboardViewModel();
        // Frames are 250 ms of engine time apart: frame 4 is at 1 s, frame 184 at 46 s.
        vm.onTick(frame(4, ShowState.RUNNING, pop("fra", 123, PopHealth.UP), pop("ams", 40, PopHealth.UP)), true, 0);
        PopTileViewModel fra = vm.tile("fra");
        assertFalse(fra.stale());
        assertEquals("123", shown(fra), "live: the p95 in large type");
        assertTrue(fra.detailProperty().get().startsWith("p50 62 ms · p99 160 ms"), fra.detailProperty().get());

        // Its node has no data of it any more, and still sends the last p95 it had.
        vm.onTick(frame(184, ShowState.RUNNING, pop("fra", 123, PopHealth.NO_DATA), pop("ams", 41, PopHealth.UP)), true, 0);
        assertTrue(fra.stale());
        assertEquals(Status.STALE, fra.statusProperty().get());
        assertEquals("–", shown(fra), "no number in large type for a figure that is not of now");
        assertEquals("last 123 ms, 45 s ago", fra.detailProperty().get());
        double[] line = fra.recentP95();
        assertTrue(Double.isNaN(line[line.length - 1]), "nor does the sparkline run on with it");
        // The other PoP keeps the live look.
        assertEquals("41", shown(vm.tile("ams")));

        // Live again: the number comes back.
        vm.onTick(frame(188, ShowState.RUNNING, pop("fra", 30, PopHealth.UP), pop("ams", 41, PopHealth.UP)), true, 0);
        assertFalse(fra.stale());
        assertEquals("30", shown(fra));
    }

    @Test
    void aPopStaleSinceBeforeThisConsoleSaysItsLastP95WithoutAnAge() throws Exception {
        DashboardViewModel vm = new DashboardViewModel();
        vm.onTick(frame(9, ShowState.RUNNING, pop("fra", 88, PopHealth.NO_DATA)), true, 0);
        assertEquals("–", shown(vm.tile("fra")));
        assertEquals("last 88 ms, since before this console", vm.tile("fra").detailProperty().get());
    }

    @Test
    void noFrameLatelyShowsTheLastP95SmallWithHowLongAgo() throws Exception {
        DashboardViewModel vm = new DashboardViewModel();
        var f = frame(1, ShowState.RUNNING, pop("fra", 40, PopHealth.UP));
        vm.onTick(f, true, 0);
        vm.onTick(f, false, FrameTicker.STALE_AFTER_MILLIS + 2000);
        PopTileViewModel fra = vm.tile("fra");
        assertEquals("stale for 5 s", fra.healthProperty().get());
        assertEquals("–", shown(fra));
        assertEquals("last 40 ms, 5 s ago", fra.detailProperty().get());
        vm.onTick(frame(2, ShowState.RUNNING, pop("fra", 42, PopHealth.UP)), true, 0);
        assertEquals("42", shown(fra));
    }

    @Test
    void aPopWithoutDataThatThisConsoleNeverSawServeSaysItServedNothingLately() throws Exception {
        DashboardViewModel vm = new DashboardViewModel();
        var idle = new io.edgedeck.client.model.PopMetrics("fra", "eu", PopHealth.NO_DATA,
                io.edgedeck.client.model.LatencyWindow.empty(10), io.edgedeck.client.model.LatencyWindow.empty(60),
                0, 0, 0, 0, 0, 0, 0, 0, java.util.List.of());
        vm.onTick(frame(40, ShowState.RUNNING, idle), true, 0);
        assertEquals("–", shown(vm.tile("fra")));
        assertEquals("no requests for 10 s", vm.tile("fra").detailProperty().get());
    }

    @Test
    void howLongAgoIsInSecondsMinutesOrHours() {
        assertEquals("45 s", PopTileViewModel.ago(45));
        assertEquals("3 min 05 s", PopTileViewModel.ago(185));
        assertEquals("2 h 04 min", PopTileViewModel.ago(2 * 3600 + 4 * 60 + 9));
    }
}
