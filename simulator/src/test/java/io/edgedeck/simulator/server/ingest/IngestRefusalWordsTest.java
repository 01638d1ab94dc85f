package io.edgedeck.simulator.server.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A batch refused for something other than an I/O error says what happened: the node is stopping,
 * or the node failed to apply it, and whether it is in the ingest log, never an exception's words.
 */
class IngestRefusalWordsTest {
    @Test
    void aBatchRefusedAsTheLogClosesSaysTheNodeIsStopping(@TempDir Path dir) throws Exception {
        IngestLog log = IngestLog.open(dir.resolve("ingest.log"), (o, at, p, s) -> { });
        log.close();
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> log.append(1_000, "x".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS));
        assertEquals("the node is stopping, and it was not logged", IngestWrites.why(refused.getCause()));
    }

    @Test
    void aBatchLoggedThatTheNodeFailedToApplySaysItIsReadBackAndLeaksNothing() {
        String why = IngestWrites.why(new CompletionException(new IngestWrites.LoggedNotApplied(
                new IllegalStateException("key v1.3.99.secret in Show.apply"))));
        assertEquals("it is in the ingest log and is read back when the node starts again, but the node failed to apply"
                + " it now (an internal error; the node's log has the cause)", why);
        assertFalse(why.contains("secret") || why.contains("IllegalState"), why);
        assertEquals("an internal error before it was logged (the node's log has the cause); nothing of it counts",
                IngestWrites.why(new CompletionException(new NullPointerException("x"))));
    }

    /** The journal's refusal carries the disk's error: it is said as the journal's, not the ingest log's. */
    @Test
    void aBatchTheJournalRefusedSaysTheJournalCannotBeWritten() {
        String why = IngestWrites.why(new CompletionException(new IngestWrites.LoggedNotApplied(
                io.edgedeck.engine.journal.JournalUnavailableException.because("No space left on device", 0,
                        new java.io.IOException("No space left on device")))));
        assertEquals("the journal cannot be written (the write failed with \"No space left on device\")", why);
    }

    /** An I/O error is said as what a support engineer acts on, then the system's words, with no path in them. */
    @Test
    void aBatchTheLogCouldNotWriteNamesTheCauseToActOnAndNoPath() {
        java.util.function.Function<java.io.IOException, String> why = e -> IngestWrites.why(
                new CompletionException(new IngestLog.WriteFailed(e, 1_000)));
        assertEquals("the ingest log could not be written (the disk is full: No space left on device)",
                why.apply(new java.io.IOException("No space left on device")));
        assertEquals("the ingest log could not be written (the disk quota is used up: Disk quota exceeded)",
                why.apply(new java.io.IOException("Disk quota exceeded")));
        assertEquals("the ingest log could not be written (the file system is read-only: Read-only file system)",
                why.apply(new java.nio.file.FileSystemException("/srv/edge/secret-token-dir/ingest.log", null,
                        "Read-only file system")));
        assertEquals("the ingest log could not be written (the node has no permission to write the file)",
                why.apply(new java.nio.file.AccessDeniedException("/srv/edge/ingest.log")));
        assertEquals("the ingest log could not be written (the system did not permit the write, as for a file marked"
                + " immutable or append-only: Operation not permitted)", why.apply(new java.io.IOException("Operation not permitted")));
        String io = why.apply(new java.io.IOException("Input/output error writing /srv/edge/tok-9f3/ingest.log"));
        assertEquals("the ingest log could not be written (the disk reported an I/O error: Input/output error writing"
                + " a file)", io);
        assertEquals("the ingest log could not be written (Stale file handle)", why.apply(new java.io.IOException("Stale file handle")));
        assertEquals("the ingest log could not be written (an I/O error)", why.apply(new java.io.IOException()));
    }
}
