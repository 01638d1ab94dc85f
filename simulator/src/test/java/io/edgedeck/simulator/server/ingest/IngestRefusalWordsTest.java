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
}
