package io.edgedeck.simulator.server.sources;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.engine.ingest.IngestOutcome;
import io.edgedeck.engine.ingest.KeyedIntake;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.SinkRefusedException;
import io.edgedeck.simulator.show.ShowRunner;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connectors' way into the core: each batch goes to the node's one keyed path ({@link KeyedIntake}),
 * the path {@code POST /ingest/v1/events} takes, with the same ids, dedupe window and unit table. On
 * a live node that is the node's intake itself (durable in the ingest log first); on a rehearsal node,
 * which has no ingest API, the keyed path on the engine thread ({@link #onEngine}). The connector's
 * thread waits until the batch is taken, so a connector told "done" knows the node holds it.
 *
 * <p>Events the core refuses one by one (an unknown PoP or flag, a time too far off) are counted
 * by the field at fault, as the errors of the {@code core} source in the Sources panel and of the
 * connector that sent them, and on /metrics: nothing a connector sends disappears without a count.
 * The keyed path counts them ({@link #refused}) where it decides each is a refusal to count, not the
 * connector's thread, which may have given up waiting (a batch answered 503 is still applied): on a
 * live node the same event refused again for the same fault within the dedupe window (its batch sent
 * again) counts once, as on the ingest API; a rehearsal node keeps no such window and counts each.
 */
public final class IntakeSink implements EventSink {
    /**
     * The node's keyed path as a connector reaches it: each event's outcome, once the engine thread
     * took the batch; {@code kind} and {@code name} name the connector (null when not known).
     */
    @FunctionalInterface
    public interface KeyedPath {
        CompletableFuture<List<IngestOutcome>> take(String kind, String name, List<IngestEvent> batch);
    }

    /**
     * Where a keyed path counts a connector's event it refused: connector {@code kind} {@code name}'s row and the
     * core's, {@code refusal} as its sender named the event, at {@code atMillis} (epoch ms). Any thread.
     */
    @FunctionalInterface
    public interface RefusalRows {
        void refused(String kind, String name, Refusal refusal, long atMillis);
    }

    /** A rehearsal node's keyed path, on its engine thread, counting what it took for the simulator's own count. */
    public static final class OnEngine implements KeyedPath {
        private final ShowRunner runner;
        private final KeyedIntake intake;
        private long taken;
        private volatile RefusalRows rows = (kind, name, refusal, atMillis) -> { };

        OnEngine(ShowRunner runner, KeyedIntake intake) {
            this.runner = runner;
            this.intake = intake;
        }

        @Override
        public CompletableFuture<List<IngestOutcome>> take(String kind, String name, List<IngestEvent> batch) {
            return runner.submit(s -> {
                List<IngestOutcome> out = intake.acceptAll(batch);
                for (int i = 0; i < out.size(); i++) {
                    // A probe is in no frame's delivered or lost events: not the audience's.
                    if (out.get(i) instanceof IngestOutcome.Accepted && !isProbe(batch.get(i))) {
                        taken++;
                    }
                    if (out.get(i) instanceof IngestOutcome.Refused r) {
                        // No refused-id window here: each send counts.
                        rows.refused(kind, name, new Refusal(i, batch.get(i).id(), r.field(), r.reason()), System.currentTimeMillis());
                    }
                }
                return out;
            });
        }

        /** Where it counts the connectors' events it refused; set once, before the connectors start. */
        public void countRefusalsOn(RefusalRows refusalRows) {
            this.rows = refusalRows;
        }

        private static boolean isProbe(IngestEvent event) {
            return event instanceof IngestEvent.Latency l && "probe".equals(l.source());
        }

        /**
         * Events taken from connectors so far that count in the frame's delivered or lost events
         * (every one but a probe). Engine thread only: read it where the frame is made, and the two agree.
         */
        public long takenOnEngine() {
            return taken;
        }
    }

    /** The keyed path on a rehearsal node's engine thread; {@code intake} is used only there. */
    public static OnEngine onEngine(ShowRunner runner, KeyedIntake intake) {
        return new OnEngine(runner, intake);
    }

    private final KeyedPath path;
    private final Duration wait;
    private final ConnectorCounters refusals;
    /** The row of connector (kind, name), or null for one not known. */
    private volatile java.util.function.BiFunction<String, String, ConnectorCounters> connectorRows = (kind, name) -> null;

    /**
     * @param path the node's keyed path
     * @param wait how long a connector waits for the node before its batch is refused (it retries)
     */
    public IntakeSink(KeyedPath path, Duration wait, InstantSource clock) {
        this.path = path;
        this.wait = wait;
        this.refusals = new ConnectorCounters("core", "keyed-intake", clock, SourceState.LISTENING,
                "takes the connectors' observations on the engine thread, with the ingest API's ids and dedupe");
    }

    /** The core's own counters: events taken from connectors, and those it refused by field. */
    public ConnectorCounters counters() {
        return refusals;
    }

    /** Where the connectors' rows are found, by kind and name (null for one not known); set once, before they start. */
    public void connectorRows(java.util.function.BiFunction<String, String, ConnectorCounters> rows) {
        this.connectorRows = rows;
    }

    /**
     * Counts a connector's event the keyed path refused, as it decided it counts ({@link RefusalRows}): as an error
     * {@code refused-FIELD} on the core's row and on the connector's ({@code kind} null: not known, the core's alone).
     */
    public void refused(String kind, String name, Refusal refusal, long atMillis) {
        refusals.error("refused-" + refusal.field(), refusal.detail(), 1, atMillis);
        ConnectorCounters row = kind == null ? null : connectorRows.apply(kind, name);
        if (row != null) {
            row.error("refused-" + refusal.field(), refusal.detail(), 1, atMillis);
        }
    }

    @Override
    public Taken accept(List<IngestEvent> batch) throws SinkRefusedException {
        return accept(null, null, batch);
    }

    @Override
    public EventSink from(String kind, String name) {
        return new EventSink() {
            @Override
            public Taken accept(List<IngestEvent> batch) throws SinkRefusedException {
                return IntakeSink.this.accept(kind, name, batch);
            }

            @Override
            public EventSink from(String otherKind, String otherName) {
                return IntakeSink.this.from(otherKind, otherName);
            }
        };
    }

    private Taken accept(String kind, String name, List<IngestEvent> batch) throws SinkRefusedException {
        if (batch.isEmpty()) {
            return Taken.ALL;
        }
        List<IngestOutcome> outcomes;
        try {
            outcomes = path.take(kind, name, batch).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Queued but not yet taken: a retry of the same ids counts once, so the sender loses nothing.
            throw new SinkRefusedException("the engine did not take the batch within " + wait.toMillis() + " ms", 1);
        } catch (ExecutionException e) {
            throw new SinkRefusedException("the node could not take the batch: " + e.getCause().getMessage(), 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkRefusedException("the node is stopping", 5);
        }
        List<Refusal> refused = new ArrayList<>();
        int duplicates = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof IngestOutcome.Duplicate) {
                duplicates++;
            }
            if (outcomes.get(i) instanceof IngestOutcome.Refused r) {
                // Named by the id its sender gave it: the core may hold it under a key. Told each time; the keyed path
                // counted it on the rows already ({@link #refused}), once.
                refused.add(new Refusal(i, batch.get(i).id(), r.field(), r.reason()));
            }
        }
        Taken taken = new Taken(refused, duplicates);
        refusals.delivered(taken.counted(outcomes.size()));
        refusals.duplicates(duplicates);
        return taken;
    }
}
