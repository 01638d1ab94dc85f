package io.edgedeck.simulator.edge;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.engine.journal.MemoryJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated edge feeding a core: routing, capacity, faults and checkout authorisation. */
class SimulatedEdgeTest {

    /** Drives {@code perTick} checkouts and requests from random routes for a number of ticks. */
    private static void drive(TestEdges t, SplittableRandom r, int ticks, int perTick) {
        for (int tick = 0; tick < ticks; tick++) {
            for (int i = 0; i < perTick; i++) {
                int region = r.nextInt(2);
                int route = t.edge().pickRoute(region, r.nextDouble());
                if (i % 5 == 0) {
                    t.edge().checkout(route);
                } else {
                    t.edge().serve(route);
                }
            }
            t.advance();
        }
    }

    private static void assertInvariant(CheckoutCounts c) {
        assertEquals(0, c.lost(), "no checkout is lost");
        assertEquals(c.attempted(), c.completed() + c.queued());
        assertEquals(c.queued(), c.reconciled() + c.pending());
    }

    @ParameterizedTest
    @ValueSource(strings = {"outage", "partition", "acquirer"})
    void everyCheckoutEndsCompletedOrQueuedAndReconciled(String fault) {
        TestEdges t = TestEdges.open(5, 2000, new MemoryJournal());
        SimulatedEdge e = t.edge();
        SplittableRandom r = new SplittableRandom(1);
        drive(t, r, 300, 20);
        Fault f = switch (fault) {
            case "outage" -> new Fault.Outage();
            case "partition" -> new Fault.Partition();
            default -> new Fault.AcquirerSlowdown(5000);
        };
        // Every PoP of the eu region at once, so checkouts there have nowhere healthy to go.
        e.applyFault("fra", f, 20_000, "test");
        e.applyFault("ams", f, 30_000, "test");
        drive(t, r, 1000, 20);
        CheckoutCounts during = t.core().checkouts().counts();
        assertInvariant(during);
        assertTrue(during.pending() > 0, "checkouts queue while the region cannot authorise: " + during);
        drive(t, r, 2500, 20);
        CheckoutCounts after = t.core().checkouts().counts();
        assertInvariant(after);
        assertEquals(0, after.pending(), "everything queued was reconciled after recovery");
        assertEquals(after.queued(), after.reconciled());
    }

    @Test
    void routingFallsBackWhenTheHomePopIsDown() {
        TestEdges t = TestEdges.open(5, 2000, new MemoryJournal());
        SimulatedEdge e = t.edge();
        var pops = t.core().pops();
        e.applyFault("fra", new Fault.Outage(), 0, "test");
        int fraHome = e.pickRoute(0, 0.0);
        assertEquals(pops.index("ams"), e.serve(fraHome));
        t.advance();
        assertEquals(PopHealth.DOWN, pops.metrics(pops.index("fra"), 0).health());
        e.liftFault("fra", FaultKind.OUTAGE, "test");
        assertEquals(pops.index("fra"), e.serve(fraHome));
    }

    @Test
    void overCapacityShedsToTheNextPopThenQueues() {
        TestEdges t = TestEdges.open(5, 1000, new MemoryJournal());
        SimulatedEdge e = t.edge();
        var pops = t.core().pops();
        int fraHome = e.pickRoute(0, 0.0);
        // 1000 rps at 10 ms ticks is 10 requests a tick per PoP.
        int atFra = 0;
        int atAms = 0;
        for (int i = 0; i < 30; i++) {
            int p = e.serve(fraHome);
            if (p == pops.index("fra")) atFra++;
            if (p == pops.index("ams")) atAms++;
        }
        assertEquals(20, atFra, "10 served within capacity, then 10 queued at the nearest PoP");
        assertEquals(10, atAms);
        t.advance();
        var fra = pops.metrics(pops.index("fra"), 0);
        assertEquals(PopHealth.DEGRADED, fra.health());
        assertTrue(fra.queueDepth() > 0);
    }

    @Test
    void faultsLiftThemselvesAndAreJournaled() {
        MemoryJournal journal = new MemoryJournal();
        TestEdges t = TestEdges.open(5, 1000, journal);
        SimulatedEdge e = t.edge();
        e.applyFault("iad", new Fault.JitterStorm(80), 1000, "cue");
        assertEquals(80.0, e.faults().inForce().get("iad").get(FaultKind.JITTER).magnitude());
        assertEquals(java.util.List.of("jitter"), t.core().pops().metrics(t.core().pops().index("iad"), 0).faults());
        for (int i = 0; i < 100; i++) {
            t.advance();
        }
        assertTrue(e.faults().inForce().get("iad").isEmpty());
        assertTrue(t.core().pops().metrics(t.core().pops().index("iad"), 0).faults().isEmpty());
        assertEquals(3, journal.records().size(), "show started, fault applied, fault lifted");
    }
}
