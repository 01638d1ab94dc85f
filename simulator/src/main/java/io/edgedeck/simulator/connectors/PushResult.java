package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final String TYPE = "urn:edgedeck:problem:";
    private static final ObjectMapper JSON = new ObjectMapper();

    public PushResult {
        refusedByReason = Map.copyOf(refusedByReason);
        unknownPops = Map.copyOf(unknownPops);
        lines = List.copyOf(lines);
    }

    /**
     * One refused record, in the manner of a problem detail (RFC 9457): what kind of problem, where, and what.
     *
     * @param line   the 1-based line of the (decompressed) body, or the 1-based element of a JSON array
     * @param field  the record's field at fault as the sender named it ({@code RayID}, {@code edge.pop}), or
     *               {@code body} when the record as a whole is (not JSON, too long)
     * @param reason the reason key, as in {@code refusedByReason}
     * @param detail what was wrong, naming the field
     */
    @JsonPropertyOrder({"line", "type", "reason", "field", "detail"})
    public record LineProblem(long line, String field, String reason, String detail) {
        /** The problem type, as a whole refusal for the same reason would name it. */
        @JsonProperty("type")
        public String type() {
            return TYPE + reason;
        }
    }

    /** The whole batch refused: nothing of it was taken. */
    public static PushResult refusedWhole(int status, String reason, String title, String detail, String field,
                                          Long retryAfterSeconds) {
        return new PushResult(status, 0, 0, 0, Map.of(), Map.of(), List.of(),
                new Problem(TYPE + reason, title, status, detail, field), retryAfterSeconds);
    }

    /** The whole batch refused because no record of it could be read: the problem lists them, as {@code lines}. */
    public static PushResult unreadable(String reason, String detail, String field, List<LineProblem> lines) {
        int status = 400;
        String title = "Bad request";
        return new PushResult(status, 0, 0, 0, Map.of(), Map.of(), lines,
                new Problem(TYPE + reason, title, status, detail, field), null);
    }

    @JsonIgnore
    public String contentType() {
        return problem == null ? "application/json" : Problem.MEDIA_TYPE;
    }

    /** The body to send, UTF-8 JSON. */
    @JsonIgnore
    public byte[] body() {
        try {
            if (problem == null) {
                return JSON.writeValueAsBytes(this);
            }
            if (lines.isEmpty()) {
                return JSON.writeValueAsBytes(problem);
            }
            // RFC 9457 lets a problem carry members of its own: the records that made it.
            ObjectNode body = JSON.valueToTree(problem);
            body.set("lines", JSON.valueToTree(lines));
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a push result always serialises", e);
        }
    }
}
