package io.edgedeck.simulator.server.sources;

import io.edgedeck.client.model.SourceStatus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Everything that feeds one node, in one place: each source (a connector, the ingest API, a
 * simulated audience) registers how to read its counters, and {@code GET /api/v1/sources}, /metrics
 * and the console's Sources panel all read them from here. Thread-safe; sources register while the
 * node starts and stay for its life.
 */
public final class SourceRegistry {
    private final List<Supplier<List<SourceStatus>>> sources = new CopyOnWriteArrayList<>();

    /** Adds a source; {@code status} is read from any thread, whenever someone asks, and must not block. */
    public void register(Supplier<SourceStatus> status) {
        sources.add(() -> List.of(status.get()));
    }

    /** Adds a group of sources read together (every connector of a node config), in their order. */
    public void registerAll(Supplier<List<SourceStatus>> statuses) {
        sources.add(statuses);
    }

    /** Every source now, in the order they registered. */
    public List<SourceStatus> statuses() {
        return sources.stream().flatMap(s -> s.get().stream()).toList();
    }
}
