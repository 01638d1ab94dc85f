package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.MeanDifference;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopValue;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.TriggerMetrics;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.simulator.server.http.JsonBodies;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet's frame made from nodes' frames, without a broker: what is summed, what is taken from whom, what goes stale. */
class FleetFramesTest {

    private static final long NOW = 1_764_633_600_000L;

    private static PopMetrics pop(String id, String region, long requests) {
        return new PopMetrics(id, region, PopHealth.UP, new LatencyWindow(10, 40, 20, 35, 60, 80),
                new LatencyWindow(60, 200, 21, 36, 61, 90), 1.5, 0.01, 4, requests, 2, 0, 0, 0, List.of());
    }

    private static FlagView flag(int treatmentWeight, boolean killed) {
        return new FlagView("offer-banner", "the banner", "growth", List.of(new VariantView("control", 10_000 - treatmentWeight),
                new VariantView("treatment", treatmentWeight)), "control", "global", 3, killed, 2, 2, 120L);
    }

    private static GuardrailStatus guard(String node, Long firedAt) {
        return new GuardrailStatus("sentiment-guard", "offer-banner", "treatment", RuleMatch.ALL, GuardrailAction.ROLLBACK, true,
                GuardrailState.WATCHING, List.of(), 10, 10, 300, 120, firedAt, 1_000L, 1_000L, 0.05);
    }

    /** A node's frame: engine time {@code engineMillis}, sent at {@code atMillis}, with its PoPs, arms, chat and timeline. */
    private static NodeFrame node(String id, long atMillis, long engineMillis, long controlOffset, List<PopMetrics> pops,
                                  List<VariantMetrics> variants, ChatMetrics chat, FlagView flag, List<ShowEvent> timeline,
                                  List<GuardrailFiring> firings, NodeCondition condition) {
        MetricsFrame f = new MetricsFrame(7, engineMillis, "live", 0, ShowState.RUNNING, 1, 0, pops, variants,
                new CheckoutCounts(3, 2, 1, 1, 0, 0), new EventCounts(100, 99, 1), chat, List.of(flag),
                List.of(guard(id, firings.isEmpty() ? null : firings.getFirst().atMillis())), firings,
                new TriggerMetrics(Map.of("quick-buy", 2L), 1, 0, 100, 300), timeline, null, condition);
        return new NodeFrame(1, id, atMillis, pops.stream().map(PopMetrics::id).toList(), 0, 0, 0, -1, controlOffset, 0,
                JsonBodies.MAPPER.valueToTree(f), null);
    }

    @Test
    void countsAreSummedExactlyAndRatesComeFromTheSums() {
        // node-a: treatment 100 exposures, 10 conversions; node-b: 300 and 60. Mean of rates 0.15; the fleet's is 70 / 400.
        NodeFrame a = node("node-a", NOW - 200, 50_000, 4, List.of(pop("fra", "eu", 1000), pop("ams", "eu", 500)),
                List.of(new VariantMetrics("offer-banner", "treatment", false, 100, 10, 20, 0.5, ChatMetrics.EMPTY, 100.0, 1, 0)),
                new ChatMetrics(20, 20, 2, 40, 0.5, List.of(":)")), flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        NodeFrame b = node("node-b", NOW - 300, 20_000, 9, List.of(pop("lhr", "eu", 700)),
                List.of(new VariantMetrics("offer-banner", "treatment", false, 300, 60, 60, -0.1, ChatMetrics.EMPTY, 50.0, 2, 1)),
                new ChatMetrics(60, 60, 1, -10, -0.1, List.of(":(")), flag(0, true), List.of(), List.of(), NodeCondition.OK);
        MetricsFrame f = new FleetFrames().frame(Map.of("node-a", a, "node-b", b), NOW);

        assertEquals(List.of("ams", "fra", "lhr"), f.pops().stream().map(PopMetrics::id).toList());
        assertEquals(1000, f.pop("fra").requests(), "a PoP's figures are its node's");
        VariantMetrics t = f.variants().getFirst();
        assertEquals(400, t.exposures());
        assertEquals(70, t.conversions());
        assertEquals(70.0 / 400, t.conversionRate(), 1e-12);
        assertEquals(80, t.chatMessages());
        assertEquals((20 * 0.5 + 60 * -0.1) / 80, t.chatMeanScore(), 1e-12, "the mean over every message, not a mean of means");
        assertEquals(150.0, t.conversionValue(), 1e-9);
        assertEquals(3, t.movedIn());
        assertEquals(80, f.chat().messages());
        assertEquals((20 * 0.5 + 60 * -0.1) / 80, f.chat().meanScore(), 1e-12);
        assertEquals(80.0 / (20 / 2.0 + 60 / 1.0), f.chat().spikeRatio(), 1e-12, "the summed rate over the summed baselines");
        assertNull(f.chat().meanLow(), "no interval is made up from two nodes' intervals");
        assertEquals(new CheckoutCounts(6, 4, 2, 2, 0, 0), f.checkouts());
        assertEquals(new EventCounts(200, 198, 2), f.events());
        assertEquals(4L, f.triggers().firingsByRule().get("quick-buy"));
        // node-b applied the newer control record: its flag state is the fleet's; node-a's PoPs do not run it yet.
        FlagView fl = f.flags().getFirst();
        assertTrue(fl.killed());
        assertEquals(1, fl.popsAcknowledged(), "lhr");
        assertEquals(3, fl.popsTotal());
        assertNull(fl.fullPropagationMillis(), "not everywhere yet");
        assertEquals(List.of("sentiment-guard @ node-a", "sentiment-guard @ node-b"),
                f.guardrails().stream().map(GuardrailStatus::id).toList(), "a guardrail is each node's own");
        assertEquals(NodeCondition.OK, f.node());
    }

    /** node-a's frame with a flag at {@code acknowledged} of its PoPs, listed or (an older node) counted only. */
    private static NodeFrame withPops(String id, List<String> pops, List<String> acknowledged, boolean listed) {
        FlagView f = flag(5_000, false).withAcknowledged(acknowledged.size(), pops.size());
        NodeFrame n = node(id, NOW - 100, 10_000, 1, pops.stream().map(p -> pop(p, "eu", 1)).toList(), List.of(),
                ChatMetrics.EMPTY, f, List.of(), List.of(), NodeCondition.OK);
        return new NodeFrame(1, id, n.atMillis(), pops, 0, 0, 0, -1, 1, 0, n.frame(), null,
                listed ? Map.of("offer-banner", acknowledged) : null);
    }

    @Test
    void aPopTwoNodesServeIsOnePopAcknowledgedOnlyWhereBothRunTheFlag() {
        NodeFrame a = withPops("node-a", List.of("ams", "fra"), List.of("ams", "fra"), true);
        NodeFrame b = withPops("node-b", List.of("fra", "lhr"), List.of("fra", "lhr"), true);
        FlagView all = new FleetFrames().frame(Map.of("node-a", a, "node-b", b), NOW).flags().getFirst();
        assertEquals(List.of(3, 3), List.of(all.popsAcknowledged(), all.popsTotal()), "fra once: ams, fra, lhr");
        assertEquals(120L, all.fullPropagationMillis());

        // node-b runs the version at lhr but not yet at fra: fra waits for it although node-a runs it there.
        NodeFrame midway = withPops("node-b", List.of("fra", "lhr"), List.of("lhr"), true);
        FlagView part = new FleetFrames().frame(Map.of("node-a", a, "node-b", midway), NOW).flags().getFirst();
        assertEquals(List.of(2, 3), List.of(part.popsAcknowledged(), part.popsTotal()), "ams and lhr");
        assertNull(part.fullPropagationMillis());

        // A node that sends only counts: all its PoPs once it runs the version at every one, none while midway.
        NodeFrame older = withPops("node-b", List.of("fra", "lhr"), List.of("fra", "lhr"), false);
        FlagView fromOlder = new FleetFrames().frame(Map.of("node-a", a, "node-b", older), NOW).flags().getFirst();
        assertEquals(List.of(3, 3), List.of(fromOlder.popsAcknowledged(), fromOlder.popsTotal()));
        NodeFrame olderMidway = withPops("node-b", List.of("fra", "lhr"), List.of("lhr"), false);
        FlagView unknown = new FleetFrames().frame(Map.of("node-a", a, "node-b", olderMidway), NOW).flags().getFirst();
        assertEquals(List.of(1, 3), List.of(unknown.popsAcknowledged(), unknown.popsTotal()), "ams: which of node-b's is not said");
    }

    @Test
    void aSilentNodesPopsShowNoDataAndTheFleetSaysWhichNode() {
        NodeFrame a = node("node-a", NOW - 300, 50_000, 1, List.of(pop("fra", "eu", 10)), List.of(), ChatMetrics.EMPTY,
                flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        NodeFrame c = node("node-c", NOW - 12_000, 38_000, 1, List.of(pop("iad", "na", 10)), List.of(), ChatMetrics.EMPTY,
                flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        MetricsFrame f = new FleetFrames().frame(Map.of("node-a", a, "node-c", c), NOW);
        assertEquals(PopHealth.UP, f.pop("fra").health());
        assertEquals(PopHealth.NO_DATA, f.pop("iad").health(), "a silent node's PoP is not shown as live");
        assertEquals(List.of("node node-c silent 12 s"), f.pop("iad").faults());
        assertEquals(1, f.flags().getFirst().popsAcknowledged(), "what a silent node's PoPs run now is not known");
        assertEquals(2, f.flags().getFirst().popsTotal());
        assertEquals(NodeCondition.Status.READ_ONLY, f.node().status());
        assertTrue(f.node().detail().contains("node-c silent 12 s"), f.node().detail());
        // In data too: which node, and when it was last heard from, for a console to count its seconds itself.
        assertEquals(List.of(new NodeCondition.Silent("node-c", NOW - 12_000)), f.node().silent());
        assertEquals("", f.node().otherDetail(), "nothing else is wrong");
    }

    /**
     * A silent node's seconds are counted from its newest frame, the time /api/v1/fleet gives as its lastSeenMillis, in
     * words and in data; the silent nodes come first, then what else is wrong, which the condition also gives on its own.
     */
    @Test
    void aSilentNodeIsCountedFromItsNewestFrame() {
        NodeFrame b = node("node-b", NOW - 300, 50_000, 1, List.of(pop("fra", "eu", 10)), List.of(), ChatMetrics.EMPTY,
                flag(5_000, false), List.of(), List.of(), NodeCondition.readOnly("journal not writable"));
        NodeFrame c = node("node-c", NOW - 11_400, 38_000, 1, List.of(pop("iad", "na", 10)), List.of(), ChatMetrics.EMPTY,
                flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        MetricsFrame f = new FleetFrames().frame(Map.of("node-b", b, "node-c", c), NOW);
        assertEquals(List.of(new NodeCondition.Silent("node-c", NOW - 11_400)), f.node().silent());
        assertEquals("node node-c silent 11 s, its PoPs show no data; node-b read-only: journal not writable", f.node().detail());
        assertEquals("node-b read-only: journal not writable", f.node().otherDetail());
        assertEquals(List.of("node node-c silent 11 s"), f.pop("iad").faults());
    }

    /**
     * Each PoP says in data which node serves it, whether the aggregator calls that node silent, and since when, with the
     * clause its silence added to the PoP's faults: a console tells that clause by its own count without reading words.
     */
    @Test
    void eachPopSaysInDataWhichNodeServesItAndWhetherItIsSilent() {
        NodeFrame a = serving("node-a", NOW - 100, fra(PopHealth.DEGRADED, 900, 45, 0.1, 4.5, 3_785, List.of("jitter")));
        NodeFrame b = serving("node-b", NOW - 12_000, fra(PopHealth.UP, 90, 50, 0, 5.0, 3_540, List.of()));
        NodeFrame c = node("node-c", NOW - 12_500, 38_000, 1, List.of(pop("iad", "na", 10)), List.of(), ChatMetrics.EMPTY,
                flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        NodeFrame d = node("node-d", NOW - 200, 38_000, 1, List.of(pop("lhr", "eu", 10)), List.of(), ChatMetrics.EMPTY,
                flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        MetricsFrame f = new FleetFrames().frame(Map.of("node-a", a, "node-b", b, "node-c", c, "node-d", d), NOW);
        assertEquals(List.of(new PopMetrics.ServedBy("node-c", true, NOW - 12_500, "node node-c silent 12 s")),
                f.pop("iad").servedBy());
        assertEquals(List.of(new PopMetrics.ServedBy("node-d", false, NOW - 200, null)), f.pop("lhr").servedBy());
        assertEquals(List.of(new PopMetrics.ServedBy("node-a", false, NOW - 100, null),
                new PopMetrics.ServedBy("node-b", true, NOW - 12_000, "node node-b silent 12 s")), f.pop("fra").servedBy(),
                "a PoP two nodes serve names both");
        assertEquals(List.of("jitter", "node node-b silent 12 s"), f.pop("fra").faults());

        // While Kafka is out of reach no node is called silent, in data either: the words say why it is not heard.
        MetricsFrame cut = new FleetFrames().frame(Map.of("node-c", c), NOW, List.of(), List.of(),
                new FleetAggregator.Outage(NOW - 20_000, "Kafka did not answer within 5 s"));
        assertEquals(List.of(new PopMetrics.ServedBy("node-c", false, NOW - 12_500, null)), cut.pop("iad").servedBy());

        // A node's own frame names no node serving its PoPs: the field is not sent.
        assertTrue(JsonBodies.MAPPER.valueToTree(pop("fra", "eu", 1)).path("servedBy").isMissingNode());
    }

    /**
     * While the aggregator cannot reach Kafka, no node's frame can reach it: a node's old frame says the
     * aggregator is cut off, not that the node went silent, and the fleet's condition says so, since when.
     */
    @Test
    void whileKafkaIsOutOfReachNoNodeIsCalledSilent() {
        NodeFrame a = node("node-a", NOW - 85_000, 50_000, 1, List.of(pop("fra", "eu", 10)), List.of(), ChatMetrics.EMPTY,
                flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        NodeFrame c = node("node-c", NOW - 84_000, 38_000, 1, List.of(pop("iad", "na", 10)), List.of(), ChatMetrics.EMPTY,
                flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        MetricsFrame f = new FleetFrames().frame(Map.of("node-a", a, "node-c", c), NOW, List.of(), List.of(),
                new FleetAggregator.Outage(NOW - 90_000, "Kafka did not answer within 5 s"));
        assertEquals(PopHealth.NO_DATA, f.pop("iad").health(), "what the PoP does now is not known");
        assertEquals(List.of("node node-c not heard for 84 s: the aggregator cannot reach Kafka"), f.pop("iad").faults());
        assertEquals(NodeCondition.Status.READ_ONLY, f.node().status());
        String detail = f.node().detail();
        assertTrue(detail.startsWith("the aggregator cannot reach Kafka since ") && detail.contains("(90 s)"), detail);
        assertTrue(detail.contains("the nodes may be serving") && !detail.contains("silent"), detail);
        assertEquals(List.of(), f.node().silent(), "no node called silent in data either");
        assertNull(f.node().otherDetail());
    }

    /** One node's share of fra: its health, 10 s p95 and requests served in the window, loss ratio and throughput. */
    private static PopMetrics fra(PopHealth health, double p95, long served10s, double loss, double rps, long requests,
                                  List<String> faults) {
        return new PopMetrics("fra", "eu", health, new LatencyWindow(10, served10s, p95 / 2, p95, p95 * 1.2, p95 * 1.5),
                new LatencyWindow(60, served10s * 6, p95 / 2, p95 * 0.9, p95, p95 * 1.5), 2, loss, rps, requests, 3, 0, 1, 0, faults);
    }

    private static NodeFrame serving(String id, long atMillis, PopMetrics share) {
        return node(id, atMillis, 10_000, 1, List.of(share), List.of(), ChatMetrics.EMPTY, flag(5_000, false), List.of(),
                List.of(), NodeCondition.OK);
    }

    @Test
    void aPopTwoNodesServeIsBothSharesTogetherAndAsBadAsTheWorst() {
        // node-b's half of fra is degraded; node-a's frame is the newer one and its half is fine.
        NodeFrame a = serving("node-a", NOW - 100, fra(PopHealth.UP, 88.6, 45, 0, 4.5, 3_785, List.of()));
        NodeFrame b = serving("node-b", NOW - 900, fra(PopHealth.DEGRADED, 1_531.9, 73, 0.27, 5.0, 3_540, List.of("latency")));
        PopMetrics m = new FleetFrames().frame(Map.of("node-a", a, "node-b", b), NOW).pop("fra");
        assertEquals(PopHealth.DEGRADED, m.health(), "half of fra degraded is fra degraded");
        assertEquals(1_531.9, m.last10s().p95Ms(), 1e-9, "the highest share's p95: the whole's is no higher");
        assertEquals(1_531.9 * 1.5, m.last10s().maxMs(), 1e-9);
        assertEquals(118, m.last10s().count());
        assertEquals(7_325, m.requests());
        assertEquals(6, m.errors());
        assertEquals(9.5, m.throughputRps(), 1e-9);
        assertEquals(2, m.queueDepth());
        // node-b served 73 and lost 27 of 100; node-a served 45 and lost none: 27 of 145.
        assertEquals(27.0 / 145, m.lossRatio(), 1e-9, "the ratio of the summed losses, not node-a's 0");
        assertEquals(List.of("latency"), m.faults());
        assertEquals(1, new FleetFrames().frame(Map.of("node-a", a, "node-b", b), NOW).pops().size(), "fra once");
        PopMetrics x = fra(PopHealth.UP, 80, 10, 0, 1, 10, List.of());
        PopMetrics y = fra(PopHealth.UP, 90, 10, 0, 1, 10, List.of());
        PopValue merged = FleetFrames.merged(List.of(
                new PopMetrics("fra", "eu", PopHealth.UP, x.last10s(), x.last60s(), 1, 0, 1, 10, 0, 0, 0, 0, List.of(), null,
                        new PopValue(2.5, 3, 30, 100, 2, 10, 1)),
                new PopMetrics("fra", "eu", PopHealth.UP, y.last10s(), y.last60s(), 1, 0, 1, 10, 0, 0, 0, 0, List.of(), null,
                        new PopValue(null, 4, 40, 50, 3, 5, 1)))).value();
        assertEquals(new PopValue(2.5, 7, 70, 150, 5, 15, 2), merged, "summed; a cost known by one share is kept");

        // A share that lost every request gives no count to weigh its losses by: the highest ratio stands.
        NodeFrame down = serving("node-b", NOW - 900, fra(PopHealth.DOWN, 0, 0, 1, 0, 3_540, List.of("outage")));
        PopMetrics half = new FleetFrames().frame(Map.of("node-a", a, "node-b", down), NOW).pop("fra");
        assertEquals(PopHealth.DOWN, half.health());
        assertEquals(1.0, half.lossRatio(), 1e-9);
        assertEquals(88.6, half.last10s().p95Ms(), 1e-9, "a share with no request in the window has no latency to bound");
    }

    @Test
    void aSilentNodesShareOfAPopIsNotCountedAsHealthy() {
        NodeFrame a = serving("node-a", NOW - 100, fra(PopHealth.UP, 88.6, 45, 0, 4.5, 3_785, List.of()));
        NodeFrame b = serving("node-b", NOW - 12_000, fra(PopHealth.UP, 90, 50, 0, 5.0, 3_540, List.of()));
        PopMetrics m = new FleetFrames().frame(Map.of("node-a", a, "node-b", b), NOW).pop("fra");
        assertEquals(PopHealth.NO_DATA, m.health(), "what node-b's viewers see now is not known");
        assertEquals(List.of("node node-b silent 12 s"), m.faults());

        // A share known to be degraded outranks one not known at all.
        NodeFrame slow = serving("node-a", NOW - 100, fra(PopHealth.DEGRADED, 900, 45, 0.1, 4.5, 3_785, List.of("jitter")));
        PopMetrics both = new FleetFrames().frame(Map.of("node-a", slow, "node-b", b), NOW).pop("fra");
        assertEquals(PopHealth.DEGRADED, both.health());
        assertEquals(List.of("jitter", "node node-b silent 12 s"), both.faults());
    }

    /** A silent node's last figures are not traffic now: they neither add to a PoP's throughput nor set its p95. */
    @Test
    void aSilentNodesLastFiguresAreNotCountedAsTrafficNow() {
        NodeFrame a = serving("node-a", NOW - 100, fra(PopHealth.UP, 88.6, 45, 0, 4.5, 3_785, List.of()));
        NodeFrame b = node("node-b", NOW - 12_000, 10_000, 1, List.of(fra(PopHealth.UP, 900, 50, 0.2, 5.0, 3_540, List.of()),
                        pop("iad", "na", 10)), List.of(), ChatMetrics.EMPTY, flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        MetricsFrame f = new FleetFrames().frame(Map.of("node-a", a, "node-b", b), NOW);
        PopMetrics m = f.pop("fra");
        assertEquals(4.5, m.throughputRps(), 1e-9, "node-a's rate alone: node-b's last one is not traffic now");
        assertEquals(45, m.last10s().count());
        assertEquals(88.6, m.last10s().p95Ms(), 1e-9, "node-b's last p95 does not set fra's now");
        assertEquals(0, m.lossRatio(), 1e-9);
        assertEquals(7_325, m.requests(), "the totals so far are both nodes'");
        assertEquals(PopHealth.NO_DATA, f.pop("iad").health());
        assertEquals(0, f.pop("iad").throughputRps(), 1e-9, "a PoP only a silent node serves has no traffic known now");
        assertEquals(4.5, f.pops().stream().mapToDouble(PopMetrics::throughputRps).sum(), 1e-9,
                "the fleet's throughput, as the console sums it, is what is served now");
    }

    @Test
    void timelinesAndFiringsMeetOnOneTimeLine() {
        // node-a started 30 s before node-b (engine 50 s against 20 s at the same instant): node-b's times move by 30 s.
        GuardrailFiring fired = new GuardrailFiring(15_000, "sentiment-guard", "offer-banner", "treatment", GuardrailAction.ROLLBACK,
                List.of("lhr"), "sentiment fell", true, "guardrail:sentiment-guard", Map.of());
        NodeFrame a = node("node-a", NOW, 50_000, 1, List.of(pop("fra", "eu", 10)), List.of(), ChatMetrics.EMPTY, flag(5_000, false),
                List.of(new ShowEvent(40_000, "flag", "ramp", null, "offer-banner", "alice")), List.of(), NodeCondition.OK);
        NodeFrame b = node("node-b", NOW, 20_000, 1, List.of(pop("lhr", "eu", 10)), List.of(), ChatMetrics.EMPTY, flag(5_000, false),
                List.of(new ShowEvent(15_000, "guardrail", "rolled back", "lhr", "offer-banner", "guardrail:sentiment-guard")),
                List.of(fired), NodeCondition.readOnly("journal not writable: disk full"));
        MetricsFrame f = new FleetFrames().frame(Map.of("node-a", a, "node-b", b), NOW);
        assertEquals(50_000, f.engineMillis());
        assertEquals(List.of(40_000L, 45_000L), f.timeline().stream().map(ShowEvent::atMillis).toList());
        assertEquals("node-b: rolled back", f.timeline().get(1).label());
        assertEquals(45_000, f.firings().getFirst().atMillis());
        assertEquals("sentiment-guard @ node-b", f.firings().getFirst().rule());
        assertTrue(f.firings().getFirst().reason().startsWith("node-b: "), f.firings().getFirst().reason());
        assertEquals(45_000L, f.guardrails().get(1).lastFiredAtMillis());
        assertEquals(NodeCondition.Status.READ_ONLY, f.node().status());
        assertTrue(f.node().detail().contains("node-b read-only: journal not writable"), f.node().detail());
    }

    /**
     * A sentiment condition's difference of mean scores reaches the fleet's frame from a node that sends it, through
     * the fleet's wire bytes; a node that does not send it (an older version) is read as before, with none.
     */
    @Test
    void aSentimentConditionsMeanDifferenceCrossesTheFleetWireWhenANodeSendsIt() throws Exception {
        var diff = new MeanDifference(-0.21, -0.3, -0.12);
        var condition = new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15, -2.1, null, -0.12, true,
                ConditionState.HARM_ESTABLISHED, 0.99, diff);
        NodeFrame newer = withCondition("node-a", JsonBodies.MAPPER.valueToTree(condition));
        ObjectNode stripped = JsonBodies.MAPPER.valueToTree(condition);
        stripped.remove("meanDifference");
        NodeFrame older = withCondition("node-b", stripped);
        // as the aggregator reads them off the wire
        NodeFrame newerRead = FleetJson.read(FleetJson.bytes(newer), NodeFrame.class);
        NodeFrame olderRead = FleetJson.read(FleetJson.bytes(older), NodeFrame.class);

        MetricsFrame f = new FleetFrames().frame(Map.of("node-a", newerRead, "node-b", olderRead), NOW);
        Map<String, ConditionStatus> byRule = new java.util.HashMap<>();
        f.guardrails().forEach(g -> byRule.put(g.id(), g.conditions().getFirst()));
        assertEquals(condition, byRule.get("sentiment-guard @ node-a"));
        assertNull(byRule.get("sentiment-guard @ node-b").meanDifference());
        assertEquals(-0.12, byRule.get("sentiment-guard @ node-b").upper());
        // and as the fleet's API answers the console
        MetricsFrame served = JsonBodies.MAPPER.readValue(JsonBodies.MAPPER.writeValueAsString(f), MetricsFrame.class);
        assertEquals(f.guardrails(), served.guardrails());
    }

    /** A node's frame whose sentiment guard shows {@code condition}. */
    private static NodeFrame withCondition(String id, JsonNode condition) {
        NodeFrame n = node(id, NOW, 50_000, 1, List.of(pop(id.equals("node-a") ? "fra" : "lhr", "eu", 10)), List.of(),
                ChatMetrics.EMPTY, flag(5_000, false), List.of(), List.of(), NodeCondition.OK);
        ObjectNode frame = n.frame().deepCopy();
        ((ArrayNode) frame.get("guardrails").get(0).get("conditions")).add(condition);
        return new NodeFrame(n.v(), n.node(), n.atMillis(), n.pops(), n.spoolPending(), n.spoolBytes(), n.spoolRefused(),
                n.oldestPendingMillis(), n.controlOffset(), n.controlLag(), frame, n.url(), n.acknowledged());
    }
}
