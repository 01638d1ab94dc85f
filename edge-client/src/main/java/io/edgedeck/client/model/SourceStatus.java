package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

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
 * @param unanswered      for a source that asks in rounds (probes): each part whose newest round got no answer at all,
 *                        e.g. {@code iad (tcp)}, empty while every part answered some of its newest round; absent (null)
 *                        for a source that does not ask in rounds and from a node of an earlier version. What the
 *                        Sources panel colours the row by, as the newest error and the newest event alternate while
 *                        one part fails and the others answer
 */
public record SourceStatus(String kind, String name, SourceState state, String why, long events, long duplicates,
                           double eventsPerSecond, long lastEventMillis, List<ErrorCount> errors,
                           Map<String, Long> unknownPops,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<String> unanswered) {
    @JsonCreator
    public SourceStatus {
        errors = errors == null ? List.of() : List.copyOf(errors);
        unknownPops = unknownPops == null ? Map.of() : Map.copyOf(unknownPops);
        unanswered = unanswered == null ? null : List.copyOf(unanswered);
    }

    /** A source that does not ask in rounds. */
    public SourceStatus(String kind, String name, SourceState state, String why, long events, long duplicates,
                        double eventsPerSecond, long lastEventMillis, List<ErrorCount> errors, Map<String, Long> unknownPops) {
        this(kind, name, state, why, events, duplicates, eventsPerSecond, lastEventMillis, errors, unknownPops, null);
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
     * @param overAtMillis  when what the newest occurrence reported was over, epoch ms, at or after
     *                      {@code lastAtMillis}: a batch answered 503 for not being applied in time was applied since,
     *                      or one answered 503 as not taken while the ingest log could not be written, which it can be
     *                      again, so the source is not failing for it; 0 while it is not over, for an error that never is
     *                      (a refusal) and from a node of an earlier version
     */
    public record ErrorCount(String reason, long count, String lastMessage, long lastAtMillis, long overAtMillis) {
        @JsonCreator
        public ErrorCount {
        }

        /** An error that is not known to be over. */
        public ErrorCount(String reason, long count, String lastMessage, long lastAtMillis) {
            this(reason, count, lastMessage, lastAtMillis, 0);
        }

        /** Whether what its newest occurrence reported is over. */
        public boolean over() {
            return overAtMillis >= lastAtMillis && overAtMillis > 0;
        }
    }
}
