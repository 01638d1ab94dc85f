package io.edgedeck.client.ingest;

import java.util.List;

/**
 * What feeds a live node, per kind of observation: how many it took and refused, how fast they
 * arrive, and when the last one came. Read from {@code GET /api/v1/ingest/stats} (admin token or
 * read key) and from a node in the same process; the console's Sources panel shows it.
 *
 * @param atEpochMillis when these counts were read
 * @param kinds         one entry per kind, in the order {@code exposure}, {@code conversion},
 *                      {@code latency}, {@code chat}, {@code checkout}
 * @param duplicates    events that arrived again within the dedupe window and were counted once
 * @param unreadable    events refused as they were read: not JSON, no or an unknown {@code type}, a field of the
 *                      wrong JSON type or sent twice, a number of more than 64 digits (one refused for a number
 *                      out of its field's range, {@code 1e400} as {@code -5}, counts in its kind's {@code refused})
 * @param notAppliedInTimeBatches   batches answered 503 since the node started because they were not applied within
 *                                  its action timeout: each still counts once applied
 * @param notTakenBatches           batches answered 503 since the node started because the ingest log or the journal
 *                                  could not be written: nothing of them counts until sent again
 * @param checkoutsNotAppliedInTime one-click checkouts answered 503 since the node started for the first cause
 * @param checkoutsNotTaken         one-click checkouts answered 503 since the node started for the second
 *                                  (each of these four 0 from a node of an earlier version, which did not say)
 * @param heldRefusedBatches        batches refused since the node started because the batches it holds not yet applied
 *                                  would pass {@code ingest.maxHeldBytes}, nothing of them taken (503; 400 for one no
 *                                  event of which could be read); 0 from a node of an earlier version
 */
public record IngestStats(long atEpochMillis, List<Kind> kinds, long duplicates, long unreadable,
                          long notAppliedInTimeBatches, long notTakenBatches, long checkoutsNotAppliedInTime,
                          long checkoutsNotTaken, long heldRefusedBatches) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public IngestStats {
        kinds = List.copyOf(kinds);
    }

    /** Counts with no batch or checkout answered 503. */
    public IngestStats(long atEpochMillis, List<Kind> kinds, long duplicates, long unreadable) {
        this(atEpochMillis, kinds, duplicates, unreadable, 0, 0, 0, 0, 0);
    }

    /**
     * One kind of observation.
     *
     * @param kind                the {@code type} on the wire, e.g. {@code latency}
     * @param accepted            counted since the node started (events replayed from its ingest log included)
     * @param refused             refused since the node started, for any reason
     * @param eventsPerSecond     accepted in the last whole second
     * @param lastSeenEpochMillis when the last one was accepted, or 0 for never
     */
    public record Kind(String kind, long accepted, long refused, long eventsPerSecond, long lastSeenEpochMillis) {
    }

    /** The entry for one kind, or null. */
    public Kind kind(String kind) {
        return kinds.stream().filter(k -> k.kind().equals(kind)).findFirst().orElse(null);
    }
}
