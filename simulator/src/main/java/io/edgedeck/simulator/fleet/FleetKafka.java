package io.edgedeck.simulator.fleet;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka client settings for the fleet (docs/FLEET.md, "Client settings"). A base map holds what
 * every client shares, the bootstrap servers and the cluster's security settings; producers and
 * consumers add their own on top. Settings in the base map win over these defaults, so a
 * deployment can tune any of them from its client properties file.
 */
public final class FleetKafka {

    private FleetKafka() {
    }

    /**
     * What the Kafka client said when it refused {@code e}'s configuration (a bad {@code --kafka-config}), or null
     * when {@code e} is not the client's. Asked only on a node in a fleet: a class that names the client's exceptions
     * is loaded only where the client is on the class path (the console, which runs rehearsal nodes, leaves it out).
     */
    public static String refusal(Throwable e) {
        return e instanceof org.apache.kafka.common.KafkaException kafka ? kafka.getMessage() : null;
    }

    /**
     * The base settings: {@code bootstrap.servers}, then every line of {@code clientProperties}
     * (security.protocol, sasl.*, ssl.* for a real cluster), if given.
     */
    public static Map<String, Object> base(String bootstrapServers, Path clientProperties) throws IOException {
        Map<String, Object> base = new HashMap<>();
        base.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (clientProperties != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(clientProperties)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> base.put(k, p.getProperty(k)));
        }
        return base;
    }

    /**
     * How long a client stopping with its node may wait for Kafka: a node told to stop stops within seconds whether or not
     * the fleet's Kafka can be reached (what it had not sent stays in its spool, docs/FLEET.md).
     */
    public static final java.time.Duration CLOSING = java.time.Duration.ofSeconds(2);

    /**
     * A node's publishing producer: idempotent, every in-sync replica acknowledges, retried until
     * the delivery timeout; lz4 batches lingering 5 ms.
     */
    public static Map<String, Object> producer(Map<String, Object> base, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        p.putAll(base);
        return p;
    }

    /**
     * A reader of the control topic: as {@link #consumer}, but a fetch the broker holds while no record
     * is there is answered after at most 20 ms rather than the default 500. A read_committed fetch
     * held by the broker was answered only when its wait ran out, not when a commit made a record
     * readable, so with the default every operator's change waited about half a second before any
     * node applied it (docs/FLEET.md, "Figures"). The topic is small; the cost is an empty fetch
     * every 20 ms.
     */
    public static Map<String, Object> controlConsumer(Map<String, Object> base, String clientId) {
        Map<String, Object> c = consumer(Map.of(), clientId);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        c.putAll(base);
        return c;
    }

    /**
     * A reader of fleet topics: committed records only (a control write that was aborted is never
     * seen), no consumer group and no committed offsets: every reader positions itself.
     */
    public static Map<String, Object> consumer(Map<String, Object> base, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        c.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        c.putAll(base);
        return c;
    }
}
