package io.edgedeck.simulator.server.ingest;

import io.edgedeck.client.model.SourceStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch answered 503 {@code not-taken} is over on the ingest lane's rows it was counted on only once what kept it
 * from being taken has passed: for one the ingest log could not write, a write of the log since that failure; for one
 * of any other cause (an internal error, one applied after it was logged, the journal), nothing the log writes.
 */
class IngestCountersNotTakenTest {
    private static SourceStatus.ErrorCount notTaken(IngestCounters counters, String kind) {
        for (SourceStatus s : counters.sources()) {
            if (s.name().equals(kind)) {
                return s.errors().stream().filter(e -> e.reason().equals("not-taken")).findFirst()
                        .orElseThrow(() -> new AssertionError("no not-taken on " + kind + ": " + s));
            }
        }
        throw new AssertionError("no row " + kind);
    }

    private static IngestLog.WriteFailed logFailedAt(long atMillis) {
        return new IngestLog.WriteFailed(new IOException("No space left on device"), atMillis);
    }

    @Test
    void aBatchNotTakenForAnotherCauseIsNotOverWhenTheLogWritesAgainButOneTheLogCouldNotTakeIs() {
        IngestCounters counters = new IngestCounters();
        long failedAt = System.currentTimeMillis();
        counters.notTaken(List.of("checkout"), "a batch was answered 503, not taken: it is in the ingest log and is read"
                + " back when the node starts again, but the node failed to apply it now",
                new IngestWrites.LoggedNotApplied(new IllegalStateException("from the test")));
        counters.notTaken(List.of("exposure"), "a batch was answered 503, not taken: the ingest log could not be written",
                logFailedAt(failedAt));

        counters.takingAgain(failedAt + 1);

        assertTrue(notTaken(counters, "exposure").over(), "the log's failure passed: " + notTaken(counters, "exposure"));
        assertFalse(notTaken(counters, "checkout").over(), "nothing ended a batch the node failed to apply: "
                + notTaken(counters, "checkout"));
    }

    @Test
    void aBatchCountedAfterTheLogWroteAgainIsOverAtOnceAndOneThatFailedSinceIsNot() {
        IngestCounters counters = new IngestCounters();
        long failedAt = System.currentTimeMillis() - 1_000;
        // The log wrote again before the thread that answered the 503 counted it: no later write need come.
        counters.takingAgain(failedAt + 10);
        counters.notTaken(List.of("conversion"), "a batch was answered 503, not taken: the ingest log could not be written",
                logFailedAt(failedAt));
        SourceStatus.ErrorCount late = notTaken(counters, "conversion");
        assertTrue(late.over(), "the log wrote again after this failure: " + late);
        assertEquals(failedAt, late.lastAtMillis(), "stamped when the write failed: " + late);

        counters.notTaken(List.of("conversion"), "a batch was answered 503, not taken: the ingest log could not be written",
                logFailedAt(failedAt + 20));
        assertFalse(notTaken(counters, "conversion").over(), "failed after the log last wrote: " + notTaken(counters, "conversion"));
    }
}
