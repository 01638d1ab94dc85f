package io.edgedeck.simulator.fleet;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The aggregator's reader of the fleet: consumes every partition of the aggregates, frames and
 * journal topics into a {@link FleetState}. It keeps no offsets anywhere: each start reads the
 * topics again from the beginning (or from {@code sinceMillis}, the show's start), so after a
 * restart it rebuilds exactly the state it had, as far as it has read.
 *
 * <p>Threads: one consumer thread, {@code fleet-aggregator}; {@link #snapshot} and the lag from
 * any thread.
 */
public final class FleetAggregator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetAggregator.class);
    private static final long LAG_HIGHEST_MILLIS = 3_600_000L;
    /** How often the topics' ends are asked of the broker while records come from the consumer's fetches. */
    private static final long CHECK_MILLIS = 5_000;
    /** How long one question to the broker waits for its answer. */
    private static final Duration ASK = Duration.ofSeconds(5);

    private final FleetTopics topics;
    private final Consumer<String, byte[]> consumer;
    private final FleetState state;
    private final long sinceMillis;
    private final Thread thread;
    private volatile boolean running = true;
    // Guarded by this.
    private final Map<TopicPartition, Long> lag = new HashMap<>();
    private boolean positioned;
    private String lastError;
    /** Why the topics' ends are not known now (Kafka did not answer in time); null while it answers. */
    private String unanswered;
    /**
     * When Kafka last answered a question about the topics' ends (epoch ms, the aggregator's clock; asked every
     * {@value #CHECK_MILLIS} ms); when the reader started, before it first did.
     */
    private long answeredAtMillis = System.currentTimeMillis();
    private final Histogram lagMillis = new Histogram(LAG_HIGHEST_MILLIS, 2);

    /**
     * @param windowSeconds the span of the snapshot's recent figures
     * @param sinceMillis   read records from this time on (epoch ms), or 0 for everything retained
     */
    public FleetAggregator(FleetTopics topics, Map<String, Object> kafkaBase, int windowSeconds, long sinceMillis) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.consumer = new KafkaConsumer<>(FleetKafka.consumer(kafkaBase, "edgedeck-aggregator"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.state = new FleetState(windowSeconds);
        this.sinceMillis = sinceMillis;
        this.thread = Thread.ofPlatform().name("fleet-aggregator").daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** Hands every aggregate applied to {@code to} as well, on the consumer thread (under this reader's lock). Call before {@link #start}. */
    public void onSecond(java.util.function.Consumer<PopSecond> to) {
        state.onSecond(to);
    }

    public synchronized FleetSnapshot snapshot(long nowMillis) {
        return state.snapshot(nowMillis);
    }

    /** Each node's newest frame, by node id ({@link FleetState#nodeFrames}). */
    public synchronized Map<String, NodeFrame> nodeFrames() {
        return state.nodeFrames();
    }

    /** Records on the fleet's topics not yet read, or -1 before the consumer has positioned itself. */
    public synchronized long lag() {
        if (!positioned || lag.isEmpty()) {
            return -1;
        }
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits until every record published so far has been read. @return whether it was in time */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lag() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Fleet records applied so far (duplicates and malformed ones not counted). */
    public synchronized long applied() {
        return state.records();
    }

    /**
     * How long aggregates took from a node's spool (their Kafka timestamp, the node's clock) to this
     * state (the aggregator's clock), in ms, since the last call; the histogram starts again empty.
     * Clocks that disagree shift it by their difference.
     */
    public synchronized Histogram takeLagMillis() {
        Histogram copy = lagMillis.copy();
        lagMillis.reset();
        return copy;
    }

    public synchronized String lastError() {
        return lastError;
    }

    /**
     * Why the lag is unknown while the reader runs: Kafka did not answer the last question about the
     * topics' ends (asked every {@value #CHECK_MILLIS} ms); null while it answers.
     */
    public synchronized String unanswered() {
        return unanswered;
    }

    /**
     * Kafka out of the aggregator's reach: since when it has not answered (when it last did, or when the reader
     * started if it never has) and why, in words.
     */
    public record Outage(long sinceMillis, String detail) {
    }

    /** The outage going on now, or null while Kafka answers. */
    public synchronized Outage outage() {
        return unanswered == null ? null : new Outage(answeredAtMillis, unanswered);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long checkedAt = Long.MIN_VALUE;
        try {
            List<TopicPartition> parts = new ArrayList<>();
            while (running && parts.isEmpty()) {
                parts = partitions();
                if (parts.isEmpty()) {
                    // The topics are not there yet (or Kafka is not): ask again shortly.
                    Thread.sleep(500);
                }
            }
            consumer.assign(parts);
            if (sinceMillis > 0) {
                Map<TopicPartition, Long> times = new HashMap<>();
                parts.forEach(tp -> times.put(tp, sinceMillis));
                Map<TopicPartition, OffsetAndTimestamp> at = consumer.offsetsForTimes(times);
                for (TopicPartition tp : parts) {
                    OffsetAndTimestamp o = at.get(tp);
                    if (o == null) {
                        consumer.seekToEnd(List.of(tp));
                    } else {
                        consumer.seek(tp, o.offset());
                    }
                }
            } else {
                consumer.seekToBeginning(parts);
            }
            while (running) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                synchronized (this) {
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<String, byte[]> r : batch) {
                        String schema = FleetHeaders.text(r.headers(), FleetHeaders.SCHEMA);
                        boolean applied = state.apply(r.topic(), r.key(), FleetHeaders.text(r.headers(), FleetHeaders.NODE),
                                FleetHeaders.seq(r.headers()), schema, r.value(), r.timestamp());
                        if (applied && PopSecond.SCHEMA.equals(schema)) {
                            lagMillis.recordValue(Math.max(0, Math.min(LAG_HIGHEST_MILLIS, now - r.timestamp())));
                        }
                    }
                }
                long now = System.nanoTime() / 1_000_000;
                boolean ask = checkedAt == Long.MIN_VALUE || now - checkedAt >= CHECK_MILLIS;
                try {
                    Map<TopicPartition, Long> behind = lagOf(parts, ask);
                    if (ask) {
                        checkedAt = now;
                    }
                    synchronized (this) {
                        if (unanswered != null) {
                            LOG.info("fleet aggregator: Kafka answers again");
                        }
                        unanswered = null;
                        if (ask) {
                            answeredAtMillis = System.currentTimeMillis();
                        }
                        lag.putAll(behind);
                        positioned = true;
                    }
                } catch (RetriableException e) {
                    // Kafka out of reach: the lag is unknown (-1) until it answers; the reader carries on.
                    checkedAt = Long.MIN_VALUE;
                    synchronized (this) {
                        if (unanswered == null) {
                            LOG.warn("fleet aggregator: Kafka does not answer ({}); the fleet's figures stop where they are"
                                    + " until it does", e.toString());
                        }
                        unanswered = "Kafka did not answer within " + ASK.toSeconds() + " s (" + e.getClass().getSimpleName()
                                + "): the fleet's figures are as last read";
                        positioned = false;
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.warn("fleet aggregator woken while running", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            synchronized (this) {
                lastError = e.toString();
            }
            LOG.error("fleet aggregator stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Each partition's lag: from the last fetch, or from its end offset as the broker answers it, before
     * the first fetch and whenever {@code ask} (a lag fetched once stays as it was while the broker is gone).
     */
    private Map<TopicPartition, Long> lagOf(List<TopicPartition> parts, boolean ask) {
        Map<TopicPartition, Long> out = new HashMap<>();
        List<TopicPartition> unknown = new ArrayList<>();
        for (TopicPartition tp : parts) {
            var l = consumer.currentLag(tp);
            if (l.isPresent() && !ask) {
                out.put(tp, l.getAsLong());
            } else {
                unknown.add(tp);
            }
        }
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(unknown, ASK);
            for (TopicPartition tp : unknown) {
                out.put(tp, Math.max(0, ends.getOrDefault(tp, 0L) - consumer.position(tp, ASK)));
            }
        }
        return out;
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(topics.aggregates(), topics.frames(), topics.journal())) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos == null || infos.isEmpty()) {
                    return List.of();
                }
                infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.info("fleet topics not reachable yet: {}", e.getMessage());
                return List.of();
            }
        }
        return parts;
    }
}
