package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.DecisionMetrics;
import io.edgedeck.client.model.DecisionStage;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The decision budget tile: how long checkouts and triggered actions took per stage (validate,
 * enrich, act, and all three) over the node's recent window, against each stage's budget, and the
 * share of decisions over the 500 ms on-screen confirmation objective.
 *
 * <p>A stage is green when its p99 is within its budget, amber when its p95 is and its p99 is not,
 * red when its p95 is over. The tile takes the worst stage's colour, and is red too when more than
 * {@link #OVER_SLO_BAD} of the window's decisions took over 500 ms. Shown once a frame says the edge
 * timed a decision; grey when frames stop, neutral when the window holds none. FX thread; knows
 * nothing of nodes.
 */
public final class DecisionTileViewModel {
    /** More than this share of decisions over 500 ms is bad whatever the percentiles say. */
    static final double OVER_SLO_BAD = 0.05;

    /** One stage's row: its percentiles, budget and colour. */
    public record StageRow(String stage, double p50Ms, double p95Ms, double p99Ms, double budgetMs, Status status) {
    }

    private final ReadOnlyBooleanWrapper present = new ReadOnlyBooleanWrapper(this, "present", false);
    private final ReadOnlyDoubleWrapper overSloPercent = new ReadOnlyDoubleWrapper(this, "overSloPercent");
    private final ReadOnlyObjectWrapper<List<StageRow>> rows = new ReadOnlyObjectWrapper<>(this, "rows", List.of());
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper(this, "headline", "");
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
    private final ReadOnlyStringWrapper footnote = new ReadOnlyStringWrapper(this, "footnote", "");
    private final ReadOnlyObjectWrapper<List<String>> headlines = new ReadOnlyObjectWrapper<>(this, "headlines", List.of());
    private final ReadOnlyObjectWrapper<List<String>> footnotes = new ReadOnlyObjectWrapper<>(this, "footnotes", List.of());
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.NEUTRAL);

    DecisionTileViewModel() {
    }

    void apply(DecisionMetrics d) {
        present.set(d.decisions() > 0);
        overSloPercent.set(100 * d.windowOverSloShare());
        detail.set(String.format(Locale.ROOT, "%,d decisions in the last %d s, %,d over 500 ms · %,d since the start, %,d over",
                d.windowDecisions(), d.windowSeconds(), d.windowOverSlo(), d.decisions(), d.overSlo()));
        footnote.set(String.format(Locale.ROOT, "%,d decisions in %d s · %,d over 500 ms", d.windowDecisions(), d.windowSeconds(),
                d.windowOverSlo()));
        footnotes.set(List.of(footnote.get(), String.format(Locale.ROOT, "%,d decisions in %d s · %,d >500 ms", d.windowDecisions(),
                d.windowSeconds(), d.windowOverSlo())));
        if (d.windowDecisions() == 0) {
            rows.set(List.of());
            headline.set(d.decisions() == 0 ? "no decision timed yet" : "no decision in the last " + d.windowSeconds() + " s");
            headlines.set(List.of(headline.get()));
            status.set(Status.NEUTRAL);
            return;
        }
        List<StageRow> next = new ArrayList<>(DecisionStage.values().length);
        Status worst = Status.OK;
        List<String> over = new ArrayList<>();
        for (DecisionStage stage : DecisionStage.values()) {
            DecisionMetrics.StageLatency s = d.stage(stage);
            if (s == null) {
                continue;
            }
            Status st = switch (DecisionStage.Verdict.of(s.p95Ms(), s.p99Ms(), s.budgetMs())) {
                case OVER -> Status.BAD;
                case P99_OVER -> Status.WARN;
                case WITHIN -> Status.OK;
            };
            next.add(new StageRow(stage.wireName(), s.p50Ms(), s.p95Ms(), s.p99Ms(), s.budgetMs(), st));
            worst = worse(worst, st);
            if (st == Status.BAD) {
                over.add(stage.wireName());
            }
        }
        if (d.windowOverSloShare() > OVER_SLO_BAD) {
            worst = Status.BAD;
        }
        rows.set(List.copyOf(next));
        String verdict = over.isEmpty() ? (worst == Status.OK ? "within budget" : "p99 over budget") : "over: " + String.join(", ", over);
        double share = 100 * d.windowOverSloShare();
        headline.set(String.format(Locale.ROOT, "%.1f%% over 500 ms · %s", share, verdict));
        // Fewer words for a narrow tile, so the headline keeps to one line and leaves the count its line under the
        // table; the stages over budget are red in the table, so the shortest says how many.
        String fewer = over.isEmpty() ? (worst == Status.OK ? "within budget" : "p99 over")
                : over.size() == 1 ? verdict : over.size() + " over budget";
        headlines.set(List.of(headline.get(), String.format(Locale.ROOT, "%.1f%% >500 ms · %s", share, verdict),
                String.format(Locale.ROOT, "%.1f%% >500 ms · %s", share, fewer)));
        status.set(worst);
    }

    private static Status worse(Status a, Status b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(Status s) {
        return switch (s) {
            case OK, NEUTRAL -> 0;
            case WARN -> 1;
            case BAD -> 2;
            case STALE -> 3;
        };
    }

    void markStale() {
        status.set(Status.STALE);
    }

    void reset() {
        present.set(false);
        rows.set(List.of());
    }

    /** True once a frame says the edge timed a decision: only then is the tile shown. */
    public ReadOnlyBooleanProperty presentProperty() {
        return present.getReadOnlyProperty();
    }

    /** The share of the window's decisions over 500 ms, %. */
    public ReadOnlyDoubleProperty overSloPercentProperty() {
        return overSloPercent.getReadOnlyProperty();
    }

    /** Validate, enrich, act and total, each with its colour; empty while the window holds no decision. */
    public ReadOnlyObjectProperty<List<StageRow>> rowsProperty() {
        return rows.getReadOnlyProperty();
    }

    /** "2.1% over 500 ms · over: act, total" (the stages whose p95 is over budget) */
    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    /**
     * The headline in fewer and fewer words, longest first ("0.4% over 500 ms · p99 over budget", "0.4% >500 ms ·
     * p99 over budget", "0.4% >500 ms · p99 over"): the tile shows the first that fits on one line.
     */
    public ReadOnlyObjectProperty<List<String>> headlinesProperty() {
        return headlines.getReadOnlyProperty();
    }

    /** The footnote in fewer and fewer words, longest first ("818 decisions in 60 s · 0 over 500 ms", "818 decisions in 60 s · 0 >500 ms"). */
    public ReadOnlyObjectProperty<List<String>> footnotesProperty() {
        return footnotes.getReadOnlyProperty();
    }

    /** The last window's count and how many went over 500 ms, short enough for the tile's face; {@link #detailProperty} has the rest. */
    public ReadOnlyStringProperty footnoteProperty() {
        return footnote.getReadOnlyProperty();
    }

    /** Counts in the window and since the start. */
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }
}
