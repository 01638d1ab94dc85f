package io.edgedeck.simulator.sweep;

import java.util.List;

/**
 * What one rule did in one show, read from its status at the end of every engine second.
 *
 * @param evidenceSinceMillis when its evidence first started, or null if it never did
 * @param gateOpenMillis      the first second at which each arm had its minimum exposures since the
 *                            evidence started, or null if that never happened
 * @param firingMillis        its automatic firings, in order
 * @param firstReason         the first firing's reason, or null
 */
record RuleTrace(Long evidenceSinceMillis, Long gateOpenMillis, List<Long> firingMillis, String firstReason) {

    RuleTrace {
        firingMillis = List.copyOf(firingMillis);
    }

    /** The first firing at or after {@code millis}, or null. */
    Long firstFiringFrom(long millis) {
        return firingMillis.stream().filter(t -> t >= millis).findFirst().orElse(null);
    }

    boolean firedBefore(long millis) {
        return firingMillis.stream().anyMatch(t -> t < millis);
    }
}
