package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A live node's part in a fleet ({@code serve --live --kafka BOOTSTRAP --node-id ID}): what the
 * core accepted of each ingest log record is folded into per-second aggregates per PoP
 * ({@link SecondAggregator}), spooled once a second and published by the {@link FleetPublisher};
 * the node's frame goes with it once a second.
 *
 * <p>No acknowledged observation is lost and none counts twice across a kill: an observation is
 * acknowledged only once its ingest log record is durable, and the {@link FleetMark} says which
 * log records the spool already covers. A node started again on its data directory reads its log
 * back (as the core does) and folds only the records the mark does not cover. Each flush writes the
 * mark it is about to reach, with the spool sequence number that proves the flush landed, before it
 * spools, and the mark reached after.
 *
 * <p>The node's journal records go the same way ({@link #journaled}, then each flush): the journal
 * mark ({@code journal-mark.json}) says up to which journal record the spool has them, written
 * before and after the spool as the mark above, so a record is spooled once across a kill and the
 * fleet's readers see each once.
 *
 * <p>Threads: {@link #replayed}, {@link #taken} and {@link #journaled} on the engine thread (the core's
 * order); one flusher thread, {@code fleet-node-ID}, spools and sends frames.
 */
public final class FleetNode implements LiveIntake.Accepted, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetNode.class);
    /** How often aggregates are spooled and the node's frame sent. */
    public static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
    private static final int REMEMBERED_UNITS = 200_000;

    private final String node;
    private final String defaultPop;
    private final List<String> pops;
    private final FleetPublisher publisher;
    private final Spool spool;
    private final FleetMark markFile;
    private final FleetMark.Applied covered;
    private final FleetMark journalMark;
    // Guarded by this: journal records taken since the last flush, in order.
    private final List<JournalRecord> journal = new ArrayList<>();
    private final SecondAggregator.RecentExposures arms = new SecondAggregator.RecentExposures(REMEMBERED_UNITS);
    private final SecondAggregator aggregator;
    private final Thread flusher;
    private volatile Supplier<JsonNode> frame = () -> null;
    private volatile Supplier<java.util.Map<String, List<String>>> acknowledged = () -> null;
    private volatile String url;
    private volatile Supplier<ControlApplier.Status> control = () -> null;
    private volatile Supplier<Map<String, Long>> cues = () -> null;
    private volatile Supplier<Map<String, NodeFrame.CueNotApplied>> cuesNotApplied = () -> null;
    private volatile boolean running = true;
    private final Object tick = new Object();
    // Guarded by this: the log records folded in so far; why publishing stopped, or null.
    private final FleetMark.Applied applied;
    private String stopped;
    // Guarded by this: whether the spool was recovered and the publisher started.
    private boolean publishing;

    /**
     * Reads the node's spool and mark in {@code dir}, changing nothing there: what a crash left in the
     * spool is undone, and the publisher started, by {@link #recover} (a node's start calls it once every
     * check has passed), the flusher at {@link #start}.
     *
     * @param defaultPop the PoP of observations that name none
     * @param sentiment  the compound score of a chat message
     */
    public FleetNode(String node, FleetTopics topics, Map<String, Object> kafkaBase, Path dir, List<String> pops,
                     String defaultPop, ToDoubleFunction<String> sentiment) throws IOException {
        this.node = Objects.requireNonNull(node, "node");
        this.defaultPop = Objects.requireNonNull(defaultPop, "defaultPop");
        this.pops = List.copyOf(pops);
        this.spool = Spool.read(dir.resolve("spool"), Spool.DEFAULT_MAX_BYTES, Spool.DEFAULT_SEGMENT_BYTES);
        this.markFile = new FleetMark(dir.resolve("mark.json"));
        this.covered = markFile.covered(spool.lastSeq());
        this.journalMark = new FleetMark(dir.resolve("journal-mark.json"));
        journalMark.covered(spool.lastSeq());
        this.applied = covered.copy();
        this.aggregator = new SecondAggregator(node, defaultPop, sentiment, arms);
        this.publisher = new FleetPublisher(node, topics, kafkaBase, spool, FleetPublisher.Options.DEFAULT);
        this.flusher = Thread.ofPlatform().name("fleet-node-" + node).daemon(true).unstarted(this::run);
    }

    /**
     * Undoes what a crash left in the spool (a torn tail cut off, segments Kafka took deleted) and starts
     * the publisher. Once; {@link #start} does it when it was not done.
     */
    public synchronized void recover() throws IOException {
        if (publishing) {
            return;
        }
        spool.recover();
        publisher.start();
        publishing = true;
    }

    /**
     * Starts flushing; {@code latestFrame} gives the node's newest metrics frame as the API's JSON (or null),
     * {@code acknowledgedAt} per flag the PoPs that run its latest version (or null when not known now), and
     * {@code url} is where the fleet's aggregator reaches the node's API, named in every frame.
     */
    public void start(Supplier<JsonNode> latestFrame, Supplier<java.util.Map<String, List<String>>> acknowledgedAt, URI url)
            throws IOException {
        recover();
        this.frame = Objects.requireNonNull(latestFrame, "latestFrame");
        this.acknowledged = Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
        this.url = url.toString();
        flusher.start();
    }

    /**
     * Where the node's frame finds its control applier's offset and lag, per show cue it fired from the control topic
     * the version it fired, and those of them whose changes scheduled here have not all applied.
     */
    public void reportControl(Supplier<ControlApplier.Status> status, Supplier<Map<String, Long>> cuesFired,
                              Supplier<Map<String, NodeFrame.CueNotApplied>> notApplied) {
        this.control = Objects.requireNonNull(status, "status");
        this.cues = Objects.requireNonNull(cuesFired, "cuesFired");
        this.cuesNotApplied = Objects.requireNonNull(notApplied, "notApplied");
    }

    @Override
    public synchronized void replayed(long ordinal, long arrivalEpochMillis, List<LiveIntake.Taken> accepted) {
        if (covered.covers(ordinal)) {
            // Already spooled before the restart: only the units' exposures are remembered again, so
            // later conversions and chat are attributed as they were.
            for (LiveIntake.Taken t : accepted) {
                if (t.event() instanceof IngestEvent.Exposure x && t.exposure() != null
                        && t.exposure() != io.edgedeck.engine.ingest.IngestOutcome.Exposure.OUT_OF_SCOPE) {
                    arms.exposedAs(x.targetingKey(), new SecondAggregator.Arm(x.flag(), x.variant()),
                            x.pop() == null || x.pop().isBlank() ? defaultPop : x.pop(), t.exposure());
                }
            }
            return;
        }
        fold(ordinal, arrivalEpochMillis, accepted);
    }

    @Override
    public synchronized void taken(long ordinal, long arrivalEpochMillis, List<LiveIntake.Taken> accepted) {
        fold(ordinal, arrivalEpochMillis, accepted);
    }

    private void fold(long ordinal, long arrivalEpochMillis, List<LiveIntake.Taken> accepted) {
        for (LiveIntake.Taken t : accepted) {
            aggregator.add(t.event(), t.chat(), t.exposure(), arrivalEpochMillis);
        }
        applied.add(ordinal);
    }

    /**
     * Journal records the node's journal took (or, on start, holds): published with the next flush,
     * those the spool does not have yet. Engine thread, or before the engine runs.
     */
    public synchronized void journaled(List<JournalRecord> records) {
        if (stopped == null) {
            journal.addAll(records);
        }
    }

    /** What the node's publishing is doing, for its /metrics and frame. */
    public FleetPublisher.Status status() {
        return publisher.status();
    }


    /**
     * Spools every open second and the mark covering them: the mark to be reached first, with the
     * spool sequence number the flush ends at, then the aggregates, then the mark reached; then the
     * journal records taken since, with the journal mark the same way. Flusher thread, and once more
     * at close.
     */
    void flush() throws IOException {
        synchronized (this) {
            if (stopped != null) {
                return;
            }
        }
        flushAggregates();
        flushJournal();
    }

    private void flushAggregates() throws IOException {
        List<PopSecond> out;
        FleetMark.Applied reached;
        synchronized (this) {
            out = aggregator.drainAll();
            reached = applied.copy();
        }
        if (out.isEmpty() && reached.equals(markFile.committed())) {
            return;
        }
        long endsAt = spool.lastSeq() + out.size();
        markFile.writePending(reached, endsAt);
        if (!out.isEmpty()) {
            try {
                publisher.publishAggregates(out);
            } catch (Spool.FullException e) {
                // Refused whole and counted (spoolRefused in the frame and /metrics); the node keeps serving.
                LOG.warn("fleet node {}: {} aggregates lost to a full spool: {}", node, out.size(), e.getMessage());
            }
        }
        markFile.commit(reached);
    }

    /** Spools the journal records taken since the last flush that the journal mark does not cover, as {@link #flush} does. */
    private void flushJournal() throws IOException {
        List<JournalRecord> taken;
        synchronized (this) {
            taken = List.copyOf(journal);
            journal.clear();
        }
        long from = journalMark.committed().next();
        List<JournalEntry> out = new ArrayList<>();
        for (JournalRecord r : taken) {
            if (r.seq() >= from) {
                out.add(new JournalEntry(1, node, r.seq(), FileJournal.json(r)));
            }
        }
        if (out.isEmpty()) {
            return;
        }
        FleetMark.Applied reached = FleetMark.Applied.upTo(out.getLast().journalSeq());
        journalMark.writePending(reached, spool.lastSeq() + out.size());
        try {
            publisher.publishJournal(out);
        } catch (Spool.FullException e) {
            LOG.warn("fleet node {}: {} journal records lost to a full spool: {}", node, out.size(), e.getMessage());
        }
        journalMark.commit(reached);
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            try {
                next += FLUSH_EVERY.toNanos();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    // Not an interrupt to stop it: that would close the spool's file channel mid-write.
                    synchronized (tick) {
                        if (running) {
                            tick.wait(Math.max(1, wait / 1_000_000));
                        }
                    }
                } else {
                    next = System.nanoTime();
                }
                if (!running) {
                    break;
                }
                flush();
                // The offset first, then the cues, then what of them has not applied: a cue fired at or before the offset
                // is among the cues, and what it left unapplied is known before its version is.
                ControlApplier.Status c = control.get();
                Map<String, Long> fired = cues.get();
                Map<String, NodeFrame.CueNotApplied> notApplied = cuesNotApplied.get();
                publisher.publishFrame(publisher.frame(System.currentTimeMillis(), pops, c == null ? -1 : c.offset(),
                        c == null ? -1 : c.lag(), frame.get(), url, acknowledged.get(), fired, notApplied));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                // The spool's disk failed. The mark stays where it was, so what was not spooled is
                // folded again from the ingest log when the node starts next; flushing on would move
                // the mark past it. The node keeps serving; its publishing stops.
                synchronized (this) {
                    stopped = e.toString();
                }
                LOG.error("fleet node {}: could not spool aggregates; publishing stops until the node is started again", node, e);
                return;
            }
        }
    }

    /**
     * Stops flushing, spools what is open, waits up to {@code drain} for Kafka to take what is
     * spooled, and closes. Call after the engine stopped (nothing more is taken).
     */
    public void close(Duration drain) {
        running = false;
        synchronized (tick) {
            tick.notifyAll();
        }
        try {
            // A node whose start was refused never ran: what it queued is not in its journal either, so none of it is spooled.
            if (flusher.getState() != Thread.State.NEW) {
                flusher.join(Duration.ofSeconds(10));
                flush();
            }
            publisher.close(drain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("fleet node {}: could not close its spool", node, e);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
