package io.edgedeck.client.model;

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
 */
public record AuditEntry(long sequence, long atMillis, String actor, String action, String target,
                         String before, String after, String reason) {
}
