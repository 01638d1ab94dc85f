package io.edgedeck.simulator.bundle;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.Cue;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loss diagnosed where a support engineer looks: the run report and its summary, and a bundle's
 * README, on jitter-storm with its storm replaced by 30% loss on sin from 1:00 for 60 s.
 */
class LossDiagnosisTest {
    static Show show;
    static RunReport report;

    @BeforeAll
    static void playLossOnSinPastItsEnd() {
        Scenario storm = ScenarioCatalog.load("jitter-storm");
        Scenario loss = new Scenario(storm.name(), storm.description(), storm.seed(), storm.durationSeconds(),
                storm.frameMillis(), storm.pops(), storm.regions(), storm.audience(), storm.flags(), storm.triggers(),
                storm.guardrails(), List.of(new Cue.Loss(60, "sin", 0.3, 60)), storm.approvals(), storm.playbooks());
        show = new Show(new ShowDefinition(loss, loss.seed()), new MemoryJournal());
        while (show.core().nowMillis() < 130_000) {
            show.step();
        }
        report = Reports.of(show, 1);
    }

    private static RunReport.Pop pop(String id) {
        return report.pops().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theReportNamesTheLossyPopWhenItsLossRoseAndTheCueBeforeIt() {
        RunReport.Pop sin = pop("sin");
        RunReport.Loss loss = sin.loss();
        assertNotNull(loss, "sin lost 30% for a minute: " + sin);
        assertEquals(60, loss.fromSecond());
        assertEquals(120L, loss.untilSecond());
        assertEquals(0.3, loss.share(), 0.05);
        assertEquals(new RunReport.Change(60_000, "loss 30.0% at sin for 60 s (cue)"), loss.after().getFirst());
        assertEquals((double) sin.errors() / (sin.requests() + sin.errors()), sin.lossShare(), 1e-5);
        assertTrue(sin.lossShare() > 0.05, sin.toString());
        for (String calm : List.of("fra", "ams", "iad", "ord", "nrt")) {
            assertNull(pop(calm).loss(), calm + " lost what a healthy PoP loses: " + pop(calm));
        }
        assertTrue(Reports.toJson(report).contains("\"lossShare\""), "the JSON report carries each PoP's loss share");
    }

    @Test
    void theSummaryHasALossColumnAndALineSayingWhenAndAfterWhat() {
        String summary = Reports.summary(report);
        assertTrue(summary.contains(" lost "), "a loss column: " + summary);
        String line = summary.lines().filter(l -> l.startsWith("loss ")).findFirst().orElseThrow(() -> new AssertionError(summary));
        assertTrue(line.matches("loss {7}sin rose to (2[5-9]|3[0-5])\\.\\d% at 1:00 and fell back at 2:00 \\(.* requests lost\\), "
                + "right after 1:00  loss 30\\.0% at sin for 60 s \\(cue\\)"), line);
        assertEquals(1, summary.lines().filter(l -> l.startsWith("loss ")).count(), "only sin: " + summary);
    }

    @Test
    void theBundleReadmeSaysWhenLossRoseAndWhatChangedJustBefore() {
        String readme = BundleWriter.readme(ShowBundle.capture(show, "test"));
        String sin = readme.lines().filter(l -> l.startsWith("  sin    loss ")).findFirst()
                .orElseThrow(() -> new AssertionError(readme));
        assertTrue(sin.matches("  sin {4}loss rose to (2[5-9]|3[0-5])\\.\\d% at 1:00 and fell back at 2:00 \\(.*\\), right after:"), sin);
        assertTrue(readme.contains(sin + "\n           1:00  loss 30.0% at sin for 60 s (cue)\n"), readme);
        assertTrue(readme.contains("  fra    never over (0.1% lost in all)"), readme);
    }

    @Test
    void aLiveBundleSaysItsShowHasNoSeedAndAPopThatServedNothingHasNoJitter() {
        Bundle rehearsal = ShowBundle.capture(show, "test");
        MetricsFrame f = rehearsal.frame();
        // a live node's frames: no planned end, seed 0
        MetricsFrame live = new MetricsFrame(f.sequence(), f.engineMillis(), "friday-drop", 0, f.state(), f.speed(), 0,
                f.pops(), f.variants(), f.checkouts(), f.events(), f.chat(), f.flags(), f.guardrails(), f.firings(),
                f.triggers(), f.timeline());
        PopHistory fra = rehearsal.history().get("fra");
        int n = 30;
        long[] seconds = new long[n];
        java.util.Arrays.setAll(seconds, i -> i);
        double[] none = new double[n];
        java.util.Arrays.fill(none, Double.NaN);
        PopHistory idle = new PopHistory("ams", 1, fra.bucketEdgesMs(), seconds, new long[n], new long[n], new double[n],
                new double[n], new double[n], new double[n], new double[n], none, new long[n * fra.buckets()]);
        Map<String, PopHistory> history = new LinkedHashMap<>();
        history.put("fra", fra);
        history.put("ams", idle);
        Bundle bundle = BundleWriter.assemble("test", "friday-drop", 0, "LIVE", "http://127.0.0.1:1", f.engineMillis(),
                history, List.of(), List.of(), List.of(), live, Map.of());
        String readme = BundleWriter.readme(bundle);
        assertTrue(readme.contains("Show      friday-drop, live (a live show has no seed)"), readme);
        assertFalse(readme.contains("seed 0"), readme);
        String ams = readme.lines().filter(l -> l.startsWith("  ams ")).findFirst().orElseThrow();
        assertEquals("  ams    no requests served, so no jitter measured (max jitter –, p99 –), 0 lost", ams);
        assertTrue(readme.contains("  ams    never over (no requests)"), readme);
        assertTrue(readme.lines().anyMatch(l -> l.startsWith("  fra    max jitter ")), readme);
        assertTrue(BundleWriter.readme(rehearsal).contains("Show      jitter-storm, seed "), "a rehearsal keeps its seed");
    }
}
