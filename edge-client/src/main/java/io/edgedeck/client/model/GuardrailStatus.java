package io.edgedeck.client.model;

import java.util.List;

/**
 * A guardrail as the engine last evaluated it.
 *
 * @param action             {@code rollback}, {@code rollback-breached-pops}, {@code pause} or {@code alert}
 * @param state              {@code disarmed}, {@code waiting} (too few exposures), {@code watching},
 *                           {@code breached} (holds, but disarmed or cooling down), {@code fired}
 * @param variantExposures   exposures of the watched variant in the window
 * @param controlExposures   exposures of control in the window
 * @param lastFiredAtMillis  engine time of its last firing, or null
 */
public record GuardrailStatus(String id, String flag, String variant, String match, String action, boolean armed,
                              String state, List<ConditionStatus> conditions, long variantExposures,
                              long controlExposures, long minExposures, int windowSeconds, Long lastFiredAtMillis) {
    public GuardrailStatus {
        conditions = List.copyOf(conditions);
    }
}
