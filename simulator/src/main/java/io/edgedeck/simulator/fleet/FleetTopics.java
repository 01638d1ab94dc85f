package io.edgedeck.simulator.fleet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fleet's four topics, their names under one prefix and how they are created (docs/FLEET.md):
 * per-second PoP aggregates and node frames and journal records from every node, and the one
 * compacted control topic every node applies in order.
 *
 * @param prefix            put before every name, e.g. {@code edgedeck.} or {@code show-42.}
 * @param partitions        partitions of the three data topics (the control topic always has one)
 * @param replicationFactor replicas of every topic: 3 on a real cluster, 1 on a single test broker
 */
public record FleetTopics(String prefix, int partitions, short replicationFactor) {

    public static final String DEFAULT_PREFIX = "edgedeck.";
    /** Kept long enough to rebuild a show's fleet state and investigate it afterwards. */
    public static final Duration AGGREGATE_RETENTION = Duration.ofDays(3);
    /** A node's frames only tell how it is now. */
    public static final Duration FRAME_RETENTION = Duration.ofHours(1);
    /** The fleet-wide audit trail; every node also keeps its own journal. */
    public static final Duration JOURNAL_RETENTION = Duration.ofDays(30);

    public FleetTopics {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("topic prefix: letters, digits, '.', '_' and '-' only, got " + prefix);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor: at least 1, got " + replicationFactor);
        }
    }

    /** Per node, per PoP, per second: {@link PopSecond} records keyed by PoP. */
    public String aggregates() {
        return prefix + "pop-seconds";
    }

    /** Each node's status and latest metrics frame, once a second, keyed by node. */
    public String frames() {
        return prefix + "node-frames";
    }

    /** Each node's journal records, keyed by node. */
    public String journal() {
        return prefix + "journal";
    }

    /** Flag states, kills, rollbacks, guardrail arming and playbooks: one partition, compacted. */
    public String control() {
        return prefix + "control";
    }

    /** The topics with their settings, as an administrator would create them. */
    public List<NewTopic> newTopics() {
        String minIsr = Integer.toString(Math.min(2, replicationFactor));
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(aggregates(), partitions, replicationFactor).configs(Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(AGGREGATE_RETENTION.toMillis()),
                "min.insync.replicas", minIsr)));
        topics.add(new NewTopic(frames(), partitions, replicationFactor).configs(Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(FRAME_RETENTION.toMillis()),
                "segment.ms", Long.toString(Duration.ofMinutes(10).toMillis()),
                "min.insync.replicas", minIsr)));
        topics.add(new NewTopic(journal(), partitions, replicationFactor).configs(Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(JOURNAL_RETENTION.toMillis()),
                "min.insync.replicas", minIsr)));
        topics.add(new NewTopic(control(), 1, replicationFactor).configs(Map.of(
                "cleanup.policy", "compact",
                "min.insync.replicas", minIsr,
                "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
                "min.cleanable.dirty.ratio", "0.1")));
        return topics;
    }

    /**
     * Creates whichever topics are missing, waits until every partition has a leader, and checks
     * the control topic has exactly one partition (its order is the fleet's order).
     *
     * @throws IllegalStateException when an existing control topic has more than one partition
     * @throws TimeoutException      when the topics are not ready within {@code timeout}
     */
    public void ensure(Admin admin, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (NewTopic topic : newTopics()) {
            try {
                admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        List<String> names = newTopics().stream().map(NewTopic::name).toList();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                TopicDescription control = described.get(control());
                if (control.partitions().size() != 1) {
                    throw new IllegalStateException("control topic " + control() + " has " + control.partitions().size()
                            + " partitions; it must have exactly one, so every node applies changes in one order");
                }
                boolean led = described.values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("fleet topics " + names + " have no leader after " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
