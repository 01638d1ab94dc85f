package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopSlo;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.TileColouring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardViewModelTest {

    static PopMetrics pop(String id, double p95, PopHealth health) {
        return new PopMetrics(id, "eu", health, new LatencyWindow(10, 500, p95 / 2, p95, p95 * 1.3, p95 * 2),
                LatencyWindow.empty(60), 3.5, 0.01, 50, 1000, 10, 0, 0, 0, List.of());
    }

    static MetricsFrame frame(long seq, ShowState state, PopMetrics... pops) {
        return new MetricsFrame(seq, seq * 250, "steady-show", 7, state, 1, 900, List.of(pops), List.of(),
                new CheckoutCounts(10, 8, 2, 2, 0, 0), new EventCounts(1234, 1230, 4), null, null, null, null, null, null);
    }

    /** A change made while the show is paused comes in a frame of the same engine time: the sparkline stays still. */
    @Test
    void aFrameOfTheSameEngineTimeAddsNoPointToTheSparkline() {
        DashboardViewModel vm = new DashboardViewModel();
        vm.apply(frame(4, ShowState.RUNNING, pop("fra", 40, PopHealth.UP)));
        MetricsFrame paused = frame(5, ShowState.PAUSED, pop("fra", 50, PopHealth.UP));
        vm.apply(paused);
        vm.apply(paused.withRunState(6, ShowState.PAUSED, 1));
        vm.apply(paused.withRunState(7, ShowState.PAUSED, 1));
        assertEquals(2, vm.tiles().getFirst().recentP95().length, "one point per engine time, not per frame");
        vm.apply(frame(6, ShowState.RUNNING, pop("fra", 60, PopHealth.UP)));
        assertEquals(3, vm.tiles().getFirst().recentP95().length, "and the next moment of the show adds one");
    }

    /**
     * Frames that never reached the console, and a moment the PoP served no request, are gaps in the sparkline
     * (NaN), as on the Timeline: not a line across them, not 0 ms. Changes missed while paused leave no moment out.
     */
    @Test
    void aMissedFrameOrAPopServingNothingIsAGapInTheSparkline() {
        DashboardViewModel vm = new DashboardViewModel();
        vm.apply(frame(1, ShowState.RUNNING, pop("fra", 40, PopHealth.UP)));
        vm.apply(frame(2, ShowState.RUNNING, pop("fra", 41, PopHealth.UP)));
        // frames 3 and 4 never arrived
        vm.onPassed(frame(5, ShowState.RUNNING, pop("fra", 44, PopHealth.UP)));
        PopMetrics idle = new PopMetrics("fra", "eu", PopHealth.UP, LatencyWindow.empty(10), LatencyWindow.empty(60),
                0, 0, 0, 0, 0, 0, 0, 0, List.of());
        vm.apply(frame(6, ShowState.RUNNING, idle));
        // frames 7 and 8 are changes made while paused at frame 6's engine time: no moment of the show is missing
        vm.apply(frame(7, ShowState.RUNNING, pop("fra", 47, PopHealth.UP)).withRunState(9, ShowState.RUNNING, 1));
        assertEquals("[40.0, 41.0, NaN, NaN, 44.0, NaN, 47.0]", java.util.Arrays.toString(vm.tile("fra").recentP95()));
    }

    /** Between gaps the sparkline is runs of lines; a lone sample between two gaps is a dash, not lost. */
    @Test
    void theSparklineBreaksAtEachGap() {
        List<javafx.scene.shape.PathElement> path = PopTile.sparkPath(
                new double[] {10, 20, Double.NaN, 30, Double.NaN, 40, 50}, 0, 0, 60, 100, 100);
        assertEquals(List.of("M0,90", "L10,80", "M29.5,70", "L30.5,70", "M50,60", "L60,50"),
                path.stream().map(e -> e instanceof javafx.scene.shape.MoveTo m ? "M" + fmt(m.getX()) + "," + fmt(m.getY())
                        : "L" + fmt(((javafx.scene.shape.LineTo) e).getX()) + "," + fmt(((javafx.scene.shape.LineTo) e).getY())).toList());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @ParameterizedTest
    @CsvSource({
            "100, UP, OK",
            "121, UP, WARN",
            "100, DEGRADED, BAD",
            "100, PARTITIONED, WARN",
            "151, UP, BAD",
            "20, DOWN, BAD",
    })
    void colourFollowsTheSlo(double p95, PopHealth health, Status expected) {
        assertEquals(expected, new Slo(150).classify(p95, health));
    }

    static PopMetrics pop(String id, double p95, PopHealth health, PopBaseline baseline) {
        return new PopMetrics(id, "eu", health, new LatencyWindow(10, 500, p95 / 2, p95, p95 * 1.3, p95 * 2),
                LatencyWindow.empty(60), 3.5, 0.01, 50, 1000, 10, 0, 0, 0, List.of(), baseline);
    }

    /** A PoP whose normal p95 is 200 ms, spread 10 ms: its normal band reaches 230 ms. */
    static final PopBaseline SLOW_NORMAL = new PopBaseline(200, 10, 4, 1, 300, 300, null);

    /**
     * Adaptive colouring (docs/BASELINES.md): a PoP that is always slow is green at its normal, amber
     * outside its band, red at 1.5 times its normal; the fixed objective would have it red throughout.
     */
    @ParameterizedTest
    @CsvSource({
            "200, UP, OK, BAD",
            "229, UP, OK, BAD",
            "240, UP, WARN, BAD",
            "200, DEGRADED, BAD, BAD",
            "300, UP, BAD, BAD",
            "20, DOWN, BAD, BAD",
            "200, NO_DATA, STALE, STALE",
    })
    void adaptiveColourFollowsThePopsOwnNormal(double p95, PopHealth health, Status adaptive, Status fixed) {
        PopMetrics m = pop("syd", p95, health, SLOW_NORMAL);
        assertEquals(adaptive, new Slo(150, TileColouring.ADAPTIVE).judge(m).status());
        assertEquals(fixed, new Slo(150, TileColouring.FIXED).judge(m).status());
    }

    @Test
    void untilTheNodeHasLearnedANormalTheFixedObjectiveJudgesAndTheTileSaysSo() {
        Slo adaptive = new Slo(150, TileColouring.ADAPTIVE);
        PopBaseline learning = new PopBaseline(40, 2, 3, 1, 35, 300, null);
        Slo.Verdict v = adaptive.judge(pop("fra", 160, PopHealth.UP, learning));
        assertEquals(Status.BAD, v.status());
        assertEquals(150, v.lineMs());
        assertEquals("objective 150 ms (Settings), learning normal: 35 of 60 s", v.basis());
        assertEquals("objective 150 ms (Settings), the node learns no normal", adaptive.judge(pop("fra", 40, PopHealth.UP)).basis());

        DashboardViewModel vm = new DashboardViewModel();
        vm.sloProperty().set(adaptive);
        vm.onTick(frame(1, ShowState.RUNNING, pop("syd", 260, PopHealth.UP, SLOW_NORMAL),
                pop("fra", 40, PopHealth.UP, learning)), true, 0);
        PopTileViewModel syd = vm.tile("syd");
        assertEquals(Status.WARN, syd.statusProperty().get());
        assertEquals(230, syd.objectiveMs(), 1e-9, "the sparkline's line is the top of the normal band");
        assertTrue(syd.detailProperty().get().startsWith("x1.3 of normal 200 ms · p50 130"), syd.detailProperty().get());
        assertTrue(vm.tile("fra").detailProperty().get().startsWith("learning normal 35/60 s"), vm.tile("fra").detailProperty().get());
        vm.sloProperty().set(new Slo(150));
        assertEquals(Status.BAD, syd.statusProperty().get(), "switching back to the fixed objective recolours at once");
    }

    /** A rehearsal's or a node's, before its first frame: no number and grey, never a zero in the OK colour. */
    @Test
    void beforeTheFirstFrameTheShowTilesAreUnheardAndTheFirstFrameHearsThem() {
        DashboardViewModel vm = new DashboardViewModel();
        ShowTilesViewModel tiles = vm.showTiles();
        assertEquals(ShowTilesViewModel.UNHEARD, tiles.staleTextProperty().get());
        assertTrue(Double.isNaN(tiles.chat().netSentimentProperty().get()));
        assertTrue(Double.isNaN(tiles.chat().messagesPerMinuteProperty().get()));
        assertTrue(Double.isNaN(tiles.traffic().throughputRpsProperty().get()));
        assertTrue(Double.isNaN(tiles.traffic().degradedPopsProperty().get()));
        for (var status : List.of(tiles.chat().sentimentStatusProperty(), tiles.chat().reactionStatusProperty(),
                tiles.traffic().deliveryStatusProperty(), tiles.traffic().degradedStatusProperty())) {
            assertEquals(Status.STALE, status.get(), status.getName());
        }
        vm.onTick(frame(1, ShowState.RUNNING, pop("fra", 40, PopHealth.UP)), true, 0);
        assertEquals("", tiles.staleTextProperty().get());
        assertEquals(0, tiles.traffic().degradedPopsProperty().get(), "a frame's zero is a number");
        assertEquals(Status.OK, tiles.traffic().degradedStatusProperty().get());
    }

    /** fra as the example node config has it: its own p95 objective of 120 ms, and a loss objective. */
    static PopMetrics withObjective(PopMetrics m, double p95Ms) {
        return new PopMetrics(m.id(), m.region(), m.health(), m.last10s(), m.last60s(), m.jitterMs(), m.lossRatio(),
                m.throughputRps(), m.requests(), m.errors(), m.degradedSeconds(), m.queueDepth(), m.pendingCheckouts(),
                m.faults(), m.baseline(), m.value(), new PopSlo(p95Ms, 0.01));
    }

    /**
     * A PoP whose node config states a loss objective alone has no p95 objective from its node: its tile is judged,
     * lined and labelled against the Settings' objective, as one whose node sends no objectives at all.
     */
    @Test
    void aPopWithALossObjectiveAloneIsJudgedAgainstTheSettingsObjective() {
        DashboardViewModel vm = new DashboardViewModel();
        PopMetrics m = pop("fra", 130, PopHealth.UP);
        PopMetrics lossOnly = new PopMetrics(m.id(), m.region(), m.health(), m.last10s(), m.last60s(), m.jitterMs(), m.lossRatio(),
                m.throughputRps(), m.requests(), m.errors(), m.degradedSeconds(), m.queueDepth(), m.pendingCheckouts(),
                m.faults(), m.baseline(), m.value(), new PopSlo(null, 0.05));
        vm.onTick(frame(1, ShowState.RUNNING, lossOnly), true, 0);
        assertEquals(150, vm.tile("fra").objectiveMs(), 1e-9);
        assertEquals("objective 150 ms (Settings)", vm.tile("fra").basis());
        assertEquals(List.of(new Slo.Objective(150, Slo.FROM_SETTINGS, List.of("fra"))), vm.objectivesProperty().get());
    }

    /**
     * A PoP its node judges against an objective of its own (the node config's {@code slo.p95Ms}) is coloured,
     * lined and labelled against that one, not the Settings' 150 ms; a PoP whose node sends none keeps the
     * Settings'. One the node calls degraded is red whatever the number: never merely amber.
     */
    @Test
    void aPopIsJudgedAgainstItsNodesObjectiveWhenTheNodeSendsOne() {
        DashboardViewModel vm = new DashboardViewModel();
        vm.onTick(frame(1, ShowState.RUNNING, withObjective(pop("fra", 130, PopHealth.DEGRADED), 120),
                pop("ams", 130, PopHealth.UP), pop("iad", 130, PopHealth.UP)), true, 0);
        PopTileViewModel fra = vm.tile("fra");
        assertEquals(Status.BAD, fra.statusProperty().get(), "over its node's 120 ms, and the node calls it degraded");
        assertEquals(120, fra.objectiveMs(), 1e-9, "the sparkline's dashed line is the node's objective");
        assertEquals("objective 120 ms (node config)", fra.basis());
        assertEquals(Status.WARN, vm.tile("ams").statusProperty().get(), "130 ms is near the Settings' 150 ms");
        assertEquals(150, vm.tile("ams").objectiveMs(), 1e-9);
        assertEquals("objective 150 ms (Settings)", vm.tile("ams").basis());
        assertEquals(List.of(new Slo.Objective(120, Slo.FROM_NODE, List.of("fra")),
                new Slo.Objective(150, Slo.FROM_SETTINGS, List.of("ams", "iad"))), vm.objectivesProperty().get());
        assertEquals("objectives FRA 120 ms (node config) · AMS, IAD 150 ms (Settings)",
                Slo.describe(vm.objectivesProperty().get()));
        assertEquals("objective 120 ms (node config: FRA)", vm.objectivesProperty().get().getFirst().label(true));

        // Under its node's objective by the number, but the node says degraded (its loss, say): still red.
        vm.onTick(frame(2, ShowState.RUNNING, withObjective(pop("fra", 60, PopHealth.DEGRADED), 120)), true, 0);
        assertEquals(Status.BAD, fra.statusProperty().get());
        // A node that sends no objective (an older one, or a PoP its config gives none): the Settings' judges.
        vm.onTick(frame(3, ShowState.RUNNING, pop("fra", 130, PopHealth.UP)), true, 0);
        assertEquals(Status.WARN, fra.statusProperty().get());
        assertEquals("objective 150 ms (Settings)", Slo.describe(vm.objectivesProperty().get()));
    }

    @Test
    void tilesFollowFramesInOrderAndKeepTheirIdentity() {
        DashboardViewModel vm = new DashboardViewModel();
        vm.onTick(frame(1, ShowState.RUNNING, pop("fra", 40, PopHealth.UP), pop("ams", 180, PopHealth.UP)), true, 0);
        assertEquals(List.of("fra", "ams"), vm.tiles().stream().map(PopTileViewModel::popId).toList());
        PopTileViewModel fra = vm.tile("fra");
        assertEquals(40.0, fra.p95Property().get());
        assertEquals(Status.OK, fra.statusProperty().get());
        assertEquals(Status.BAD, vm.tile("ams").statusProperty().get());
        assertTrue(fra.detailProperty().get().contains("p50 20"), fra.detailProperty().get());

        vm.onTick(frame(2, ShowState.RUNNING, pop("fra", 130, PopHealth.UP), pop("ams", 30, PopHealth.UP)), true, 0);
        assertEquals(fra, vm.tile("fra"));
        assertEquals(Status.WARN, fra.statusProperty().get());
        assertTrue(vm.clockProperty().get().contains("00:00 / 15:00"), vm.clockProperty().get());
        assertTrue(vm.totalsProperty().get().contains("events 1,234"), vm.totalsProperty().get());
    }

    @Test
    void oneClickTokensAreShownBesideTheCheckoutsOnlyWhereANodeWasShownOne() {
        assertEquals("", DashboardViewModel.tokens(null));
        assertEquals(" · one-click tokens 12 accepted, 6 refused (1 expired, 3 forged, 2 replayed)",
                DashboardViewModel.tokens(new io.edgedeck.client.model.CheckoutCounts.TokenOutcomes(12, 1, 3, 2)));
    }

    @Test
    void aLiveNodeHasNoPlannedEndSoTheClockSaysHowLongItHasRunAndTheWallClockTime() {
        long wall = java.time.Instant.parse("2026-12-05T23:05:12.400Z").toEpochMilli();
        DashboardViewModel vm = new DashboardViewModel(() -> wall);
        MetricsFrame live = new MetricsFrame(9, 3 * 3_600_000L + 7 * 60_000L + 5_000, "friday-drop", 0, ShowState.RUNNING, 1, 0,
                List.of(pop("fra", 40, PopHealth.UP)), List.of(), new CheckoutCounts(0, 0, 0, 0, 0, 0), new EventCounts(0, 0, 0),
                null, null, null, null, null, null);
        vm.onTick(live, true, 0);
        // the wall clock the frame arrived at, as the node's logs and the audit trail have it, the zone named
        assertEquals("friday-drop · up 3 h 07 min · 1x · " + io.edgedeck.console.common.WallClock.format(wall),
                vm.clockProperty().get());
        assertEquals("23:05:12 UTC", io.edgedeck.console.common.WallClock.format(wall, java.time.ZoneId.of("UTC")));
        assertFalse(vm.clockProperty().get().contains("/"), "no planned length on a live node");
        assertEquals("42 s", DashboardViewModel.uptime(42));
        assertEquals("12 min 05 s", DashboardViewModel.uptime(725));
        assertEquals("2 d 04 h", DashboardViewModel.uptime(2 * 86_400 + 4 * 3600 + 59));
    }

    @Test
    void aPopWithNoObservationsLatelyIsGreyNoDataNotGreen() {
        DashboardViewModel vm = new DashboardViewModel();
        vm.onTick(frame(1, ShowState.RUNNING, pop("fra", 0, PopHealth.NO_DATA), pop("ams", 40, PopHealth.UP)), true, 0);
        assertEquals(Status.STALE, vm.tile("fra").statusProperty().get());
        assertEquals("no data", vm.tile("fra").healthProperty().get());
        assertEquals(Status.OK, vm.tile("ams").statusProperty().get());
    }

    /**
     * Worst first, a PoP whose figures are not of now (its node has no data of it, as a silent fleet node's PoP, which
     * still carries its last good p95) comes right after the red ones, before amber: unknown is not hidden among the
     * green its old figure would put it with. When frames stop and every tile turns grey, the wall keeps its order.
     */
    @Test
    void worstFirstPutsAPopWithoutDataWithTheWorstAndAWallGoneGreyKeepsItsOrder() {
        DashboardViewModel vm = new DashboardViewModel();
        vm.worstFirstProperty().set(true);
        vm.onTick(frame(1, ShowState.RUNNING, pop("fra", 40, PopHealth.UP), pop("ams", 130, PopHealth.UP),
                pop("iad", 40, PopHealth.UP), pop("syd", 40, PopHealth.UP), pop("par", 40, PopHealth.UP)), true, 0);
        assertEquals(List.of("ams", "fra", "iad", "syd", "par"), order(vm), "amber first, then the edge's order");

        MetricsFrame silent = frame(2, ShowState.RUNNING, pop("fra", 40, PopHealth.UP), pop("ams", 130, PopHealth.UP),
                pop("iad", 40, PopHealth.NO_DATA), pop("syd", 40, PopHealth.UP), pop("par", 200, PopHealth.UP));
        vm.onTick(silent, true, 0);
        assertTrue(vm.tile("iad").stale(), "iad's figures are not of now");
        assertEquals(List.of("par", "iad", "ams", "fra", "syd"), order(vm), "red, then the PoP without data, then amber");

        vm.onTick(silent, false, FrameTicker.STALE_AFTER_MILLIS + 2000);
        assertTrue(vm.tiles().stream().allMatch(t -> t.statusProperty().get() == Status.STALE), "every tile grey");
        assertEquals(List.of("par", "iad", "ams", "fra", "syd"), order(vm), "a wall gone grey for want of frames does not reshuffle");

        vm.worstFirstProperty().set(false);
        assertEquals(List.of("fra", "ams", "iad", "syd", "par"), order(vm), "the edge's order once Worst first is off");
    }

    /** Among PoPs without data, the one that was red when last heard of comes first. */
    @Test
    void worstFirstOrdersPopsWithoutDataByTheColourTheyHadWhenLastHeard() {
        DashboardViewModel vm = new DashboardViewModel();
        vm.worstFirstProperty().set(true);
        vm.onTick(frame(1, ShowState.RUNNING, pop("fra", 40, PopHealth.UP), pop("ams", 200, PopHealth.UP)), true, 0);
        vm.onTick(frame(2, ShowState.RUNNING, pop("fra", 40, PopHealth.NO_DATA), pop("ams", 200, PopHealth.NO_DATA)), true, 0);
        assertEquals(List.of("ams", "fra"), order(vm));
    }

    private static List<String> order(DashboardViewModel vm) {
        return vm.tiles().stream().map(PopTileViewModel::popId).toList();
    }

    @Test
    void runningShowWithoutFramesTurnsStaleAndRecovers() {
        DashboardViewModel vm = new DashboardViewModel();
        MetricsFrame f = frame(1, ShowState.RUNNING, pop("fra", 40, PopHealth.UP));
        vm.onTick(f, true, 0);
        vm.onTick(f, false, FrameTicker.STALE_AFTER_MILLIS + 2000);
        assertTrue(vm.staleProperty().get());
        assertEquals(Status.STALE, vm.tile("fra").statusProperty().get());
        assertEquals("stale for 5 s", vm.tile("fra").healthProperty().get());
        assertTrue(vm.staleMessageProperty().get().contains("5 s"));
        vm.onTick(frame(2, ShowState.RUNNING, pop("fra", 40, PopHealth.UP)), true, 0);
        assertFalse(vm.staleProperty().get());
        assertEquals(Status.OK, vm.tile("fra").statusProperty().get());
    }

    @Test
    void aPausedShowIsNotStale() {
        DashboardViewModel vm = new DashboardViewModel();
        MetricsFrame f = frame(1, ShowState.PAUSED, pop("fra", 40, PopHealth.UP));
        vm.onTick(f, true, 0);
        vm.onTick(f, false, 60_000);
        assertFalse(vm.staleProperty().get());
        assertTrue(vm.clockProperty().get().endsWith("paused"));
    }

    @Test
    void aBundlesFrameIsASnapshotNotAPausedShow() {
        DashboardViewModel vm = new DashboardViewModel();
        vm.setSnapshot(true);
        MetricsFrame f = frame(1, ShowState.PAUSED, pop("fra", 40, PopHealth.UP));
        vm.onTick(f, true, 0);
        assertFalse(vm.clockProperty().get().contains("paused"), vm.clockProperty().get());
        assertTrue(vm.clockProperty().get().endsWith(" · snapshot at " + DashboardViewModel.mmss(f.engineMillis() / 1000)
                + " of " + DashboardViewModel.mmss(f.durationSeconds())), vm.clockProperty().get());
        MetricsFrame ended = f.withRunState(f.sequence() + 1, ShowState.FINISHED, 0);
        vm.onTick(ended, true, 0);
        assertTrue(vm.clockProperty().get().endsWith(" · the show had ended"), vm.clockProperty().get());
    }

    /**
     * The sparklines (each PoP's p95, throughput, the reaction index) take one point per engine frame, those passed
     * between two ticks too: the same frames draw the same lines whether the console applied each or one in eight.
     */
    @Test
    void sparklinesHoldEveryFrameHoweverTheTicksFell() {
        List<DashboardViewModel> vms = List.of(new DashboardViewModel(), new DashboardViewModel());
        List<List<ShowTilesViewModel.SparkPoint>> points = List.of(new java.util.ArrayList<>(), new java.util.ArrayList<>());
        for (long seq = 0; seq < 80; seq++) {
            MetricsFrame f = frame(seq, ShowState.RUNNING, pop("fra", 40 + seq, PopHealth.UP));
            for (int i = 0; i < 2; i++) {
                // the first console applies every frame; the second one in eight, the others pass between its ticks
                if (i == 0 || seq % 8 == 7 || seq == 0) {
                    vms.get(i).apply(f);
                    points.get(i).addAll(vms.get(i).showTiles().takeSparkPoints());
                } else {
                    vms.get(i).onPassed(f);
                }
            }
        }
        assertEquals(80, points.get(0).size());
        assertEquals(points.get(0), points.get(1));
        assertEquals(java.util.Arrays.toString(vms.get(0).tiles().getFirst().recentP95()),
                java.util.Arrays.toString(vms.get(1).tiles().getFirst().recentP95()));
        assertEquals(PopTileViewModel.RECENT_SAMPLES, vms.get(1).tiles().getFirst().recentP95().length);
    }
}
