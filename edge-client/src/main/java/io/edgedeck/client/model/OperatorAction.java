package io.edgedeck.client.model;

/**
 * The body of an action that only needs to say who does it and why: kill, unkill, arm, disarm.
 * Both are required; the edge writes them into the audit trail.
 */
public record OperatorAction(String operator, String reason) {
    /** The longest reason a node takes: one line a person reads in the audit and the console (docs/API.md). */
    public static final int MAX_REASON_CHARS = 1_000;

}
