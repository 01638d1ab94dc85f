package io.edgedeck.client.model;

import java.util.List;

/**
 * What a playbook's run changed ({@code POST /api/v1/playbooks/{id}/run}): every change, in order,
 * as its one audit entry lists them. Empty when everything was already so (nothing is audited then).
 *
 * @param actor who ran it: the caller, {@code schedule}, or {@code guardrail:RULE} when the node ran it itself
 */
public record PlaybookRun(String playbook, String actor, long atMillis, List<String> changes) {
    public PlaybookRun {
        changes = List.copyOf(changes);
    }
}
