package io.edgedeck.engine.journal;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.engine.flags.FlagDefinition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of the edge core's state that must survive a restart, as replaying its journal rebuilds
 * it. Metrics are not in it: they describe traffic, which a restart does not replay. (Faults a
 * producer journals are that producer's state: the simulated edge rebuilds its own.)
 *
 * @param pendingCheckouts    per PoP, checkouts queued and not yet reconciled
 * @param queuedCheckouts     per source id of a queued checkout (an ingested {@code checkoutId}), the PoP it waits at
 * @param checkoutsQueued     queued since the show started
 * @param checkoutsReconciled reconciled since the show started
 * @param flags               every flag at its latest version
 * @param audit               the audit trail, oldest first
 * @param pausedVariants      per flag, variants that take no new exposures
 * @param rolledBackAt        per "flag/variant", the PoPs where a guardrail rolled it back locally
 * @param guardrailsArmed     per guardrail, whether it is armed
 * @param firings             every guardrail firing
 * @param lastSeq             the last journal record
 */
public record DurableState(Map<String, Pending> pendingCheckouts, Map<String, String> queuedCheckouts,
                           long checkoutsQueued, long checkoutsReconciled, List<FlagDefinition> flags,
                           List<AuditEntry> audit, Map<String, Set<String>> pausedVariants,
                           Map<String, Set<String>> rolledBackAt,
                           Map<String, Boolean> guardrailsArmed, List<GuardrailFiring> firings, long lastSeq) {

    /** @param lastCheckoutId the newest queued checkout's id */
    public record Pending(long count, long lastCheckoutId) {
    }
}
