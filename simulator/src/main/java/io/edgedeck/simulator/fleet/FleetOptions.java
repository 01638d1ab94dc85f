package io.edgedeck.simulator.fleet;

import java.io.IOException;
import java.net.URI;
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
 * @param guardrailsByFleet on a node: its guardrails the fleet's aggregator can judge (rollbacks on counts,
 *                          {@link io.edgedeck.engine.guardrails.CountedRule#judgesOnCounts}) are decided there, on
 *                          the whole fleet's evidence; the node shows them but does not fire them itself
 * @param advertise        on a node: the base URL at which the fleet's aggregator reaches its API (it sends the
 *                          OFREP evaluations it takes there); null for the address the node serves on
 * @param controlProducers on a node: what makes its control writer's producer ({@link ControlWriter.Producers#KAFKA}
 *                          unless given; a test gives one that fails as a broker can fail)
 * @param cueWindow        how long a change a cue fired is tried through the fleet, from when the node fired the cue
 *                          ({@link #CUE_WINDOW} unless given); on the aggregator, a cue's answer waits for the nodes'
 *                          changes this long and 4 s more (docs/FLEET.md, "Cues for the whole fleet")
 * @param controlCheck     on a node: how often its reader of the control topic asks the broker for the topic's end, and
 *                          how long it waits for each answer ({@link #CONTROL_CHECK} unless given; a test shortens it)
 */
public record FleetOptions(String bootstrap, Path clientProperties, FleetTopics topics, String nodeId,
                           boolean guardrailsByFleet, URI advertise, ControlWriter.Producers controlProducers,
                           java.time.Duration cueWindow, java.time.Duration controlCheck) {

    /**
     * How long a node tries a cue's change through the fleet unless told otherwise: a cue is a moment of the show, and
     * whoever fired it is answered within seconds whether its changes applied; a change landing long after would change
     * the show unannounced.
     */
    public static final java.time.Duration CUE_WINDOW = java.time.Duration.ofSeconds(5);

    /**
     * How often a node's reader of the control topic asks the broker for the topic's end unless told otherwise, and how
     * long it waits for the answer: while Kafka does not answer, {@code /healthz} says so within about twice this.
     */
    public static final java.time.Duration CONTROL_CHECK = java.time.Duration.ofSeconds(5);

    /** A node that decides its guardrails itself, or the aggregator. */
    public FleetOptions(String bootstrap, Path clientProperties, FleetTopics topics, String nodeId) {
        this(bootstrap, clientProperties, topics, nodeId, false, null, null, null, null);
    }

    /** The same, with the node's guardrails decided by the fleet's aggregator or not. */
    public FleetOptions withGuardrailsByFleet(boolean byFleet) {
        return new FleetOptions(bootstrap, clientProperties, topics, nodeId, byFleet, advertise, controlProducers, cueWindow,
                controlCheck);
    }

    /** The same, with the node reached by the aggregator at {@code url} (null: where it serves). */
    public FleetOptions withAdvertise(URI url) {
        return new FleetOptions(bootstrap, clientProperties, topics, nodeId, guardrailsByFleet, url, controlProducers, cueWindow,
                controlCheck);
    }

    /** The same, with the node's control writer's producers made by {@code producers}. */
    public FleetOptions withControlProducers(ControlWriter.Producers producers) {
        return new FleetOptions(bootstrap, clientProperties, topics, nodeId, guardrailsByFleet, advertise, producers, cueWindow,
                controlCheck);
    }

    /** The same, with a cue's changes tried for {@code window} (null: {@link #CUE_WINDOW}). */
    public FleetOptions withCueWindow(java.time.Duration window) {
        return new FleetOptions(bootstrap, clientProperties, topics, nodeId, guardrailsByFleet, advertise, controlProducers, window,
                controlCheck);
    }

    /** The same, with the node's reader of the control topic asking the broker every {@code check} (null: {@link #CONTROL_CHECK}). */
    public FleetOptions withControlCheck(java.time.Duration check) {
        return new FleetOptions(bootstrap, clientProperties, topics, nodeId, guardrailsByFleet, advertise, controlProducers, cueWindow,
                check);
    }

    public FleetOptions {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topics, "topics");
        controlProducers = controlProducers == null ? ControlWriter.Producers.KAFKA : controlProducers;
        cueWindow = cueWindow == null ? CUE_WINDOW : cueWindow;
        if (cueWindow.isNegative() || cueWindow.isZero()) {
            throw new IllegalArgumentException("cueWindow must be more than 0, was " + cueWindow);
        }
        controlCheck = controlCheck == null ? CONTROL_CHECK : controlCheck;
        if (controlCheck.isNegative() || controlCheck.isZero()) {
            throw new IllegalArgumentException("controlCheck must be more than 0, was " + controlCheck);
        }
    }

    /** The clients' base settings ({@link FleetKafka#base}). */
    public Map<String, Object> kafkaBase() throws IOException {
        return FleetKafka.base(bootstrap, clientProperties);
    }
}
