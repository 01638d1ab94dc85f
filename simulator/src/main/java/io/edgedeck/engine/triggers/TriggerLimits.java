package io.edgedeck.engine.triggers;

/**
 * Guards against a client gaming triggers.
 *
 * @param maxFiringsPerRule      firings of one rule a session may get within {@code rateWindowMillis};
 *                               a run that qualifies beyond that is dropped and counted as rate-limited
 * @param rateWindowMillis       the sliding window of that limit (60 000 for "per minute")
 * @param duplicateMemory        how many recent event ids a session remembers; a replay older than that
 *                               many events is not recognised, which keeps the state bounded
 * @param duplicateHorizonMillis an event id seen again within this long is a duplicate and is dropped
 */
public record TriggerLimits(int maxFiringsPerRule, long rateWindowMillis, int duplicateMemory,
                            long duplicateHorizonMillis) {

    public static final TriggerLimits DEFAULT = new TriggerLimits(2, 60_000, 8, 10_000);

    public TriggerLimits {
        if (maxFiringsPerRule < 1 || maxFiringsPerRule > TriggerRule.MAX_COUNT) {
            throw new IllegalArgumentException("maxFiringsPerRule must be 1.." + TriggerRule.MAX_COUNT);
        }
        if (duplicateMemory < 1 || duplicateMemory > 64) {
            throw new IllegalArgumentException("duplicateMemory must be 1..64");
        }
        if (rateWindowMillis <= 0 || rateWindowMillis > Integer.MAX_VALUE
                || duplicateHorizonMillis < 0 || duplicateHorizonMillis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rate window and duplicate horizon must be 0..24 days (rate window > 0)");
        }
    }
}
