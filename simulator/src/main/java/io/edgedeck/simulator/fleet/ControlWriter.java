package io.edgedeck.simulator.fleet;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes control records so that every record on the control topic is one that was valid when it
 * was written: a change to a key at version N+1 is written only if the key is at version N. That
 * is what keeps the compacted topic right (compaction keeps each key's newest record, so a newer
 * record that lost a race must never be there) and what lets a node acknowledge an operator's
 * change only once it is durable.
 *
 * <p>How: every writer in the fleet uses the same transactional id. Making a transactional
 * producer with it fences every earlier one, and a fenced producer cannot commit. A write reads
 * the topic to its end (committed records only), checks the versions, and commits the record in a
 * transaction; if another writer started since, this commit fails, the writer starts again (fencing
 * that one) and checks again. So between a writer's check and its commit no other record can land:
 * a compare-and-set on the log, with Kafka's transaction coordinator as the arbiter. A read can
 * only be behind (another writer's commit decided, its markers not yet written) when this
 * producer has been fenced; so a check that fails is made again with a new producer, whose
 * initialisation waits for that commit to complete, before a conflict is reported.
 *
 * <p>Writing a record whose id is already on the topic returns where it is and writes nothing,
 * so a request retried after a lost answer takes effect once. Thread-safe (writes are serialised).
 */
public final class ControlWriter implements AutoCloseable {

    /** Where a record is on the control topic. */
    public record Written(long offset, boolean alreadyThere) {
    }

    /** The change is based on a version that is no longer current: nothing was written. */
    public static final class ConflictException extends Exception {
        private final String key;
        private final long current;

        public ConflictException(String key, long current, long proposed) {
            super("control key " + key + " is at version " + current + "; a change to version " + proposed
                    + " must be made against version " + (proposed - 1));
            this.key = key;
            this.current = current;
        }

        public String key() {
            return key;
        }

        public long current() {
            return current;
        }
    }

    /** Kafka did not take the record in time: it is not durable and must not be acknowledged. */
    public static final class UnavailableException extends Exception {
        private final boolean mayHaveLanded;
        private final boolean earlierNotThere;

        public UnavailableException(String message, Throwable cause, boolean mayHaveLanded) {
            this(message, cause, mayHaveLanded, false);
        }

        public UnavailableException(String message, Throwable cause, boolean mayHaveLanded, boolean earlierNotThere) {
            super(message, cause);
            this.mayHaveLanded = mayHaveLanded;
            this.earlierNotThere = earlierNotThere;
        }

        /**
         * True when, before it failed, this write started a new producer (which ends every transaction an earlier
         * writer of the fleet left open: aborted, or committed if its commit was decided) and read the topic to its end
         * without finding the record: an earlier write of the same record that Kafka did not confirm is not on the
         * topic, and cannot land any more.
         */
        public boolean earlierNotThere() {
            return earlierNotThere;
        }

        /**
         * True when the failure came while the transaction was being committed: Kafka may yet have
         * it, and every node then applies it. False when nothing was sent: the record is not there.
         */
        public boolean mayHaveLanded() {
            return mayHaveLanded;
        }

        /**
         * True when Kafka did not answer in time (or no cause is known), false when it answered
         * with an error of its own (a transaction's end it failed): the node words the two apart.
         * Decided here, in the fleet package, as only the fleet names Kafka's classes.
         */
        public boolean timedOut() {
            Throwable cause = getCause();
            return cause == null || cause instanceof org.apache.kafka.common.errors.TimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException;
        }
    }

    /** The transactional id every control writer of a fleet shares (the ACLs name it, docs/FLEET.md). */
    public static final String DEFAULT_TRANSACTIONAL_ID = "edgedeck-control";

    /** Makes the writer's transactional producer from its settings: a Kafka producer, unless a node is given another. */
    @FunctionalInterface
    public interface Producers {
        Producers KAFKA = config -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());

        Producer<String, byte[]> make(Map<String, Object> config);
    }

    private static final int FENCED_RETRIES = 5;

    private final String topic;
    private final TopicPartition partition;
    private final Map<String, Object> producerConfig;
    private final Consumer<String, byte[]> reader;
    private final Duration timeout;
    private final String issuer;
    private final Producers producers;
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, Long> idOffsets = new HashMap<>();
    private Producer<String, byte[]> producer;
    private boolean positioned;

    /**
     * @param issuer          this writer's node (or aggregator) id, for its client ids and the records' header
     * @param transactionalId the fleet's one control writer id (the same on every node)
     * @param timeout         how long one write may wait for Kafka
     */
    public ControlWriter(FleetTopics topics, Map<String, Object> kafkaBase, String issuer, String transactionalId,
                         Duration timeout) {
        this(topics, kafkaBase, issuer, transactionalId, timeout, Producers.KAFKA);
    }

    /** The same, its producers made by {@code producers}. */
    public ControlWriter(FleetTopics topics, Map<String, Object> kafkaBase, String issuer, String transactionalId,
                         Duration timeout, Producers producers) {
        this.producers = Objects.requireNonNull(producers, "producers");
        this.topic = topics.control();
        this.partition = new TopicPartition(topic, 0);
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        Map<String, Object> p = FleetKafka.producer(kafkaBase, "edgedeck-control-writer-" + issuer);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 2_000));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis() / 2, 1_000));
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A producer made right after another writer's commit is told to wait while that transaction
        // completes, and retries after this backoff: at Kafka's default of 100 ms that wait was most of
        // the time a write from another node took (docs/FLEET.md, "Figures").
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        this.producerConfig = p;
        this.reader = new KafkaConsumer<>(FleetKafka.controlConsumer(kafkaBase, "edgedeck-control-reader-" + issuer),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Writes the record if every change is one version past the key's current one.
     *
     * @throws ConflictException    when a key has moved on; nothing was written
     * @throws UnavailableException when Kafka did not answer in time; nothing is acknowledged (a
     *                              retry with the same id is safe)
     */
    public synchronized Written write(ControlRecord record) throws ConflictException, UnavailableException,
            InterruptedException {
        KafkaException last = null;
        // A commit that failed in a way that leaves its outcome open (another writer fencing this one
        // while it committed): the next attempt's fresh producer waits for that transaction to end
        // and its read finds the record if it landed; until then no failure may say it did not.
        boolean uncertain = false;
        // Once a new producer started and the topic was read to its end without the record: no earlier write of it can land.
        boolean earlierNotThere = false;
        for (int attempt = 0; attempt < FENCED_RETRIES; attempt++) {
            boolean committing = false;
            try {
                boolean fresh = producer == null;
                if (fresh) {
                    producer = producers.make(producerConfig);
                    producer.initTransactions();
                }
                readToEnd();
                Long there = idOffsets.get(record.id());
                if (there != null) {
                    return new Written(there, true);
                }
                earlierNotThere |= fresh;
                ControlRecord.Change stale = null;
                for (ControlRecord.Change c : record.changes()) {
                    if (c.version() != versions.getOrDefault(c.key(), 0L) + 1) {
                        stale = c;
                        break;
                    }
                }
                if (stale != null && !fresh) {
                    // Another writer may have committed moments ago, its markers not yet on the
                    // partition, so this read may be behind. Then this producer is fenced, and a new
                    // one waits for that transaction to complete: check again with it.
                    closeProducer();
                    continue;
                }
                if (stale != null) {
                    throw new ConflictException(stale.key(), versions.getOrDefault(stale.key(), 0L), stale.version());
                }
                ProducerRecord<String, byte[]> out = new ProducerRecord<>(topic, 0, record.issuedAtMillis(),
                        record.kafkaKey(), FleetJson.bytes(record));
                FleetHeaders.put(out.headers(), issuer, record.issuedAtMillis(), ControlRecord.SCHEMA);
                producer.beginTransaction();
                Future<RecordMetadata> sent = producer.send(out);
                committing = true;
                producer.commitTransaction();
                RecordMetadata meta = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                remember(record, meta.offset());
                return new Written(meta.offset(), false);
            } catch (ProducerFencedException | InvalidProducerEpochException | InvalidTxnStateException e) {
                // Another writer started since: start again, fencing it, and check again. Fenced while
                // committing (the coordinator refuses the commit of a transaction it is aborting to fence
                // this producer: InvalidTxnStateException), the record is on the topic only if the commit
                // won; the next attempt's read says which.
                last = e;
                uncertain |= committing;
                closeProducer();
            } catch (KafkaException | ExecutionException | java.util.concurrent.TimeoutException e) {
                closeProducer();
                throw new UnavailableException("control record " + record.id() + (committing ? " not confirmed: " : " not written: ")
                        + e, e, committing || uncertain, earlierNotThere);
            }
        }
        throw new UnavailableException("control record " + record.id() + (uncertain ? " not confirmed: " : " not written: ")
                + FENCED_RETRIES + " writers contended in a row", last, uncertain, earlierNotThere);
    }

    /** The version of {@code key} as of the last write or read (0 when unknown). */
    public synchronized long version(String key) {
        return versions.getOrDefault(key, 0L);
    }

    private void readToEnd() {
        if (!positioned) {
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            positioned = true;
        }
        long end = reader.endOffsets(List.of(partition), timeout).get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reader.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException("reading the control topic to offset " + end);
            }
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                if (!ControlRecord.SCHEMA.equals(FleetHeaders.text(r.headers(), FleetHeaders.SCHEMA))) {
                    continue;
                }
                try {
                    remember(FleetJson.read(r.value(), ControlRecord.class), r.offset());
                } catch (IllegalArgumentException e) {
                    // The appliers count and log it; a writer only needs the versions.
                }
            }
        }
    }

    private void remember(ControlRecord record, long offset) {
        idOffsets.putIfAbsent(record.id(), offset);
        for (ControlRecord.Change c : record.changes()) {
            versions.merge(c.key(), c.version(), Math::max);
        }
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException ignored) {
                // Closing a fenced producer may complain; it is gone either way.
            }
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        closeProducer();
        reader.close(FleetKafka.CLOSING);
    }
}
