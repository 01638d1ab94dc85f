package io.edgedeck.engine.journal;

/**
 * The journal could not write a record, so the change it carried was not made. The node stays
 * read-only (it refuses changes and keeps serving reads and frames) until a write succeeds again.
 */
public final class JournalUnavailableException extends RuntimeException {
    public JournalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
