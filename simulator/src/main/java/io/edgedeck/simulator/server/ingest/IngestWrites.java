package io.edgedeck.simulator.server.ingest;

import io.edgedeck.engine.journal.JournalUnavailableException;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * Whether the ingest log can be written, as the last append found it, and why a batch could not be
 * taken, in words. An append that failed on I/O (a full disk, a file made immutable, a device
 * gone) marks the ingest lane failing, which {@code /healthz} reports, until an append succeeds
 * again. Any thread.
 */
public final class IngestWrites {
    private volatile String failure;

    /** The last append to the ingest log succeeded. */
    void written() {
        failure = null;
    }

    /** An append to the ingest log failed: the lane is failing if the cause is I/O. */
    void failed(Throwable cause) {
        IOException io = io(cause);
        if (io != null) {
            failure = "the ingest log cannot be written (" + reason(io) + "); ingest batches and one-click checkouts are"
                    + " refused with 503 until a write succeeds";
        }
    }

    /** Why the ingest log cannot be written, or null while it can (as far as the last append knows). */
    public String failure() {
        return failure;
    }

    /**
     * Why a batch could not be made durable or applied, for a 503's detail: the I/O error's own words,
     * or the journal's, never an exception's class name (those are in the node's log).
     */
    static String why(Throwable cause) {
        IOException io = io(cause);
        if (io != null) {
            return "the ingest log could not be written (" + reason(io) + ")";
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof JournalUnavailableException j) {
                return "the journal cannot be written (" + words(j.getMessage()) + ")";
            }
        }
        return "the node failed to apply it (the node's log has the cause)";
    }

    private static IOException io(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /** An I/O error in the operating system's words, e.g. "No space left on device". */
    private static String reason(IOException e) {
        String said = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        return words(said);
    }

    private static String words(String said) {
        return said == null || said.isBlank() ? "an I/O error" : said.strip();
    }
}
