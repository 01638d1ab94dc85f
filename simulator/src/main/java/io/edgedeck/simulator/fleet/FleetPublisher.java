package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A node's side of the fleet: what the node must publish goes into its {@link Spool} (on disk,
 * forced, bounded) and one sender thread hands it to an idempotent Kafka producer in spool order,
 * releasing it from the spool once Kafka acknowledged it. The node never waits for Kafka: an
 * unreachable broker only makes the spool grow, up to its bound.
 *
 * <p>Catching up without duplicates: within one producer Kafka's idempotence keeps retries from
 * writing twice and keeps each partition in spool order. When a send fails (delivery timeout,
 * broker gone too long), the producer is closed, a new one is made after a backoff, and every
 * record not yet acknowledged is sent again, in order. A record may then reach Kafka twice (its
 * first send may have landed without an acknowledgement), so every record carries its node and
 * spool sequence number ({@link FleetHeaders}) and consumers drop a sequence number they have
 * already seen for that node and key ({@link Deduplicator}).
 *
 * <p>Frames are not spooled: only the newest waits and is sent when it can be.
 *
 * <p>Threads: {@code publish*} from any thread (they block for the spool's fsync only); the sender
 * runs on its own thread, named {@code fleet-publisher-NODE}.
 *
 * <p>Over 350 lines, on purpose: one job (spool to Kafka, in order, through producer failures), and
 * the sender loop, the send callbacks and the status share one set of counters guarded by one lock;
 * split across classes, that lock would have to be shared too.
 */
public final class FleetPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetPublisher.class);

    /**
     * @param maxInFlight   records handed to the producer and not yet acknowledged, at most
     * @param backoffMin    the wait before the first new producer after a failure
     * @param backoffMax    the longest wait between failures
     * @param releaseEvery  how often acknowledged records are released from the spool
     */
    public record Options(int maxInFlight, Duration backoffMin, Duration backoffMax, Duration releaseEvery) {
        public static final Options DEFAULT = new Options(20_000, Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofMillis(100));
    }

    /** What the publisher is doing, for /metrics and the node's frame. */
    public record Status(boolean connected, long spoolPending, long spoolBytes, long spoolMaxBytes, long refused,
                         long acknowledged, long sent, long resent, long producerRestarts, long framesSent,
                         long framesDropped, long oldestPendingMillis, String lastError) {
    }

    private final String node;
    private final FleetTopics topics;
    private final Map<String, Object> producerConfig;
    private final Spool spool;
    private final Options options;
    private final Function<Map<String, Object>, Producer<String, byte[]>> producers;
    private final AtomicReference<NodeFrame> latestFrame = new AtomicReference<>();
    private final Thread sender;

    // Guarded by this.
    private long lowWater;
    private final TreeSet<Long> ackedAbove = new TreeSet<>();
    private int generation;
    private boolean failed;
    private String lastError;
    private boolean connected;
    private volatile boolean running = true;
    private long sent;
    private long resent;
    private long restarts;
    private long framesSent;
    private long framesDropped;
    private long highestSent;

    /**
     * @param node           this node's id
     * @param kafkaBase      bootstrap servers and security settings ({@link FleetKafka#base})
     * @param spool          the node's spool, opened; the publisher closes it
     */
    public FleetPublisher(String node, FleetTopics topics, Map<String, Object> kafkaBase, Spool spool, Options options) {
        this(node, topics, kafkaBase, spool, options,
                cfg -> new KafkaProducer<>(cfg, new StringSerializer(), new ByteArraySerializer()));
    }

    FleetPublisher(String node, FleetTopics topics, Map<String, Object> kafkaBase, Spool spool, Options options,
                   Function<Map<String, Object>, Producer<String, byte[]>> producers) {
        this.node = Objects.requireNonNull(node, "node");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.producerConfig = FleetKafka.producer(kafkaBase, "edgedeck-node-" + node);
        this.spool = Objects.requireNonNull(spool, "spool");
        this.options = Objects.requireNonNull(options, "options");
        this.producers = producers;
        this.lowWater = spool.acked();
        this.highestSent = spool.acked();
        this.sender = Thread.ofPlatform().name("fleet-publisher-" + node).daemon(true).unstarted(this::run);
    }

    public void start() {
        sender.start();
    }

    /**
     * Spools per-second aggregates for publishing (keyed by PoP); durable when this returns.
     *
     * @return the spool sequence number of the last
     * @throws Spool.FullException when the spool is at its bound: none of them was taken
     */
    public long publishAggregates(List<PopSecond> seconds) throws IOException {
        List<Spool.Pending> pending = new ArrayList<>(seconds.size());
        for (PopSecond s : seconds) {
            if (!node.equals(s.node())) {
                throw new IllegalArgumentException("aggregate of node " + s.node() + " given to the publisher of " + node);
            }
            pending.add(new Spool.Pending(topics.aggregates(), s.pop(), PopSecond.SCHEMA, FleetJson.bytes(s)));
        }
        return append(pending);
    }

    /**
     * Spools one of the node's journal records (keyed by node, so the node's journal stays in order).
     *
     * @return its spool sequence number
     */
    public long publishJournal(long journalSeq, JsonNode record) throws IOException {
        return publishJournal(List.of(new JournalEntry(1, node, journalSeq, record)));
    }

    /**
     * Spools several of the node's journal records in one write, in their order.
     *
     * @return the spool sequence number of the last
     * @throws Spool.FullException when the spool is at its bound: none of them was taken
     */
    public long publishJournal(List<JournalEntry> entries) throws IOException {
        List<Spool.Pending> pending = new ArrayList<>(entries.size());
        for (JournalEntry e : entries) {
            if (!node.equals(e.node())) {
                throw new IllegalArgumentException("journal record of node " + e.node() + " given to the publisher of " + node);
            }
            pending.add(new Spool.Pending(topics.journal(), node, JournalEntry.SCHEMA, FleetJson.bytes(e)));
        }
        return append(pending);
    }

    /** Replaces the frame waiting to be sent; an older one not yet sent is dropped. */
    public void publishFrame(NodeFrame frame) {
        if (latestFrame.getAndSet(frame) != null) {
            synchronized (this) {
                framesDropped++;
            }
        }
        synchronized (this) {
            notifyAll();
        }
    }

    private long append(List<Spool.Pending> pending) throws IOException {
        long first = spool.append(pending, System.currentTimeMillis());
        synchronized (this) {
            notifyAll();
        }
        return first + pending.size() - 1;
    }

    /** Waits until Kafka acknowledged every record up to {@code seq}. @return whether it did in time */
    public synchronized boolean awaitAcknowledged(long seq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lowWater < seq) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Pending counts what Kafka has not acknowledged; the spool's bytes and the oldest pending time
     * follow acknowledgements within {@link Options#releaseEvery()}.
     */
    public Status status() {
        long last = spool.lastSeq();
        long bytes = spool.bytes();
        long refused = spool.refused();
        long oldest = spool.oldestPendingAppendedAt();
        synchronized (this) {
            long pending = Math.max(0, last - lowWater);
            return new Status(connected, pending, bytes, spool.maxBytes(), refused, lowWater, sent, resent, restarts,
                    framesSent, framesDropped, pending == 0 ? -1 : oldest, lastError);
        }
    }

    /**
     * This node's frame: its PoPs, spool and control progress, its latest metrics frame, where its API is (or null)
     * per flag, which of its PoPs run the flag's latest version (or null when not known) and, per show cue it fired from
     * the control topic, the version it fired (or null when it does not fire them).
     */
    public NodeFrame frame(long nowMillis, List<String> pops, long controlOffset, long controlLag, JsonNode frame, String url,
                           java.util.Map<String, List<String>> acknowledged, java.util.Map<String, Long> cues) {
        return frame(nowMillis, pops, controlOffset, controlLag, frame, url, acknowledged, cues, null);
    }

    /** The same, with the cues of {@code cues} whose changes scheduled here have not all applied (null: not said). */
    public NodeFrame frame(long nowMillis, List<String> pops, long controlOffset, long controlLag, JsonNode frame, String url,
                           java.util.Map<String, List<String>> acknowledged, java.util.Map<String, Long> cues,
                           java.util.Map<String, NodeFrame.CueNotApplied> cuesNotApplied) {
        Status s = status();
        return new NodeFrame(1, node, nowMillis, pops, s.spoolPending(), s.spoolBytes(), s.refused(),
                s.oldestPendingMillis(), controlOffset, controlLag, frame, url, acknowledged, cues, cuesNotApplied);
    }

    /**
     * Stops sending: waits up to {@code drain} for what is spooled to be acknowledged, then stops the sender, closing its
     * producer under a send that waits for Kafka, and closes the spool. What is left stays in the spool for the next
     * start, and the log says how many records.
     */
    public void close(Duration drain) throws IOException, InterruptedException {
        long target = spool.lastSeq();
        // Waited for whether or not Kafka answered lately: a producer just started, or one started again after a send
        // failed, has not been answered yet, and what it takes in this wait is not sent again.
        if (!drain.isZero()) {
            awaitAcknowledged(target, drain);
        }
        running = false;
        synchronized (this) {
            notifyAll();
        }
        if (sender.getState() != Thread.State.NEW) {
            // Not started: a fleet node whose start was refused before it recovered its spool.
            sender.join(STOPPING);
            Producer<String, byte[]> blocked = current;
            if (sender.isAlive() && blocked != null) {
                // Waiting for Kafka (a send waits up to max.block.ms for a broker that is away): closed under it, the
                // producer wakes it.
                blocked.close(Duration.ZERO);
                sender.join(STOPPING);
            }
            if (sender.isAlive()) {
                LOG.warn("fleet publisher of {}: its sender did not stop within {} ms; the node stops without it", node,
                        2 * STOPPING.toMillis());
            }
        }
        long notTaken;
        synchronized (this) {
            spool.release(lowWater);
            notTaken = target - lowWater;
        }
        if (notTaken > 0) {
            LOG.warn("fleet publisher of {}: stopped with {} record{} the fleet's Kafka had not taken (up to sequence {}); they"
                    + " stay in the spool and are sent when the node starts again", node, notTaken, notTaken == 1 ? "" : "s",
                    target);
        }
        spool.close();
    }

    @Override
    public void close() throws IOException {
        try {
            close(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long a stopping node waits for the sender to end, and then again once its producer is closed under it. */
    private static final Duration STOPPING = Duration.ofSeconds(1);
    /** The sender's producer, for a stopping node to close under a send that waits for Kafka; null before the first. */
    private volatile Producer<String, byte[]> current;

    private void run() {
        Producer<String, byte[]> producer = null;
        long backoff = options.backoffMin().toMillis();
        long sentUpTo = 0;
        long lastRelease = System.nanoTime();
        while (running) {
            try {
                int gen;
                if (producer == null) {
                    producer = producers.apply(producerConfig);
                    current = producer;
                    synchronized (this) {
                        generation++;
                        failed = false;
                        sentUpTo = lowWater;
                    }
                }
                synchronized (this) {
                    gen = generation;
                }
                sentUpTo = sendSpooled(producer, sentUpTo, gen);
                NodeFrame frame = latestFrame.getAndSet(null);
                if (frame != null) {
                    sendFrame(producer, frame, gen);
                }
                if (System.nanoTime() - lastRelease > options.releaseEvery().toNanos()) {
                    long acked;
                    synchronized (this) {
                        acked = lowWater;
                    }
                    spool.release(acked);
                    lastRelease = System.nanoTime();
                }
                boolean restart;
                synchronized (this) {
                    restart = failed;
                    if (!restart && running && latestFrame.get() == null
                            && (sentUpTo >= spool.lastSeq() || options.maxInFlight() - (sentUpTo - lowWater) <= 0)) {
                        wait(options.releaseEvery().toMillis());
                    }
                }
                if (restart) {
                    producer = restartAfterFailure(producer, backoff);
                    backoff = Math.min(backoff * 2, options.backoffMax().toMillis());
                } else if (connectedNow()) {
                    backoff = options.backoffMin().toMillis();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    failed = true;
                    connected = false;
                    lastError = describe(e);
                }
                if (running) {
                    // Not when stopping: its producer is closed under a send waiting for Kafka.
                    LOG.warn("fleet publisher of {}: {}", node, describe(e));
                }
                try {
                    producer = restartAfterFailure(producer, backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, options.backoffMax().toMillis());
            }
        }
        if (producer != null) {
            // What is not acknowledged by now stays in the spool for the next start.
            producer.close(Duration.ofMillis(500));
        }
    }

    /**
     * Hands the producer what the spool holds after {@code sentUpTo}, up to the in-flight bound,
     * skipping what Kafka already acknowledged. Sender thread.
     *
     * @return the sequence number of the last record handed over or skipped
     */
    private long sendSpooled(Producer<String, byte[]> producer, long sentUpTo, int gen) throws IOException {
        long room;
        synchronized (this) {
            room = options.maxInFlight() - (sentUpTo - lowWater);
        }
        if (room <= 0) {
            return sentUpTo;
        }
        for (Spool.Entry e : spool.read(sentUpTo, (int) Math.min(room, 1_000))) {
            boolean skip;
            synchronized (this) {
                if (failed || !running) {
                    // Sending on would block on a producer that has already failed.
                    break;
                }
                skip = e.seq() <= lowWater || ackedAbove.contains(e.seq());
                if (!skip) {
                    sent++;
                    if (e.seq() <= highestSent) {
                        resent++;
                    }
                    highestSent = Math.max(highestSent, e.seq());
                }
            }
            if (!skip) {
                send(producer, e, gen);
            }
            sentUpTo = e.seq();
        }
        return sentUpTo;
    }

    private synchronized boolean connectedNow() {
        return connected;
    }

    private Producer<String, byte[]> restartAfterFailure(Producer<String, byte[]> producer, long backoffMillis)
            throws InterruptedException {
        synchronized (this) {
            generation++;
            restarts++;
            connected = false;
        }
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
        // Not a sleep: a node stopping wakes it (an interrupt would close the spool's file channel mid-write).
        long until = System.nanoTime() + backoffMillis * 1_000_000;
        synchronized (this) {
            while (running) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
        }
        return null;
    }

    private void send(Producer<String, byte[]> producer, Spool.Entry e, int gen) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), null, e.appendedAtMillis(), e.key(),
                e.value());
        FleetHeaders.put(record.headers(), node, e.seq(), e.schema());
        long seq = e.seq();
        producer.send(record, (meta, ex) -> {
            synchronized (this) {
                if (ex == null) {
                    connected = true;
                    if (seq > lowWater) {
                        ackedAbove.add(seq);
                        while (ackedAbove.remove(lowWater + 1)) {
                            lowWater++;
                        }
                    }
                    notifyAll();
                } else if (gen == generation && !failed) {
                    failed = true;
                    connected = false;
                    lastError = describe(ex);
                    notifyAll();
                }
            }
        });
    }

    private void sendFrame(Producer<String, byte[]> producer, NodeFrame frame, int gen) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.frames(), null, frame.atMillis(), node,
                FleetJson.bytes(frame));
        FleetHeaders.put(record.headers(), node, frame.atMillis(), NodeFrame.SCHEMA);
        producer.send(record, (meta, ex) -> {
            synchronized (this) {
                if (ex == null) {
                    framesSent++;
                    connected = true;
                } else {
                    framesDropped++;
                }
            }
        });
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
