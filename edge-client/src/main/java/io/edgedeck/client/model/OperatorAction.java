package io.edgedeck.client.model;

/**
 * The body of an action that only needs to say who does it and why: kill, unkill, arm, disarm.
 * Both are required; the edge writes them into the audit trail.
 */
public record OperatorAction(String operator, String reason) {
    /** The longest reason a node takes: one line a person reads in the audit and the console (docs/API.md). */
    public static final int MAX_REASON_CHARS = 1_000;

    /**
     * Whether a node refuses {@code c} in a text of its API (a reason, a name): C0 and C1 controls, DEL, the
     * line and paragraph separators (U+2028, U+2029), and the bidirectional marks, embeddings, overrides and
     * isolates (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069). Every such text is one line a person
     * reads in the console, the audit or a log, where such a character could forge a line or hide what follows it.
     */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F
                || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
