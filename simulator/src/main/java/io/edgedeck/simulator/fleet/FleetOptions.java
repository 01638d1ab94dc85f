package io.edgedeck.simulator.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a node or aggregator finds its fleet: the Kafka cluster, the client settings file (TLS,
 * SASL), the topics' prefix, and the node's id in the fleet (null for the aggregator).
 *
 * @param bootstrap        Kafka's bootstrap servers, {@code host:port[,host:port...]}
 * @param clientProperties a Kafka client properties file read by every client, or null
 * @param topics           the fleet's topics
 * @param nodeId           this node's id, unique in the fleet; null for the aggregator
 */
public record FleetOptions(String bootstrap, Path clientProperties, FleetTopics topics, String nodeId) {

    public FleetOptions {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topics, "topics");
    }

    /** The clients' base settings ({@link FleetKafka#base}). */
    public Map<String, Object> kafkaBase() throws IOException {
        return FleetKafka.base(bootstrap, clientProperties);
    }
}
