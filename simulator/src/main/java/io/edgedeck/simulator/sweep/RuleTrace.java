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
 * @param arms                the watched variant's and its control's exposures and checkouts over the
 *                            whole show, as the arms count them (moved cohorts apart)
 */
record RuleTrace(Long evidenceSinceMillis, Long gateOpenMillis, List<Long> firingMillis, String firstReason, ArmCounts arms) {

    /** Exposures and checkouts of a rule's variant and of its control at the end of a show. */
    record ArmCounts(long variantExposures, long variantConversions, long controlExposures, long controlConversions) {
        static final ArmCounts NONE = new ArmCounts(0, 0, 0, 0);

        /**
         * The variant's checkouts per exposure over control's, less 1 (-0.17 is 17% fewer), or null
         * when an arm has no exposures or control no checkouts.
         */
        Double relativeChange() {
            if (variantExposures == 0 || controlExposures == 0 || controlConversions == 0) {
                return null;
            }
            return ((double) variantConversions / variantExposures) / ((double) controlConversions / controlExposures) - 1;
        }
    }

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
