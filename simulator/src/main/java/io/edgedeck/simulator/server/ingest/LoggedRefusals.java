package io.edgedeck.simulator.server.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The events of a batch refused as they were read, as the ingest log keeps them beside the events
 * that were read, so a node started again counts them as it did when it answered: a line
 * {@code !{"refused":[{"index":1,"id":"k.…","kind":"latency","field":"ms","reason":"must be between 0 and 120000, was 1e400"},{"index":3}]}}
 * and a line break before the events (a JSON array, {@code []} when none was read). Each refused
 * event keeps its place in the batch and what its refusal is known by ({@code refusal}: a key of its id's
 * key, the field and the reason, {@link io.edgedeck.simulator.server.privacy.UnitKeys#refusal}; never the id
 * as sent), so the same event refused again for the same fault within the dedupe window counts once, after
 * a restart as live, and the same id refused for another fault counts again; one refused for a number
 * out of its field's range keeps its kind, field and reason (the number as sent), which the lane's row
 * of that kind names. A line written by an earlier build keeps the key of the id alone ({@code id}): a
 * refusal of it for a number out of range, whose field and reason it keeps, is known as this build knows
 * it ({@link #of(byte[], Earlier)}, {@code LiveIntake.earlier}), and an unreadable one, whose field and reason it does not keep, by
 * the key of the id, as that build knew it; one older still keeps no key: its refusals count as they did. A batch of the ingest API starts with {@code [} or
 * <code>{</code> past white space, and a connector's with {@code @} ({@link Sourced}), so the line is
 * told apart. What the line holds names no one: the retention window's scrub leaves it as it is.
 *
 * @param refused the refused events, in the batch's order, with their index in it and, for {@code id},
 *                what each refusal is known by (null: nothing)
 * @param events  the events that were read, as {@link IngestBatch#readLogged} reads them
 */
record LoggedRefusals(List<IngestBatch.Broken> refused, byte[] events) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NO_EVENTS = {'[', ']'};

    /**
     * {@code events} with the refusals of {@code broken} before them, each with what {@code knownBy} says
     * it is known by (null: nothing kept); {@code events} as they are when none was refused.
     */
    static byte[] write(List<IngestBatch.Broken> broken, byte[] events,
                        java.util.function.Function<IngestBatch.Broken, String> knownBy) {
        if (broken.isEmpty()) {
            return events;
        }
        ObjectNode line = JSON.createObjectNode();
        ArrayNode refused = line.putArray("refused");
        for (IngestBatch.Broken b : broken) {
            ObjectNode r = refused.addObject().put("index", b.index());
            String key = knownBy.apply(b);
            if (key != null) {
                r.put("refusal", key);
            }
            if (b.outOfRange()) {
                r.put("kind", b.kind()).put("field", b.field()).put("reason", b.reason());
            }
        }
        try {
            return Sourced.withLine('!', JSON.writeValueAsBytes(line), events);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("numbers and short texts are always written as JSON", e);
        }
    }

    /**
     * What a refusal of a line written by the build that kept the key of the id alone is known by, from that key and,
     * for one refused for a number out of range, the field and the reason the line keeps with it.
     */
    @FunctionalInterface
    interface Earlier {
        String knownBy(String idKey, String field, String reason);
    }

    /**
     * A logged payload (past its {@link Sourced} line): its refusals, none when it has no such line. A refusal of a
     * line written by the build that kept the key of the id alone is known by what {@code earlier} makes of it when
     * the line keeps its field and reason (one refused for a number out of range), so it is known as this build
     * knows the same event refused again; by the key of the id alone when it does not (an unreadable one).
     */
    static LoggedRefusals of(byte[] payload, Earlier earlier) {
        if (payload.length == 0 || payload[0] != '!') {
            return new LoggedRefusals(List.of(), payload);
        }
        int end = 1;
        while (end < payload.length && payload[end] != '\n') {
            end++;
        }
        List<IngestBatch.Broken> refused = new ArrayList<>();
        try {
            for (JsonNode r : JSON.readTree(payload, 1, end - 1).path("refused")) {
                int index = r.path("index").asInt(-1);
                if (index < 0) {
                    continue;
                }
                String kind = r.path("kind").isTextual() ? r.get("kind").asText() : null;
                boolean outOfRange = kind != null && IngestCounters.index(kind) >= 0;
                String field = r.path("field").asText();
                String reason = r.path("reason").asText();
                String id = r.path("refusal").isTextual() ? r.get("refusal").asText()
                        : !r.path("id").isTextual() ? null
                        : outOfRange ? earlier.knownBy(r.get("id").asText(), field, reason) : r.get("id").asText();
                refused.add(outOfRange
                        ? new IngestBatch.Broken(index, id, field, reason, kind)
                        : new IngestBatch.Broken(index, id, "json", "could not be read"));
            }
        } catch (IOException unreadable) {
            // Not a line this node wrote: the payload is read as events, which refuses what is not.
            return new LoggedRefusals(List.of(), payload);
        }
        byte[] events = Arrays.copyOfRange(payload, Math.min(end + 1, payload.length), payload.length);
        return new LoggedRefusals(List.copyOf(refused), events);
    }

    /** Whether the record holds events that were read besides its refusals (the line's {@code []} holds none). */
    boolean holdsEvents() {
        byte[] stripped = strip(events);
        return stripped.length > 0 && !Arrays.equals(stripped, NO_EVENTS);
    }

    private static byte[] strip(byte[] bytes) {
        int s = 0;
        int e = bytes.length;
        while (s < e && Character.isWhitespace(bytes[s])) s++;
        while (e > s && Character.isWhitespace(bytes[e - 1])) e--;
        return Arrays.copyOfRange(bytes, s, e);
    }

    /**
     * The batch's entries in its order: the refused ones in their places, and {@code read} (the events
     * that were read, as {@link IngestBatch#readLogged} read them from {@link #events}) in the places
     * left, in their order.
     */
    List<IngestBatch.Entry> entries(List<IngestBatch.Entry> read) {
        if (refused.isEmpty()) {
            return read;
        }
        List<IngestBatch.Entry> out = new ArrayList<>(refused.size() + read.size());
        int r = 0;
        int e = 0;
        while (r < refused.size() || e < read.size()) {
            if (r < refused.size() && (refused.get(r).index() <= out.size() || e >= read.size())) {
                out.add(refused.get(r++));
            } else {
                out.add(read.get(e++));
            }
        }
        return out;
    }
}
