package io.edgedeck.engine.triggers;

/**
 * A rule fired for a session.
 *
 * @param eventId               the interaction that completed the run
 * @param decisionLatencyMicros the processing time the engine charged for the decision (the PoP's
 *                              simulated processing latency), so reports stay deterministic
 */
public record TriggerFiring(String ruleId, TriggerAction action, long atMillis, long eventId,
                            long decisionLatencyMicros) {
}
