package io.edgedeck.simulator.fleet;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetStateTest {

    private static final String T = "edgedeck.pop-seconds";

    private static PopSecond second(String node, String pop, long second, double... latenciesMs) {
        Histogram h = LatencyHistograms.empty();
        for (double ms : latenciesMs) {
            LatencyHistograms.recordMillis(h, ms);
        }
        return new PopSecond(1, node, pop, second, latenciesMs.length + 1, 1, LatencyHistograms.encode(h), 2,
                List.of(new PopSecond.ArmCounts("flag", "treatment", 3, 1, 9.5, 2, 0.5, 0.25)),
                new PopSecond.ChatCounts(2, 0.5, 0.25), new PopSecond.CheckoutCounts(1, 1, 0, 0));
    }

    private static boolean apply(FleetState s, PopSecond p, long seq) {
        return s.apply(T, p.pop(), p.node(), seq, PopSecond.SCHEMA, FleetJson.bytes(p), p.second() * 1000);
    }

    @Test
    void addsNodesTogetherPerPopAndVariantAndDropsCopies() {
        FleetState s = new FleetState(10);
        assertTrue(apply(s, second("a", "fra", 100, 10, 20, 30), 1));
        assertTrue(apply(s, second("b", "fra", 100, 40, 50), 1));
        assertTrue(apply(s, second("a", "ams", 101, 5), 2));
        assertFalse(apply(s, second("a", "fra", 100, 10, 20, 30), 1), "the same node and number again");
        assertFalse(apply(s, second("a", "ams", 101, 5), 1), "an older number on the same key");

        FleetSnapshot snap = s.snapshot(102_000);
        assertEquals(3, snap.records());
        assertEquals(2, snap.duplicates());
        FleetSnapshot.PopView fra = snap.pops().get(1);
        assertEquals("fra", fra.pop());
        assertEquals(7, fra.total().requests());
        assertEquals(2, fra.total().lost());
        assertEquals(50.0, fra.total().maxMs(), 0.5);
        assertEquals(30.0, fra.total().p50Ms(), 0.5);
        assertEquals(List.of("a", "b"), fra.nodes());
        FleetSnapshot.VariantView v = snap.variants().getFirst();
        assertEquals(9, v.exposures());
        assertEquals(3 * 9.5, v.value(), 1e-9);
        assertEquals(6, v.messages());
        assertEquals(0.25, v.sentimentMean(), 1e-12);
        FleetSnapshot.NodeView a = snap.nodes().getFirst();
        assertEquals(List.of("ams", "fra"), a.pops());
        assertEquals(2, a.records());
        assertEquals(2, a.duplicates());
        assertEquals(101_000, a.lastSeenMillis());
        assertEquals(1_000, a.ageMillis());
        assertEquals(3, snap.checkouts().started());
    }

    @Test
    void theRecentWindowHoldsOnlyTheLastSeconds() {
        FleetState s = new FleetState(5);
        for (int i = 0; i < 20; i++) {
            apply(s, second("a", "fra", 1000 + i, 10 + i), i + 1);
        }
        FleetSnapshot snap = s.snapshot(0);
        assertEquals(1019, snap.newestSecond());
        FleetSnapshot.PopView fra = snap.pops().getFirst();
        assertEquals(40, fra.total().requests());
        assertEquals(10, fra.recent().requests(), "seconds 1015 to 1019, two requests each");
        assertEquals(29.0, fra.recent().maxMs(), 0.3);
        assertEquals(27.0, fra.recent().p50Ms(), 0.3, "the middle of 25, 26, 27, 28 and 29 ms");
        assertEquals(5 * 3, snap.variants().getFirst().recentExposures());
    }

    @Test
    void malformedRecordsAreCountedAndChangeNothing() {
        FleetState s = new FleetState(10);
        apply(s, second("a", "fra", 100, 10), 1);
        FleetSnapshot before = s.snapshot(0);
        assertFalse(s.apply(T, "fra", "a", 2, PopSecond.SCHEMA, "{not json".getBytes(StandardCharsets.UTF_8), 0));
        assertFalse(s.apply(T, "fra", "a", 3, "pop-second/9", FleetJson.bytes(second("a", "fra", 100)), 0));
        assertFalse(s.apply(T, "fra", null, 4, PopSecond.SCHEMA, FleetJson.bytes(second("a", "fra", 100)), 0));
        assertFalse(s.apply(T, "fra", "a", 5, PopSecond.SCHEMA, FleetJson.bytes(second("b", "fra", 100)), 0),
                "node b's record under node a's name");
        PopSecond badHistogram = new PopSecond(1, "a", "fra", 100, 1, 0, "bm90IGEgaGlzdG9ncmFt", 0, List.of(), null, null);
        assertFalse(apply(s, badHistogram, 6));
        PopSecond impossible = new PopSecond(1, "a", "fra", 100, 1, 5, null, 0, List.of(), null, null);
        assertFalse(apply(s, impossible, 7));
        FleetSnapshot after = s.snapshot(0);
        assertEquals(6, after.malformed());
        assertEquals(before.pops(), after.pops());
        assertEquals(before.variants(), after.variants());
    }

    @Test
    void framesSayWhichPopsANodeServesAndHowFarBehindItIs() {
        FleetState s = new FleetState(10);
        NodeFrame older = new NodeFrame(1, "a", 5_000, List.of("fra"), 9, 900, 0, 4_000, 3, 1, null, null);
        NodeFrame newer = new NodeFrame(1, "a", 6_000, List.of("fra", "ams"), 2, 200, 1, 5_500, 7, 0, null, null);
        String frames = "edgedeck.node-frames";
        assertTrue(s.apply(frames, "a", "a", 6_000, NodeFrame.SCHEMA, FleetJson.bytes(newer), 6_000));
        assertFalse(s.apply(frames, "a", "a", 5_000, NodeFrame.SCHEMA, FleetJson.bytes(older), 5_000));
        FleetSnapshot.NodeView a = s.snapshot(8_000).nodes().getFirst();
        assertEquals(List.of("ams", "fra"), a.pops());
        assertEquals(2, a.spoolPending());
        assertEquals(1, a.spoolRefused());
        assertEquals(7, a.controlOffset());
        assertEquals(0, a.controlLag());
        assertEquals(2_000, a.ageMillis());
    }

    /**
     * A node is heard from by its frames, one a second: once it sends them, its other records (aggregates spooled while
     * its frames were not getting through, say) do not make it look heard from, so /api/v1/fleet and the fleet's frame
     * call it silent on the same count.
     */
    @Test
    void aNodeIsHeardFromByItsNewestFrameNotItsOtherRecords() {
        FleetState s = new FleetState(10);
        String frames = "edgedeck.node-frames";
        NodeFrame last = new NodeFrame(1, "a", 6_000, List.of("fra"), 0, 0, 0, -1, 3, 0, null, null);
        assertTrue(s.apply(frames, "a", "a", 6_000, NodeFrame.SCHEMA, FleetJson.bytes(last), 6_000));
        assertTrue(apply(s, second("a", "fra", 11, 10), 1), "an aggregate spooled at 11 000, after its last frame");
        FleetSnapshot.NodeView a = s.snapshot(13_000).nodes().getFirst();
        assertEquals(6_000, a.lastSeenMillis(), "its newest frame");
        assertEquals(7_000, a.ageMillis());
    }
}
