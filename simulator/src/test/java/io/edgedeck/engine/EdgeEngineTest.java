package io.edgedeck.engine;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.model.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EdgeEngineTest {

    /** Drives {@code perTick} checkouts and requests from random routes for a number of ticks. */
    private static void drive(EdgeEngine e, SplittableRandom r, int ticks, int perTick) {
        for (int t = 0; t < ticks; t++) {
            for (int i = 0; i < perTick; i++) {
                int region = r.nextInt(2);
                int route = e.pickRoute(region, r.nextDouble());
                if (i % 5 == 0) {
                    e.checkout(route);
                } else {
                    e.serve(route);
                }
            }
            e.advance();
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
        EdgeEngine e = new EdgeEngine(TestShows.threePops(5, 2000), new MemoryJournal());
        SplittableRandom r = new SplittableRandom(1);
        drive(e, r, 300, 20);
        Fault f = switch (fault) {
            case "outage" -> new Fault.Outage();
            case "partition" -> new Fault.Partition();
            default -> new Fault.AcquirerSlowdown(5000);
        };
        // Every PoP of the eu region at once, so checkouts there have nowhere healthy to go.
        e.applyFault("fra", f, 20_000, "test");
        e.applyFault("ams", f, 30_000, "test");
        drive(e, r, 1000, 20);
        CheckoutCounts during = e.checkoutCounts();
        assertInvariant(during);
        assertTrue(during.pending() > 0, "checkouts queue while the region cannot authorise: " + during);
        drive(e, r, 2500, 20);
        CheckoutCounts after = e.checkoutCounts();
        assertInvariant(after);
        assertEquals(0, after.pending(), "everything queued was reconciled after recovery");
        assertEquals(after.queued(), after.reconciled());
    }

    @Test
    void routingFallsBackWhenTheHomePopIsDown() {
        EdgeEngine e = new EdgeEngine(TestShows.threePops(5, 2000), new MemoryJournal());
        e.applyFault("fra", new Fault.Outage(), 0, "test");
        int fraHome = e.pickRoute(0, 0.0);
        assertEquals(e.popIndex("ams"), e.serve(fraHome));
        e.advance();
        assertEquals(PopHealth.DOWN, e.popMetrics().get(e.popIndex("fra")).health());
        e.liftFault("fra", "outage", "test");
        assertEquals(e.popIndex("fra"), e.serve(fraHome));
    }

    @Test
    void overCapacityShedsToTheNextPopThenQueues() {
        EdgeEngine e = new EdgeEngine(TestShows.threePops(5, 1000), new MemoryJournal());
        int fraHome = e.pickRoute(0, 0.0);
        // 1000 rps at 10 ms ticks is 10 requests a tick per PoP.
        int atFra = 0;
        int atAms = 0;
        for (int i = 0; i < 30; i++) {
            int p = e.serve(fraHome);
            if (p == e.popIndex("fra")) atFra++;
            if (p == e.popIndex("ams")) atAms++;
        }
        assertEquals(20, atFra, "10 served within capacity, then 10 queued at the nearest PoP");
        assertEquals(10, atAms);
        e.advance();
        var fra = e.popMetrics().get(e.popIndex("fra"));
        assertEquals(PopHealth.DEGRADED, fra.health());
        assertTrue(fra.queueDepth() > 0);
    }

    @Test
    void faultsLiftThemselvesAndAreJournaled() {
        MemoryJournal journal = new MemoryJournal();
        EdgeEngine e = new EdgeEngine(TestShows.threePops(5, 1000), journal);
        e.applyFault("iad", new Fault.JitterStorm(80), 1000, "cue");
        assertEquals(80.0, e.faultsInForce().get("iad").get("jitter"));
        for (int i = 0; i < 100; i++) {
            e.advance();
        }
        assertTrue(e.faultsInForce().get("iad").isEmpty());
        assertEquals(3, journal.records().size(), "show started, fault applied, fault lifted");
    }
}
