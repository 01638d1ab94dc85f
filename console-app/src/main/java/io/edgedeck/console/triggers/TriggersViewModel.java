package io.edgedeck.console.triggers;

import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.client.model.TriggerVerdict;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Triggers view: the trigger audit (docs/TRIGGERS.md) as ranked rows, the overlap matrix and a
 * one-line summary; the matrix marks in amber an overlap at the retire rule's own "high overlap" of a trigger
 * the rule flags (low lift too). Fed on the FX thread with the newest answer of the connection's trigger audit;
 * knows nothing of nodes. A trigger the retire rule flags is amber, one not judged yet neutral;
 * when the edge has not answered for {@link #STALE_AFTER_MILLIS}, everything is grey.
 */
public final class TriggersViewModel {
    /** With no answer from the edge this long, what is shown is stale. */
    public static final long STALE_AFTER_MILLIS = 10_000;

    /** One trigger as a row. */
    public record Row(String rank, String trigger, String fires, String conversion, String lift, String verdict,
                      String why, Status status) {
    }

    /**
     * The overlap matrix: {@code cells.get(i).get(j)} is the share of trigger i's sessions for which
     * trigger j also fired within the window (empty on the diagonal), in the rows' order.
     */
    public record Matrix(List<String> ids, List<List<String>> cells, List<List<Status>> statuses) {
        public static final Matrix EMPTY = new Matrix(List.of(), List.of(), List.of());
    }

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "asking the edge for its trigger audit…");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final javafx.beans.property.ReadOnlyObjectWrapper<Matrix> matrix =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "matrix", Matrix.EMPTY);
    /** What the overlap matrix shows, in words above it: "" while there is no trigger. */
    static final String OVERLAP_TITLE = "Overlap: of the row's sessions, the share for which the column's trigger also fired within 60 s";
    /** A show with one trigger has nothing to overlap: said so, rather than a matrix of one empty cell. */
    static final String ONE_TRIGGER = "Overlap: one trigger, no overlap to show";
    private final ReadOnlyStringWrapper overlapTitle = new ReadOnlyStringWrapper(this, "overlapTitle", "");
    private final javafx.beans.property.ReadOnlyBooleanWrapper answered = new javafx.beans.property.ReadOnlyBooleanWrapper(this, "answered", false);
    private TriggerAudit last;
    private long answeredAtMillis = -1;
    private boolean shownStale;
    /** What waits for an audit of a show second or later: the second, and what completes then. */
    private final List<java.util.Map.Entry<Long, java.util.concurrent.CompletableFuture<Void>>> waiting = new ArrayList<>();

    public ObservableList<Row> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Why the audit could not be read, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<Matrix> matrixProperty() {
        return matrix.getReadOnlyProperty();
    }

    /** The overlap matrix's title, {@link #ONE_TRIGGER} in place of a matrix for one trigger, "" for none. */
    public ReadOnlyStringProperty overlapTitleProperty() {
        return overlapTitle.getReadOnlyProperty();
    }

    /** True once the edge has answered: until then an empty table says nothing of its triggers. */
    public javafx.beans.property.ReadOnlyBooleanProperty answeredProperty() {
        return answered.getReadOnlyProperty();
    }

    /** The edge answered with this audit at {@code nowMillis}. FX thread. */
    public void answered(TriggerAudit audit, long nowMillis) {
        last = audit;
        answeredAtMillis = nowMillis;
        answered.set(true);
        problem.set("");
        shownStale = false;
        show(false);
        settle(audit.showSeconds());
    }

    /** The show second the audit shown covers, -1 before the edge answered. FX thread. */
    public long shownSecond() {
        return last == null ? -1 : last.showSeconds();
    }

    /**
     * Completes once the audit shown is of show second {@code engineSecond} or later (or its reading failed, which
     * the problem line says): what a screenshot of a paused show waits for, so the tab shows the second the clock
     * does. FX thread.
     */
    public java.util.concurrent.CompletableFuture<Void> drawnAt(long engineSecond) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        if (shownSecond() >= engineSecond) {
            done.complete(null);
        } else {
            waiting.add(java.util.Map.entry(engineSecond, done));
        }
        return done;
    }

    private void settle(long second) {
        waiting.removeIf(w -> {
            if (w.getKey() <= second) {
                w.getValue().complete(null);
                return true;
            }
            return false;
        });
    }

    /** The audit could not be read; what is shown ages into stale. FX thread. */
    public void failed(String why, long nowMillis) {
        problem.set("could not read the trigger audit: " + why);
        refresh(nowMillis);
        settle(Long.MAX_VALUE);
    }

    /** Greys what is shown once the edge has been silent too long; called every tick. FX thread. */
    public void refresh(long nowMillis) {
        if (answeredAtMillis < 0) {
            // Never answered, and the asking failed: the problem line under it says why, once.
            summary.set(problem.get().isEmpty() ? "asking the edge for its trigger audit…" : "trigger audit: could not be read");
            return;
        }
        boolean stale = nowMillis - answeredAtMillis > STALE_AFTER_MILLIS;
        if (stale) {
            if (!shownStale) {
                show(true);
                shownStale = true;
            }
            // why stays in the problem line under it, said once: repeated here it ran past the window's edge
            summary.set("trigger audit not heard for " + (nowMillis - answeredAtMillis) / 1000 + " s: the figures below are as they were");
        }
    }

    private void show(boolean stale) {
        TriggerAudit a = last;
        if (a.triggers().isEmpty()) {
            rows.clear();
            matrix.set(Matrix.EMPTY);
            overlapTitle.set("");
            summary.set("this show has no micro-metric triggers");
            return;
        }
        List<Row> next = new ArrayList<>();
        for (TriggerAudit.Row t : a.triggers()) {
            next.add(new Row("#" + t.rank(), t.id() + "\n" + t.action(),
                    String.format(Locale.ROOT, "%,d · %,.1f/min\n%.1f%% of sessions", t.firings(), t.firingsPerMinute(),
                            100 * t.firedShare()),
                    "after " + percent(t.conversionAfter()) + "\nnever " + percent(t.conversionNotFired()),
                    lift(t), verdict(t.verdict()), t.reason(), stale ? Status.STALE : status(t.verdict())));
        }
        rows.setAll(next);
        List<String> ids = a.triggers().stream().map(TriggerAudit.Row::id).toList();
        List<List<String>> cells = new ArrayList<>();
        List<List<Status>> statuses = new ArrayList<>();
        for (TriggerAudit.Row t : a.triggers()) {
            List<String> line = new ArrayList<>();
            List<Status> shade = new ArrayList<>();
            for (String other : ids) {
                if (other.equals(t.id())) {
                    line.add("");
                    shade.add(stale ? Status.STALE : Status.NEUTRAL);
                    continue;
                }
                double share = t.overlapShare(other);
                line.add(t.sessionsFired() == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * share));
                // Amber as the legend says: the high overlap of a trigger with low lift, which makes it a candidate to
                // retire; a trigger that overlaps as much but clearly lifts conversion is kept, and its cell is not amber.
                boolean retiring = t.verdict() == TriggerVerdict.RETIRE_CANDIDATE && share >= a.highOverlap();
                shade.add(stale ? Status.STALE : retiring ? Status.WARN : Status.NEUTRAL);
            }
            cells.add(List.copyOf(line));
            statuses.add(List.copyOf(shade));
        }
        matrix.set(ids.size() < 2 ? Matrix.EMPTY : new Matrix(ids, List.copyOf(cells), List.copyOf(statuses)));
        overlapTitle.set(ids.size() < 2 ? ONE_TRIGGER : OVERLAP_TITLE);
        long candidates = a.triggers().stream().filter(t -> t.verdict() == TriggerVerdict.RETIRE_CANDIDATE).count();
        summary.set(String.format(Locale.ROOT, "%d %s over %,d sessions (%.1f%% converted) in %d:%02d of show · %s",
                a.triggers().size(), a.triggers().size() == 1 ? "trigger" : "triggers", a.sessions(), a.sessions() == 0 ? 0.0 : 100.0 * a.convertedSessions() / a.sessions(),
                a.showSeconds() / 60, a.showSeconds() % 60,
                candidates == 0 ? "no candidate to retire" : candidates + (candidates == 1 ? " candidate" : " candidates") + " to retire"));
    }

    private static String percent(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    static String lift(TriggerAudit.Row t) {
        if (t.lift() == null) {
            return "-";
        }
        if (t.liftLower() == null) {
            return String.format(Locale.ROOT, "%+.1f pts\n(too few to bound)", 100 * t.lift());
        }
        return String.format(Locale.ROOT, "%+.1f pts\n%+.1f to %+.1f", 100 * t.lift(), 100 * t.liftLower(), 100 * t.liftUpper());
    }

    private static String verdict(TriggerVerdict v) {
        return switch (v) {
            case KEEP -> "keep";
            case RETIRE_CANDIDATE -> "retire?";
            case TOO_FEW -> "too few";
        };
    }

    private static Status status(TriggerVerdict v) {
        return switch (v) {
            case KEEP -> Status.OK;
            case RETIRE_CANDIDATE -> Status.WARN;
            case TOO_FEW -> Status.NEUTRAL;
        };
    }
}
