package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.Problem;

import java.util.List;
import java.util.Map;

/**
 * The answer to one pushed batch, whichever HTTP server carries it: the status to send, the body
 * (JSON, or {@code application/problem+json} when the batch was refused whole) and, for 503, when to
 * retry. A 200 may still have refused lines: they are counted by reason, and the first few named with
 * their line number, because sending the same lines again would not make them any better.
 *
 * @param status            the HTTP status
 * @param accepted          records the node took and counts now (neither refused nor a repeat)
 * @param duplicates        records the node took that repeat one it already holds (a retry, or an id twice in
 *                          the batch): they count once, with the first
 * @param refused           records refused, all reasons together
 * @param refusedByReason   refused records by reason
 * @param unknownPops       CDN PoP codes the mapping does not name, with their records (those are in {@code refused})
 * @param lines             the first {@value #MAX_LINE_PROBLEMS} refused records with their line (or array index) and why
 * @param problem           why the whole batch was refused; null for 200
 * @param retryAfterSeconds for 503: when the sender may retry the same batch; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushResult(int status, long accepted, long duplicates, long refused, Map<String, Long> refusedByReason,
                         Map<String, Long> unknownPops, List<LineProblem> lines,
                         @JsonIgnore Problem problem, @JsonIgnore Long retryAfterSeconds) {
    public static final int MAX_LINE_PROBLEMS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    public PushResult {
        refusedByReason = Map.copyOf(refusedByReason);
        unknownPops = Map.copyOf(unknownPops);
        lines = List.copyOf(lines);
    }

    /**
     * One refused record.
     *
     * @param line   the 1-based line of the (decompressed) body, or the 1-based element of a JSON array
     * @param reason the reason key, as in {@code refusedByReason}
     * @param detail what was wrong, naming the field
     */
    public record LineProblem(long line, String reason, String detail) {
    }

    /** The whole batch refused: nothing of it was taken. */
    public static PushResult refusedWhole(int status, String reason, String title, String detail, String field,
                                          Long retryAfterSeconds) {
        return new PushResult(status, 0, 0, 0, Map.of(), Map.of(), List.of(),
                new Problem("urn:edgedeck:problem:" + reason, title, status, detail, field), retryAfterSeconds);
    }

    @JsonIgnore
    public String contentType() {
        return problem == null ? "application/json" : Problem.MEDIA_TYPE;
    }

    /** The body to send, UTF-8 JSON. */
    @JsonIgnore
    public byte[] body() {
        try {
            return JSON.writeValueAsBytes(problem == null ? this : problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a push result always serialises", e);
        }
    }
}
