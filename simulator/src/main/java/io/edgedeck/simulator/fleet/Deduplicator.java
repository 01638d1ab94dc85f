package io.edgedeck.simulator.fleet;

import java.util.HashMap;
import java.util.Map;

/**
 * Drops a record a consumer has already seen. A node's publisher numbers what it publishes with
 * one sequence that only grows, and keeps each key's records in that order on their partition
 * (one producer, idempotent; after a failure it sends everything unacknowledged again, in order).
 * So, per topic, node and key, a sequence number not above the highest seen is a copy: the
 * first send of a record sent again, or the second copy of one. Memory: one number per topic, node
 * and key (nodes x PoPs for the aggregates). Not thread-safe: one per consumer thread.
 */
public final class Deduplicator {

    private record Stream(String topic, String node, String key) {
    }

    private final Map<Stream, Long> highest = new HashMap<>();

    /** @return true the first time this node's {@code seq} is seen on this topic and key */
    public boolean firstTime(String topic, String node, String key, long seq) {
        Stream s = new Stream(topic, node, key);
        Long top = highest.get(s);
        if (top != null && seq <= top) {
            return false;
        }
        highest.put(s, seq);
        return true;
    }

    /** The streams tracked. */
    public int size() {
        return highest.size();
    }
}
