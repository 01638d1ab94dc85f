package io.edgedeck.engine.journal;

/**
 * The journal could not write a record, so the change it carried was not made. The node stays
 * read-only (it refuses changes and keeps serving reads and frames) until a write succeeds again.
 * Its message is one sentence that names the cause: {@code the journal cannot be written: the write
 * failed with "No space left on device"}, and, when the journal holds records of the show in memory
 * (a failed force took those written before it off the file), how many wait to be written again.
 */
public final class JournalUnavailableException extends RuntimeException {
    private final String reason;
    private final long atMillis = System.currentTimeMillis();

    private JournalUnavailableException(String reason, Throwable cause) {
        super("the journal cannot be written: " + reason, cause);
        this.reason = reason;
    }

    /** When (epoch ms) the journal refused: over once it is {@linkplain Journal#writableAgainMillis writable again} since. */
    public long atMillis() {
        return atMillis;
    }

    /**
     * @param problem what the operating system said, e.g. {@code No space left on device}; null or blank
     *                when it gave no reason
     * @param waiting records of the show kept in memory, waiting for the journal (0 for none)
     */
    public static JournalUnavailableException because(String problem, long waiting, Throwable cause) {
        return new JournalUnavailableException(failedWith(problem) + (waiting > 0 ? "; " + waiting(waiting) : ""), cause);
    }

    /**
     * What the journal holds in memory, said for the operator: {@code 3 records of the show wait in memory to be
     * written again; nothing after them was acknowledged} ({@link JournalCondition#held}; more than 0).
     */
    public static String waiting(long held) {
        return held == 1 ? "1 record of the show waits in memory to be written again; nothing after it was acknowledged"
                : held + " records of the show wait in memory to be written again; nothing after them was acknowledged";
    }

    /** {@code the write failed with "No space left on device"}, or that it failed with no reason given. */
    public static String failedWith(String problem) {
        return problem == null || problem.isBlank() ? "the write failed with an I/O error that gave no reason"
                : "the write failed with \"" + problem.strip() + "\"";
    }

    /** Why, as a clause that follows "the journal cannot be written: ", e.g. {@code the write failed with "No space left on device"}. */
    public String reason() {
        return reason;
    }
}
