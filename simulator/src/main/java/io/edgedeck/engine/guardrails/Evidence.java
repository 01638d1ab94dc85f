package io.edgedeck.engine.guardrails;

import io.edgedeck.engine.experiments.Arm;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

import java.util.ArrayList;
import java.util.List;

/**
 * What one rule has seen of its two arms since its evidence started, and the ladder of evidence
 * periods it judges: the first begins when the evidence does, and another every
 * {@code windowSeconds} after, so harm that begins mid-show is judged on data from shortly before it
 * began rather than diluted by every quiet minute since the start. The first period and the
 * {@value #RECENT_PERIODS} latest are kept; dropping a period only gives up the share of the error
 * budget it held (docs/GUARDRAILS.md).
 *
 * <p>Counts arrive one finished engine second at a time. Owned by the engine thread.
 */
final class Evidence {
    static final int RECENT_PERIODS = 32;
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final long spacingMillis;
    private final boolean latency;
    private long sinceMillis = NOT_STARTED;
    private ArmTotals variant = ArmTotals.ZERO;
    private ArmTotals control = ArmTotals.ZERO;
    private final List<Period> periods = new ArrayList<>();
    private long nextIndex;

    /**
     * One evidence period: its place in the ladder (0 for the first), when it began, the totals before
     * it, and its arms' latency when the rule reads latency.
     */
    final class Period {
        final long index;
        final long sinceMillis;
        private final ArmTotals variantBefore;
        private final ArmTotals controlBefore;
        final AbstractHistogram variantLatency;
        final AbstractHistogram controlLatency;

        private Period(long index, long sinceMillis) {
            this.index = index;
            this.sinceMillis = sinceMillis;
            this.variantBefore = variant;
            this.controlBefore = control;
            this.variantLatency = latency ? newHistogram() : null;
            this.controlLatency = latency ? newHistogram() : null;
        }

        ArmTotals variant() {
            return variant.minus(variantBefore);
        }

        ArmTotals control() {
            return control.minus(controlBefore);
        }
    }

    Evidence(int spacingSeconds, boolean latency) {
        this.spacingMillis = Math.max(1, spacingSeconds) * 1000L;
        this.latency = latency;
    }

    /** A histogram shaped like the arms' per-second ones, in microseconds. */
    static AbstractHistogram newHistogram() {
        return new IntCountsHistogram(1, 120_000_000L, 2);
    }

    /**
     * Starts the evidence afresh from the first whole engine second at or after {@code atMillis}
     * (which may lie ahead, while a flag change settles).
     */
    void startAt(long atMillis) {
        sinceMillis = Math.ceilDiv(atMillis, 1000L) * 1000L;
        variant = ArmTotals.ZERO;
        control = ArmTotals.ZERO;
        periods.clear();
        nextIndex = 0;
    }

    /** Whether the evidence has begun by {@code nowMillis}: at least one second of it has been seen. */
    boolean begunBy(long nowMillis) {
        return sinceMillis != NOT_STARTED && !periods.isEmpty() && sinceMillis < nowMillis;
    }

    long sinceMillis() {
        return sinceMillis;
    }

    /**
     * Adds the engine second that ended at {@code endMillis}; seconds before the evidence start are
     * ignored. The histograms hold that second's latency (null when the rule reads none).
     */
    void addSecond(long endMillis, Arm.WindowStats v, Arm.WindowStats c, AbstractHistogram variantLatency, AbstractHistogram controlLatency) {
        long begin = endMillis - 1000;
        if (sinceMillis == NOT_STARTED || begin < sinceMillis) {
            return;
        }
        if ((begin - sinceMillis) % spacingMillis == 0) {
            periods.add(new Period(nextIndex++, begin));
            if (periods.size() > RECENT_PERIODS + 1) {
                periods.remove(1);
            }
        }
        variant = variant.plus(v);
        control = control.plus(c);
        if (latency) {
            for (Period p : periods) {
                p.variantLatency.add(variantLatency);
                p.controlLatency.add(controlLatency);
            }
        }
    }

    /** Totals since the evidence started. */
    ArmTotals variant() {
        return variant;
    }

    ArmTotals control() {
        return control;
    }

    /** The periods kept, the first one first. */
    List<Period> periods() {
        return periods;
    }
}
