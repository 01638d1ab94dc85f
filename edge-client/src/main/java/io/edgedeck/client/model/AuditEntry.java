package io.edgedeck.client.model;

import java.util.List;

/**
 * Who changed what, when and why: one entry per flag change, kill, unkill and rollback.
 *
 * <p>{@code before} and {@code after} are compact, human-readable states of the target, e.g.
 * {@code v3 on=10% off=90% control=off scope=global} (with {@code killed} appended while killed);
 * {@code before} is {@code none} when the action created the target. They are for people and
 * tickets, not for machines: the structured state is in {@link FlagView}.
 *
 * @param sequence 1 for the first entry of a node, +1 for each after it
 * @param atMillis the engine's virtual time of the change, in milliseconds
 * @param action   dotted verb, e.g. {@code flag.create}, {@code flag.change}, {@code flag.kill},
 *                 {@code flag.unkill}, {@code flag.rollback}
 * @param target   the key of the changed flag
 * @param touched  the flags and guardrails the entry's changes touched, in the order it made them,
 *                 for an entry that makes several changes as one (a playbook's run, a scheduled
 *                 change firing, a fleet's change applied): {@code [checkout-button, sentiment-guard]}
 *                 for a run that killed the one and disarmed the other; empty for every other entry,
 *                 whose {@code target} is what it changed
 */
public record AuditEntry(long sequence, long atMillis, String actor, String action, String target,
                         String before, String after, String reason, List<String> touched) {
    public AuditEntry {
        touched = touched == null ? List.of() : List.copyOf(touched);
    }

    /** An entry that changed its target alone. */
    public AuditEntry(long sequence, long atMillis, String actor, String action, String target,
                      String before, String after, String reason) {
        this(sequence, atMillis, actor, action, target, before, after, reason, List.of());
    }

    /**
     * True when the entry changed flag {@code key} (or guardrail {@code key}): its target is it, or one
     * of its variants ({@code key/VARIANT}), or its changes touched it.
     */
    public boolean concerns(String key) {
        return key.equals(target) || target.startsWith(key + "/") || touched.contains(key);
    }
}
