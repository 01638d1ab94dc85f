package io.edgedeck.simulator.server.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.ingest.IngestStats;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.ingest.IngestLimits;
import io.edgedeck.engine.ingest.IngestOutcome;
import io.edgedeck.engine.ingest.KeyedIntake;
import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.engine.triggers.TriggerFiring;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.ofrep.OfrepEvaluator;
import io.edgedeck.simulator.server.privacy.Pseudonyms;
import io.edgedeck.simulator.server.privacy.RawSample;
import io.edgedeck.simulator.server.privacy.UnitKeys;
import io.edgedeck.simulator.server.sources.IntakeSink;
import io.edgedeck.simulator.show.ShowRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * A live node's intake: batches from {@code POST /ingest/v1/events} and exposures from OFREP
 * evaluations, made durable in the {@link IngestLog} and fed to the core's keyed path on the engine
 * thread; the trigger actions they make due; what each kind of source sent.
 *
 * <p>A batch's way in, on its HTTP (virtual) thread: read within the size limit, gzip undone,
 * {@linkplain IngestBatch read}, charged to the key's rate, appended to the log and awaited until
 * durable (group commit), then applied on the engine thread and answered with what became of each
 * event. A node started again on its data directory reads the log back first, so an acknowledged
 * batch is never lost; a batch re-sent because its answer was lost counts once (event ids, within
 * the core's dedupe window).
 *
 * <p>Over 350 lines, on purpose: one job, the live node's one keyed way in (ingest batches, OFREP
 * exposures and connectors share its log, dedupe window and unit table); reading a batch, the log
 * and the keyed path are classes of their own.
 */
public final class LiveIntake implements OfrepEvaluator.LiveObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveIntake.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /**
     * Events as a batch of the ingest API: a list written with its element type, so each event keeps
     * its {@code type} (a plain list of records is written without it, and could not be read back).
     */
    private static final com.fasterxml.jackson.databind.ObjectWriter EVENTS = JSON.writerFor(
            new com.fasterxml.jackson.core.type.TypeReference<List<IngestEvent>>() { });

    private final KeyedIntake intake;
    /** Names this run of the node in {@link #placements}. */
    private final String run = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    private final EngineClock clock;
    private final LongSupplier epochMillis;
    private final NodeConfig.Ingest limits;
    private final List<String> triggers;
    private final IngestRate rate;
    private final HeldBatches held;
    /** When a batch refused while the held batches reach their bound is to be sent again, in seconds. */
    static final long HELD_RETRY_SECONDS = 1;
    /** Batches answered 503 because they were not applied within the timeout ({@code /metrics}). */
    private final java.util.concurrent.atomic.AtomicLong notAppliedInTime = new java.util.concurrent.atomic.AtomicLong();
    /** When such a 503 was last logged (nanoTime), so a stall that times out many batches is logged once in a while. */
    private final java.util.concurrent.atomic.AtomicLong notAppliedLogged = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() - NOT_APPLIED_LOGGED_EVERY.toNanos());
    private static final Duration NOT_APPLIED_LOGGED_EVERY = Duration.ofSeconds(10);
    /** Batches answered 503 because the ingest log (or the journal) could not be written ({@code /metrics}). */
    private final java.util.concurrent.atomic.AtomicLong notTaken = new java.util.concurrent.atomic.AtomicLong();
    /** One-click checkouts answered 503 because they were not applied within the timeout ({@code /metrics}). */
    private final java.util.concurrent.atomic.AtomicLong checkoutsNotAppliedInTime = new java.util.concurrent.atomic.AtomicLong();
    /** One-click checkouts answered 503 because they could not be made durable or applied ({@code /metrics}). */
    private final java.util.concurrent.atomic.AtomicLong checkoutsNotTaken = new java.util.concurrent.atomic.AtomicLong();
    /**
     * When a batch or checkout refused while the ingest log cannot be written is to be sent again, in
     * seconds: the node tries the log again this often ({@link IngestLog#PROBE_MILLIS}).
     */
    static final long NOT_TAKEN_RETRY_SECONDS = IngestLog.PROBE_MILLIS / 1000;
    /** The same once the ingest log stopped for good: only a new start of the node takes it again. */
    static final long STOPPED_RETRY_SECONDS = 30;
    private final IngestCounters counters = new IngestCounters();
    /** OFREP exposures whose ingest log record could not be made durable: not counted, live or after a restart. */
    private final java.util.concurrent.atomic.AtomicLong exposuresNotDurable = new java.util.concurrent.atomic.AtomicLong();
    private final PendingActions pending;
    private final TriggerLatency triggerLatency = new TriggerLatency();
    private final EdgeCore core;
    private final IngestLog log;
    private final IngestWrites writes;
    private final UnitKeys keys;
    /** Which units' records keep their raw ids in the ingest log (the node config's {@code privacy.rawSampleRate}). */
    private final RawSample sample;
    private final Pseudonyms pseudonyms;
    private final Duration rawRetention;
    private final java.util.function.ObjLongConsumer<IngestEvent> replayedEvent;
    private final Accepted fleet;
    private volatile ShowRunner runner;
    private volatile UnaryOperator<PendingActions.Due> offers = UnaryOperator.identity();
    private long replayed;
    /** The records of the ingest log read back at start, damaged ones included. */
    private long readBackRecords;
    /** By connector (kind, name): what it delivered, read back from the ingest log ({@link #replayedSources}). */
    private final Map<List<String>, ConnectorCounters> replayedSources = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong scrubbedRecords = new java.util.concurrent.atomic.AtomicLong();
    /** Where a connector's event the core refused is counted, the first time within the dedupe window: its rows. */
    private volatile IntakeSink.RefusalRows connectorRows = (kind, name, refusal, atMillis) -> { };

    /**
     * Told, on the engine thread, which events of each ingest log record the core accepted, keyed as
     * the core took them (no raw id leaves the node this way): a fleet node folds them into what it
     * publishes. Every record of the log is told once per process (its
     * ordinal names it): while the log is read back at start, then as each is applied.
     */
    public interface Accepted {
        /** Nothing is told. */
        Accepted NONE = new Accepted() {
            @Override
            public void replayed(long ordinal, long arrivalEpochMillis, List<Taken> accepted) {
            }

            @Override
            public void taken(long ordinal, long arrivalEpochMillis, List<Taken> accepted) {
            }
        };

        /** A record read back from the log at start (in the constructor, before the engine runs). */
        void replayed(long ordinal, long arrivalEpochMillis, List<Taken> accepted);

        /** A record made durable and applied now. */
        void taken(long ordinal, long arrivalEpochMillis, List<Taken> accepted);
    }

    /**
     * An event the core accepted, keyed as it took it, with what its scorer made of a chat message
     * ({@link IngestOutcome.Accepted#chat}) and what an exposure was to its arm ({@link
     * IngestOutcome.Accepted#exposure}; each null for other kinds), so that what the node publishes
     * counts as its own guardrails do.
     */
    public record Taken(IngestEvent event, io.edgedeck.engine.sentiment.ChatSentiment.Reading chat,
                        IngestOutcome.Exposure exposure) {
        static Taken of(IngestEvent event, IngestOutcome.Accepted outcome) {
            return new Taken(event, outcome.chat(), outcome.exposure());
        }
    }

    /** What became of a batch. */
    public record Answer(int accepted, int duplicates, List<Refused> refused, List<PendingActions.Due> actions) {
    }

    /** An event that did not count: its index in the batch, its id, the field at fault and why. */
    public record Refused(int index, String id, String field, String reason) {
    }

    /**
     * Opens the ingest log in {@code dataDir} and feeds what it holds to {@code core} (before the
     * engine thread starts); what a crash left in it stays until {@link IngestLog#recover} (the node's
     * start, once every check has passed). Every id that may name a person reaches the core as its {@code keys}
     * key; {@code pseudonyms} name units in what leaves the node (refusal reasons); records older
     * than the node config's raw retention window are scrubbed ({@link #scrubExpired}). Each event
     * read back from the log that counts (or counted already: a duplicate), as it did when it came, is
     * also handed, keyed, with its arrival, to {@code replayedEvent}; one the core refuses again is not;
     * {@code fleet} is told what the core accepted of each log record ({@link Accepted#NONE} off a fleet).
     */
    public LiveIntake(EdgeCore core, EngineClock clock, LongSupplier epochMillis, NodeConfig config, Path logFile,
                      UnitKeys keys, Pseudonyms pseudonyms, java.util.function.ObjLongConsumer<IngestEvent> replayedEvent,
                      Accepted fleet) throws IOException {
        this.replayedEvent = replayedEvent;
        this.keys = keys;
        this.sample = new RawSample(keys, config.privacy().rawSampleRate());
        this.pseudonyms = pseudonyms;
        this.rawRetention = config.privacy().rawRetention();
        this.fleet = fleet;
        this.core = core;
        this.clock = clock;
        this.epochMillis = epochMillis;
        this.limits = config.ingest();
        this.intake = new KeyedIntake(core, clock, IngestLimits.DEFAULT.withDefaultPop(config.defaultPop()));
        this.triggers = config.show().triggers().stream().map(t -> t.id()).toList();
        this.rate = new IngestRate(limits.maxEventsPerSecond(), System.nanoTime());
        this.held = new HeldBatches(limits.maxHeldBytes());
        this.pending = new PendingActions(IngestLimits.DEFAULT.maxUnits());
        // Every event that moved a checkout is in the log: fed back, it rebuilds them, not the journal's copies.
        core.checkouts().rebuildFromSources();
        // Each PoP's seconds are built again from the show's start, each event in the second it arrived in.
        core.startReadBack();
        try {
            this.log = IngestLog.read(logFile, new IngestLog.Replay() {
                @Override
                public void record(long ordinal, long arrivalEpochMillis, byte[] payload, boolean scrubbed) {
                    readBack(ordinal);
                    // A log written before records were stamped in its order may hold one stamped earlier than the one
                    // before it: the core took it after that one, so it is read back there (stamp).
                    replay(ordinal, stamp(arrivalEpochMillis), payload, scrubbed);
                }

                @Override
                public void damaged(long ordinal, long arrivalEpochMillis) {
                    readBack(ordinal);
                    // Nothing of a damaged record can be read: its place is taken, its events are not counted.
                    fleet.replayed(ordinal, stamp(arrivalEpochMillis), List.of());
                }
            });
        } finally {
            core.endReadBack();
            core.checkouts().rebuilt();
        }
        // The changes made from here on come after every record read back.
        core.ingestApplied(readBackRecords);
        this.writes = new IngestWrites(log);
        // A batch answered 503 because the log could not be written: over once the log writes as much again, a batch or
        // its own try while no batch comes.
        log.onWritableAgain(counters::takingAgain);
        // One the journal could not take: over once the journal writes again (the show's own clock record, say).
        counters.journal(core.journal());
        if (replayed > 0) {
            LOG.info("Fed {} events from the ingest log {} to the core again", replayed, logFile);
            core.guardrails().replayedInto(core.nowMillis());
        }
    }

    /**
     * What an action due in a batch's answer carries besides itself, given in the sender's ids: a
     * live node gives a {@code surface-checkout} a one-click checkout token. Set once, before the node serves.
     */
    public void offerWith(UnaryOperator<PendingActions.Due> offer) {
        this.offers = offer;
    }

    /**
     * Where a connector's event the core refused is counted, on its connector's row and the core's, as this intake
     * decides the refusal is the first within the dedupe window; set once, before the connectors start.
     */
    public void countRefusalsOn(IntakeSink.RefusalRows rows) {
        this.connectorRows = rows;
    }

    /** The engine runner that applies batches; set once, before the node serves. */
    public void attach(ShowRunner engine) {
        this.runner = engine;
    }

    /**
     * Record {@code ordinal} of the log is read back next: the changes the core made live before it
     * took that record, and after the one before, are made first, where they were.
     */
    private void readBack(long ordinal) {
        core.readBackRecord(ordinal);
        readBackRecords = ordinal + 1;
    }

    private void replay(long ordinal, long arrivalEpochMillis, byte[] logged, boolean scrubbed) {
        Sourced sourced = Sourced.of(logged);
        LoggedRefusals refusals = LoggedRefusals.of(sourced.payload(), earlier(keys));
        List<IngestBatch.Entry> entries;
        try {
            // Only the events that were read are counted from the events; the refused ones from the refusals' line.
            entries = refusals.entries(!refusals.holdsEvents() ? List.of() : IngestBatch.readLogged(refusals.events()).stream()
                    .filter(e -> e instanceof IngestBatch.Read).toList());
        } catch (ApiException e) {
            // Its refusals still count as they did live, each in its place.
            refusals.refused().forEach(b -> countBroken(b, b.id(), arrivalEpochMillis));
            fleet.replayed(ordinal, arrivalEpochMillis, List.of());
            return;
        }
        List<Taken> accepted = new ArrayList<>(entries.size());
        for (IngestBatch.Entry entry : entries) {
            if (entry instanceof IngestBatch.Broken b) {
                // Read back, its id holds what its refusal is known by, as the line keeps it.
                countBroken(b, b.id(), arrivalEpochMillis);
            } else if (entry instanceof IngestBatch.Read r) {
                // A scrubbed record holds keys already; a raw one is keyed as it was when it first came.
                IngestEvent event = scrubbed ? r.event() : keys.keyed(r.event());
                IngestOutcome outcome = intake.acceptReplayed(event, arrivalEpochMillis);
                boolean counted = count(event, outcome, arrivalEpochMillis, sourced.source());
                if (sourced.source() != null && outcome instanceof IngestOutcome.Accepted) {
                    replayedSource(sourced.source()).delivered(1, arrivalEpochMillis);
                }
                if (sourced.source() != null && counted && outcome instanceof IngestOutcome.Refused refused) {
                    // Its connector's rows counted the refusal once, as the dedupe window did: so they do again.
                    replayedSource(sourced.source()).error("refused-" + refused.field(), new EventSink.Refusal(0, r.event().id(),
                            refused.field(), refused.reason()).detail(), 1, arrivalEpochMillis);
                }
                if (!(outcome instanceof IngestOutcome.Refused)) {
                    replayedEvent.accept(event, arrivalEpochMillis);
                }
                if (outcome instanceof IngestOutcome.Accepted a) {
                    accepted.add(Taken.of(event, a));
                }
                replayed++;
            }
        }
        fleet.replayed(ordinal, arrivalEpochMillis, accepted);
    }

    /**
     * Scrubs the ingest log's records that arrived more than the raw retention window ago: each is
     * rewritten as its events with every id that may name a person replaced by its key
     * ({@link UnitKeys#scrubbed}), which is what the core counted, so a restart rebuilds the same
     * aggregates from it. Called by the node's retention sweep; any thread.
     */
    public java.util.concurrent.CompletableFuture<IngestLog.Scrubbed> scrubExpired() {
        long cutoff = epochMillis.getAsLong() - rawRetention.toMillis();
        return log.scrub(cutoff, this::scrubbed).thenApply(done -> {
            scrubbedRecords.addAndGet(done.records());
            return done;
        });
    }

    private byte[] scrubbed(byte[] logged) {
        Sourced sourced = Sourced.of(logged);
        // The refusals' line names no one: it is kept, so the refused events count after the scrub too (one of an earlier
        // build's lines as this build knows its refusals, as they are read back).
        LoggedRefusals refusals = LoggedRefusals.of(sourced.payload(), earlier(keys));
        List<IngestEvent> events = new ArrayList<>();
        try {
            if (refusals.holdsEvents()) {
                for (IngestBatch.Entry entry : IngestBatch.readLogged(refusals.events())) {
                    if (entry instanceof IngestBatch.Read r) {
                        events.add(keys.scrubbed(r.event()));
                    }
                }
            }
            return Sourced.write(sourced.source(), LoggedRefusals.write(refusals.refused(), EVENTS.writeValueAsBytes(events),
                    IngestBatch.Broken::id));
        } catch (ApiException unreadable) {
            return Sourced.write(sourced.source(), LoggedRefusals.write(refusals.refused(),
                    "[]".getBytes(java.nio.charset.StandardCharsets.US_ASCII), IngestBatch.Broken::id));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ingest event could not be written as JSON", e);
        }
    }

    /** How long a raw ingest record is kept before it is scrubbed (the node config's {@code privacy.rawRetentionSeconds}). */
    public Duration rawRetention() {
        return rawRetention;
    }

    /** The share of units whose ingest records keep their raw ids for the window (the node config's {@code privacy.rawSampleRate}). */
    public double rawSampleRate() {
        return sample.rate();
    }

    /** Ingest log records scrubbed since the node started. */
    public long scrubbedRecords() {
        return scrubbedRecords.get();
    }

    /** The pseudonyms units go by in what leaves the node. */
    public Pseudonyms pseudonyms() {
        return pseudonyms;
    }

    /** OFREP exposures counted live whose ingest log record could not be made durable since the node started. */
    public long exposuresNotDurable() {
        return exposuresNotDurable.get();
    }

    /** The ingest log, for its counts. */
    public IngestLog log() {
        return log;
    }

    public NodeConfig.Ingest limits() {
        return limits;
    }

    /**
     * Batches answered 503 since the node started because they were not applied within the timeout:
     * each still counts once applied ({@code /metrics}). Any thread.
     */
    public long notAppliedInTime() {
        return notAppliedInTime.get();
    }

    /** Batches answered 503 since the node started because they could not be taken ({@code /metrics}). Any thread. */
    public long notTaken() {
        return notTaken.get();
    }

    /** One-click checkouts answered 503 since the node started because they were not applied in time. Any thread. */
    public long checkoutsNotAppliedInTime() {
        return checkoutsNotAppliedInTime.get();
    }

    /** One-click checkouts answered 503 since the node started because they could not be taken. Any thread. */
    public long checkoutsNotTaken() {
        return checkoutsNotTaken.get();
    }

    /**
     * When to send again what could not be taken: while the ingest log fails, when the node next tries
     * it; once it stopped for good, later, as only a new start of the node takes it again.
     */
    private long notTakenRetrySeconds() {
        return writes.stopped() ? STOPPED_RETRY_SECONDS : NOT_TAKEN_RETRY_SECONDS;
    }

    /**
     * The detail of a 503 for a batch or checkout ({@code what}) not taken for {@code cause}: why, and when to send it
     * again with {@code same} (its ids, its token); once the ingest log stopped for good, that the node must be
     * started again first, said once.
     */
    private String notTaken(String what, Throwable cause, String same) {
        String why = "the " + what + " was not taken: " + IngestWrites.why(cause);
        long retry = notTakenRetrySeconds();
        if (!writes.stopped()) {
            return why + "; send it again with the same " + same + " in " + retry + " s";
        }
        return why + (why.endsWith(IngestWrites.RESTART) ? "" : IngestWrites.RESTART) + ", then send it again with the same "
                + same + " (Retry-After: " + retry + ")";
    }

    /** The batches taken and not yet applied, against their bound ({@code /metrics}). Any thread. */
    public HeldBatches held() {
        return held;
    }

    /** The kinds a batch holds events of: those read, and those refused for a number out of range, in the order of {@link IngestCounters#KINDS}. */
    private static List<String> kindsOf(List<IngestBatch.Entry> entries) {
        Set<String> kinds = new java.util.HashSet<>();
        for (IngestBatch.Entry e : entries) {
            switch (e) {
                case IngestBatch.Read r -> kinds.add(r.event().type());
                case IngestBatch.Broken b -> {
                    if (b.outOfRange()) {
                        kinds.add(b.kind());
                    }
                }
            }
        }
        return IngestCounters.KINDS.stream().filter(kinds::contains).toList();
    }

    /** Whether no event of a batch could be read and not every one was refused only for a number out of its range. */
    private static boolean noneCanBeRead(List<IngestBatch.Entry> entries, List<IngestEvent> events) {
        return events.isEmpty() && !entries.stream().allMatch(e -> ((IngestBatch.Broken) e).outOfRange());
    }

    /** The 400 of a batch no event of which could be read, naming its first refused event. */
    private static ApiException noneRead(List<Refused> broken) {
        Refused first = broken.getFirst();
        return ApiException.invalid("[" + first.index() + "]." + first.field(), "no event of the batch could be read; event "
                + first.index() + (first.id() == null ? "" : " (id " + first.id() + ")") + ": " + first.field() + " "
                + first.reason());
    }

    /** A timeout in words: "5 s", or "400 ms" under a second. */
    static String within(Duration timeout) {
        return timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s";
    }

    /**
     * Takes a batch already read from its request. Blocks its (virtual) thread until the batch is
     * durable and applied.
     *
     * @param arrivedNanos when the request arrived ({@link System#nanoTime})
     * @throws ApiException 413, 400 or 503, with the reason
     * @throws TryLater 429 over the key's rate, 503 while the batches held reach {@code maxHeldBytes}, or 503 when
     *                   it was not applied within {@code timeout}
     */
    public Answer accept(byte[] body, long arrivedNanos, Duration timeout) {
        List<IngestBatch.Entry> entries = IngestBatch.read(body);
        if (entries.size() > limits.maxBatchEvents()) {
            throw new ApiException(413, "body", "the batch holds " + entries.size() + " events; at most "
                    + limits.maxBatchEvents() + " are taken at once: split it");
        }
        long wait = rate.take(entries.size(), System.nanoTime());
        if (wait > 0) {
            throw new TryLater(429, wait, "the ingest key may send " + limits.maxEventsPerSecond()
                    + " events per second; nothing of this batch was taken, send it again in " + wait + " s");
        }
        List<IngestEvent> events = new ArrayList<>(entries.size());
        List<Refused> broken = new ArrayList<>();
        List<IngestBatch.Entry> keyed = new ArrayList<>(entries.size());
        for (IngestBatch.Entry e : entries) {
            switch (e) {
                case IngestBatch.Read r -> {
                    events.add(r.event());
                    keyed.add(new IngestBatch.Read(r.index(), keys.keyed(r.event())));
                }
                case IngestBatch.Broken b -> {
                    broken.add(new Refused(b.index(), b.id(), b.field(), b.reason()));
                    keyed.add(b);
                }
            }
        }
        // Keying the ids is part of reading and checking the batch: the validate stage ends here.
        long readNanos = System.nanoTime();
        // Before the log: a batch refused here is in no record, so nothing of it counts, now or after a restart.
        if (!held.take(body.length)) {
            if (noneCanBeRead(entries, events)) {
                // Sent again it would be refused again: it is refused now, and, in no record, not counted.
                throw noneRead(broken);
            }
            // Read once, so the row and the answer name the same figure; with this batch's own, or the two make no sense.
            long holding = held.bytes();
            // On the lane's row of each kind it held, where the Sources panel shows the other 503s of that kind.
            counters.answered503(kindsOf(entries), "held-full", "a batch was answered 503, not taken: the node held "
                    + holding + " bytes of batches not yet applied, and this batch's " + body.length + " would have passed"
                    + " ingest.maxHeldBytes (" + limits.maxHeldBytes() + "); nothing of it counts until it is sent again");
            throw new TryLater(503, HELD_RETRY_SECONDS, "the node holds " + holding + " bytes of batches not yet applied,"
                    + " and this one's " + body.length + " would pass ingest.maxHeldBytes (" + limits.maxHeldBytes()
                    + "); nothing of this batch was taken, send it again with the same ids in " + HELD_RETRY_SECONDS + " s");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Answer> taken = null;
        try {
            long arrival = epochMillis.getAsLong();
            ShowRunner engine = runner;
            // A batch is logged as it came while every event of it could be read: read back, it is read as
            // it was now. One with an event refused as it was read (a field sent twice, say) is logged as
            // the events that were read, after a line that keeps each refused one's place (and, for a number
            // out of range, its kind, field and reason), so it counts after a restart as it counts now and is
            // never read back as an event. A batch whose every event was refused is logged so too.
            Record record = sample.keepsAll() && broken.isEmpty() ? new Record(body, false) : toLog(events, refusedAsRead(entries));
            taken = appendInEngineOrder(engine, arrival, record, intake.triggersSee(events), (ordinal, stamp) -> core.checkouts()
                    .journalTogether(() -> apply(entries, keyed, new Timing(arrivedNanos, readNanos, System.nanoTime()), ordinal, stamp)));
            Answer answer = taken.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (noneCanBeRead(entries, events)) {
                // Counted as the node's figures say, and logged so they say it after a restart: the batch itself is refused.
                throw noneRead(broken);
            }
            // A batch whose every event was refused for a number out of its range is answered as a batch of events the
            // core refused: 200, each refused.
            return answer;
        } catch (TimeoutException e) {
            if (noneCanBeRead(entries, events)) {
                // Logged and counted once the node catches up; sent again it would be refused again, and counted again.
                throw noneRead(broken);
            }
            long count = notAppliedInTime.incrementAndGet();
            List<String> kinds = kindsOf(entries);
            counters.answeredNotInTime(kinds, "a batch was answered 503, not applied within " + within(timeout)
                    + ": it counts once the node catches up");
            // Once it is applied, its rows are no longer failing for it, whether or not another event of its kinds comes.
            taken.whenComplete((answer, failed) -> counters.appliedLate(kinds, failed == null));
            long last = notAppliedLogged.get();
            long now = System.nanoTime();
            if (now - last >= NOT_APPLIED_LOGGED_EVERY.toNanos() && notAppliedLogged.compareAndSet(last, now)) {
                LOG.warn("An ingest batch was not applied within {} and was answered 503 ({} such since the node started):"
                        + " the engine or the ingest log is behind; held now: {} batches, {} bytes", within(timeout), count,
                        held.batches(), held.bytes());
            }
            throw new TryLater(503, HELD_RETRY_SECONDS, "the batch was not applied within " + within(timeout)
                    + "; if it was made durable it counts once the node catches up, so send it again with the same ids in "
                    + HELD_RETRY_SECONDS + " s (those already counted are answered as duplicates)");
        } catch (ExecutionException e) {
            LOG.error("An ingest batch could not be taken", e.getCause());
            notTaken.incrementAndGet();
            counters.notTaken(kindsOf(entries), "a batch was answered 503, not taken: " + IngestWrites.why(e.getCause()),
                    e.getCause());
            throw new TryLater(503, notTakenRetrySeconds(), notTaken("batch", e.getCause(), "ids"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, null, "the node is stopping");
        } finally {
            // Held until applied or failed, however long its sender waits: a batch it gave up on still waits for the core.
            if (taken == null) {
                held.release(body.length);
            } else {
                taken.whenComplete((answer, failed) -> held.release(body.length));
            }
        }
    }

    /**
     * Appends a batch to the ingest log from the engine thread, so the log holds records in the order
     * the engine took them: an exposure is logged by the engine task that counted it, and a conversion
     * sent after its evaluation was answered must follow that exposure in the log too, or a restart
     * would replay the conversion before the unit was exposed and count it for no variant. Each
     * append completes, in ordinal order, on the log's writer thread, and {@code apply} is handed to
     * the engine from there; it is attached in the engine task that appended (so an append that
     * completes at once hands it over before any later record is appended), never on the caller's
     * thread, which could be held until a later record's apply had gone first. So records are applied
     * in the order they were logged, as a restart reads them back. A record is applied once the
     * core's ticks have reached its arrival ({@link ShowRunner#submitFrom}): a core catching up with
     * its clock would otherwise count its events in a second before the one they came in, where a
     * restart, reading it back at its arrival, would not.
     */
    private <T> CompletableFuture<T> appendInEngineOrder(ShowRunner engine, long arrivalEpochMillis, Record record,
                                                         boolean triggersSee, Logged<T> apply) {
        return engine.submitInOrder(show -> {
                    long stamp = stamp(arrivalEpochMillis);
                    return log.append(stamp, record.payload(), record.scrubbed())
                            .thenCompose(ordinal -> engine.submitFrom(clock.toEngineMillis(stamp), s -> {
                                        // Read back in this tick, however many ticks after its arrival's the core is now.
                                        core.applyingIngestRecord(ordinal, clock.toEngineMillis(stamp), triggersSee);
                                        // A change the core makes from now on is placed after this record when the log is read back.
                                        core.ingestApplied(ordinal + 1);
                                        return apply.apply(ordinal, stamp);
                                    })
                                    .exceptionallyCompose(failed -> CompletableFuture.failedFuture(new IngestWrites.LoggedNotApplied(failed))));
                })
                .thenCompose(applied -> applied);
    }

    /** What is done with a record once it is durable, on the engine thread: its ordinal, and the arrival it was logged with. */
    @FunctionalInterface
    private interface Logged<T> {
        T apply(long ordinal, long arrivalEpochMillis);
    }

    /**
     * The newest arrival stamped on a record of the log: engine thread, which appends every record in
     * the log's order. A restart's read-back starts it where the log ends.
     */
    private long lastStamp = Long.MIN_VALUE;

    /**
     * The arrival a record appended now is logged and applied with: {@code arrivalEpochMillis}, or the
     * arrival of the record logged before it when that is later. Batches are stamped as their requests
     * arrive, on HTTP threads at once, and logged in the order the engine thread takes them, so one may
     * reach the log after a batch stamped a few ms after it; live, the core takes it after that one, so
     * its events (a chat line, a decision) are in that one's second or later, and read back at its own
     * earlier stamp they could be a second early. Stamped no earlier, it is read back where it counted.
     * Engine thread.
     */
    private long stamp(long arrivalEpochMillis) {
        lastStamp = Math.max(lastStamp, arrivalEpochMillis);
        return lastStamp;
    }

    /** Whether the ingest log can be written, as its last write or try found it ({@code /healthz}, {@code /metrics}). */
    public IngestWrites writes() {
        return writes;
    }

    /** An ingest log record's payload, and whether it holds no raw id. */
    private record Record(byte[] payload, boolean scrubbed) {
    }

    /**
     * Events as the ingest log keeps them: a unit outside the raw sample's ids replaced by keys
     * ({@link RawSample}), so they never reach the disk.
     */
    private Record toLog(List<IngestEvent> events, List<IngestBatch.Broken> refused) {
        RawSample.Logged logged = sample.forLog(events);
        try {
            return new Record(LoggedRefusals.write(refused, EVENTS.writeValueAsBytes(logged.events()), this::refusal), logged.scrubbed());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ingest event could not be written as JSON", e);
        }
    }

    /** The events of a batch refused as they were read, in its order. */
    private static List<IngestBatch.Broken> refusedAsRead(List<IngestBatch.Entry> entries) {
        List<IngestBatch.Broken> refused = new ArrayList<>();
        for (IngestBatch.Entry e : entries) {
            if (e instanceof IngestBatch.Broken b) {
                refused.add(b);
            }
        }
        return refused;
    }

    /**
     * When a batch's request arrived, when it had been read and checked, and when the engine thread
     * took it up ({@link System#nanoTime}): the node's own stages of the decisions its events fire.
     */
    private record Timing(long arrivedNanos, long readNanos, long engineNanos) {
    }

    /**
     * Applies a batch on the engine thread: {@code keyed} are its entries with keys for ids, as the
     * core takes them and as the fleet is told of them (log record {@code ordinal}); the answer goes
     * back to the sender in its own ids ({@code entries}).
     */
    private Answer apply(List<IngestBatch.Entry> entries, List<IngestBatch.Entry> keyed, Timing timing, long ordinal,
                         long arrival) {
        long now = epochMillis.getAsLong();
        int accepted = 0;
        List<Taken> taken = new ArrayList<>(entries.size());
        int duplicates = 0;
        List<Refused> refused = new ArrayList<>();
        Set<String> units = new LinkedHashSet<>();
        java.util.Map<String, String> rawUnits = new java.util.HashMap<>();
        for (int i = 0; i < keyed.size(); i++) {
            IngestBatch.Entry entry = keyed.get(i);
            if (entry instanceof IngestBatch.Broken b) {
                countBroken(b, refusal(b), arrival);
                refused.add(new Refused(b.index(), b.id(), b.field(), b.reason()));
                continue;
            }
            IngestEvent raw = ((IngestBatch.Read) entries.get(i)).event();
            IngestEvent event = ((IngestBatch.Read) entry).event();
            switch (take(event, raw.id(), arrival, now, timing, units, null)) {
                case IngestOutcome.Accepted a -> {
                    accepted++;
                    taken.add(Taken.of(event, a));
                }
                case IngestOutcome.Duplicate d -> duplicates++;
                case IngestOutcome.Refused r -> refused.add(new Refused(entry.index(), raw.id(), r.field(),
                        pseudonyms.scrub(r.reason())));
            }
            String unit = unitOf(event);
            if (unit != null) {
                rawUnits.put(unit, unitOf(raw));
            }
        }
        fleet.taken(ordinal, arrival, taken);
        UnaryOperator<PendingActions.Due> offer = offers;
        List<PendingActions.Due> due = pending.forUnits(units, now).stream()
                .map(d -> offer.apply(d.forUnit(rawUnits.getOrDefault(d.targetingKey(), d.targetingKey()))))
                .toList();
        return new Answer(accepted, duplicates, refused, due);
    }

    /**
     * An event refused as it was read, in a record that arrived at {@code arrivalEpochMillis}: one
     * refused for a number out of its field's range counts as a refusal of its kind, in the lane's row
     * of that kind, where the same field's other out-of-range values count (the core refuses those);
     * any other is unreadable. Counted once within the dedupe window per what the refusal is {@code knownBy}
     * (its id, field and reason: {@link #refusal}; null: counted each time), {@link KeyedIntake#firstRefusal}.
     */
    private void countBroken(IngestBatch.Broken b, String knownBy, long arrivalEpochMillis) {
        if (!intake.firstRefusal(knownBy, arrivalEpochMillis)) {
            return;
        }
        if (b.outOfRange()) {
            counters.refused(b.kind(), b.field(), b.reason(), true);
        } else {
            counters.unreadable();
        }
    }

    /**
     * One event into the keyed path, on the engine thread: counted, and the triggers it fires made
     * pending for its unit (added to {@code units}). It is counted at its record's logged arrival, as a
     * restart counts it reading the record back, so when the last of its kind came reads the same after
     * one. Each firing is a decision the node timed
     * itself: validate, reading and checking the batch; enrich, making it durable and reaching the
     * engine thread, where the unit's state lives; act, applying the batch up to the firing. A refusal of connector
     * {@code source}'s event (as its sender named it: {@code sentId}) that counts is counted on its rows too.
     */
    private IngestOutcome take(IngestEvent event, String sentId, long arrival, long now, Timing timing, Set<String> units,
                               List<String> source) {
        IngestOutcome outcome = intake.accept(event, arrival);
        if (count(event, outcome, arrival, source) && source != null && outcome instanceof IngestOutcome.Refused r) {
            // Counted on its connector's rows here, where it is known to be the first within the dedupe window, and not by
            // whoever hears the answer: a send answered 503 before it was applied has no one to hear it.
            connectorRows.refused(source.getFirst(), source.getLast(), new EventSink.Refusal(0, sentId, r.field(), r.reason()),
                    arrival);
        }
        if (outcome instanceof IngestOutcome.Accepted a) {
            String unit = unitOf(event);
            if (unit != null) {
                units.add(unit);
                for (TriggerFiring f : a.firings()) {
                    pending.fired(unit, f.ruleId(), f.action(), now);
                    long firedNanos = System.nanoTime();
                    triggerLatency.record(f.ruleId(), (firedNanos - timing.arrivedNanos()) / 1000);
                    core.decisions().record(core.nowMillis(), millis(timing.readNanos() - timing.arrivedNanos()),
                            millis(timing.engineNanos() - timing.readNanos()), millis(firedNanos - timing.engineNanos()));
                }
            }
        }
        return outcome;
    }

    private static double millis(long nanos) {
        return Math.min(io.edgedeck.engine.decisions.DecisionBudget.MAX_MILLIS, Math.max(0, nanos) / 1e6);
    }

    // ---------------------------------------------------------------- connectors

    /**
     * A connector's batch (CDN logs, probes, chat), taken exactly as an ingest batch is: appended to
     * the ingest log and made durable first (so a kill after the connector was told "taken" loses
     * nothing, and a restart replays it), then applied on the engine thread by the one keyed path,
     * with its one dedupe window and unit table: an event id that came through
     * {@code POST /ingest/v1/events} already counts once, whichever way it comes again. Its events
     * count in the ingest figures by kind, like any other.
     *
     * <p>Called on the connector's thread; completes on the engine thread with the outcome of each
     * event, in order, or exceptionally when the batch could not be made durable or applied.
     */
    public CompletableFuture<List<IngestOutcome>> takeFromConnector(String kind, String name, List<IngestEvent> batch) {
        ShowRunner engine = runner;
        long arrived = System.nanoTime();
        long arrival = epochMillis.getAsLong();
        List<String> source = kind == null ? null : List.of(kind, name);
        Record record;
        try {
            Record events = toLog(batch, List.of());
            record = new Record(Sourced.write(source, events.payload()), events.scrubbed());
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        long read = System.nanoTime();
        return appendInEngineOrder(engine, arrival, record, intake.triggersSee(batch), (ordinal, now) -> core.checkouts().journalTogether(() -> {
            Timing timing = new Timing(arrived, read, System.nanoTime());
            long at = epochMillis.getAsLong();
            Set<String> units = new LinkedHashSet<>();
            List<IngestOutcome> out = new ArrayList<>(batch.size());
            List<Taken> taken = new ArrayList<>(batch.size());
            for (IngestEvent e : batch) {
                IngestEvent event = keys.keyed(e);
                IngestOutcome outcome = take(event, e.id(), now, at, timing, units, source);
                out.add(outcome);
                if (outcome instanceof IngestOutcome.Accepted a) {
                    taken.add(Taken.of(event, a));
                }
            }
            fleet.taken(ordinal, now, taken);
            return out;
        }));
    }

    /**
     * One event taken as a connector's batch is (durable first, then applied), waiting at most
     * {@code timeout} on the calling thread. {@code settled} is told, once it is known, whether the
     * event counts (false when it could not be made durable or applied, or the core refused it):
     * before this returns or, after a 503 for the timeout, whenever that is known, as an event
     * answered 503 may still count later.
     *
     * @throws TryLater 503 when it could not be made durable or applied in time
     */
    public IngestOutcome takeOne(IngestEvent event, Duration timeout, java.util.function.Consumer<Boolean> settled) {
        CompletableFuture<IngestOutcome> done = takeFromConnector(null, null, List.of(event)).thenApply(List::getFirst)
                .whenComplete((outcome, failed) -> settled.accept(failed == null && !(outcome instanceof IngestOutcome.Refused)));
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            checkoutsNotAppliedInTime.incrementAndGet();
            counters.answeredNotInTime(List.of(event.type()), "a one-click checkout was answered 503, not applied within "
                    + within(timeout) + ": it counts once the node catches up");
            done.whenComplete((outcome, failed) -> counters.appliedLate(List.of(event.type()), failed == null));
            throw new TryLater(503, HELD_RETRY_SECONDS, "the checkout was not applied within " + within(timeout)
                    + "; if it was made durable it counts once the node catches up, so send it again with the same token in "
                    + HELD_RETRY_SECONDS + " s (409 then means it counted)");
        } catch (ExecutionException e) {
            LOG.error("A checkout could not be taken", e.getCause());
            checkoutsNotTaken.incrementAndGet();
            counters.notTaken(List.of(event.type()), "a one-click checkout was answered 503, not taken: "
                    + IngestWrites.why(e.getCause()), e.getCause());
            throw new TryLater(503, notTakenRetrySeconds(), notTaken("checkout", e.getCause(), "token"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, null, "the node is stopping");
        }
    }

    /**
     * Counts an event in the ingest figures by kind; in the ingest lane's own row of that kind only
     * when it came that way ({@code source} null), not from connector {@code source} (its kind and
     * name), whose own row counts it. False for a refusal counted already within the dedupe window.
     */
    private boolean count(IngestEvent event, IngestOutcome outcome, long nowEpochMillis, List<String> source) {
        switch (outcome) {
            case IngestOutcome.Accepted a -> counters.accepted(event.type(), nowEpochMillis, source == null);
            case IngestOutcome.Duplicate d -> counters.duplicate(event.type(), source == null);
            case IngestOutcome.Refused r -> {
                // The same event refused again for the same fault (its batch sent again) is answered refused and counted
                // once, the fault known by its code, which stays the same where the reason says how far off the clock is;
                // the same id refused for another fault counts again, and its row names the new reason.
                if (!intake.firstRefusal(refusal(event.id(), r.field(), r.code()), nowEpochMillis)) {
                    return false;
                }
                counters.refused(event.type(), r.field(), pseudonyms.scrub(r.reason()), source == null);
            }
        }
        return true;
    }

    /**
     * What a refusal is known by in the dedupe window and in the ingest log's refusals line: a key of the
     * refused event's id (its key, never the id as sent; a key stays itself), the field and the fault
     * ({@link #knownBy}).
     */
    private String refusal(String id, String field, String fault) {
        return knownBy(keys, id, field, fault);
    }

    /**
     * What a refusal is known by: a key of the refused event's id's key, the field and the fault ({@link
     * IngestOutcome.Refused#code}; for an event refused as it was read, its reason, which says only what it holds),
     * {@link UnitKeys#refusal}; or null for an id the core would not take, which tells no event apart.
     */
    public static String knownBy(UnitKeys keys, String id, String field, String fault) {
        return id == null || id.isBlank() || id.length() > IngestLimits.DEFAULT.maxIdChars() ? null
                : keys.refusal(keys.key(id), field, fault);
    }

    /** What an event refused as it was read is known by ({@link #knownBy(UnitKeys, IngestBatch.Broken)}). */
    private String refusal(IngestBatch.Broken b) {
        return knownBy(keys, b);
    }

    /** What an event refused as it was read is known by: its id, field and reason, which says only what it holds. */
    static String knownBy(UnitKeys keys, IngestBatch.Broken b) {
        return knownBy(keys, b.id(), b.field(), b.reason());
    }

    /**
     * What a refusal of a line written by the build that kept the key of the id alone is known by, where the line keeps
     * its field and reason: as {@link #knownBy} knows the same event refused again now (the key of a key is itself).
     */
    static LoggedRefusals.Earlier earlier(UnitKeys keys) {
        return (idKey, field, reason) -> knownBy(keys, idKey, field, reason);
    }

    private static String unitOf(IngestEvent e) {
        return switch (e) {
            case IngestEvent.Exposure x -> x.targetingKey();
            case IngestEvent.Conversion c -> c.targetingKey();
            case IngestEvent.Chat c -> c.targetingKey();
            case IngestEvent.Step s -> s.targetingKey();
            case IngestEvent.Latency l -> null;
            case IngestEvent.Checkout c -> null;
        };
    }

    // ---------------------------------------------------------------- OFREP

    /**
     * An evaluation served variants to a unit: each is an exposure, logged and, once durable, applied
     * on the engine thread like a batch (not awaited: an evaluation is answered at once), when it
     * changes what is counted. The unit's state decides ({@link KeyedIntake#wouldCount}), not the
     * dedupe window: the unit counts once per flag version and variant however often it evaluates,
     * and a unit served another arm (a PoP-local rollback at the PoP it evaluates at) moves to it, and
     * back again, each time. An exposure the log could not take is never counted, so what the node
     * counts live is what it counts again after a restart. While a unit's exposure to a flag is on its
     * way to the log, a new one is judged against that one (the arm the unit is about to be counted
     * in), not against the arm it was counted in before: the same arm and version again is a repeat,
     * not logged twice; another arm (served back where it is not rolled back) moves it again.
     */
    @Override
    public void served(String targetingKey, String pop, List<OfrepEvaluator.Served> served) {
        ShowRunner engine = runner;
        if (engine == null) {
            return;
        }
        String unit = keys.key(targetingKey);
        List<IngestEvent.Exposure> keyed = new ArrayList<>(served.size());
        for (OfrepEvaluator.Served s : served) {
            keyed.add(new IngestEvent.Exposure(null, null, s.flag(), s.variant(), unit, pop));
        }
        engine.submitInOrder(show -> {
            long now = stamp(epochMillis.getAsLong());
            List<IngestEvent> fresh = new ArrayList<>();
            Map<String, String> inFlight = new HashMap<>();
            for (int i = 0; i < keyed.size(); i++) {
                OfrepEvaluator.Served s = served.get(i);
                String unitFlag = unit + '\n' + s.flag();
                String arm = s.version() + ":" + s.variant();
                String pending = exposuresInFlight.get(unitFlag);
                if (pending != null ? pending.equals(arm) : !intake.wouldCount(keyed.get(i))) {
                    counters.duplicate("exposure", false);
                    continue;
                }
                exposuresInFlight.put(unitFlag, arm);
                inFlight.put(unitFlag, arm);
                // Named once for each exposure that counts, so no earlier one in the dedupe window swallows it.
                // The log keeps what came, as a batch does; it is keyed when applied, and again when replayed.
                fresh.add(new IngestEvent.Exposure(exposureId(s, unit, servedSuffix(now)), null, s.flag(), s.variant(),
                        targetingKey, pop));
            }
            if (fresh.isEmpty()) {
                return null;
            }
            CompletableFuture<Long> durable;
            try {
                Record record = toLog(fresh, List.of());
                // Appended here, on the engine thread, so the exposures take their place among the batches in engine order.
                durable = log.append(now, record.payload(), record.scrubbed());
            } catch (IllegalStateException e) {
                unrecorded(inFlight);
                notDurable(fresh.size(), e);
                return null;
            }
            durable.whenComplete((ordinal, failed) -> {
                if (failed != null) {
                    notDurable(fresh.size(), failed);
                    engine.submitInOrder(sh -> {
                        unrecorded(inFlight);
                        return null;
                    });
                    return;
                }
                engine.submitInOrder(sh -> {
                    try {
                        core.applyingIngestRecord(ordinal, clock.toEngineMillis(now));
                    } catch (io.edgedeck.engine.journal.JournalUnavailableException e) {
                        // Counted all the same, as they were logged: read back, in the tick they came in.
                        if (!exposureTickUnjournaled) {
                            exposureTickUnjournaled = true;
                            LOG.warn("The tick OFREP exposures were counted in could not be journaled ({}); read back after"
                                    + " a restart, such exposures count in the tick they came in", e.getMessage());
                        }
                    }
                    core.ingestApplied(ordinal + 1);
                    inFlight.forEach(exposuresInFlight::remove);
                    List<Taken> taken = new ArrayList<>(fresh.size());
                    for (IngestEvent raw : fresh) {
                        IngestEvent event = keys.keyed(raw);
                        IngestOutcome outcome = intake.accept(event, now);
                        count(event, outcome, now, null);
                        if (outcome instanceof IngestOutcome.Accepted a) {
                            taken.add(Taken.of(event, a));
                        }
                    }
                    // Told to the fleet as every other record of the log, keyed as the core took them.
                    fleet.taken(ordinal, now, taken);
                    return null;
                });
            });
            return null;
        });
    }

    /**
     * Each unit's latest OFREP exposure to a flag logged and not yet applied: unit and flag to the
     * flag's version and the variant (engine thread). Removed when that one is applied or refused,
     * unless a later one took its place.
     */
    private final Map<String, String> exposuresInFlight = new HashMap<>();

    /**
     * Exposures the ingest log could not take, no longer on their way to it: their units' next
     * evaluations are judged against what is counted again, so each logs its exposure anew. Counted
     * after that (engine thread), so a poll answered 200 for the changed ETag ({@link #unrecorded()})
     * is judged after it.
     */
    private void unrecorded(Map<String, String> inFlight) {
        inFlight.forEach(exposuresInFlight::remove);
        unrecordedExposures.incrementAndGet();
    }

    /** Whether the node's log said once that the tick of exposures counted late could not be journaled (engine thread). */
    private boolean exposureTickUnjournaled;

    /** Times exposures the ingest log could not take left {@link #exposuresInFlight}. */
    private final java.util.concurrent.atomic.AtomicLong unrecordedExposures = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public String unrecorded() {
        return run + "." + unrecordedExposures.get();
    }

    /** OFREP exposures the ingest log could not take: not counted, and said once (any thread). */
    private void notDurable(int exposures, Throwable why) {
        if (exposuresNotDurable.getAndAdd(exposures) == 0) {
            LOG.error("OFREP exposures could not be written to the ingest log ({}); they are not counted"
                    + " (edgedeck_ingest_exposures_not_durable_total counts them all)", IngestWrites.why(why));
        }
    }

    /** The last millisecond an OFREP exposure was named in, and how many were named in it (engine thread). */
    private long servedMillis = -1;
    private int servedInMillis;

    /**
     * What makes an OFREP exposure's id its own: the millisecond it was counted in and its place in
     * that millisecond. Engine thread; a node started again counts in later milliseconds.
     */
    private String servedSuffix(long nowEpochMillis) {
        if (nowEpochMillis != servedMillis) {
            servedMillis = nowEpochMillis;
            servedInMillis = 0;
        }
        return Long.toString(nowEpochMillis, 36) + "." + Integer.toString(servedInMillis++, 36);
    }

    /**
     * The id of an OFREP exposure: flag, version, variant, the unit's key (never its raw id, so a long
     * targeting key does not make it longer) and {@code suffix}; one whose flag key and variant name
     * still make it longer than the intake takes is that id's SHA-256.
     */
    static String exposureId(OfrepEvaluator.Served s, String unitKey, String suffix) {
        String id = "ofrep:" + s.flag() + "@" + s.version() + ":" + s.variant() + ":" + unitKey + ":" + suffix;
        if (id.length() <= IngestLimits.DEFAULT.maxIdChars()) {
            return id;
        }
        return "ofrep:" + io.edgedeck.simulator.server.Secrets.sha256(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public List<String> triggers() {
        return triggers;
    }

    @Override
    public boolean pending(String trigger, String targetingKey) {
        return pending.pending(trigger, keys.key(targetingKey), epochMillis.getAsLong());
    }

    @Override
    public String defaultPop() {
        return intake.defaultPop();
    }

    /**
     * Asked only when a unit's bucket falls in a paused variant. The units are the engine thread's, so
     * the evaluation waits for it, at most {@link #IN_VARIANT_WAIT}; past that it is not known (null):
     * the unit is served control, and that evaluation is not counted as an exposure.
     */
    @Override
    public Boolean inVariant(String targetingKey, String flag, String variant) {
        ShowRunner engine = runner;
        if (engine == null) {
            return null;
        }
        String unit = keys.key(targetingKey);
        try {
            return engine.submit(show -> intake.isIn(unit, flag, variant))
                    .get(IN_VARIANT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.CancellationException e) {
            LOG.warn("Whether a unit is in paused variant {}/{} was not known in time ({}); it is served control,"
                    + " not counted", flag, variant, e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * This run's count of units entering or leaving a paused variant, under a name drawn at start:
     * the count starts again at 0 when the node starts again, and the units it remembers may differ.
     */
    @Override
    public String placements() {
        return run + "." + intake.pausedPlacementChanges();
    }

    /** How long an evaluation waits for the engine to say whether a unit is in a paused variant. */
    static final java.time.Duration IN_VARIANT_WAIT = java.time.Duration.ofMillis(500);

    // ---------------------------------------------------------------- read-out

    /** What each kind of source sent. Any thread. */
    public IngestStats stats() {
        return counters.stats(epochMillis.getAsLong(), notAppliedInTime.get(), notTaken.get(), checkoutsNotAppliedInTime.get(),
                checkoutsNotTaken.get(), held.refused());
    }

    /** What connector {@code source} (its kind and name) delivered and had refused, read back from the ingest log. */
    private ConnectorCounters replayedSource(List<String> source) {
        return replayedSources.computeIfAbsent(source, s -> new ConnectorCounters(s.getFirst(), s.getLast(),
                java.time.InstantSource.system(), io.edgedeck.client.model.SourceState.STOPPED, "read back"));
    }

    /**
     * What each connector had delivered, as read back from the ingest log at start: by connector
     * (kind, name), the events that counted, their rate while in its window and the newest, and the
     * events the core refused, once each within the dedupe window. Its connectors, made after,
     * {@linkplain ConnectorCounters#carry carry} it on.
     */
    public Map<List<String>, ConnectorCounters> replayedSources() {
        return Map.copyOf(replayedSources);
    }

    /** The lane as the node's sources show it: one row per kind of event. Any thread. */
    public List<SourceStatus> sources() {
        return counters.sources();
    }

    public TriggerLatency triggerLatency() {
        return triggerLatency;
    }

    /** The engine time of the node's wall clock now. */
    public long engineNowMillis() {
        return clock.nowMillis();
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    /**
     * A batch to be sent again in {@code retryAfterSeconds}: 429 when the key's rate is spent and 503
     * while the batches held reach {@code ingest.maxHeldBytes}, both refused before anything of it was
     * taken; 503 too when it was not applied within the timeout, where what was made durable counts
     * once applied, and sent again with the same ids is answered as duplicates.
     */
    public static final class TryLater extends RuntimeException {
        private final int status;
        private final long retryAfterSeconds;

        TryLater(int status, long retryAfterSeconds, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public ApiException problem() {
            return new ApiException(status, null, getMessage());
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
