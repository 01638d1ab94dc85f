package io.edgedeck.simulator.server.sources;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.ingest.IngestOutcome;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.SinkRefusedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An event the node took from a connector's batch after answering it 503 is known as such by that connector and the
 * event's id: that connector's resend is no repeat, while another connector sending the same id has made a duplicate
 * of its own.
 */
class IntakeSinkAnsweredLateTest {
    @Test
    void onlyTheConnectorWhoseBatchWasAnsweredLateResendsItAsNoRepeat() throws Exception {
        IngestEvent event = new IngestEvent.Chat("shared-1", System.currentTimeMillis(), "said twice", null, null, null, null);
        CompletableFuture<List<IngestOutcome>> late = new CompletableFuture<>();
        // The first take (probes a) waits past the sink's time; every later one finds the id held.
        IntakeSink.KeyedPath path = (kind, name, batch) -> late.isDone()
                ? CompletableFuture.completedFuture(List.of(new IngestOutcome.Duplicate(event.id())))
                : late;
        IntakeSink sink = new IntakeSink(path, Duration.ofMillis(20), InstantSource.system());

        assertThrows(SinkRefusedException.class, () -> sink.from("probes", "a").accept(List.of(event)));
        late.complete(List.of(new IngestOutcome.Accepted(event.id(), List.of())));

        EventSink.Taken other = sink.from("probes", "b").accept(List.of(event));
        assertEquals(1, other.duplicates(), "another connector's repeat is a duplicate: " + other);
        assertEquals(0, other.resent(), other.toString());

        EventSink.Taken resent = sink.from("probes", "a").accept(List.of(event));
        assertEquals(0, resent.duplicates(), "the late-answered connector's own resend is none: " + resent);
        assertEquals(1, resent.resent(), resent.toString());
    }
}
