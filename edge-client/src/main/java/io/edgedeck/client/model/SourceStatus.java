package io.edgedeck.client.model;

import java.util.List;
import java.util.Map;

/**
 * One source that feeds a node (a connector, the ingest API, a simulated audience), as /metrics,
 * {@code GET /api/v1/sources} and the console's Sources panel show it: an immutable snapshot.
 *
 * @param kind            {@code cdn-logs}, {@code probes}, {@code twitch}, {@code chat-webhook}, {@code obs},
 *                        {@code ingest} or {@code simulator}
 * @param name            the source's name from the node config (unique per kind)
 * @param state           where it is now
 * @param why             what it is doing or why it is not connected, for a person; never a secret
 * @param events          observations handed to the node since the connector started
 * @param duplicates      observations handed to the node that repeated one it already held (a sender's retry of
 *                        a batch, an id twice in one batch, an id that came another way first): taken and counted
 *                        once, with the first, so not in {@code events}
 * @param eventsPerSecond observations per second over the last 10 s
 * @param lastEventMillis when the newest observation was handed over, epoch ms; 0 for never
 * @param errors          every refusal or failure so far, by reason, in the order each reason first occurred
 * @param unknownPops     for CDN logs: PoP codes the mapping does not name, with the requests seen from each;
 *                        empty for other kinds
 */
public record SourceStatus(String kind, String name, SourceState state, String why, long events, long duplicates,
                           double eventsPerSecond, long lastEventMillis, List<ErrorCount> errors,
                           Map<String, Long> unknownPops) {
    public SourceStatus {
        errors = errors == null ? List.of() : List.copyOf(errors);
        unknownPops = unknownPops == null ? Map.of() : Map.copyOf(unknownPops);
    }

    /** Every error of every reason. */
    public long errorTotal() {
        return errors.stream().mapToLong(ErrorCount::count).sum();
    }

    /** The count of one error reason, or 0. */
    public long errorCount(String reason) {
        for (ErrorCount e : errors) {
            if (e.reason().equals(reason)) {
                return e.count();
            }
        }
        return 0;
    }

    /**
     * How often one reason occurred and what the latest occurrence said.
     *
     * @param reason        a short stable key, e.g. {@code malformed-line}, {@code unknown-pop}, {@code bad-secret}
     * @param count         occurrences (lines, probes, messages or requests, as the reason says)
     * @param lastMessage   what the newest occurrence said, naming the field or value at fault
     * @param lastAtMillis  when it happened, epoch ms
     */
    public record ErrorCount(String reason, long count, String lastMessage, long lastAtMillis) {
    }
}
