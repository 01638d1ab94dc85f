package io.edgedeck.simulator.fleet;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node's reader of the control topic: reads it from the beginning, in order, and applies each
 * record's changes that are newer than what the target holds. Every node reads the same records
 * in the same order and applies the same rule, so every node ends at the same versions; a node
 * that starts late, or was cut off, catches up by reading on. Committed records only: a write
 * that was aborted is never applied. Kafka out of reach (at start or later, for however long) stops
 * nothing: the reader says so ({@link Status#problem}, lag unknown) and reads on once it answers.
 *
 * <p>Threads: one applier thread, {@code fleet-control-CLIENT}, calls the target; the other
 * methods from any thread.
 */
public final class ControlApplier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlApplier.class);

    /**
     * @param offset  the last control record read (applied or not), or -1
     * @param lag     committed records not yet read, or -1 while unknown (before the first read, and while
     *                Kafka does not answer)
     * @param applied records whose changes were applied (some or all of them)
     * @param skipped records with nothing newer than the target held (copies, or read again after a restart)
     * @param refused records the target refused
     * @param malformed records that were not control records
     * @param problem   why the topic's end is not known now (Kafka did not answer in time), in words; null
     *                  while it answers
     */
    public record Status(long offset, long lag, long applied, long skipped, long refused, long malformed, String problem) {
        /** {@code current} (read to the end), {@code behind} (records to apply) or {@code unknown} (not read yet, or Kafka does not answer). */
        public String state() {
            return lag == 0 ? "current" : lag > 0 ? "behind" : "unknown";
        }
    }

    /** The pause after Kafka did not answer, before it is asked again. */
    private static final long RETRY_PAUSE_MILLIS = 200;

    /**
     * How often the topic's end is asked of the broker while records come from the consumer's fetches, and how long
     * one question to the broker waits for its answer ({@link FleetOptions#CONTROL_CHECK} unless given).
     */
    private final Duration check;

    private final Consumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final ControlTarget target;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    // Guarded by this.
    private long offset = -1;
    private long lag = -1;
    private long applied;
    private long skipped;
    private long refused;
    private long malformed;
    private String problem;
    /** Set once the reader stopped on a failure: it reads no further, so no one waits for it. Guarded by this. */
    private boolean stopped;

    public ControlApplier(FleetTopics topics, Map<String, Object> kafkaBase, String clientId, ControlTarget target) {
        this(topics, kafkaBase, clientId, target, FleetOptions.CONTROL_CHECK);
    }

    /** As above, asking the broker for the topic's end every {@code check}, and waiting as long for each answer. */
    public ControlApplier(FleetTopics topics, Map<String, Object> kafkaBase, String clientId, ControlTarget target,
                          Duration check) {
        this.target = Objects.requireNonNull(target, "target");
        this.check = Objects.requireNonNull(check, "check");
        this.partition = new TopicPartition(topics.control(), 0);
        this.consumer = new KafkaConsumer<>(FleetKafka.controlConsumer(kafkaBase, clientId), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().name("fleet-control-" + clientId).daemon(true).unstarted(this::run);
    }

    public void start() {
        started = true;
        thread.start();
    }

    public synchronized Status status() {
        return new Status(offset, lag, applied, skipped, refused, malformed, problem);
    }

    /**
     * Waits until the record at {@code target} has been read. @return whether it was in time; false at once
     * once the reader stopped, since it will not read further
     */
    public synchronized boolean awaitOffset(long targetOffset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (offset < targetOffset) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || stopped) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until everything committed so far has been read. @return whether it was in time; false once stopped */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lag != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || stopped) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Stops reading and closes the consumer (at once when the applier never started). */
    @Override
    public void close() {
        if (!started) {
            consumer.close(Duration.ZERO);
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(FleetKafka.CLOSING.multipliedBy(2));
            if (thread.isAlive()) {
                LOG.warn("control topic: its reader did not stop within {} s; the node stops without it",
                        FleetKafka.CLOSING.multipliedBy(2).toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long checkedAt = Long.MIN_VALUE;
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        handle(r);
                    }
                    long now = System.nanoTime() / 1_000_000;
                    var fetched = consumer.currentLag(partition);
                    long known;
                    // Long.MIN_VALUE is "never asked": now - MIN_VALUE overflows to a negative number, so it is
                    // tested apart, or a reader whose first lag came from a fetch would never ask the broker
                    // and would say "current" for good, through any outage.
                    if (fetched.isEmpty() || checkedAt == Long.MIN_VALUE || now - checkedAt >= check.toMillis()) {
                        // The broker's own answer: before the first fetch the consumer knows no lag, and a lag it
                        // fetched once stays as it was while the broker is gone, so it is asked every few seconds.
                        long end = consumer.endOffsets(List.of(partition), check).get(partition);
                        known = Math.max(0, end - consumer.position(partition, check));
                        checkedAt = now;
                    } else {
                        known = fetched.getAsLong();
                    }
                    answered(known);
                } catch (RetriableException e) {
                    // Kafka out of reach (a timeout, no leader yet): the lag is unknown until it answers again.
                    unanswered(e);
                    checkedAt = Long.MIN_VALUE;
                    // A poll that fails at once would otherwise ask again at once, in a loop.
                    pause();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.warn("control applier woken while running", e);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("control applier stopped", e);
            synchronized (this) {
                stopped = true;
                lag = -1;
                problem = "the control topic's reader stopped: " + e;
                // Whoever waits for an offset or for the reader to catch up learns it now, not at their timeout.
                notifyAll();
            }
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            consumer.close(FleetKafka.CLOSING);
        }
    }

    /** Waits {@link #RETRY_PAUSE_MILLIS} before asking Kafka again, or less when the applier is closed. */
    private void pause() {
        long until = System.nanoTime() + RETRY_PAUSE_MILLIS * 1_000_000;
        while (running && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized void answered(long known) {
        if (problem != null) {
            LOG.info("control topic: Kafka answers again; {} records to read", known);
        }
        lag = known;
        problem = null;
        notifyAll();
    }

    private synchronized void unanswered(RetriableException e) {
        if (problem == null) {
            LOG.warn("control topic: Kafka does not answer ({}); flags stay as this node has them until it does", e.toString());
        }
        lag = -1;
        problem = "Kafka did not answer within " + (check.toMillis() % 1000 == 0 ? check.toSeconds() + " s" : check.toMillis() + " ms")
                + " (" + e.getClass().getSimpleName() + "): the control"
                + " topic is not read, and changes made elsewhere in the fleet meanwhile are not applied here yet";
        notifyAll();
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        ControlRecord record;
        try {
            if (!ControlRecord.SCHEMA.equals(FleetHeaders.text(r.headers(), FleetHeaders.SCHEMA))) {
                throw new IllegalArgumentException("schema " + FleetHeaders.text(r.headers(), FleetHeaders.SCHEMA));
            }
            record = FleetJson.read(r.value(), ControlRecord.class);
        } catch (IllegalArgumentException e) {
            LOG.warn("control record at offset {} skipped: {}", r.offset(), e.getMessage());
            done(r.offset(), 0, 0, 0, 1);
            return;
        }
        List<ControlRecord.Change> newer = new ArrayList<>();
        for (ControlRecord.Change c : record.changes()) {
            if (c.version() > target.version(c.key())) {
                newer.add(c);
            } else {
                try {
                    target.skipped(c);
                } catch (RuntimeException e) {
                    LOG.warn("control record {} at offset {}: {} not read: {}", record.id(), r.offset(), c.key(), e.toString());
                }
            }
        }
        if (newer.isEmpty()) {
            done(r.offset(), 0, 1, 0, 0);
            return;
        }
        try {
            target.apply(record.withChanges(newer), r.offset());
            done(r.offset(), 1, 0, 0, 0);
        } catch (Exception e) {
            LOG.warn("control record {} at offset {} refused by the target: {}", record.id(), r.offset(), e.toString());
            done(r.offset(), 0, 0, 1, 0);
        }
    }

    private synchronized void done(long at, int a, int s, int f, int m) {
        offset = at;
        applied += a;
        skipped += s;
        refused += f;
        malformed += m;
        notifyAll();
    }
}
