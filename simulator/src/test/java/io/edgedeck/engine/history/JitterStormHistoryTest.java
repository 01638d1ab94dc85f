package io.edgedeck.engine.history;

import io.edgedeck.client.analysis.JitterOnset;
import io.edgedeck.client.analysis.WhatChanged;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in jitter storm (fra, from 240 s) as the history shows it. */
class JitterStormHistoryTest {

    @Test
    void fraAloneCrossesTheThresholdJustAfterTheStormStarts() throws Exception {
        var scenario = ScenarioCatalog.load("jitter-storm");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < 320_000) {
            show.step();
        }
        for (var pop : scenario.pops()) {
            PopHistory h = show.core().pops().history(pop.id(), 0, 320);
            assertEquals(320, h.rows(), pop.id());
            assertEquals(0, h.startSecond()[0]);
            var onset = JitterOnset.first(h, JitterOnset.DEFAULT_THRESHOLD_MS, JitterOnset.DEFAULT_SUSTAIN_SECONDS);
            if (pop.id().equals("fra")) {
                long at = onset.orElseThrow().second();
                assertTrue(at >= 240 && at <= 250, "fra's onset at " + at + " s");
                var causes = WhatChanged.before(show.core().timeline().events(), "fra", at);
                assertTrue(causes.getFirst().label().startsWith("jitter storm"), causes.toString());
            } else {
                assertTrue(onset.isEmpty(), pop.id() + " stays calm: " + onset);
            }
        }
    }
}
