package io.edgedeck.console.fleet;

import io.edgedeck.client.model.FleetCueFired;
import io.edgedeck.client.model.FleetView;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.dashboard.DashboardViewModel;
import io.edgedeck.console.common.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetViewModelTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final FleetView.Latency NONE = new FleetView.Latency(0, 0, 0, 0, 0, 0);

    /** A node heard of {@code ageMillis} ago with a frame that says all is well. */
    static FleetView.Node node(String id, long ageMillis, String... pops) {
        return new FleetView.Node(id, List.of(pops), 120, 0, NOW - ageMillis, ageMillis, NOW / 1000, 2, 0, 7, 0);
    }

    static FleetView.Pop pop(String id, long recentRequests, double p95, String... nodes) {
        FleetView.Latency recent = new FleetView.Latency(recentRequests, 0, p95 / 2, p95, p95 * 1.5, p95 * 2);
        return new FleetView.Pop(id, recent, recent, 0, List.of(nodes));
    }

    static FleetView fleet(long lag, List<FleetView.Pop> pops, List<FleetView.Node> nodes) {
        return new FleetView(360, 0, 0, NOW / 1000, 60, pops, List.of(), nodes, null, null, lag);
    }

    private static List<Status> nodeStatuses(FleetViewModel vm) {
        return vm.nodes().stream().map(FleetViewModel.NodeRow::status).toList();
    }

    /** The fleet as the aggregator answered at NOW, node-c heard from 24.3 s before, a second later: node-c silent 25 s. */
    private static FleetViewModel nodeCSilentFor25s() {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(0, List.of(pop("ams", 1200, 41, "node-a"), pop("lhr", 900, 52, "node-c")),
                List.of(node("node-a", 400, "ams"), node("node-c", 24_300, "lhr"))), NOW);
        vm.refresh(NOW + 1_000);
        return vm;
    }

    /**
     * The aggregator counts a silent node's seconds when it writes its frame's condition ("node node-c silent 24 s", the
     * banner's words) and when it answers a cue ("node-c did not take it: silent for 12 s"); the headline counts them
     * from /api/v1/fleet, aged on every tick. Today's aggregator names each silent node in data too, with when it last
     * heard from it on /api/v1/fleet's clock, and the window tells every silence from that by the headline's count: one
     * figure, not two a second apart. An older aggregator's words, naming no node in data, are told as it wrote them.
     */
    /**
     * A node that fired a cue but whose change did not apply (its control record could not be written within the cue's
     * window) is not said to have taken it: it is named with the aggregator's words, and the cue did not reach every node.
     */
    @Test
    void aNodeThatTookACueButDidNotApplyItsChangeIsNotSaidToHaveTakenIt() {
        FleetViewModel vm = nodeCSilentFor25s();
        String why = "its change did not apply: scheduled change #1 (kill offer-banner): its control record could not be written"
                + " to the fleet within 5 s of cue drop (5 tries; the last: the fleet's Kafka cannot be reached)";
        FleetCueFired fired = new FleetCueFired("drop", 41, List.of("node-a"),
                List.of(new FleetCueFired.NotTaken("node-b", why, null, true)), "taken but not applied by node-b; taken by node-a");
        assertFalse(fired.everyNodeTook());
        assertEquals("Cue drop: node-a took it · node-b took it, but " + why, FleetCueViewModel.outcome(fired, vm::notTaken));
    }

    @Test
    void aSilentNodesSecondsAreTheHeadlinesWhereverTheAggregatorsWordsSayThem() {
        FleetViewModel vm = nodeCSilentFor25s();
        assertEquals("fleet: 2 nodes, 1 live · silent: node-c 25 s", vm.summaryProperty().get());
        NodeCondition frames = new NodeCondition(NodeCondition.Status.READ_ONLY, "node node-c silent 24 s, its PoPs show no data;"
                + " node-a read-only: journal not writable", List.of(new NodeCondition.Silent("node-c", NOW - 24_300)),
                "node-a read-only: journal not writable");
        assertEquals("node node-c silent 25 s, its PoPs show no data; node-a read-only: journal not writable", vm.condition(frames));
        FleetCueFired fired = new FleetCueFired("drop", 41, List.of("node-a"), List.of(new FleetCueFired.NotTaken("node-c",
                "silent for 12 s: it fires the cue when it reads the control topic again", NOW - 24_300)), "not taken by node-c; taken by node-a");
        assertEquals("Cue drop: node-a took it · node-c did not take it: silent for 25 s: it fires the cue when it reads the control"
                + " topic again", FleetCueViewModel.outcome(fired, vm::notTaken));
        // Aged on the next tick by the same count, all three alike.
        vm.refresh(NOW + 2_000);
        assertEquals("fleet: 2 nodes, 1 live · silent: node-c 26 s", vm.summaryProperty().get());
        assertEquals("node node-c silent 26 s, its PoPs show no data; node-a read-only: journal not writable", vm.condition(frames));
        assertEquals("silent for 26 s: it fires the cue when it reads the control topic again", vm.notTaken(fired.notTaken().getFirst()));
        // A node the fleet's answer does not list is counted the same way, from when the aggregator last heard from it.
        assertEquals("node node-x silent 40 s, its PoPs show no data", vm.condition(new NodeCondition(NodeCondition.Status.READ_ONLY,
                "node node-x silent 39 s, its PoPs show no data", List.of(new NodeCondition.Silent("node-x", NOW - 38_000)), "")));
        // An older aggregator says it in words only: they are told as it wrote them.
        assertEquals("node node-c silent 24 s, its PoPs show no data", vm.condition(NodeCondition.readOnly("node node-c silent 24 s,"
                + " its PoPs show no data")));
        assertEquals("silent for 12 s: it fires the cue when it reads the control topic again",
                vm.notTaken(new FleetCueFired.NotTaken("node-c", "silent for 12 s: it fires the cue when it reads the control topic again")));
        // Heard from again: the headline calls it silent no more, and the words are the aggregator's.
        vm.answered(fleet(0, List.of(pop("ams", 1200, 41, "node-a"), pop("lhr", 900, 52, "node-c")),
                List.of(node("node-a", 400, "ams"), node("node-c", 300, "lhr"))), NOW + 4_000);
        assertEquals(-1, vm.silentFor("node-c", NOW - 24_300));
        assertEquals("node node-c silent 24 s, its PoPs show no data; node-a read-only: journal not writable", vm.condition(frames));
        assertEquals("silent for 12 s: it fires the cue when it reads the control topic again", vm.notTaken(fired.notTaken().getFirst()));
    }

    /**
     * At an aggregator a silent node's PoP tile says "no data (node node-c silent 25 s)" as the banner and the headline
     * say it, by the Fleet tab's count and aged on every tick, not the aggregator's figure a second apart; the PoP's
     * other faults are as sent, and an older aggregator's words, naming no node in data, as it wrote them.
     */
    @Test
    void aSilentNodesPopTileTellsTheHeadlinesFigure() {
        FleetViewModel fleet = nodeCSilentFor25s();
        DashboardViewModel dashboard = new DashboardViewModel();
        dashboard.tellPopFaultsBy(fleet::popFaults);
        NodeCondition condition = new NodeCondition(NodeCondition.Status.READ_ONLY, "node node-c silent 24 s, its PoPs show no data",
                List.of(new NodeCondition.Silent("node-c", NOW - 24_300)), "");
        dashboard.apply(aggregatorFrame(1, condition, List.of("jitter", "node node-c silent 24 s")));
        assertEquals("fleet: 2 nodes, 1 live · silent: node-c 25 s", fleet.summaryProperty().get());
        assertEquals("no data (jitter, node node-c silent 25 s)", dashboard.tile("lhr").healthProperty().get());
        assertEquals("up", dashboard.tile("ams").healthProperty().get());
        // The next tick ages it with the headline, though no new frame came.
        fleet.refresh(NOW + 2_000);
        dashboard.retellPopFaults();
        assertEquals("fleet: 2 nodes, 1 live · silent: node-c 26 s", fleet.summaryProperty().get());
        assertEquals("no data (jitter, node node-c silent 26 s)", dashboard.tile("lhr").healthProperty().get());
        // An older aggregator names no node in data: its words as it wrote them.
        dashboard.apply(aggregatorFrame(2, NodeCondition.readOnly("node node-c silent 25 s, its PoPs show no data"),
                List.of("jitter", "node node-c silent 25 s")));
        assertEquals("no data (jitter, node node-c silent 25 s)", dashboard.tile("lhr").healthProperty().get());
    }

    /**
     * Today's aggregator says in each PoP's data which node serves it, whether it is silent, since when, and the clause its
     * silence added to the faults: the tile tells that clause by the headline's count from the PoP itself, whatever the
     * condition beside it names, and leaves the PoP's other faults as sent.
     */
    @Test
    void aPopTileReadsItsSilentNodeFromThePopsOwnData() {
        FleetViewModel fleet = nodeCSilentFor25s();
        DashboardViewModel dashboard = new DashboardViewModel();
        dashboard.tellPopFaultsBy(fleet::popFaults);
        MetricsFrame frame = aggregatorFrame(1, NodeCondition.readOnly("node node-c silent 24 s, its PoPs show no data"),
                List.of("jitter", "node node-c silent 24 s"));
        PopMetrics lhr = frame.pop("lhr");
        PopMetrics told = new PopMetrics(lhr.id(), lhr.region(), lhr.health(), lhr.last10s(), lhr.last60s(), lhr.jitterMs(),
                lhr.lossRatio(), lhr.throughputRps(), lhr.requests(), lhr.errors(), lhr.degradedSeconds(), lhr.queueDepth(),
                lhr.pendingCheckouts(), lhr.faults(), lhr.baseline(), lhr.value(), lhr.slo(),
                List.of(new PopMetrics.ServedBy("node-c", true, NOW - 24_300, "node node-c silent 24 s")));
        dashboard.apply(new MetricsFrame(frame.sequence(), frame.engineMillis(), frame.scenario(), frame.seed(), frame.state(),
                frame.speed(), frame.durationSeconds(), List.of(frame.pop("ams"), told), List.of(), frame.checkouts(), frame.events(),
                null, null, null, null, null, null, null, frame.node()));
        assertEquals("no data (jitter, node node-c silent 25 s)", dashboard.tile("lhr").healthProperty().get());
        fleet.refresh(NOW + 2_000);
        dashboard.retellPopFaults();
        assertEquals("no data (jitter, node node-c silent 26 s)", dashboard.tile("lhr").healthProperty().get());
        // A node the PoP names as serving it and not silent: its faults as sent.
        PopMetrics live = new PopMetrics("ams", "eu", PopHealth.DEGRADED, lhr.last10s(), lhr.last60s(), 1, 0, 1, 1, 0, 0, 0, 0,
                List.of("jitter"), null, null, null, List.of(new PopMetrics.ServedBy("node-a", false, NOW - 400, null)));
        assertEquals(List.of("jitter"), fleet.popFaults(live, NodeCondition.OK));
    }

    /**
     * The aggregator's answer says its clock when it answered: every silence is counted from that, even before any node
     * is listed; an older answer, without it, gives it by a node's lastSeenMillis plus its ageMillis.
     */
    @Test
    void theAggregatorsClockIsTheTimeItsAnswerGives() {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(new FleetView(0, 0, 0, 0, 60, List.of(), List.of(), List.of(), null, null, 0, null, NOW), NOW);
        assertEquals(38_000, vm.silentFor("node-x", NOW - 38_000));
        FleetViewModel older = new FleetViewModel();
        older.answered(fleet(0, List.of(), List.of(node("node-a", 400, "ams"))), NOW);
        assertEquals(38_000, older.silentFor("node-x", NOW - 38_000));
        assertEquals(0, fleet(0, List.of(), List.of()).atMillis(), "an older aggregator does not say");
    }

    /** The fleet's frame at an aggregator: ams up, lhr with no data and {@code lhrFaults}, the fleet's {@code condition}. */
    private static MetricsFrame aggregatorFrame(long seq, NodeCondition condition, List<String> lhrFaults) {
        LatencyWindow window = new LatencyWindow(10, 500, 20, 40, 52, 80);
        PopMetrics ams = new PopMetrics("ams", "eu", PopHealth.UP, window, LatencyWindow.empty(60), 3.5, 0.01, 50, 1000, 10, 0, 0, 0, List.of());
        PopMetrics lhr = new PopMetrics("lhr", "eu", PopHealth.NO_DATA, window, LatencyWindow.empty(60), 3.5, 0.01, 0, 900, 10, 0, 0, 0, lhrFaults);
        return new MetricsFrame(seq, seq * 1000, "steady-show", 7, ShowState.RUNNING, 1, 900, List.of(ams, lhr), List.of(),
                new CheckoutCounts(0, 0, 0, 0, 0, 0), new EventCounts(0, 0, 0), null, null, null, null, null, null, null, condition);
    }

    /**
     * One threshold, the aggregator's: a node it calls silent, showing its PoPs with no data, is silent in the headline
     * too, never "late" beside the banner's "silent".
     */
    @Test
    void theHeadlineCallsSilentTheNodeTheAggregatorDoes() {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(0, List.of(pop("lhr", 900, 52, "node-c")), List.of(node("node-a", 400, "ams"), node("node-c", 7_300, "lhr"))), NOW);
        assertEquals("fleet: 2 nodes, 1 live · silent: node-c 7.3 s", vm.summaryProperty().get());
        assertEquals("node node-c silent 7.3 s, its PoPs show no data", vm.condition(new NodeCondition(NodeCondition.Status.READ_ONLY,
                "node node-c silent 7 s, its PoPs show no data", List.of(new NodeCondition.Silent("node-c", NOW - 7_300)), "")));
        assertEquals(Status.BAD, vm.nodes().get(1).status());
    }

    /** Before the fleet's first answer there is no count: the aggregator's words are told as it wrote them. */
    @Test
    void beforeTheFleetAnswersTheAggregatorsWordsAreTold() {
        FleetViewModel vm = new FleetViewModel();
        NodeCondition frames = new NodeCondition(NodeCondition.Status.READ_ONLY, "node node-c silent 24 s, its PoPs show no data",
                List.of(new NodeCondition.Silent("node-c", NOW - 24_300)), "");
        assertEquals(-1, vm.silentFor("node-c", NOW - 24_300));
        assertEquals("node node-c silent 24 s, its PoPs show no data", vm.condition(frames));
    }

    @Test
    void aHealthyFleetIsGreenAndSaysWhoServesWhat() {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(0, List.of(pop("ams", 1200, 41, "node-a"), pop("fra", 3400, 38, "node-a"), pop("lhr", 900, 52, "node-b")),
                List.of(node("node-a", 400, "ams", "fra"), node("node-b", 700, "lhr"))), NOW);
        assertEquals("fleet: 2 nodes, 2 live", vm.summaryProperty().get());
        assertEquals(Status.OK, vm.statusProperty().get());
        assertEquals(List.of(Status.OK, Status.OK), nodeStatuses(vm));
        FleetViewModel.NodeRow a = vm.nodes().getFirst();
        assertEquals("AMS, FRA", a.serves(), "PoPs in capitals, as every tab writes them");
        assertEquals("0.4 s ago", a.lastSeen());
        assertEquals("applied all", a.control());
        assertEquals("2 pending", a.spool());
        assertEquals("120", a.records());
        assertEquals("not named (an older node)", a.api(), "a node whose frames name no URL");
        vm.answered(fleet(0, List.of(pop("ams", 1200, 41, "node-a")), List.of(new FleetView.Node("node-a", List.of("ams"), 120, 0,
                NOW - 400, 400, NOW / 1000, 2, 0, 7, 0, "http://10.0.0.7:8787"))), NOW);
        assertEquals("http://10.0.0.7:8787", vm.nodes().getFirst().api(), "where the aggregator reaches it");
        vm.answered(fleet(0, List.of(pop("ams", 1200, 41, "node-a"), pop("fra", 3400, 38, "node-a"), pop("lhr", 900, 52, "node-b")),
                List.of(node("node-a", 400, "ams", "fra"), node("node-b", 700, "lhr"))), NOW);
        assertEquals(List.of("ams", "fra", "lhr"), vm.pops().stream().map(FleetViewModel.PopRow::pop).toList());
        FleetViewModel.PopRow fra = vm.pops().get(1);
        assertEquals("node-a", fra.servedBy());
        assertEquals("3,400", fra.requests());
        assertEquals("38 ms", fra.p95());
        assertEquals("", fra.note());
        assertEquals("Aggregator: caught up · 360 fleet records read", vm.aggregatorProperty().get());
        assertEquals(Status.OK, vm.aggregatorStatusProperty().get());
    }

    /**
     * While the aggregator cannot reach Kafka no node's frame reaches it, so an old frame says nothing of its node:
     * the tab says the aggregator cannot reach Kafka, since when, and calls no node silent (it used to say every
     * node went silent and the aggregator was "not reading yet").
     */
    @Test
    void aBrokerOutageIsTheAggregatorsNotTheNodes() {
        FleetViewModel vm = new FleetViewModel();
        FleetView down = new FleetView(360, 0, 0, NOW / 1000, 60, List.of(pop("fra", 550, 40, "node-a")), List.of(),
                List.of(node("node-a", 85_000, "fra"), node("node-b", 84_000, "lhr")), null, null, -1,
                new FleetView.Kafka(false, NOW - 90_000, "Kafka did not answer within 5 s (TimeoutException): the fleet's figures are as last read"));
        vm.answered(down, NOW);
        String summary = vm.summaryProperty().get();
        assertTrue(summary.contains("the aggregator cannot reach Kafka since ") && summary.contains("(90 s)"), summary);
        assertTrue(!summary.contains("silent") && !summary.contains("not reading"), summary);
        assertEquals(List.of(Status.STALE, Status.STALE), nodeStatuses(vm), "a node not heard is not known to be silent");
        assertEquals("85 s ago · not known: the aggregator cannot reach Kafka", vm.nodes().getFirst().lastSeen());
        assertEquals("not known now: the aggregator cannot reach Kafka", vm.pops().getFirst().note());
        assertTrue(vm.aggregatorProperty().get().startsWith("Aggregator: cannot reach Kafka since "), vm.aggregatorProperty().get());
        assertEquals(Status.BAD, vm.aggregatorStatusProperty().get());
    }

    @Test
    void aNodeThatGoesQuietTurnsAmberThenRedAsTimePassesWithoutANewAnswer() {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(0, List.of(pop("iad", 500, 60, "node-c")), List.of(node("node-a", 300, "fra"), node("node-c", 1_500, "iad"))), NOW);
        assertEquals(List.of(Status.OK, Status.OK), nodeStatuses(vm));

        // The aggregator answers again a little later: node-c has said nothing since.
        vm.answered(fleet(0, List.of(pop("iad", 500, 60, "node-c")), List.of(node("node-a", 200, "fra"), node("node-c", 3_600, "iad"))),
                NOW + 2_000);
        assertEquals(List.of(Status.OK, Status.WARN), nodeStatuses(vm));
        assertEquals("3.6 s ago · late", vm.nodes().get(1).lastSeen());
        assertEquals("fleet: 2 nodes, 1 live · late: node-c 3.6 s", vm.summaryProperty().get());
        assertEquals(Status.WARN, vm.statusProperty().get());

        // Between answers its age keeps growing: the view never shows it younger than it is.
        vm.answered(fleet(0, List.of(pop("iad", 500, 60, "node-c")), List.of(node("node-a", 100, "fra"), node("node-c", 9_000, "iad"))),
                NOW + 4_000);
        vm.refresh(NOW + 6_500);
        assertEquals(Status.BAD, vm.nodes().get(1).status(), "11.5 s without a word is silent");
        assertEquals("11 s ago · silent", vm.nodes().get(1).lastSeen());
        assertEquals(Status.OK, vm.nodes().get(0).status(), "2.6 s since a 0.1 s-old answer: still live");
        assertEquals("fleet: 2 nodes, 1 live · silent: node-c 11 s", vm.summaryProperty().get());
        assertEquals(Status.BAD, vm.statusProperty().get());
        FleetViewModel.PopRow iad = vm.pops().stream().filter(p -> p.pop().equals("iad")).findFirst().orElseThrow();
        assertEquals("its node is silent", iad.note());
        // Its figures stopped when its node did: grey, saying for how long (the headline's figure), none shown as live.
        assertEquals(Status.STALE, iad.status(), "a PoP whose only node is silent is unwatched: grey, as a PoP tile with no data");
        assertEquals("stale for 11 s", iad.p95(), "the last p95 the silent node sent is not shown as the PoP's now");
        assertEquals("stale for 11 s", iad.requests());
    }

    @Test
    void aPopServedByTwoNodesIsAmberAndNamed() {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(0, List.of(pop("fra", 800, 40, "node-a", "node-b")),
                List.of(node("node-a", 300, "fra"), node("node-b", 300, "fra", "lhr"))), NOW);
        FleetViewModel.PopRow fra = vm.pops().getFirst();
        assertEquals("node-a, node-b", fra.servedBy());
        assertEquals(Status.WARN, fra.status());
        assertEquals("served by 2 nodes: its figures add theirs", fra.note());
        FleetViewModel.PopRow lhr = vm.pops().get(1);
        assertEquals("lhr", lhr.pop(), "a PoP a node serves, with no traffic yet, is listed too");
        assertEquals("none yet", lhr.requests());
        assertEquals("fleet: 2 nodes, 2 live · served twice: FRA", vm.summaryProperty().get());
        assertEquals(Status.WARN, vm.statusProperty().get());
    }

    @Test
    void whatTheNodesFrameSaysColoursItsRow() {
        FleetView.Node refused = new FleetView.Node("node-a", List.of("fra"), 50, 3, NOW, 200, NOW / 1000, 4, 17, 9, 0);
        FleetView.Node behind = new FleetView.Node("node-b", List.of("lhr"), 50, 0, NOW, 200, NOW / 1000, 0, 0, 6, 3);
        FleetView.Node noFrame = new FleetView.Node("node-c", List.of("iad"), 4, 0, NOW, 200, NOW / 1000, -1, -1, -1, -1);
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(0, List.of(), List.of(refused, behind, noFrame)), NOW);
        assertEquals(List.of(Status.BAD, Status.WARN, Status.OK), nodeStatuses(vm));
        assertEquals("4 pending · 17 refused (lost)", vm.nodes().get(0).spool());
        assertEquals("50 · 3 copies dropped", vm.nodes().get(0).records());
        assertEquals("3 to apply", vm.nodes().get(1).control());
        assertEquals("unknown", vm.nodes().get(2).spool(), "no frame from it yet");
        assertEquals("unknown", vm.nodes().get(2).control());
    }

    @Test
    void aSilentNodesControlTopicIsUnknownNotAppliedAll() {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(0, List.of(), List.of(node("node-a", 300, "fra"), node("node-b", 200_000, "lhr"))), NOW);
        assertEquals("applied all", vm.nodes().get(0).control());
        assertEquals("unknown", vm.nodes().get(1).control(),
                "a node silent for minutes may be behind the fleet: its last frame does not say it is current");
    }

    @Test
    void whenTheAggregatorStopsAnsweringEverythingGreys() {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(0, List.of(pop("fra", 10, 30, "node-a")), List.of(node("node-a", 300, "fra"))), NOW);
        vm.failed("GET /api/v1/fleet failed: connection refused", NOW + 1_000);
        assertEquals(Status.OK, vm.statusProperty().get(), "one missed answer is not yet stale");
        assertEquals("could not read the fleet: GET /api/v1/fleet failed: connection refused", vm.problemProperty().get());
        vm.refresh(NOW + 6_000);
        assertEquals(Status.STALE, vm.statusProperty().get());
        assertEquals(List.of(Status.STALE), nodeStatuses(vm), "grey, not red: the aggregator, not the node, went quiet");
        assertEquals("6.3 s ago · not known: the aggregator has not answered for 6.0 s", vm.nodes().getFirst().lastSeen(),
                "the node is not called silent: nothing is known of it since the aggregator's last answer");
        assertEquals("not known now: the aggregator has not answered for 6.0 s", vm.pops().getFirst().note());
        assertEquals(Status.STALE, vm.pops().getFirst().status());
        assertEquals(Status.STALE, vm.aggregatorStatusProperty().get());
        assertTrue(vm.summaryProperty().get().startsWith("fleet: not heard from the aggregator for 6 s"), vm.summaryProperty().get());
    }

    @Test
    void beforeAnyAnswerNothingLooksLive() {
        FleetViewModel vm = new FleetViewModel();
        vm.refresh(NOW);
        assertEquals("fleet: asking the aggregator…", vm.summaryProperty().get());
        assertEquals(Status.STALE, vm.statusProperty().get());
        vm.failed("not connected", NOW);
        assertEquals("fleet: unknown (could not read the fleet: not connected)", vm.summaryProperty().get());
        vm.answered(fleet(-1, List.of(), List.of()), NOW);
        assertEquals("fleet: no node heard yet", vm.summaryProperty().get());
        assertEquals(Status.STALE, vm.statusProperty().get());
    }

    @ParameterizedTest
    @CsvSource({"-1, 'Aggregator: not reading the fleet''s topics yet · 360 fleet records read', WARN",
            "0, 'Aggregator: caught up · 360 fleet records read', OK",
            "1000, 'Aggregator: 1,000 records behind · 360 fleet records read', OK",
            "1001, 'Aggregator: 1,001 records behind · 360 fleet records read', WARN"})
    void theAggregatorsOwnLag(long lag, String line, Status status) {
        FleetViewModel vm = new FleetViewModel();
        vm.answered(fleet(lag, List.of(), List.of(node("node-a", 100, "fra"))), NOW);
        assertEquals(line, vm.aggregatorProperty().get());
        assertEquals(status, vm.aggregatorStatusProperty().get());
        assertEquals(status, vm.statusProperty().get());
    }

    @ParameterizedTest
    @CsvSource({"-1, STALE", "0, OK", "3000, OK", "3001, WARN", "5000, WARN", "5001, BAD"})
    void ageThresholds(long ageMillis, Status status) {
        assertEquals(status, FleetViewModel.ageStatus(ageMillis));
    }
}
