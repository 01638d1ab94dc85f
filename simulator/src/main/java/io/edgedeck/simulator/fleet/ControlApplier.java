package io.edgedeck.simulator.fleet;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
 * that was aborted is never applied.
 *
 * <p>Threads: one applier thread, {@code fleet-control-CLIENT}, calls the target; the other
 * methods from any thread.
 */
public final class ControlApplier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlApplier.class);

    /**
     * @param offset  the last control record read (applied or not), or -1
     * @param lag     committed records not yet read, or -1 before the first read
     * @param applied records whose changes were applied (some or all of them)
     * @param skipped records with nothing newer than the target held (copies, or read again after a restart)
     * @param refused records the target refused
     * @param malformed records that were not control records
     */
    public record Status(long offset, long lag, long applied, long skipped, long refused, long malformed) {
    }

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

    public ControlApplier(FleetTopics topics, Map<String, Object> kafkaBase, String clientId, ControlTarget target) {
        this.target = Objects.requireNonNull(target, "target");
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
        return new Status(offset, lag, applied, skipped, refused, malformed);
    }

    /** Waits until the record at {@code target} has been read. @return whether it was in time */
    public synchronized boolean awaitOffset(long targetOffset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (offset < targetOffset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until everything committed so far has been read. @return whether it was in time */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lag != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
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
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    handle(r);
                }
                var l = consumer.currentLag(partition);
                long now = l.isPresent() ? l.getAsLong()
                        : Math.max(0, consumer.endOffsets(List.of(partition), Duration.ofSeconds(5)).get(partition)
                        - consumer.position(partition, Duration.ofSeconds(5)));
                synchronized (this) {
                    lag = now;
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.warn("control applier woken while running", e);
            }
        } catch (RuntimeException e) {
            LOG.error("control applier stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
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
