package io.edgedeck.engine.journal;

/**
 * The journal could not write a record, so the change it carried was not made. The node stays
 * read-only (it refuses changes and keeps serving reads and frames) until a write succeeds again.
 * Its message is one sentence that names the cause: {@code the journal cannot be written: the write
 * failed with "No space left on device"}.
 */
public final class JournalUnavailableException extends RuntimeException {
    private final String reason;

    private JournalUnavailableException(String reason, Throwable cause) {
        super("the journal cannot be written: " + reason, cause);
        this.reason = reason;
    }

    /**
     * @param problem what the operating system said, e.g. {@code No space left on device}; null or blank
     *                when it gave no reason
     * @param waiting records of the show kept in memory, waiting for the journal (0 for none)
     */
    public static JournalUnavailableException because(String problem, long waiting, Throwable cause) {
        return new JournalUnavailableException(failedWith(problem)
                + (waiting > 0 ? ", and " + waiting + (waiting == 1 ? " record of the show waits" : " records of the show wait")
                + " for it" : ""),
                cause);
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
