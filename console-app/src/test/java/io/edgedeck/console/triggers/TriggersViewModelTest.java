package io.edgedeck.console.triggers;

import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.client.model.TriggerVerdict;
import io.edgedeck.console.common.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggersViewModelTest {
    private static TriggerAudit.Row row(int rank, String id, long fired, Map<String, Long> overlap, TriggerVerdict verdict,
                                        Double lower, Double upper) {
        return new TriggerAudit.Row(rank, id, "pin-offer", fired * 2, fired, 0.25, 12.5, fired / 2, 0.5, 300, 30, 0.1,
                0.4, lower, upper, overlap, verdict, "because " + id);
    }

    private static TriggerAudit audit() {
        return new TriggerAudit(330, 400, 80, 60, 0.975, 100, 0.5, 0.01, List.of(
                row(1, "hot-buyer", 200, Map.of("badge", 60L), TriggerVerdict.KEEP, 0.3, 0.5),
                row(2, "badge", 100, Map.of("hot-buyer", 60L), TriggerVerdict.RETIRE_CANDIDATE, -0.01, 0.2)));
    }

    @Test
    void rowsKeepTheAuditsRankAndTheCandidateIsAmber() {
        TriggersViewModel m = new TriggersViewModel();
        m.answered(audit(), 1_000);
        assertEquals(2, m.rows().size());
        TriggersViewModel.Row first = m.rows().get(0);
        assertEquals("#1", first.rank());
        assertEquals("hot-buyer\npin-offer", first.trigger());
        assertEquals("400 · 12.5/min\n25.0% of sessions", first.fires());
        assertEquals("after 50.0%\nnever 10.0%", first.conversion());
        assertEquals("+40.0 pts\n+30.0 to +50.0", first.lift());
        assertEquals(Status.OK, first.status());
        TriggersViewModel.Row badge = m.rows().get(1);
        assertEquals("retire?", badge.verdict());
        assertEquals(Status.WARN, badge.status());
        assertEquals("2 triggers over 400 sessions (20.0% converted) in 5:30 of show · 1 candidate to retire",
                m.summaryProperty().get());
    }

    @Test
    void theMatrixGivesEachRowsShareAndMarksHighOverlapAtTheRulesOwnThreshold() {
        TriggersViewModel m = new TriggersViewModel();
        m.answered(audit(), 1_000);
        TriggersViewModel.Matrix matrix = m.matrixProperty().get();
        assertEquals(List.of("hot-buyer", "badge"), matrix.ids());
        assertEquals(List.of("", "30%"), matrix.cells().get(0), "60 of hot-buyer's 200 sessions");
        assertEquals(List.of("60%", ""), matrix.cells().get(1), "60 of badge's 100 sessions");
        assertEquals(Status.NEUTRAL, matrix.statuses().get(0).get(1));
        assertEquals(Status.WARN, matrix.statuses().get(1).get(0), "60% is past the rule's 50%");
    }

    /** Amber means low lift and high overlap, as the legend says: a kept trigger's high overlap is not amber. */
    @Test
    void aKeptTriggersHighOverlapIsNotAmber() {
        TriggersViewModel m = new TriggersViewModel();
        m.answered(new TriggerAudit(330, 400, 80, 60, 0.975, 100, 0.5, 0.01, List.of(
                row(1, "hot-buyer", 200, Map.of("chatty", 68L), TriggerVerdict.KEEP, 0.3, 0.5),
                row(2, "chatty", 115, Map.of("hot-buyer", 68L), TriggerVerdict.KEEP, 0.25, 0.35))), 1_000);
        TriggersViewModel.Matrix matrix = m.matrixProperty().get();
        assertEquals("59%", matrix.cells().get(1).get(0));
        assertEquals(Status.NEUTRAL, matrix.statuses().get(1).get(0), "kept: its lift is clearly above the rule's");
    }

    /** Thousands are grouped in the rate as in the count: "1,204,000 · 5,683.3/min", not "5683.3/min". */
    @Test
    void theRatePerMinuteIsGroupedLikeTheCount() {
        TriggersViewModel m = new TriggersViewModel();
        m.answered(new TriggerAudit(21_600, 40_000, 39_800, 60, 0.975, 100, 0.5, 0.01, List.of(new TriggerAudit.Row(1, "hot-buyer",
                "surface-checkout", 1_204_000, 30_000, 0.75, 5_683.3, 20_000, 0.7, 10_000, 5_000, 0.5, 0.2, null, null, Map.of(),
                TriggerVerdict.TOO_FEW, "too few"))), 1_000);
        assertEquals("1,204,000 · 5,683.3/min\n75.0% of sessions", m.rows().getFirst().fires());
    }

    /** A live node's one trigger: "1 trigger", and no matrix of one label and one empty cell, but words saying why. */
    @Test
    void oneTriggerIsCountedInTheSingularAndHasNoMatrixToShow() {
        TriggersViewModel m = new TriggersViewModel();
        m.answered(new TriggerAudit(330, 400, 80, 60, 0.975, 100, 0.5, 0.01,
                List.of(row(1, "hot-buyer", 200, Map.of(), TriggerVerdict.KEEP, 0.3, 0.5))), 1_000);
        assertTrue(m.summaryProperty().get().startsWith("1 trigger over 400 sessions"), m.summaryProperty().get());
        assertEquals(TriggersViewModel.Matrix.EMPTY, m.matrixProperty().get());
        assertEquals("Overlap: one trigger, no overlap to show", m.overlapTitleProperty().get());
        m.answered(audit(), 2_000);
        assertEquals(TriggersViewModel.OVERLAP_TITLE, m.overlapTitleProperty().get());
        assertEquals(2, m.matrixProperty().get().ids().size());
    }

    @Test
    void silenceGreysEverythingAndSaysSoAndAShowWithoutTriggersSaysThat() {
        TriggersViewModel m = new TriggersViewModel();
        m.answered(audit(), 1_000);
        m.refresh(1_000 + TriggersViewModel.STALE_AFTER_MILLIS);
        assertEquals(Status.WARN, m.rows().get(1).status(), "not stale yet");
        m.failed("connection refused", 2_000 + TriggersViewModel.STALE_AFTER_MILLIS);
        assertTrue(m.rows().stream().allMatch(r -> r.status() == Status.STALE), m.rows().toString());
        assertTrue(m.matrixProperty().get().statuses().stream().flatMap(List::stream).allMatch(s -> s == Status.STALE));
        assertEquals("trigger audit not heard for 11 s: the figures below are as they were", m.summaryProperty().get(),
                "why is said once, in the problem line, not again in the summary");
        assertEquals("could not read the trigger audit: connection refused", m.problemProperty().get());
        m.answered(TriggerAudit.NONE, 20_000);
        assertTrue(m.rows().isEmpty());
        assertEquals("this show has no micro-metric triggers", m.summaryProperty().get());
    }
}
