package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A guardrail as the engine last evaluated it.
 *
 * @param state               where it stands
 * @param conditions          each condition over the period since {@code periodSinceMillis}
 * @param variantExposures    exposures of the watched variant since its evidence started
 * @param controlExposures    exposures of control since then
 * @param minExposures        exposures each arm needs before the rule may fire
 * @param windowSeconds       spacing of its evidence periods: it judges the data since its evidence
 *                            started and since every {@code windowSeconds} after that
 * @param lastFiredAtMillis   engine time of its last firing, or null
 * @param evidenceSinceMillis engine time its evidence started (its flag version live everywhere, or
 *                            its last firing); null while a flag change is still settling
 * @param periodSinceMillis   engine time the period its conditions describe began; null with no evidence
 * @param alpha               its error budget: the chance, at most, that it ever shows harm that is
 *                            not there during one evidence run
 * @param decidedBy           who decides whether it fires, when not where it is shown: {@value #DECIDED_BY_FLEET}
 *                            for a node's rule left to the fleet's aggregator (judged and shown here on this
 *                            node's evidence, fired there on every node's); absent otherwise
 */
public record GuardrailStatus(String id, String flag, String variant, RuleMatch match, GuardrailAction action,
                              boolean armed, GuardrailState state, List<ConditionStatus> conditions,
                              long variantExposures, long controlExposures, long minExposures, int windowSeconds,
                              Long lastFiredAtMillis, Long evidenceSinceMillis, Long periodSinceMillis, double alpha,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String decidedBy) {
    /** A rule decided by the fleet's aggregator, on every node's evidence. */
    public static final String DECIDED_BY_FLEET = "fleet";

    public GuardrailStatus {
        conditions = List.copyOf(conditions);
    }

    /** A rule decided where it is shown. */
    public GuardrailStatus(String id, String flag, String variant, RuleMatch match, GuardrailAction action,
                           boolean armed, GuardrailState state, List<ConditionStatus> conditions,
                           long variantExposures, long controlExposures, long minExposures, int windowSeconds,
                           Long lastFiredAtMillis, Long evidenceSinceMillis, Long periodSinceMillis, double alpha) {
        this(id, flag, variant, match, action, armed, state, conditions, variantExposures, controlExposures, minExposures,
                windowSeconds, lastFiredAtMillis, evidenceSinceMillis, periodSinceMillis, alpha, null);
    }

    /** The same status, decided by {@code by} (null: where it is shown). */
    public GuardrailStatus withDecidedBy(String by) {
        return new GuardrailStatus(id, flag, variant, match, action, armed, state, conditions, variantExposures,
                controlExposures, minExposures, windowSeconds, lastFiredAtMillis, evidenceSinceMillis, periodSinceMillis,
                alpha, by);
    }

    /** The same status with another armed flag and state, as an arm or disarm command answers. */
    public GuardrailStatus withArmed(boolean nowArmed, GuardrailState nowState) {
        return new GuardrailStatus(id, flag, variant, match, action, nowArmed, nowState, conditions, variantExposures,
                controlExposures, minExposures, windowSeconds, lastFiredAtMillis, evidenceSinceMillis, periodSinceMillis,
                alpha, decidedBy);
    }
}
