package io.edgedeck.client.model;

import java.util.List;

/**
 * The body of {@code POST /api/v1/playbooks}: a playbook to make ({@link Playbook}), and why.
 *
 * @param onGuardrail a guardrail id: its automatic firing makes the node run the playbook itself; may be null
 */
public record NewPlaybook(String id, String description, List<PlaybookAction> actions, String onGuardrail, String reason) {
}
