package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An error that is over once its batches are applied ({@link ConnectorCounters#pending}): a batch answered 503 in
 * the very millisecond the last one before it was applied is still on its way, and its row says so.
 */
class ConnectorCountersTest {
    /** Every call in the same millisecond, as when a stalled engine catches up and a burst of timeouts lands at once. */
    private final ConnectorCounters counters = new ConnectorCounters("ingest", "chat",
            InstantSource.fixed(Instant.ofEpochMilli(1_796_545_117_708L)), SourceState.LISTENING, "the ingest lane");

    private SourceStatus.ErrorCount error() {
        return counters.snapshot().errors().getFirst();
    }

    @Test
    void aBatchAnswered503InTheMillisecondTheLastWasAppliedIsNotOver() {
        counters.pending("not-applied-in-time", "a batch was answered 503");
        counters.settled("not-applied-in-time", true);
        assertTrue(error().over(), "its one batch was applied");

        counters.pending("not-applied-in-time", "another batch was answered 503");
        assertFalse(error().over(), "another is on its way, in the same millisecond");
        counters.settled("not-applied-in-time", true);
        assertTrue(error().over(), "and over once it is applied");
    }

    @Test
    void anOccurrenceInTheMillisecondItWasOverMakesItFailingAgain() {
        counters.pending("not-applied-in-time", "a batch was answered 503");
        counters.settled("not-applied-in-time", true);
        counters.error("not-applied-in-time", "a batch was answered 503 again");
        assertFalse(error().over());
    }
}
