package io.edgedeck.engine.decisions;

import io.edgedeck.client.model.DecisionMetrics;
import io.edgedeck.client.model.DecisionStage;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decision budget: how long each edge decision (a one-click checkout, a triggered action) took
 * per stage, validate, enrich and act, and in all, held against the budgets of {@link DecisionStage}
 * and the 500 ms on-screen confirmation objective.
 *
 * <p>The core never measures a decision itself (it reads no clock): its producers say what each
 * stage took. The simulated edge from its stage model; a live node from the stage times an app
 * sends on its checkout events, or from its own processing of the event that fired a trigger.
 *
 * <h2>What it keeps</h2>
 * <ul>
 *   <li>Since the show started: an HdrHistogram per stage (microseconds, 3 significant digits, up to
 *   {@link #MAX_MILLIS}), for {@code /metrics} and the run report, and the count over 500 ms.</li>
 *   <li>The recent window: the decisions of the last {@link #WINDOW_SECONDS} s of engine time, at
 *   most the newest {@link #WINDOW_CAPACITY}, kept exactly in a ring. Its percentiles are nearest
 *   rank over those values (p95 of n values is the ⌈0.95 n⌉-th smallest), so they are the values
 *   measured, not estimates.</li>
 * </ul>
 *
 * <p>Engine thread only, like the core.
 */
public final class DecisionBudget {
    public static final int WINDOW_SECONDS = 60;
    public static final int WINDOW_CAPACITY = 8192;
    /** The longest stage time taken: two minutes. */
    public static final double MAX_MILLIS = 120_000;
    private static final DecisionStage[] STAGES = DecisionStage.values();
    private static final double[] PERCENTILES = {0.50, 0.95, 0.99};

    private final Histogram[] wholeShow = new Histogram[STAGES.length];
    private final long[] at = new long[WINDOW_CAPACITY];
    private final double[][] ms = new double[STAGES.length][WINDOW_CAPACITY];
    private int next;
    private int size;
    private long decisions;
    private long overSlo;

    public DecisionBudget() {
        for (int s = 0; s < STAGES.length; s++) {
            wholeShow[s] = new Histogram((long) (MAX_MILLIS * 1000) * STAGES.length, 3);
        }
    }

    /**
     * Checks one stage's time as a producer reported it.
     *
     * @return null when it can be recorded, else why not
     */
    public static String problem(double ms) {
        if (!Double.isFinite(ms) || ms < 0 || ms > MAX_MILLIS) {
            return outOfRange(io.edgedeck.engine.ingest.KeyedIntake.shown(ms));
        }
        return null;
    }

    /** Why a stage's time is not taken, the time {@code shown} as its sender wrote it. */
    public static String outOfRange(String shown) {
        return "must be a time from 0 to " + (long) MAX_MILLIS + " ms, was " + shown;
    }

    /**
     * One decision, at engine time {@code nowMillis}.
     *
     * @throws IllegalArgumentException when a stage's time is not one {@link #problem} takes
     */
    public void record(long nowMillis, double validateMs, double enrichMs, double actMs) {
        for (double v : new double[]{validateMs, enrichMs, actMs}) {
            String problem = problem(v);
            if (problem != null) {
                throw new IllegalArgumentException("a stage time " + problem);
            }
        }
        double total = validateMs + enrichMs + actMs;
        double[] values = {validateMs, enrichMs, actMs, total};
        for (int s = 0; s < STAGES.length; s++) {
            wholeShow[s].recordValue(Math.round(values[s] * 1000));
            ms[s][next] = values[s];
        }
        at[next] = nowMillis;
        next = (next + 1) % WINDOW_CAPACITY;
        size = Math.min(size + 1, WINDOW_CAPACITY);
        decisions++;
        if (total > DecisionStage.TOTAL.budgetMs()) {
            overSlo++;
        }
    }

    /** Decisions since the show started. */
    public long decisions() {
        return decisions;
    }

    /** The stage's times since the show started, in microseconds. Engine thread; do not change it. */
    public Histogram wholeShow(DecisionStage stage) {
        return wholeShow[stage.ordinal()];
    }

    /** The budget as a frame carries it: totals, and percentiles over the recent window ending at {@code nowMillis}. */
    public DecisionMetrics metrics(long nowMillis) {
        if (decisions == 0) {
            return DecisionMetrics.NONE;
        }
        long from = nowMillis - WINDOW_SECONDS * 1000L;
        int inWindow = 0;
        while (inWindow < size && at[Math.floorMod(next - 1 - inWindow, WINDOW_CAPACITY)] > from) {
            inWindow++;
        }
        // Sized to the window, not the ring: a frame is taken four times a second.
        double[][] recent = new double[STAGES.length][inWindow];
        int n = 0;
        long recentOver = 0;
        for (int i = 0; i < inWindow; i++) {
            int slot = Math.floorMod(next - 1 - i, WINDOW_CAPACITY);
            for (int s = 0; s < STAGES.length; s++) {
                recent[s][n] = ms[s][slot];
            }
            if (ms[DecisionStage.TOTAL.ordinal()][slot] > DecisionStage.TOTAL.budgetMs()) {
                recentOver++;
            }
            n++;
        }
        List<DecisionMetrics.StageLatency> stages = new ArrayList<>(STAGES.length);
        if (n > 0) {
            for (int s = 0; s < STAGES.length; s++) {
                double[] values = recent[s];
                Arrays.sort(values);
                stages.add(new DecisionMetrics.StageLatency(STAGES[s].wireName(), rank(values, PERCENTILES[0]),
                        rank(values, PERCENTILES[1]), rank(values, PERCENTILES[2]), STAGES[s].budgetMs()));
            }
        }
        return new DecisionMetrics(decisions, overSlo, WINDOW_SECONDS, n, recentOver, stages);
    }

    /** The whole show's percentiles per stage, from the histograms (3 significant digits). */
    public List<DecisionMetrics.StageLatency> wholeShowPercentiles() {
        List<DecisionMetrics.StageLatency> out = new ArrayList<>(STAGES.length);
        if (decisions == 0) {
            return out;
        }
        for (DecisionStage stage : STAGES) {
            Histogram h = wholeShow(stage);
            out.add(new DecisionMetrics.StageLatency(stage.wireName(), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0, stage.budgetMs()));
        }
        return out;
    }

    /** How many decisions took longer than 500 ms in all since the show started. */
    public long overSlo() {
        return overSlo;
    }

    /** Nearest rank: the ⌈p·n⌉-th smallest of the sorted values. */
    static double rank(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
