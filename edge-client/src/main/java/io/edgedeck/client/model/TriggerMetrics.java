package io.edgedeck.client.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Micro-metric triggers since the show started.
 *
 * @param firingsByRule      firings per trigger rule id, in the rules' order
 * @param rejectedDuplicates events dropped because the session had already sent the same event id
 * @param rateLimited        firings suppressed by the per-session rate limit
 * @param meanDecisionMicros mean time from the qualifying event to the action, in engine microseconds
 * @param maxDecisionMicros  the slowest such decision
 */
public record TriggerMetrics(Map<String, Long> firingsByRule, long rejectedDuplicates, long rateLimited,
                             double meanDecisionMicros, long maxDecisionMicros) {
    public static final TriggerMetrics NONE = new TriggerMetrics(Map.of(), 0, 0, 0, 0);

    public TriggerMetrics {
        // In the order given (the rules' order): Map.copyOf's order changes from one JVM to the next, and a bundle's
        // frame.json written twice from the same show must be the same bytes.
        firingsByRule = firingsByRule == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(firingsByRule));
    }
}
