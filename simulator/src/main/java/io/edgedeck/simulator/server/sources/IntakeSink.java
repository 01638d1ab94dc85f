package io.edgedeck.simulator.server.sources;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.engine.ingest.IngestLimits;
import io.edgedeck.engine.ingest.IngestOutcome;
import io.edgedeck.engine.ingest.KeyedIntake;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.RecentKeys;
import io.edgedeck.simulator.connectors.SinkRefusedException;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import io.edgedeck.simulator.server.privacy.UnitKeys;
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
 * connector's thread, which may have given up waiting (a batch answered 503 is still applied): the same
 * event refused again for the same fault within the dedupe window (its batch sent again) counts once, as
 * on the ingest API, on a live node and a rehearsal node alike.
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

    /**
     * A rehearsal node's keyed path, on its engine thread, counting what it took for the simulator's own count. It counts
     * the connectors' events it refuses as a live node's intake does: the same event refused again for the same fault
     * within the dedupe window (its batch sent again) counts once, known by {@link LiveIntake#knownBy} in the core's own
     * refused-id window ({@link KeyedIntake#firstRefusal}); under keys of its own, made as it starts, as a rehearsal keys
     * no unit and keeps no ingest log, so its counts start at 0 when it starts again.
     */
    public static final class OnEngine implements KeyedPath {
        private final ShowRunner runner;
        private final KeyedIntake intake;
        private final UnitKeys keys;
        private long taken;
        private volatile RefusalRows rows = (kind, name, refusal, atMillis) -> { };

        OnEngine(ShowRunner runner, KeyedIntake intake, UnitKeys keys) {
            this.runner = runner;
            this.intake = intake;
            this.keys = keys;
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
                        long now = System.currentTimeMillis();
                        if (intake.firstRefusal(LiveIntake.knownBy(keys, batch.get(i).id(), r.field(), r.code()), now)) {
                            rows.refused(kind, name, new Refusal(i, batch.get(i).id(), r.field(), r.reason()), now);
                        }
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

    /**
     * The keyed path on a rehearsal node's engine thread; {@code intake} is used only there, {@code keys} only for what its
     * refusals are known by.
     */
    public static OnEngine onEngine(ShowRunner runner, KeyedIntake intake, UnitKeys keys) {
        return new OnEngine(runner, intake, keys);
    }

    private final KeyedPath path;
    private final Duration wait;
    private final ConnectorCounters refusals;
    /**
     * The events taken from batches whose senders were told they were not taken in time, by the connector that sent each
     * and its id ({@link #lateKey}): a resend of one from that connector is no repeat. Not kept across a restart.
     */
    private final RecentKeys answeredLate = new RecentKeys("The events taken from connectors' batches answered 503 first",
            IngestLimits.DEFAULT.dedupeWindowMillis(), RecentKeys.CAPACITY);
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
        CompletableFuture<List<IngestOutcome>> taking = path.take(kind, name, batch);
        List<IngestOutcome> outcomes;
        try {
            outcomes = taking.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Queued but not yet taken: a retry of the same ids counts once, so the sender loses nothing. Taken later, it
            // counts then, on the rows, and a resend of what it took is known as such.
            taking.thenAccept(late -> takenLate(kind, name, batch, late));
            throw new SinkRefusedException("the engine did not take the batch within " + wait.toMillis() + " ms", 1);
        } catch (ExecutionException e) {
            throw new SinkRefusedException("the node could not take the batch: " + e.getCause().getMessage(), 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkRefusedException("the node is stopping", 5);
        }
        Taken taken = taken(kind, name, batch, outcomes, false);
        refusals.taken(outcomes.size(), taken);
        return taken;
    }

    /**
     * A batch whose sender was told it was not taken (the node did not take it in time), taken since: what counts, on
     * the connector's row and the core's, as if it had been taken in time; the sender will hear of it only as it
     * sends the batch again. Any thread (the engine's, as it completes).
     */
    private void takenLate(String kind, String name, List<IngestEvent> batch, List<IngestOutcome> outcomes) {
        Taken taken = taken(kind, name, batch, outcomes, true);
        refusals.taken(outcomes.size(), taken);
        ConnectorCounters row = kind == null ? null : connectorRows.apply(kind, name);
        if (row != null) {
            row.taken(outcomes.size(), taken);
        }
    }

    /**
     * An event taken from connector ({@code kind}, {@code name}; null for the node's own ingest lane) as {@link
     * #answeredLate} knows it: the same id from another connector, or the ingest API, is a repeat of the sender's
     * making. Null for an event with no id, which is never known again.
     */
    private static String lateKey(String kind, String name, IngestEvent event) {
        return event.id() == null ? null : kind + "\n" + name + "\n" + event.id();
    }

    /**
     * What the node made of {@code batch}: its refusals, named by the id its sender gave each (the core may hold it under
     * a key; told each time, counted on the rows already by the keyed path, {@link #refused}, once), its repeats, and
     * among those its resends of events the node took after answering their first send late ({@link #answeredLate}).
     * {@code late}: the batch is such a send, so what it took is remembered as such.
     */
    private Taken taken(String kind, String name, List<IngestEvent> batch, List<IngestOutcome> outcomes, boolean late) {
        List<Refusal> refused = new ArrayList<>();
        int duplicates = 0;
        int resent = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            switch (outcomes.get(i)) {
                case IngestOutcome.Duplicate d -> {
                    if (answeredLate.contains(lateKey(kind, name, batch.get(i)))) {
                        resent++;
                    } else {
                        duplicates++;
                    }
                }
                case IngestOutcome.Refused r -> refused.add(new Refusal(i, batch.get(i).id(), r.field(), r.reason()));
                case IngestOutcome.Accepted a -> {
                    if (late) {
                        answeredLate.add(lateKey(kind, name, batch.get(i)));
                    }
                }
            }
        }
        return new Taken(refused, duplicates, resent);
    }
}
