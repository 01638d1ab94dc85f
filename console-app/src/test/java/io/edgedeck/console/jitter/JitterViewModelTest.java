package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;

import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.LiveClocks;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleConnection;
import io.edgedeck.simulator.bundle.ShowBundle;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jitter view model over the built-in jitter storm, served from a bundle so every call answers at once. */
class JitterViewModelTest {
    static Bundle storm;

    private final AtomicLong wall = new AtomicLong(10_000);
    private final AtomicInteger fetches = new AtomicInteger();
    /** Runs work on the calling thread and counts it: one task per fetch. */
    private final Executor counting = work -> {
        fetches.incrementAndGet();
        work.run();
    };

    @BeforeAll
    static void playTheStormTo320Seconds() {
        var scenario = ScenarioCatalog.load("jitter-storm");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < 320_000) {
            show.step();
        }
        storm = ShowBundle.capture(show, "test");
    }

    private JitterViewModel model(BundleConnection connection) {
        return new JitterViewModel(connection, new Background(counting, Runnable::run), wall::get);
    }

    /**
     * A view model reading times by {@code clock} whose fetches wait in {@code slow} until the test runs them (a slow
     * node), its first fetch asked at {@code frame} and landed.
     */
    private JitterViewModel firstFetchLanded(BundleConnection connection, ShowClock clock, List<Runnable> slow, MetricsFrame frame) {
        JitterViewModel vm = new JitterViewModel(connection, new Background(slow::add, Runnable::run), wall::get);
        vm.showTimesBy(clock);
        vm.onTick(frame, true, 0);
        slow.removeFirst().run();
        return vm;
    }

    private static MetricsFrame at(MetricsFrame f, long engineMillis) {
        return new MetricsFrame(f.sequence() + 1, engineMillis, f.scenario(), f.seed(), f.state(), f.speed(), f.durationSeconds(),
                f.pops(), f.variants(), f.checkouts(), f.events(), f.chat(), f.flags(), f.guardrails(), f.firings(),
                f.triggers(), f.timeline());
    }

    /** Two ticks: the first fetches, the second applies what it fetched. */
    private void settle(JitterViewModel vm, MetricsFrame frame) {
        vm.onTick(frame, true, 0);
        vm.onTick(frame, false, 0);
    }

    @Test
    void secondsThatServedNobodyAreNeitherOverNorInTheMeanNorPartOfAnOnset() {
        // iad: calm, then over the threshold, then an outage with no jitter measured, then over again for 2 s.
        double[] jitter = {5, 5, 20, 20, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 20, 20};
        int n = jitter.length;
        long[] seconds = new long[n];
        long[] requests = new long[n];
        for (int i = 0; i < n; i++) {
            seconds[i] = 100 + i;
            requests[i] = Double.isNaN(jitter[i]) ? 0 : 40;
        }
        var iad = new io.edgedeck.client.model.PopHistory("iad", 1, io.edgedeck.client.analysis.HeatmapBuckets.edgesMs(),
                seconds, requests, new long[n], new double[n], new double[n], new double[n], new double[n], new double[n],
                jitter, new long[n * io.edgedeck.client.analysis.HeatmapBuckets.COUNT]);
        double[] none = new double[n];
        java.util.Arrays.fill(none, Double.NaN);
        var quiet = new io.edgedeck.client.model.PopHistory("ams", 1, iad.bucketEdgesMs(), seconds, new long[n], new long[n],
                new double[n], new double[n], new double[n], new double[n], new double[n], none, new long[n * iad.buckets()]);
        var histories = new LinkedHashMap<String, io.edgedeck.client.model.PopHistory>();
        histories.put("ams", quiet);
        histories.put("iad", iad);
        var result = JitterViewModel.compute(1, new JitterViewModel.Query(110, 100, 15, null, List.of()), histories);
        JitterViewModel.PopRow row = result.ranking().getFirst();
        JitterViewModel.PopRow silent = result.ranking().getLast();
        assertEquals("ams", silent.pop(), "a PoP that measured nothing ranks last");
        assertTrue(Double.isNaN(silent.meanMs()) && Double.isNaN(silent.maxMs()), "no mean or max, not 0 ms: " + silent);
        assertEquals(4, row.secondsOver(), "the outage's seconds are not over");
        assertEquals(15, row.meanMs(), 1e-9, "the mean is of the 6 seconds that measured jitter");
        assertEquals(20, row.maxMs());
        assertEquals(-1, row.onsetSecond(), "2 s over, a gap, 2 s over: never held for 3 s");
        assertEquals("–", JitterView.ms(Double.NaN), "no jitter is shown as a dash, not as NaN ms");
    }

    @Test
    void eachPopsRowCarriesTheShareOfItsRequestsLostInTheSpan() {
        // sin: 70 served a second, then 30 lost of 100 for the last 5 s of the span; ams served nothing.
        int n = 10;
        long[] seconds = new long[n];
        long[] served = new long[n];
        long[] lost = new long[n];
        for (int i = 0; i < n; i++) {
            seconds[i] = 100 + i;
            served[i] = 70;
            lost[i] = i < 5 ? 0 : 30;
        }
        double[] jitter = new double[n];
        java.util.Arrays.fill(jitter, 4);
        var sin = new io.edgedeck.client.model.PopHistory("sin", 1, io.edgedeck.client.analysis.HeatmapBuckets.edgesMs(),
                seconds, served, lost, new double[n], new double[n], new double[n], new double[n], new double[n], jitter,
                new long[n * io.edgedeck.client.analysis.HeatmapBuckets.COUNT]);
        double[] none = new double[n];
        java.util.Arrays.fill(none, Double.NaN);
        var quiet = new io.edgedeck.client.model.PopHistory("ams", 1, sin.bucketEdgesMs(), seconds, new long[n], new long[n],
                new double[n], new double[n], new double[n], new double[n], new double[n], none, new long[n * sin.buckets()]);
        var histories = new LinkedHashMap<String, io.edgedeck.client.model.PopHistory>();
        histories.put("ams", quiet);
        histories.put("sin", sin);
        var whole = JitterViewModel.compute(1, new JitterViewModel.Query(110, 100, 15, null, List.of()), histories).ranking();
        assertEquals(150.0 / 850, whole.getFirst().lossShare(), 1e-9, "150 lost of 850 requests: " + whole.getFirst());
        assertTrue(Double.isNaN(whole.getLast().lossShare()), "no requests, no share: " + whole.getLast());
        var lastFive = JitterViewModel.compute(2, new JitterViewModel.Query(110, 105, 15, null, List.of()), histories).ranking();
        assertEquals(0.3, lastFive.getFirst().lossShare(), 1e-9, "the span's share: " + lastFive.getFirst());
    }

    @Test
    void aProbedPopsPictureCarriesTheProbesBesideTheAudienceAndAnUnprobedOneNone() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        var fra = connection.history("fra", 0, 320).join();
        var ams = connection.history("ams", 0, 320).join();
        // Probes at fra that saw what ams's audience saw: a series of their own, beside fra's audience.
        var probes = new io.edgedeck.client.model.PopHistory("fra", ams.resolutionSeconds(), ams.bucketEdgesMs(), ams.startSecond(),
                ams.requests(), ams.lost(), ams.p5Ms(), ams.p50Ms(), ams.p95Ms(), ams.p99Ms(), ams.maxMs(), ams.jitterMs(), ams.heatmap());
        var histories = new LinkedHashMap<String, io.edgedeck.client.model.PopHistory>();
        histories.put("fra", fra.withProbes(probes));
        histories.put("ams", ams);
        var query = new JitterViewModel.Query(320, 20, 30, null, List.of());
        var probed = JitterViewModel.compute(1, query, histories).picture();
        assertEquals("fra", probed.pop(), "the ranking is the audience's: the storm's fra first");
        assertEquals(probed.rows().probes().rows(), probed.rows().rows(), "the span cut both series alike");
        long probeRequests = java.util.Arrays.stream(probes.between(20, 320).requests()).sum();
        assertEquals(probeRequests, probed.probes().requests());
        assertTrue(probed.probes().requests() != probed.latency().requests(), "two series, not one counted twice");
        var unprobed = JitterViewModel.compute(2, new JitterViewModel.Query(320, 20, 30, "ams", List.of()), histories).picture();
        assertEquals("ams", unprobed.pop());
        assertNull(unprobed.probes(), "nothing probes ams: no probe series in its picture");
        assertNull(unprobed.rows().probes());
    }

    @Test
    void fraRanksFirstWithItsOnsetAndTheStormAsWhatChanged() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        JitterViewModel vm = model(connection);
        settle(vm, connection.latestFrame().orElseThrow());

        var first = vm.ranking().getFirst();
        assertEquals("fra", first.pop());
        assertTrue(first.onsetSecond() >= 240 && first.onsetSecond() <= 246, "onset at " + first.onsetSecond());
        assertTrue(vm.ranking().stream().skip(1).allMatch(r -> r.onsetSecond() < 0), vm.ranking().toString());
        assertEquals(6, vm.ranking().size());

        var picture = vm.pictureProperty().get();
        assertEquals("fra", picture.pop(), "with nothing pinned, the picture follows the worst PoP");
        assertEquals(0, picture.fromSecond());
        assertEquals(320, picture.toSecond());
        assertEquals(320, picture.rows().rows());
        assertTrue(vm.describe(picture.whatChanged().getFirst()).contains("jitter storm +45 ms at FRA"), picture.whatChanged().toString());
        assertTrue(picture.latency().requests() > 0);
    }

    @Test
    void pinningAPopAndNarrowingTheSpanRedrawTheirPicture() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        JitterViewModel vm = model(connection);
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        settle(vm, frame);

        vm.pinnedPopProperty().set("ams");
        vm.spanProperty().set(JitterViewModel.Span.LAST_MINUTE);
        wall.addAndGet(1000);
        settle(vm, frame);
        var picture = vm.pictureProperty().get();
        assertEquals("ams", picture.pop());
        assertEquals(260, picture.fromSecond());
        assertEquals(60, picture.rows().rows());
        assertNull(picture.onset());
        assertEquals("fra", vm.ranking().getFirst().pop(), "pinning changes the picture, not the ranking");
    }

    @Test
    void aLowerThresholdMakesCalmPopsCross() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        JitterViewModel vm = model(connection);
        vm.thresholdMsProperty().set(2);
        settle(vm, connection.latestFrame().orElseThrow());
        assertTrue(vm.ranking().stream().allMatch(r -> r.onsetSecond() >= 0), vm.ranking().toString());
    }

    /**
     * In a show's first second there is no whole second of history: the node is not asked for an empty range
     * (it answers 400), and a screenshot waiting for that second is not held up.
     */
    @Test
    void theFirstSecondAsksForNoEmptyRangeAndStillSettles() {
        BundleConnection bundle = new BundleConnection(storm, "storm.zip");
        List<String> asked = new java.util.ArrayList<>();
        EdgeConnection connection = (EdgeConnection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {EdgeConnection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("history")) {
                        asked.add(args[1] + ".." + args[2]);
                    }
                    try {
                        return method.invoke(bundle, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        JitterViewModel vm = new JitterViewModel(connection, new Background(counting, Runnable::run), wall::get);
        MetricsFrame frame = bundle.latestFrame().orElseThrow();
        settle(vm, at(frame, 0));
        assertEquals(List.of(), asked, "no range to ask for in second 0");
        assertTrue(vm.drawnAt(0).isDone());
        assertEquals("waiting for the show's first whole second", vm.messageProperty().get());
        wall.addAndGet(1000);
        settle(vm, at(frame, 1000));
        assertFalse(asked.isEmpty());
        assertTrue(asked.stream().allMatch("0..1"::equals), asked.toString());
    }

    @Test
    void historyIsFetchedAtMostOnceAWallSecond() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        JitterViewModel vm = model(connection);
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        vm.onTick(frame, true, 0);
        assertEquals(1, fetches.get());
        for (int tick = 1; tick < 10; tick++) {
            wall.addAndGet(100);
            vm.onTick(at(frame, frame.engineMillis() + tick * 2000L), true, 0);
        }
        assertEquals(1, fetches.get(), "ten ticks within a second start one fetch");
        wall.addAndGet(100);
        vm.onTick(at(frame, frame.engineMillis() + 30_000), true, 0);
        assertEquals(2, fetches.get());
    }

    @Test
    void nothingIsFetchedAgainWhenNothingMoved() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        JitterViewModel vm = model(connection);
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        settle(vm, frame);
        for (int i = 0; i < 5; i++) {
            wall.addAndGet(2000);
            vm.onTick(frame, false, 0);
        }
        assertEquals(1, fetches.get(), "a bundle's frame never changes: one fetch is enough");
    }

    @Test
    void aFailedFetchSaysWhyAndKeepsTheLastRanking() {
        var partial = new LinkedHashMap<>(storm.history());
        partial.remove("sin");
        Bundle broken = new Bundle(storm.manifest(), partial, storm.events(), storm.audit(), storm.flags(), storm.frame(),
                storm.snapshots());
        JitterViewModel vm = model(new BundleConnection(broken, "broken.zip"));
        settle(vm, broken.frame());
        assertTrue(vm.messageProperty().get().startsWith("could not fetch latency history: the bundle has no history for PoP 'sin'"),
                vm.messageProperty().get());
        assertEquals(List.of(), vm.ranking());
    }

    @Test
    void aPictureHeldBackByASlowFetchSaysHowOldItIsUntilItCatchesUp() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        List<Runnable> slow = new java.util.ArrayList<>();
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        JitterViewModel vm = firstFetchLanded(connection, new ShowClock(), slow, frame);
        vm.onTick(frame, false, 0);
        assertEquals("", vm.behindProperty().get(), "drawn up to the show's second");

        MetricsFrame later = at(frame, 600_000);
        wall.addAndGet(1000);
        vm.onTick(later, true, 0);
        assertEquals(1, slow.size(), "the next fetch is under way");
        assertEquals("", vm.behindProperty().get(), "a second behind is keeping up");
        wall.addAndGet(1500);
        vm.onTick(later, false, 0);
        assertEquals("STALE: as of 05:19; the show is at 10:00, the history is catching up", vm.behindProperty().get());

        slow.removeFirst().run();
        vm.onTick(later, false, 0);
        assertEquals("", vm.behindProperty().get());
    }

    @Test
    void aPictureThatArrivesLateNamesItsOwnSecondAtOnceAndIsAsOldAsItsFetch() {
        var scenario = ScenarioCatalog.load("jitter-storm");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < 600_000) {
            show.step();
        }
        BundleConnection connection = new BundleConnection(ShowBundle.capture(show, "test"), "storm.zip");
        List<Runnable> slow = new java.util.ArrayList<>();
        MetricsFrame frame = at(connection.latestFrame().orElseThrow(), 320_000);
        JitterViewModel vm = firstFetchLanded(connection, new ShowClock(), slow, frame);
        vm.onTick(frame, false, 0);
        assertEquals(320, vm.pictureProperty().get().toSecond(), "drawn up to 5:20, its newest whole second 5:19");

        // A fetch asked at 10:00 is held back (a loaded machine) while the show plays on to 15:00.
        wall.addAndGet(1000);
        vm.onTick(at(frame, 600_000), true, 0);
        wall.addAndGet(3000);
        MetricsFrame later = at(frame, 900_000);
        vm.onTick(later, true, 0);
        assertEquals("STALE: as of 05:19; the show is at 15:00, the history is catching up", vm.behindProperty().get());

        // It arrives between two ticks: what the tab says of its age is of this picture, not the one before.
        slow.removeFirst().run();
        assertEquals(600, vm.pictureProperty().get().toSecond());
        assertEquals("STALE: as of 09:59; the show is at 15:00, the history is catching up", vm.behindProperty().get());
        // Just arrived, it is still as old as its fetch: it never passes for now.
        vm.onTick(later, false, 0);
        assertEquals("STALE: as of 09:59; the show is at 15:00, the history is catching up", vm.behindProperty().get());
    }

    /**
     * A person picks another PoP while a fetch asked with the old pick is under way: its answer, arriving after the
     * pick, is not drawn (the picture would jump back to the PoP just left), and the next tick asks again for the pick.
     */
    @Test
    void aFetchAskedBeforeThePickChangedIsNotDrawnWhenItLandsAfter() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        List<Runnable> slow = new java.util.ArrayList<>();
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        JitterViewModel vm = firstFetchLanded(connection, new ShowClock(), slow, frame);
        String first = vm.pictureProperty().get().pop();
        String other = vm.ranking().getLast().pop();
        JitterViewModel.Picture before = vm.pictureProperty().get();
        assertFalse(first.equals(other), "the storm ranks its PoPs apart: " + vm.ranking());

        // A fetch asked with nothing pinned is under way when the person picks another PoP.
        wall.addAndGet(1000);
        MetricsFrame later = at(frame, 321_000);
        vm.onTick(later, true, 0);
        assertEquals(1, slow.size(), "a fetch asked before the pick");
        vm.pinnedPopProperty().set(other);
        slow.removeFirst().run();
        assertSame(before, vm.pictureProperty().get(), "the old pick's answer is dropped: nothing is redrawn for it");
        assertEquals(first, vm.pictureProperty().get().pop());

        // The next tick asks for the pick, and its answer is drawn.
        wall.addAndGet(1000);
        vm.onTick(later, false, 0);
        assertEquals(1, slow.size(), "a fetch asked for the new pick");
        slow.removeFirst().run();
        assertEquals(other, vm.pictureProperty().get().pop());
    }

    @Test
    void onALiveNodeTheOnsetIsAWallTimeItsZoneSaidOnceAndTheTimesBesideItNameTheZone() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        List<Runnable> slow = new java.util.ArrayList<>();
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        JitterViewModel vm = firstFetchLanded(connection, LiveClocks.live(), slow, frame);
        vm.onTick(frame, false, 0);

        var fra = vm.ranking().getFirst();
        // In the ranking's cells without the zone, which the ranking names once over it.
        String onset = LiveClocks.wall(fra.onsetSecond() * 1000);
        assertEquals(onset.substring(0, onset.indexOf(" ")), vm.onsetText(fra));
        assertEquals(onset, vm.time(fra.onsetSecond()));
        assertEquals("never", vm.onsetText(vm.ranking().getLast()));
        ShowEvent storm = vm.pictureProperty().get().whatChanged().getFirst();
        assertEquals(LiveClocks.wall(storm.atMillis() / 1000 * 1000) + "  " + storm.label().replace(" at fra", " at FRA")
                + " (" + storm.actor() + ")", vm.describe(storm));

        MetricsFrame later = at(frame, 600_000);
        wall.addAndGet(1000);
        vm.onTick(later, true, 0);
        wall.addAndGet(1500);
        vm.onTick(later, false, 0);
        assertEquals("STALE: as of " + LiveClocks.wall(319_000) + "; the show is at " + LiveClocks.wall(600_000)
                + ", the history is catching up", vm.behindProperty().get());
    }

    /**
     * Berlin's clocks go back an hour at 01:00 UTC on 25 October 2026. The storm's onset, at 04:00 of a show started
     * five minutes before the change, is a summer time; the ranking is drawn again after the change with rows equal in
     * value (an idle edge's rows stay equal): they are replaced all the same, so their cells are written again under the
     * title's new zone and the onset carries its own.
     */
    @Test
    void whenTheTitlesZoneChangesTheRowsAreReplacedEvenIfEqual() {
        long engineZero = 1_792_890_000_000L - 300_000;
        long[] now = {engineZero + 200_000};
        ShowClock clock = new ShowClock(() -> now[0], java.time.ZoneId.of("Europe/Berlin"));
        clock.onTick(LiveClocks.frame(200_000, 1, 0), true, 0);
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        JitterViewModel vm = model(connection);
        vm.showTimesBy(clock);
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        settle(vm, frame);
        var fra = vm.ranking().getFirst();
        assertTrue(fra.onsetSecond() >= 0 && fra.onsetSecond() < 300, "an onset before the change: " + fra);
        assertEquals("wall clock, GMT+02:00", clock.clockName());
        String bare = vm.onsetText(fra);
        assertFalse(bare.contains(" "), "under a title of its own zone the onset is bare: " + bare);
        List<JitterViewModel.PopRow> before = List.copyOf(vm.ranking());
        List<Integer> replaced = new java.util.ArrayList<>();
        vm.ranking().addListener((javafx.collections.ListChangeListener<JitterViewModel.PopRow>) c -> replaced.add(c.getList().size()));

        // The clocks go back; a pick asks the node again, and the ranking comes back the same.
        now[0] = engineZero + 320_000;
        clock.onTick(LiveClocks.frame(320_000, 1, 0), true, 0);
        assertEquals("wall clock, GMT+01:00", clock.clockName());
        wall.addAndGet(1000);
        vm.pinnedPopProperty().set(fra.pop());
        settle(vm, frame);
        assertEquals(before, List.copyOf(vm.ranking()), "the rows' values did not change");
        assertFalse(replaced.isEmpty(), "the rows are replaced when the title's zone changed");
        assertEquals(bare + " GMT+02:00", vm.onsetText(vm.ranking().getFirst()));
    }

    @Test
    void inARehearsalTheOnsetKeepsTheShowsTime() {
        BundleConnection connection = new BundleConnection(storm, "storm.zip");
        JitterViewModel vm = model(connection);
        vm.showTimesBy(LiveClocks.rehearsal());
        settle(vm, connection.latestFrame().orElseThrow());
        var fra = vm.ranking().getFirst();
        assertEquals(io.edgedeck.console.common.EngineTime.format(fra.onsetSecond() * 1000), vm.onsetText(fra),
                "as every tab writes the show's time: 04:00");
        assertEquals(5, vm.onsetText(fra).length(), vm.onsetText(fra));
    }

    /*
     * A fetch that fails is asked again later and later (1, 2, 4 ... up to 30 s) while the node cannot be reached, and
     * not at all while the node refuses it (4xx), until the pick, the span or the show changes; the line says which.
     * Real connections: a loopback port nothing listens on, and a live node asked for PoPs it does not have.
     */

    @Test
    void aPickTheNodeCannotBeAskedForIsAskedAgainLaterAndLaterUpTo30Seconds() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        BundleConnection storm = new BundleConnection(JitterViewModelTest.storm, "storm.zip");
        EdgeConnection[] current = {storm};
        try (EdgeConnection refused = io.edgedeck.console.TestConsoles.openReconnectingQuickly(java.net.URI.create("http://127.0.0.1:" + port), "token")) {
            JitterViewModel vm = new JitterViewModel(() -> current[0], new Background(counting, Runnable::run), wall::get);
            MetricsFrame frozen = storm.latestFrame().orElseThrow();
            vm.onTick(frozen, true, 0);
            String first = vm.pictureProperty().get().pop();
            current[0] = refused;
            vm.pinnedPopProperty().set(first.equals("sin") ? "ams" : "sin");
            int before = fetches.get();
            java.util.List<Long> askedAt = new java.util.ArrayList<>();
            for (int s = 1; s <= 70; s++) {
                wall.addAndGet(1000);
                int was = fetches.get();
                // the frame frozen, as when the node does not answer
                vm.onTick(frozen, false, 0);
                if (fetches.get() > was) {
                    askedAt.add((long) s);
                }
            }
            assertEquals(java.util.List.of(1L, 2L, 4L, 8L, 16L, 32L, 62L), askedAt, "asked again 1, 2, 4, 8, 16, then 30 s later");
            assertEquals(7, fetches.get() - before);
            String said = vm.pickPendingProperty().get();
            assertTrue(said.contains("could not fetch latency history") && said.endsWith("trying again in 30 s"), said);

            // Another pick is asked for at once, the waits starting again from 1 s.
            vm.pinnedPopProperty().set("iad");
            wall.addAndGet(1000);
            int was = fetches.get();
            vm.onTick(frozen, false, 0);
            assertEquals(was + 1, fetches.get(), "a new pick is asked at once");
            assertTrue(vm.pickPendingProperty().get().endsWith("trying again in 1 s"), vm.pickPendingProperty().get());
        }
    }

    @Test
    void aFetchTheNodeRefusesIsNotAskedAgainUntilThePickOrTheShowChanges(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        io.edgedeck.simulator.server.EdgeNode node = io.edgedeck.console.TestConsoles.startExampleNode(dir, 0);
        try (EdgeConnection live = io.edgedeck.console.TestConsoles.openReconnectingQuickly(node)) {
            // connected: a PoP it has answers
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    live.history("fra", 0, 1).get(20, java.util.concurrent.TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.ExecutionException notYet) {
                    if (System.nanoTime() > until) {
                        throw notYet;
                    }
                    Thread.sleep(100);
                }
            }
            BundleConnection storm = new BundleConnection(JitterViewModelTest.storm, "storm.zip");
            EdgeConnection[] current = {live};
            JitterViewModel vm = new JitterViewModel(() -> current[0], new Background(counting, Runnable::run), wall::get);
            // the storm's frames name ord, sin and nrt, which this node does not have: it answers 404
            MetricsFrame frame = storm.latestFrame().orElseThrow();
            for (int s = 0; s < 20; s++) {
                wall.addAndGet(1000);
                // the frames moving, a second a tick
                vm.onTick(at(frame, frame.engineMillis() + s * 1000L), true, 0);
            }
            assertEquals(1, fetches.get(), "a refused fetch is not asked again while nothing changed");
            String said = vm.messageProperty().get();
            assertTrue(said.startsWith("could not fetch latency history") && said.contains("no PoP")
                    && said.endsWith("the node refused it: asked again when another PoP, span or show is picked"), said);

            // A pick is asked for, once.
            vm.pinnedPopProperty().set("fra");
            for (int s = 20; s < 30; s++) {
                wall.addAndGet(1000);
                vm.onTick(at(frame, frame.engineMillis() + s * 1000L), true, 0);
            }
            assertEquals(2, fetches.get(), "the new pick asked once");

            // The show changes (a rehearsal started again): its history is drawn.
            current[0] = storm;
            wall.addAndGet(1000);
            vm.onTick(frame, true, 0);
            assertEquals(3, fetches.get());
            assertEquals("fra", vm.pictureProperty().get().pop());
        } finally {
            node.close();
        }
    }
}
