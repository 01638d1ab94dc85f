package io.edgedeck.engine.triggers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Totals since the engine started, for metrics frames.
 *
 * @param firingsByRule       firings per rule id, in rule order
 * @param rejectedDuplicates  interactions dropped because their event id was seen recently
 * @param rateLimited         qualifying runs dropped by the per-session rate limit
 */
public record TriggerStats(Map<String, Long> firingsByRule, long rejectedDuplicates, long rateLimited,
                           long decisionLatencyMicrosTotal, long decisionLatencyMicrosMax) {

    public TriggerStats {
        firingsByRule = Collections.unmodifiableMap(new LinkedHashMap<>(firingsByRule));
    }
}
