package io.edgedeck.simulator.server.ingest;

import io.edgedeck.engine.journal.JournalUnavailableException;
import io.edgedeck.simulator.show.ShowRunner;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * Whether the ingest log can be written, as its last write found it, and why a batch could not be
 * taken, in words. A group that failed on I/O (a full disk, a file made immutable, a device gone)
 * marks the ingest lane failing, which {@code /healthz} and {@code /metrics} report, until a write
 * succeeds again: the next batch's, or the log's own try while no batch comes, every 2 s, one that
 * writes as much as the group that failed, which for a group over 64 KiB may wait up to 64 s
 * ({@link IngestLog#writeFailure}), so an idle node finds out by itself. An unexpected exception on
 * the log's writer thread marks it failing the same way. An error that stopped the writer thread
 * ({@link IngestLog#stopped}) marks it failing for good: every batch is refused at once until the node
 * is started again. Any thread.
 */
public final class IngestWrites {
    private final IngestLog log;

    IngestWrites(IngestLog log) {
        this.log = log;
    }

    /** What a refusal says once the ingest log stopped for good. */
    static final String RESTART = "; the node must be started again";

    /** Whether the ingest log stopped for good ({@link IngestLog#stopped}): only a new start of the node takes batches again. */
    public boolean stopped() {
        return log.stopped() != null;
    }

    /** Why the ingest log cannot be written, or null while it can (as far as its last write or try knows). */
    public String failure() {
        Throwable stopped = log.stopped();
        if (stopped != null) {
            return stopped(stopped) + "; ingest batches and one-click checkouts are refused with 503 until the node is"
                    + " started again (the node's log has the cause)";
        }
        Exception failure = log.writeFailure();
        return failure == null ? null : "the ingest log cannot be written (" + reason(failure) + "); ingest batches and"
                + " one-click checkouts are refused with 503 until the node can write it again (it tries every few seconds)";
    }

    /** The ingest log stopped for good on {@code error}, in words. */
    private static String stopped(Throwable error) {
        return "the ingest log takes no more batches since its writer stopped (" + (error instanceof OutOfMemoryError
                ? "out of memory" + (error.getMessage() == null ? "" : ": " + words(error.getMessage()))
                : "an internal error") + ")";
    }

    /**
     * Why a batch could not be made durable or applied, for a 503's detail: the I/O error's own words,
     * or the journal's; else what happened, and whether the batch is in the ingest log, never an
     * exception's class name or message (those are in the node's log).
     */
    static String why(Throwable cause) {
        // The journal's refusal first: it carries the I/O error it met, which is not the ingest log's.
        JournalUnavailableException journal = journalFailure(cause);
        if (journal != null) {
            return "the journal cannot be written (" + journal.reason() + ")";
        }
        IOException io = io(cause);
        if (io != null) {
            return "the ingest log could not be written (" + reason(io) + ")";
        }
        boolean logged = false;
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof IngestLog.WriterStopped s) {
                return stopped(s.getCause()) + RESTART;
            }
            if (c instanceof IngestLog.Closed || c instanceof ShowRunner.ClosedException) {
                return logged ? "the node is stopping: it is in the ingest log and is read back when the node starts again"
                        : "the node is stopping, and it was not logged";
            }
            if (c instanceof ShowRunner.EngineFailedException) {
                return (logged ? "it is in the ingest log, but " : "it was not logged: ")
                        + "the node's engine stopped on an internal error (the node's log has the cause) and takes nothing"
                        + " until the node is started again";
            }
            logged |= c instanceof LoggedNotApplied;
        }
        return logged ? "it is in the ingest log and is read back when the node starts again, but the node failed to apply"
                + " it now (an internal error; the node's log has the cause)"
                : "an internal error before it was logged (the node's log has the cause); nothing of it counts";
    }

    /**
     * The ingest log's write that failed on I/O and so kept a batch from being taken, or null when something else did
     * (the journal, an internal error, the engine, a batch logged but not applied): only the first is over once the
     * log writes again.
     */
    static IngestLog.WriteFailed logFailure(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof JournalUnavailableException || c instanceof LoggedNotApplied) {
                return null;
            }
            if (c instanceof IngestLog.WriteFailed w) {
                return w;
            }
        }
        return null;
    }

    /** The journal's refusal that kept a batch from being taken, or null when something else did. */
    static JournalUnavailableException journalFailure(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof JournalUnavailableException j) {
                return j;
            }
        }
        return null;
    }

    /** A record the ingest log took, which the engine then failed to apply: read back at the next start. */
    static final class LoggedNotApplied extends RuntimeException {
        LoggedNotApplied(Throwable cause) {
            super("logged, not applied", cause);
        }
    }

    private static IOException io(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /**
     * An I/O error as what a support engineer acts on, then the operating system's words, e.g. {@code the disk is full:
     * No space left on device}, {@code the file system is read-only: Read-only file system}; the words alone for a cause
     * it does not know. A path in them is said as "a file" (the node's log has it), and words that were nothing but the
     * path are left out. Any other exception is an internal error, named in the node's log.
     */
    static String reason(Exception e) {
        if (!(e instanceof IOException)) {
            return "an internal error; the node's log has the cause";
        }
        String said = words(e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage());
        said = PATH.matcher(said).replaceAll("a file");
        boolean onlyPath = said.equals("a file");
        if (said.length() > 200) {
            said = said.substring(0, 200) + "…";
        }
        String lower = said.toLowerCase(java.util.Locale.ROOT);
        String cause = lower.contains("no space left") ? "the disk is full"
                : lower.contains("quota") ? "the disk quota is used up"
                : lower.contains("read-only file system") ? "the file system is read-only"
                : e instanceof java.nio.file.AccessDeniedException || lower.contains("permission denied")
                ? "the node has no permission to write the file"
                : lower.contains("operation not permitted")
                ? "the system did not permit the write, as for a file marked immutable or append-only"
                : lower.contains("input/output error") ? "the disk reported an I/O error"
                : null;
        if (onlyPath) {
            return cause == null ? "an I/O error" : cause;
        }
        return cause == null ? said : cause + ": " + said;
    }

    /** An absolute path in an error's words. */
    private static final java.util.regex.Pattern PATH = java.util.regex.Pattern.compile("(?<![\\w.~])/[^\\s:;,\"'()]+");

    private static String words(String said) {
        return said == null || said.isBlank() ? "an I/O error" : said.strip();
    }
}
