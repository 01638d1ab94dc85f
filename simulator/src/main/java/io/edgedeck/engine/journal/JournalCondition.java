package io.edgedeck.engine.journal;

/**
 * Whether a journal can be written, as its last write found.
 *
 * @param writable true when the last write (or the open) succeeded
 * @param problem  why it cannot be written, e.g. {@code No space left on device}; empty when writable
 * @param held     records the show made while it could not write, waiting in memory to be written
 */
public record JournalCondition(boolean writable, String problem, int held) {
    public static final JournalCondition WRITABLE = new JournalCondition(true, "", 0);
}
