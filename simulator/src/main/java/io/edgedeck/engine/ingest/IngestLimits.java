package io.edgedeck.engine.ingest;

/**
 * The keyed path's bounds.
 *
 * @param defaultPop        the PoP an event without one is counted at; null for the core's first PoP
 * @param maxUnits          units remembered (their exposures, for attributing conversions and chat)
 * @param maxArmsPerUnit    variants remembered per unit; past it the oldest is forgotten
 * @param dedupeWindowMillis an event id seen again within this much engine time is a duplicate
 * @param maxRememberedIds  event ids held for that; past it the oldest is forgotten first
 * @param maxFutureSkewMillis how far ahead of the node's clock an event's {@code at} may be
 * @param maxIdChars        longest id, targeting key, name or channel
 * @param maxTextChars      longest chat message
 */
public record IngestLimits(String defaultPop, int maxUnits, int maxArmsPerUnit, long dedupeWindowMillis,
                           int maxRememberedIds, long maxFutureSkewMillis, int maxIdChars, int maxTextChars) {

    /**
     * 200,000 units, 32 variants each; ids deduplicated for 10 minutes, up to a million of them
     * (so at 1,000 events/s the whole 10 minutes, at 200,000 events/s the last 5 s); events up to
     * a minute ahead of the node's clock; ids up to 256 characters, chat up to 2,000.
     */
    public static final IngestLimits DEFAULT = new IngestLimits(null, 200_000, 32, 600_000, 1_000_000, 60_000, 256, 2_000);

    public IngestLimits {
        if (maxUnits <= 0 || maxArmsPerUnit <= 0 || dedupeWindowMillis <= 0 || maxRememberedIds <= 0
                || maxFutureSkewMillis < 0 || maxIdChars <= 0 || maxTextChars <= 0) {
            throw new IllegalArgumentException("every ingest limit must be positive: " + this);
        }
    }

    public IngestLimits withDefaultPop(String pop) {
        return new IngestLimits(pop, maxUnits, maxArmsPerUnit, dedupeWindowMillis, maxRememberedIds, maxFutureSkewMillis,
                maxIdChars, maxTextChars);
    }
}
