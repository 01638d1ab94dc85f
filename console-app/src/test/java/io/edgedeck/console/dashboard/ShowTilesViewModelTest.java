package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.console.Frames;
import io.edgedeck.console.common.Status;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShowTilesViewModelTest {

    @Test
    void theVariantsAFrameNamesFirstArriveInOneChangeWithTheirNumbers() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        List<List<String>> added = new ArrayList<>();
        vm.conversion().tiles().addListener((ListChangeListener<VariantTile>) change -> {
            while (change.next()) {
                // the dashboard builds a tile for each variant as it arrives: its numbers are there already
                change.getAddedSubList().forEach(t -> assertEquals(5.0, t.ratePercentProperty().get(), 1e-9));
                added.add(change.getAddedSubList().stream().map(VariantTile::key).toList());
            }
        });
        List<VariantMetrics> variants = List.of(
                new VariantMetrics("f", "control", true, 1000, 50, 0, 0),
                new VariantMetrics("f", "treatment", false, 1000, 50, 0, 0));
        vm.apply(Frames.frame(1000, null, variants, null, null, null, null, null));
        vm.apply(Frames.frame(2000, null, variants, null, null, null, null, null));
        assertEquals(List.of(List.of("f/control", "f/treatment")), added, "one change for both, none for a variant already known");
    }

    @Test
    void liftIsAgainstControlOfTheSameFlag() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(1000, null, List.of(
                new VariantMetrics("f", "control", true, 1000, 50, 0, 0),
                new VariantMetrics("f", "treatment", false, 1000, 40, 0, 0)), null, null, null, null, null));
        assertEquals(5.0, vm.conversion().tile("f", "control").ratePercentProperty().get(), 1e-9);
        assertEquals("control (baseline)", vm.conversion().tile("f", "control").liftProperty().get());
        // 40 against 50 conversions of 1,000: the interval still holds "no difference", so no colour
        // "(n = 1,000)" joined by no-break spaces, so a narrow tile never wraps it after "(n"
        assertEquals("lift -20.0% · not clear yet (n\u00a0=\u00a01,000)", vm.conversion().tile("f", "treatment").liftProperty().get());
        assertEquals(Status.NEUTRAL, vm.conversion().tile("f", "treatment").statusProperty().get());
    }

    @Test
    void liftIsColouredOnlyOnceItsIntervalLeavesNoDifference() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(1000, null, List.of(
                new VariantMetrics("f", "control", true, 20_000, 1_000, 0, 0),
                new VariantMetrics("f", "treatment", false, 20_000, 800, 0, 0),
                new VariantMetrics("g", "control", true, 20_000, 1_000, 0, 0),
                new VariantMetrics("g", "treatment", false, 20_000, 1_250, 0, 0),
                new VariantMetrics("h", "control", true, 20_000, 1_000, 0, 0),
                new VariantMetrics("h", "treatment", false, 20_000, 1_010, 0, 0)), null, null, null, null, null));
        assertEquals("lift -20.0% vs control", vm.conversion().tile("f", "treatment").liftProperty().get());
        assertEquals(Status.BAD, vm.conversion().tile("f", "treatment").statusProperty().get());
        assertEquals("lift +25.0% vs control", vm.conversion().tile("g", "treatment").liftProperty().get());
        assertEquals(Status.OK, vm.conversion().tile("g", "treatment").statusProperty().get());
        assertEquals(Status.NEUTRAL, vm.conversion().tile("h", "treatment").statusProperty().get(), "1% apart is noise at this size");
    }

    /**
     * Rates and lifts are counts since the show started: right once traffic stops, but not live. A variant with no new
     * exposure for 10 s of engine time turns grey and says for how long, as a PoP tile with no request does.
     */
    @Test
    void aVariantWithNoNewExposureFor10sIsGreyAndSaysForHowLong() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, null, variants(20_000, 20_000), null, null, null, null, null));
        vm.apply(Frames.frame(8_000, null, variants(21_000, 21_000), null, null, null, null, null));
        VariantTile treatment = vm.conversion().tile("f", "treatment");
        VariantTile control = vm.conversion().tile("f", "control");
        assertEquals(Status.BAD, treatment.statusProperty().get());
        // The counts stopped growing at 8 s: at 18 s that is exactly 10 s, still live; past it, grey.
        vm.apply(Frames.frame(18_000, null, variants(21_000, 21_000), null, null, null, null, null));
        assertEquals(Status.BAD, treatment.statusProperty().get());
        vm.apply(Frames.frame(33_000, null, variants(21_000, 21_000), null, null, null, null, null));
        assertEquals(Status.STALE, treatment.statusProperty().get());
        assertEquals(Status.STALE, treatment.shownStatus());
        assertEquals("no exposures for 25 s · lift -20.0% vs control", treatment.liftProperty().get());
        assertEquals(Status.STALE, control.statusProperty().get());
        assertEquals("no exposures for 25 s · control (baseline)", control.liftProperty().get());
        assertEquals(4.0, treatment.ratePercentProperty().get(), 1e-9, "the rate stays what the counts say");
        // An unacknowledged rollback keeps its colour: a rolled-back variant takes no new exposure.
        treatment.actionKind = EdgeActionsViewModel.Kind.ROLLED_BACK;
        assertEquals(Status.BAD, treatment.shownStatus());
        treatment.actionKind = null;
        // Exposures again: live again.
        vm.apply(Frames.frame(34_000, null, variants(21_100, 21_100), null, null, null, null, null));
        assertEquals(Status.BAD, treatment.statusProperty().get());
        assertEquals("lift -20.0% vs control", treatment.liftProperty().get());
    }

    /**
     * A show played 20 times the wall clock's pace: the tile counts the show's seconds, and says so, so a producer
     * does not read its 600 s against the Sources line's wall-clock "last event 30 s ago".
     */
    @Test
    void aQuietVariantOfAShowFasterThanTheWallClockCountsSecondsOfShowTime() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, null, variants(20_000, 20_000), null, null, null, null, null).withRunState(0, ShowState.RUNNING, 20));
        vm.apply(Frames.frame(600_000, null, variants(20_000, 20_000), null, null, null, null, null).withRunState(2400, ShowState.RUNNING, 20));
        assertEquals("no exposures for 600 s of show time · lift -20.0% vs control",
                vm.conversion().tile("f", "treatment").liftProperty().get());
        assertEquals(List.of("no exposures for 600 s of show time · lift -20.0% vs control",
                "no exposures for 600 s of show time"), ShowTilesView.shorterLines(
                "no exposures for 600 s of show time · lift -20.0% vs control (n = 766)"),
                "a narrow tile keeps the seconds and whose they are");
    }

    /**
     * A thin but steady arm (an exposure every 15 s, say a 1% split late at night) does not flicker grey between its
     * exposures: its quiet is judged against its own pace. Once it stops, it still turns grey, and says for how long.
     */
    @Test
    void aThinButSteadyVariantStaysLiveAndGreysOnceItStops() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        List<String> greyAt = new ArrayList<>();
        // Ten minutes in, with the 40 exposures of an arm that has taken one every 15 s since the start.
        long treatment = 40;
        for (long s = 600; s <= 900; s++) {
            if (s > 600 && s % 15 == 0) {
                treatment++;
            }
            vm.apply(Frames.frame(s * 1000, null, variants(20_000 + s * 10, treatment), null, null, null, null, null));
            if (vm.conversion().tile("f", "treatment").statusProperty().get() == Status.STALE) {
                greyAt.add(s + " s");
            }
        }
        assertEquals(List.of(), greyAt, "an exposure every 15 s, every 15 s: never grey");
        VariantTile tile = vm.conversion().tile("f", "treatment");
        // It stops at 900 s. Grey within a few of its own gaps, the lift line saying for how long.
        long s = 900;
        while (tile.statusProperty().get() != Status.STALE && s < 1100) {
            s++;
            vm.apply(Frames.frame(s * 1000, null, variants(20_000 + s * 10, treatment), null, null, null, null, null));
        }
        assertEquals(Status.STALE, tile.statusProperty().get(), "stopped at 900 s, still live at " + s + " s");
        assertTrue(s - 900 <= 60, "grey " + (s - 900) + " s after its last exposure");
        assertTrue(tile.liftProperty().get().startsWith("no exposures for " + (s - 900) + " s · "), tile.liftProperty().get());
        assertEquals(Status.OK, vm.conversion().tile("f", "control").statusProperty().get(), "the busy control stays live");
    }

    /**
     * A console that connects long after a variant's traffic stopped: the node says when each arm's newest exposure
     * came, so the tile says the true quiet time (1,100 s), not the time since this console's first frame.
     */
    @Test
    void aLateJoiningConsoleCountsTheQuietFromTheNodesNewestExposure() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(1_200_000, null, List.of(arm("control", true, 20_000, 100_000L), arm("treatment", false, 20_000, 100_000L)),
                null, null, null, null, null).withRunState(60, ShowState.RUNNING, 20));
        vm.apply(Frames.frame(1_328_000, null, List.of(arm("control", true, 20_000, 100_000L), arm("treatment", false, 20_000, 100_000L)),
                null, null, null, null, null).withRunState(66, ShowState.RUNNING, 20));
        VariantTile treatment = vm.conversion().tile("f", "treatment");
        assertEquals(Status.STALE, treatment.statusProperty().get());
        assertEquals("no exposures for 1228 s of show time · lift -20.0% vs control", treatment.liftProperty().get());
        // Its exposures come again: the node's newest is now, and the tile is live.
        vm.apply(Frames.frame(1_329_000, null, List.of(arm("control", true, 20_100, 1_329_000L), arm("treatment", false, 20_100, 1_328_900L)),
                null, null, null, null, null).withRunState(66, ShowState.RUNNING, 20));
        assertEquals(Status.BAD, treatment.statusProperty().get());
        // An edge that does not say (an aggregator): counted from when this console saw the exposures last grow.
        vm.apply(Frames.frame(1_345_000, null, List.of(arm("control", true, 20_100, null), arm("treatment", false, 20_100, null)),
                null, null, null, null, null).withRunState(67, ShowState.RUNNING, 20));
        assertEquals("no exposures for 16 s of show time · lift -20.0% vs control", treatment.liftProperty().get());
    }

    /** One arm of flag f, converting 1 in 20 (control) or 1 in 25, its newest exposure at {@code lastExposureMillis}. */
    private static VariantMetrics arm(String variant, boolean control, long exposures, Long lastExposureMillis) {
        return new VariantMetrics("f", variant, control, exposures, exposures / (control ? 20 : 25), 0, 0,
                io.edgedeck.client.model.ChatMetrics.EMPTY, 0, 0, 0, lastExposureMillis);
    }

    private static List<VariantMetrics> variants(long controlExposures, long treatmentExposures) {
        return List.of(new VariantMetrics("f", "control", true, controlExposures, controlExposures / 20, 0, 0),
                new VariantMetrics("f", "treatment", false, treatmentExposures, treatmentExposures / 25, 0, 0));
    }

    /**
     * A mean that rounds to zero reads without a sign: a narrow tile's "Chat -0.0" for a mean of -0.04 reads as a fall
     * that its one decimal cannot show, and "-0.00" beside "+0.00" as two different readings of nothing.
     */
    @Test
    void aMeanThatRoundsToZeroReadsWithoutASign() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, null, null, new ChatMetrics(1_000, 850, 1, -2, -0.04, List.of(), 812, 0.64, 0.12,
                -0.07, -0.004, List.of()), null, null, null, null));
        assertEquals("Chat -0.04±0.03 · 12% not scored · 64% signal", vm.chat().sentimentTitleProperty().get());
        assertEquals(List.of("Chat -0.04 · 12% not scored · 64% signal", "Chat -0.04 · 12% not scored", "Chat 0.0 · 12% not scored"),
                vm.chat().sentimentShorterTitlesProperty().get(), "the 185 px tile's title, to one decimal");
        // An interval's end near zero keeps its side, as a guardrail's evidence writes it: this one is clearly below zero.
        assertEquals("mean -0.04 (95% -0.07 to -0.004) · steady", vm.chat().sentimentDetailProperty().get());
        vm.apply(Frames.frame(500, null, null, new ChatMetrics(1_000, 850, 1, 0, -0.02, List.of(), 812, 0.64, 0.12,
                -0.04, -0.0, List.of()), null, null, null, null));
        assertEquals("mean -0.02 (95% -0.04 to 0.00) · steady", vm.chat().sentimentDetailProperty().get(), "zero itself has no sign");
        vm.apply(Frames.frame(1_000, null, null, new ChatMetrics(1_000, 850, 1, 0, 0.003, List.of(), 812, 0.64, 0,
                null, null, List.of()), null, null, null, null));
        assertEquals("Chat 0.00 · 64% signal", vm.chat().sentimentTitleProperty().get());
        vm.apply(Frames.frame(2_000, null, null, new ChatMetrics(1_000, 850, 1, 0, -0.3, List.of(), 812, 0.64, 0,
                null, null, List.of()), null, null, null, null));
        assertEquals("Chat -0.30 · 64% signal", vm.chat().sentimentTitleProperty().get(), "a mean off zero keeps its sign");
    }

    /**
     * The tooltip's mean and its interval's ends are written by one rule: a mean of -0.004 in an interval wholly below
     * zero reads below zero too, never "mean 0.00" beside "-0.01 to just below 0".
     */
    @Test
    void theDetailLinesMeanReadsInsideItsOwnInterval() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, null, null, new ChatMetrics(1_000, 850, 1, 0, -0.004, List.of(), 812, 0.64, 0.12,
                -0.012, -0.0004, List.of()), null, null, null, null));
        assertEquals("mean -0.004 (95% -0.01 to just below 0) · steady", vm.chat().sentimentDetailProperty().get());
        assertEquals("Chat 0.00±0.01 · 12% not scored · 64% signal", vm.chat().sentimentTitleProperty().get(),
                "the title keeps its own rule: no sign where the mean rounds to zero");
        vm.apply(Frames.frame(500, null, null, new ChatMetrics(1_000, 850, 1, 0, 0.0, List.of(), 812, 0.64, 0.12,
                -0.01, 0.01, List.of()), null, null, null, null));
        assertEquals("mean 0.00 (95% -0.01 to +0.01) · steady", vm.chat().sentimentDetailProperty().get());
    }

    @Test
    void theSentimentTileSaysHowMuchOfTheChatItReadAndHowSureTheMeanIs() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, null, null, new ChatMetrics(1_000, 850, 1, 30, 0.21, List.of(), 812, 0.64, 0.03,
                0.18, 0.24, List.of()), null, null, null, null));
        assertEquals("mean +0.21 (95% +0.18 to +0.24) · steady", vm.chat().sentimentDetailProperty().get());
        assertEquals("812 scored · signal in 64% · not scored: other languages 3%", vm.chat().sentimentCoverageProperty().get());
        assertEquals("Chat +0.21±0.03 · 3% not scored · 64% signal", vm.chat().sentimentTitleProperty().get());
        vm.apply(Frames.frame(1_000, null, null, new ChatMetrics(1_000, 1, 1, 0, 0.5, List.of(), 1, 1, 0,
                null, null, List.of()), null, null, null, null));
        assertEquals("mean +0.50 · rising over 30 s", vm.chat().sentimentDetailProperty().get(), "no interval on one message");
        vm.apply(Frames.frame(70_000, null, null, new ChatMetrics(1_000, 0, 1, 0, 0, List.of(), 0, 0, 0,
                null, null, List.of()), null, null, null, null));
        assertEquals("no chat in the last minute", vm.chat().sentimentCoverageProperty().get());
        assertEquals("Chat sentiment · no chat", vm.chat().sentimentTitleProperty().get());
        assertTrue(Double.isNaN(vm.chat().netSentimentProperty().get()), "no chat is no number, not a neutral 0");
        assertEquals(Status.STALE, vm.chat().sentimentStatusProperty().get(), "not the amber of neutral chat");
        assertEquals("no chat in the last minute", vm.chat().sentimentDetailProperty().get());

        // Chat, all of it in languages the scorer does not read: still no number.
        vm.apply(Frames.frame(80_000, null, null, new ChatMetrics(1_040, 40, 1, 0, 0, List.of(), 0, 0, 1,
                null, null, List.of()), null, null, null, null));
        assertTrue(Double.isNaN(vm.chat().netSentimentProperty().get()));
        assertEquals(Status.STALE, vm.chat().sentimentStatusProperty().get());
        assertEquals("Chat sentiment · none scored", vm.chat().sentimentTitleProperty().get());
        assertEquals("none of the last minute's messages scored: other languages 100%", vm.chat().sentimentDetailProperty().get());

        // Scored chat again: a number, coloured by its band, and a trend only from scored minutes.
        vm.apply(Frames.frame(90_000, null, null, new ChatMetrics(1_100, 60, 1, -20, -0.3, List.of()), null, null, null, null));
        assertEquals(-20.0, vm.chat().netSentimentProperty().get());
        assertEquals(Status.BAD, vm.chat().sentimentStatusProperty().get());
        assertEquals("mean -0.30 · steady over 30 s", vm.chat().sentimentDetailProperty().get(),
                "the unscored minutes left no point to compare with");
    }

    @Test
    void sentimentTrendLooksBackThirtySeconds() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, null, null, new ChatMetrics(100, 60, 1, 40, 0.4, List.of("PogChamp")), null, null, null, null));
        vm.apply(Frames.frame(20_000, null, null, new ChatMetrics(200, 60, 1, 10, 0.2, List.of()), null, null, null, null));
        assertEquals("falling", vm.chat().sentimentTrendProperty().get());
        assertEquals(10.0, vm.chat().netSentimentProperty().get());
        assertEquals(Status.OK, vm.chat().sentimentStatusProperty().get(), "+10 net is positive: the colour says what the number means");
        vm.apply(Frames.frame(60_000, null, null, new ChatMetrics(300, 60, 4, -30, -0.2, List.of("KEKW")), null, null, null, null));
        assertEquals(Status.BAD, vm.chat().sentimentStatusProperty().get());
        assertEquals("spike ×4.0 · top KEKW", vm.chat().reactionDetailProperty().get().replace('\u00A0', ' '));
        assertEquals(Status.WARN, vm.chat().reactionStatusProperty().get());
    }

    @Test
    void degradedPopsAreCountedAndNamed() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, List.of(Frames.pop("fra", 40, PopHealth.DOWN), Frames.pop("ams", 40, PopHealth.UP),
                Frames.pop("iad", 40, PopHealth.DEGRADED)), null, null, null, null, null, null));
        assertEquals(2, vm.traffic().degradedPopsProperty().get());
        assertEquals("of 3 PoPs: FRA, IAD · queue 0", vm.traffic().degradedDetailProperty().get());
        assertEquals(Status.BAD, vm.traffic().degradedStatusProperty().get());
        assertEquals(150.0, vm.traffic().throughputRpsProperty().get());
        assertEquals("delivered 990 · lost 10 (1.00%)", vm.traffic().deliveryDetailProperty().get());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"-100, BAD", "-44, BAD", "-10, BAD", "-9.9, WARN", "0, WARN", "9.9, WARN",
            "10, OK", "44, OK", "100, OK"})
    void theSentimentColourSaysWhatTheNumberMeans(double net, Status expected) {
        assertEquals(expected, ChatTilesViewModel.sentimentBand(net));
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, null, null, new ChatMetrics(100, 60, 1, net, net / 100, List.of()), null, null, null, null));
        assertEquals(expected, vm.chat().sentimentStatusProperty().get(), "the tile is coloured as the gauge's band at its value");
    }

    @Test
    void whenFramesStopEveryShowTileGreysAndTheNextFrameColoursThemAgain() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        var frame = Frames.frame(0, List.of(Frames.pop("fra", 40, PopHealth.DOWN)), null,
                new ChatMetrics(100, 60, 1, 40, 0.4, List.of()), null, null, null, null);
        vm.apply(frame);
        assertEquals(Status.BAD, vm.traffic().degradedStatusProperty().get());
        vm.markStale(12);
        assertEquals(List.of(Status.STALE, Status.STALE, Status.STALE, Status.STALE), List.of(vm.chat().sentimentStatusProperty().get(),
                vm.chat().reactionStatusProperty().get(), vm.traffic().deliveryStatusProperty().get(), vm.traffic().degradedStatusProperty().get()));
        assertEquals("stale for 12 s", vm.staleTextProperty().get());
        vm.apply(frame);
        assertEquals(Status.OK, vm.chat().sentimentStatusProperty().get());
        assertEquals("", vm.staleTextProperty().get());
    }

    @Test
    void aNodeWithNoTrafficYetShowsGreyTilesNotHealthyZeros() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, List.of(silent("fra"), silent("ams")),
                List.of(new VariantMetrics("f", "control", true, 0, 0, 0, 0),
                        new VariantMetrics("f", "treatment", false, 0, 0, 0, 0)),
                new ChatMetrics(0, 0, 1, 0, 0, List.of()), null, null, null, null));
        assertEquals(Status.STALE, vm.conversion().tile("f", "control").statusProperty().get());
        assertEquals("control (baseline) · no exposures yet", vm.conversion().tile("f", "control").liftProperty().get());
        assertTrue(Double.isNaN(vm.conversion().tile("f", "control").ratePercentProperty().get()), "a rate of nobody is no number");
        assertTrue(Double.isNaN(vm.conversion().tile("f", "treatment").ratePercentProperty().get()));
        assertEquals(Status.STALE, vm.traffic().deliveryStatusProperty().get(), "no requests is not a healthy zero");
        assertEquals(Status.STALE, vm.traffic().degradedStatusProperty().get());
        assertEquals("of 2 PoPs: none reporting", vm.traffic().degradedDetailProperty().get());
        assertEquals(Status.STALE, vm.chat().reactionStatusProperty().get());

        // One PoP reporting while the other is silent: the silent one is named apart, in amber, and not
        // counted as degraded (nothing says it is).
        vm.apply(Frames.frame(1_000, List.of(Frames.pop("fra", 40, PopHealth.UP), silent("ams")),
                List.of(new VariantMetrics("f", "control", true, 10, 1, 0, 0)), null, null, null, null, null));
        assertEquals(Status.WARN, vm.traffic().degradedStatusProperty().get());
        assertEquals(0, vm.traffic().degradedPopsProperty().get());
        assertEquals("of 2 PoPs · no data: AMS · queue 0", vm.traffic().degradedDetailProperty().get());

        // A degraded PoP beside a silent one: one counted, each named for what it is.
        vm.apply(Frames.frame(2_000, List.of(Frames.pop("fra", 40, PopHealth.DEGRADED), silent("ams")),
                List.of(new VariantMetrics("f", "control", true, 10, 1, 0, 0)), null, null, null, null, null));
        assertEquals(1, vm.traffic().degradedPopsProperty().get());
        assertEquals("of 2 PoPs: FRA · no data: AMS · queue 0", vm.traffic().degradedDetailProperty().get());
        assertEquals(Status.OK, vm.conversion().tile("f", "control").statusProperty().get());
        assertEquals(10.0, vm.conversion().tile("f", "control").ratePercentProperty().get(), 1e-9);
        assertEquals(Status.WARN, vm.traffic().deliveryStatusProperty().get(), "serving again: coloured by its 1% loss");
    }

    @Test
    void theThroughputTileIsColouredByTheLossItShows() {
        // jitter-storm at 6:40 lost 350 of 341,475 (0.1025%), sentiment-crash 327 of 334,302 (0.0978%): both read
        // "0.10%", and one tile was amber, the other green
        for (long[] counts : new long[][]{{341_475, 350}, {334_302, 327}}) {
            ShowTilesViewModel vm = new ShowTilesViewModel();
            vm.apply(withEvents(counts[0], counts[1]));
            assertTrue(vm.traffic().deliveryDetailProperty().get().endsWith("(0.10%)"), vm.traffic().deliveryDetailProperty().get());
            assertEquals(Status.OK, vm.traffic().deliveryStatusProperty().get(), "0.10% lost is within 0.1%");
        }
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(withEvents(743_331 + 789, 789));
        assertTrue(vm.traffic().deliveryDetailProperty().get().endsWith("(0.11%)"), vm.traffic().deliveryDetailProperty().get());
        assertEquals(Status.WARN, vm.traffic().deliveryStatusProperty().get(), "0.11% lost is over 0.1%");
    }

    private static io.edgedeck.client.model.MetricsFrame withEvents(long total, long lost) {
        io.edgedeck.client.model.MetricsFrame f = Frames.frame(1_000, null, null, null, null, null, null, null);
        return new io.edgedeck.client.model.MetricsFrame(f.sequence(), f.engineMillis(), f.scenario(), f.seed(), f.state(), f.speed(),
                f.durationSeconds(), f.pops(), f.variants(), f.checkouts(), new io.edgedeck.client.model.EventCounts(total, total - lost, lost),
                f.chat(), f.flags(), f.guardrails(), f.firings(), f.triggers(), f.timeline());
    }

    /** A PoP nothing has been heard from: no requests, no latency. */
    private static PopMetrics silent(String id) {
        return new PopMetrics(id, "eu", PopHealth.NO_DATA, LatencyWindow.empty(10), LatencyWindow.empty(60), 0, 0, 0,
                0, 0, 0, 0, 0, List.of(), null);
    }
}
