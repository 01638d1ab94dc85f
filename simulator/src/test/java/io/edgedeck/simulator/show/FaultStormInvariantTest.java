package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outages, partitions, a slow acquirer and loss on several PoPs at once, overlapping: across 100
 * seeds every checkout ends completed, or queued and later reconciled; none is lost.
 */
class FaultStormInvariantTest {

    @Test
    void noCheckoutIsLostAcrossAHundredSeeds() throws Exception {
        Scenario storm;
        try (InputStream in = getClass().getResourceAsStream("fault-storm.json")) {
            storm = ScenarioParser.parse(in);
        }
        List<Future<CheckoutCounts>> runs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()))) {
            for (long seed = 1; seed <= 100; seed++) {
                long s = seed;
                runs.add(pool.submit(() -> {
                    Show show = new Show(new ShowDefinition(storm, s), new MemoryJournal());
                    while (!show.finished()) {
                        show.step();
                    }
                    return show.core().checkouts().counts();
                }));
            }
            long queuedInAll = 0;
            for (int i = 0; i < runs.size(); i++) {
                CheckoutCounts c = runs.get(i).get();
                String seed = "seed " + (i + 1) + ": " + c;
                assertEquals(0, c.lost(), seed);
                assertEquals(c.attempted(), c.completed() + c.queued(), seed);
                assertEquals(c.queued(), c.reconciled(), seed);
                assertEquals(0, c.pending(), seed);
                queuedInAll += c.queued();
            }
            assertTrue(queuedInAll > 100 * 100, "the storm really made checkouts queue: " + queuedInAll);
        }
    }
}
