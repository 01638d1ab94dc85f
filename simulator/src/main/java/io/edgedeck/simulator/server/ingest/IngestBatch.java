package io.edgedeck.simulator.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.ingest.KeyedIntake;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.PeerValues;
import io.edgedeck.simulator.scenario.Surrogates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a batch of ingest events: a JSON array of event objects, or NDJSON (one object per line).
 * Each event is read field by field with a streaming parser (no tree per event); a field of the
 * wrong JSON type, a number of more than {@link #MAX_NUMBER} digits or a string of more than {@link #MAX_STRING}
 * characters in a field the node reads, objects and lists nested deeper than {@link #MAX_DEPTH} levels, a field
 * name of more than {@link PeerValues#MAX_NAME_CHARS} characters, an unknown {@code type}, or (in
 * NDJSON) a line that is not JSON refuses that event alone, named by its index and field. A JSON array that is not JSON refuses the batch: past
 * a syntax error there is no telling where the next event starts. Fields the node does not know
 * are skipped, so sources may send more than the node reads. Thread-safe.
 */
public final class IngestBatch {
    /** The longest string an event may hold, in characters. */
    static final int MAX_STRING = PeerValues.MAX_STRING;
    /**
     * How deep objects and lists may nest in an event, the event's own object included: the same in a JSON array
     * as in NDJSON (the array's own level is not the event's).
     */
    static final int MAX_DEPTH = 16;
    /**
     * The most digits a number of a field the node reads may have. Checked by the reader, field by field, so
     * a longer one, or a longer string than {@link #MAX_STRING}, refuses its event alone ({@link PeerValues});
     * the parser itself only keeps such a value as text (never converts a number), so it holds no limit of its
     * own on them: the batch's size bounds them.
     */
    static final int MAX_NUMBER = PeerValues.MAX_DIGITS;
    // Handlers run on virtual threads, so Jackson's default per-thread buffer recycling would make
    // fresh buffers for every request: a shared pool keeps them.
    // The parser's own limits are far past an event's (PeerValues.parserLimits), so it stops inside an event, where
    // the next one cannot be found, only past them: the reader refuses an event past MAX_DEPTH, or holding a field
    // name of more than PeerValues.MAX_NAME_CHARS characters, alone.
    // Never parsed with: each batch is read by its own copy (PeerValues.namesOfOneRequest), so the names a peer
    // sends are forgotten with its request.
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .streamReadConstraints(PeerValues.parserLimits())
            .errorReportConfiguration(PeerValues.errorReports())
            .build();
    /** What nests, as a refusal names it. */
    private static final String NESTS = "objects and lists";
    private static final List<String> TYPES = List.of("exposure", "conversion", "latency", "chat", "checkout", "step");
    /** The fields an event may hold, each once: a bit each, to find one sent twice. */
    private static final Map<String, Integer> FIELD_BITS;
    /** The fields that take a number. */
    private static final java.util.Set<String> NUMBER_FIELDS = java.util.Set.of("at", "value", "ms", "validateMs", "enrichMs",
            "actMs", "status");

    static {
        List<String> fields = List.of("type", "id", "flag", "variant", "targetingKey", "pop", "name", "source", "text",
                "channel", "user", "checkoutId", "state", "at", "value", "ms", "validateMs", "enrichMs", "actMs", "lost",
                "status", "emotes");
        Map<String, Integer> bits = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            bits.put(fields.get(i), i);
        }
        FIELD_BITS = Map.copyOf(bits);
    }

    private IngestBatch() {
    }

    /** One event of a batch, by its place in it (0-based). */
    public sealed interface Entry {
        int index();
    }

    /** An event read whole; whether it counts is the core's to say. */
    public record Read(int index, IngestEvent event) implements Entry {
    }

    /**
     * An event refused while reading it. {@code kind}: its {@code type}, for an event of a known type refused
     * for a number out of its field's range (a number too large for a double, or of more than {@link #MAX_NUMBER}
     * digits in a field that takes a number), which the core would refuse
     * as it does any other and which counts as that kind's refusal; null for one refused for its shape.
     */
    public record Broken(int index, String id, String field, String reason, String kind) implements Entry {
        public Broken(int index, String id, String field, String reason) {
            this(index, id, field, reason, null);
        }

        /** Refused for a number out of its field's range, as the core refuses one: counted as its kind's refusal. */
        public boolean outOfRange() {
            return kind != null;
        }
    }

    /**
     * Reads a batch as sent: a known field sent twice in one event refuses that event.
     *
     * @throws ApiException 400 when the body is neither a JSON array nor NDJSON, or holds no event
     */
    public static List<Entry> read(byte[] body) {
        return read(body, true);
    }

    /**
     * Reads a batch as the ingest log holds it. This version logs a batch as it came only when every
     * event of it was read, so the two reads agree on it; a batch logged by an earlier version may
     * hold an event that sent a field twice, which that version took with the last value, and it is
     * read the same way here, so a restart counts what that version acknowledged.
     */
    public static List<Entry> readLogged(byte[] body) {
        return read(body, false);
    }

    private static List<Entry> read(byte[] body, boolean strict) {
        // A UTF-8 byte order mark (what .NET and PowerShell write first) is not the batch's first character;
        // the parser skips it, in an array as in NDJSON.
        int start = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF ? 3 : 0;
        while (start < body.length && Character.isWhitespace(body[start])) {
            start++;
        }
        if (start == body.length) {
            throw ApiException.invalid("body", "the batch is empty: send a JSON array of events, or one JSON event per line");
        }
        JsonFactory json = PeerValues.namesOfOneRequest(JSON);
        List<Entry> out = body[start] == '[' ? array(json, body, strict) : lines(json, body, strict);
        if (out.isEmpty()) {
            throw ApiException.invalid("body", "the batch holds no event");
        }
        return out;
    }

    private static List<Entry> array(JsonFactory json, byte[] body, boolean strict) {
        List<Entry> out = new ArrayList<>();
        try (JsonParser p = json.createParser(body)) {
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw ApiException.invalid("body", "the JSON array of events ends early, after " + out.size()
                            + " events; nothing of the batch was taken");
                }
                out.add(t == JsonToken.START_OBJECT ? event(p, out.size(), strict)
                        : skip(p, new Broken(out.size(), null, "type", "an event is a JSON object, this is " + describe(t))));
            }
            if (p.nextToken() != null) {
                throw ApiException.invalid("body", "there is more after the JSON array of events");
            }
        } catch (StreamConstraintsException e) {
            throw ApiException.invalid("[" + out.size() + "]", "event index " + out.size() + " " + PeerValues.overParserLimit(e)
                    + "; nothing of the batch was taken");
        } catch (JsonProcessingException e) {
            if (strict && JsonBodies.unpairedInName(e)) {
                throw unpairedName(new String(body, StandardCharsets.UTF_8), "", out.size());
            }
            JsonLocation at = e.getLocation();
            throw ApiException.invalid("[" + out.size() + "]", "the batch is not valid JSON at event index " + out.size()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": "
                    + PeerValues.readError(e.getOriginalMessage()) + "; nothing of the batch was taken");
        } catch (IOException e) {
            throw ApiException.invalid("body", "the batch could not be read: " + e.getMessage());
        }
        return out;
    }

    /**
     * NDJSON: read with one parser over the whole body while every line holds one whole object
     * (the common case, and the fast one); at the first line that does not, read line by line, so
     * that line alone is refused.
     */
    private static List<Entry> lines(JsonFactory json, byte[] body, boolean strict) {
        List<Entry> out = new ArrayList<>();
        try (JsonParser p = json.createParser(body)) {
            int lastLine = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT || line <= lastLine) {
                    return linesOneByOne(json, body, strict);
                }
                lastLine = line;
                Entry entry = event(p, out.size(), strict);
                if (p.currentLocation().getLineNr() != line) {
                    return linesOneByOne(json, body, strict);
                }
                out.add(entry);
            }
            return out;
        } catch (IOException e) {
            return linesOneByOne(json, body, strict);
        }
    }

    private static List<Entry> linesOneByOne(JsonFactory json, byte[] body, boolean strict) {
        List<Entry> out = new ArrayList<>();
        int from = 0;
        while (from < body.length) {
            int to = from;
            while (to < body.length && body[to] != '\n') {
                to++;
            }
            int s = from;
            int e = to;
            while (s < e && Character.isWhitespace(body[s])) s++;
            while (e > s && Character.isWhitespace(body[e - 1])) e--;
            if (s < e) {
                out.add(line(json, body, s, e - s, out.size(), strict));
            }
            from = to + 1;
        }
        return out;
    }

    private static Entry line(JsonFactory json, byte[] body, int offset, int length, int index, boolean strict) {
        try (JsonParser p = json.createParser(body, offset, length)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                return new Broken(index, null, "type", "an event is a JSON object, this line is " + describe(t));
            }
            Entry entry = event(p, index, strict);
            if (p.nextToken() != null) {
                return new Broken(index, entry instanceof Read r ? r.event().id() : null, "type",
                        "a line holds one JSON object; there is more after it");
            }
            return entry;
        } catch (StreamConstraintsException e) {
            return new Broken(index, null, "json", "this line " + PeerValues.overParserLimit(e));
        } catch (JsonProcessingException e) {
            if (strict && JsonBodies.unpairedInName(e)) {
                throw unpairedName(new String(body, offset, length, StandardCharsets.UTF_8), "[" + index + "]", index);
            }
            JsonLocation at = e.getLocation();
            return new Broken(index, null, "json", "this line is not valid JSON" + (at == null ? "" : " (column " + at.getColumnNr() + ")")
                    + ": " + PeerValues.readError(e.getOriginalMessage()));
        } catch (IOException e) {
            return new Broken(index, null, "json", "this line could not be read: " + e.getMessage());
        }
    }

    /**
     * Skips the value of a field the node does not read, to its end: what in it puts the event past its bounds
     * ({@code is nested deeper than 16 levels of objects and lists}, {@code holds a field name longer than 50000
     * characters}), said of the field, or null. {@code outside}: the levels around the event's own object (1 in a
     * JSON array, 0 in NDJSON), which are not the event's.
     */
    private static String skipWithin(JsonParser p, int outside) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return null;
        }
        String found = PeerValues.beyond(p, t, p.getParsingContext().getNestingDepth() - outside, MAX_DEPTH, NESTS);
        for (int open = 1; open > 0; ) {
            t = p.nextToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                open++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                open--;
            } else if (t == null) {
                break;
            }
            if (found == null) {
                found = PeerValues.beyond(p, t, p.getParsingContext().getNestingDepth() - outside, MAX_DEPTH, NESTS);
            }
        }
        return found == null ? null : PeerValues.within(found);
    }

    private static Entry skip(JsonParser p, Broken broken) throws IOException {
        p.skipChildren();
        return broken;
    }

    /**
     * The fields of one event object; the parser stands on its START_OBJECT and is left on its
     * END_OBJECT. {@code strict}: a known field sent twice refuses the event; otherwise the last value counts.
     */
    private static Entry event(JsonParser p, int index, boolean strict) throws IOException {
        String type = null, id = null, flag = null, variant = null, targetingKey = null, pop = null, name = null, source = null,
                text = null, channel = null, user = null, checkoutId = null, state = null;
        Long at = null;
        Double value = null, ms = null, validateMs = null, enrichMs = null, actMs = null;
        Boolean lost = null;
        Integer status = null;
        List<String> emotes = null;
        String badField = null;
        String badReason = null;
        // A number out of its field's range is the core's kind of refusal; the rest of the event is still read, and
        // any other problem found in it is the one the event is refused for (an at of 1.5 makes it unreadable).
        String rangeField = null;
        String rangeReason = null;
        long seen = 0;
        // The parser stands on the event's own object, its first level: any level around it is the batch's.
        int outside = p.getParsingContext().getNestingDepth() - 1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (badField != null) {
                // The event is refused already, its bad field's value not taken; its id is still read wherever it stands,
                // within a string's limit, so the refusal names it: an id sent twice is named by its first (this bit is set by
                // the first, before the refused field or after it); one refused itself, or holding half of a surrogate pair,
                // stays unnamed.
                Integer idBit = FIELD_BITS.get("id");
                if (field.equals("id") && (seen & 1L << idBit) == 0) {
                    seen |= 1L << idBit;
                    if (t == JsonToken.VALUE_STRING && PeerValues.tooLong(p, t) == null && Surrogates.problem(p.getText()) == null) {
                        id = p.getText();
                    }
                }
                p.skipChildren();
                continue;
            }
            if (field.length() > PeerValues.MAX_NAME_CHARS) {
                badField = PeerValues.shown(field);
                badReason = PeerValues.NAME_TOO_LONG;
                p.skipChildren();
                continue;
            }
            String problem = null;
            boolean range = false;
            Integer known = FIELD_BITS.get(field);
            if (strict && known != null && (seen & 1L << known) != 0) {
                problem = "is sent twice in the event; send each field once";
            } else if (known != null) {
                seen |= 1L << known;
                // A number's limit is for the fields that take a number, a string's for the rest: a value of the other kind
                // is told what its field takes, below.
                if ((t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) == NUMBER_FIELDS.contains(field)) {
                    problem = PeerValues.tooLong(p, t);
                    // A number of more than MAX_NUMBER digits is out of its field's range, as 1e400 is: the same kind of refusal.
                    range = problem != null && NUMBER_FIELDS.contains(field);
                }
            }
            switch (problem != null ? "" : field) { // a field sent twice, or a number or string too long, is read no further
                case "type" -> { if (t == JsonToken.VALUE_STRING) type = p.getText(); else problem = expected(p, "a string", t); }
                case "id" -> { if (t == JsonToken.VALUE_STRING) id = p.getText(); else problem = expected(p, "a string", t); }
                case "flag" -> { if (isText(t)) flag = text(p, t); else problem = expected(p, "a string", t); }
                case "variant" -> { if (isText(t)) variant = text(p, t); else problem = expected(p, "a string", t); }
                case "targetingKey" -> { if (isText(t)) targetingKey = text(p, t); else problem = expected(p, "a string", t); }
                case "pop" -> { if (isText(t)) pop = text(p, t); else problem = expected(p, "a string", t); }
                case "name" -> { if (isText(t)) name = text(p, t); else problem = expected(p, "a string", t); }
                case "source" -> { if (isText(t)) source = text(p, t); else problem = expected(p, "a string", t); }
                case "text" -> { if (isText(t)) text = text(p, t); else problem = expected(p, "a string", t); }
                case "channel" -> { if (isText(t)) channel = text(p, t); else problem = expected(p, "a string", t); }
                case "user" -> { if (isText(t)) user = text(p, t); else problem = expected(p, "a string", t); }
                case "checkoutId" -> { if (isText(t)) checkoutId = text(p, t); else problem = expected(p, "a string", t); }
                case "state" -> { if (isText(t)) state = text(p, t); else problem = expected(p, "a string", t); }
                case "at" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) at = p.getLongValue();
                    else if (t != JsonToken.VALUE_NULL) problem = expected(p, "a whole number of epoch milliseconds", t);
                }
                case "value" -> { if (!isNumber(t)) problem = expected(p, "a number", t); else if (range = beyondDouble(p, t)) problem = KeyedIntake.outOfRange(field, p.getText()); else value = number(p, t); }
                case "ms" -> { if (!isNumber(t)) problem = expected(p, "a number", t); else if (range = beyondDouble(p, t)) problem = KeyedIntake.outOfRange(field, p.getText()); else ms = number(p, t); }
                case "validateMs" -> { if (!isNumber(t)) problem = expected(p, "a number", t); else if (range = beyondDouble(p, t)) problem = KeyedIntake.outOfRange(field, p.getText()); else validateMs = number(p, t); }
                case "enrichMs" -> { if (!isNumber(t)) problem = expected(p, "a number", t); else if (range = beyondDouble(p, t)) problem = KeyedIntake.outOfRange(field, p.getText()); else enrichMs = number(p, t); }
                case "actMs" -> { if (!isNumber(t)) problem = expected(p, "a number", t); else if (range = beyondDouble(p, t)) problem = KeyedIntake.outOfRange(field, p.getText()); else actMs = number(p, t); }
                case "lost" -> {
                    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) lost = t == JsonToken.VALUE_TRUE;
                    else if (t != JsonToken.VALUE_NULL) problem = expected(p, "true or false", t);
                }
                case "status" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) status = p.getIntValue();
                    else if (t != JsonToken.VALUE_NULL) problem = expected(p, "an HTTP status code", t);
                }
                case "emotes" -> {
                    if (t == JsonToken.START_ARRAY) {
                        emotes = new ArrayList<>();
                        JsonToken e;
                        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (e != JsonToken.VALUE_STRING) {
                                problem = "must be a list of emote names; it holds " + describe(e);
                                p.skipChildren();
                            } else if (PeerValues.tooLong(p, e) != null) {
                                problem = "holds a name of " + p.getTextLength() + " characters; each must be at most "
                                        + MAX_STRING;
                            } else {
                                if (strict) {
                                    refuseUnpaired(index, "emotes[" + emotes.size() + "]", p.getText());
                                }
                                emotes.add(p.getText());
                            }
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        problem = expected(p, "a list of emote names", t);
                    }
                }
                default -> problem = problem != null ? problem : skipWithin(p, outside); // a field the node does not read
            }
            if (problem != null && range) {
                if (rangeField == null) {
                    rangeField = field;
                    rangeReason = problem;
                }
            } else if (problem != null) {
                // The name of a field the node does not read may be as long as MAX_NAME_CHARS: repeated as a value is.
                badField = PeerValues.shown(field);
                badReason = problem;
                p.skipChildren();
            } else if (strict && t == JsonToken.VALUE_STRING && known != null) {
                refuseUnpaired(index, field, p.getText());
            }
        }
        if (badField != null) {
            return new Broken(index, id, badField, badReason);
        }
        if (type == null) {
            return new Broken(index, id, "type", "is required: one of " + String.join(", ", TYPES));
        }
        if (rangeField != null && TYPES.contains(type)) {
            return new Broken(index, id, rangeField, rangeReason, type);
        }
        IngestEvent event = switch (type) {
            case "exposure" -> new IngestEvent.Exposure(id, at, flag, variant, targetingKey, pop);
            case "conversion" -> new IngestEvent.Conversion(id, at, name, targetingKey, value);
            case "latency" -> new IngestEvent.Latency(id, at, pop, ms, lost, status, source, targetingKey);
            case "chat" -> new IngestEvent.Chat(id, at, text, targetingKey, channel, user, emotes);
            case "checkout" -> new IngestEvent.Checkout(id, at, checkoutId, pop, state, validateMs, enrichMs, actMs);
            case "step" -> new IngestEvent.Step(id, at, name, targetingKey);
            default -> null;
        };
        if (event == null) {
            return new Broken(index, id, "type", "unknown type '" + type + "'; one of " + String.join(", ", TYPES));
        }
        return new Read(index, event);
    }

    /**
     * Refuses the whole batch for a text holding half of a UTF-16 surrogate pair ({@link Surrogates}),
     * sent as a JSON escape: it has no UTF-8 form, so it could be neither kept nor keyed as sent, and
     * two ids that differ only there would count as one. A sender that cut a text in the middle of an
     * emoji hears which event, field and character, and nothing of the batch is taken.
     */
    private static void refuseUnpaired(int index, String field, String text) {
        String unpaired = Surrogates.problem(text);
        if (unpaired != null) {
            throw ApiException.invalid("[" + index + "]." + field, "event index " + index + ": " + field + " " + unpaired
                    + "; nothing of the batch was taken");
        }
    }

    /**
     * Refuses the whole batch for a field's name holding half of a UTF-16 surrogate pair, as for a text
     * ({@link #refuseUnpaired}); the byte parser stops inside the name, so the event's text ({@code json},
     * under {@code prefix}: the line's index in NDJSON) is read again as text to name it.
     */
    private static ApiException unpairedName(String json, String prefix, int index) {
        JsonBodies.UnpairedName unpaired = JsonBodies.unpairedFieldName(json);
        if (unpaired == null) {
            return ApiException.invalid("[" + index + "]", "event index " + index
                    + ": a field's name must not contain an unpaired surrogate; nothing of the batch was taken");
        }
        String field = prefix.isEmpty() || unpaired.path().startsWith("[") ? prefix + unpaired.path() : prefix + "." + unpaired.path();
        return ApiException.invalid(field, "event index " + index + ": " + unpaired.problem()
                + "; nothing of the batch was taken");
    }

    private static boolean isText(JsonToken t) {
        return t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NULL;
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static boolean isNumber(JsonToken t) {
        return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NULL;
    }

    /**
     * Whether a number is too large for a double ({@code 1e400}): read as one it would be infinity, and
     * be refused as "Infinity", a value its sender never wrote; it is refused by its range here instead,
     * named by its text as sent.
     */
    private static boolean beyondDouble(JsonParser p, JsonToken t) throws IOException {
        return t != JsonToken.VALUE_NULL && Double.isInfinite(p.getDoubleValue());
    }

    private static Double number(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : p.getDoubleValue();
    }

    /** A wrong value's refusal; a number named as sent ({@code 200.5}), which says more than "a number" and names no one. */
    private static String expected(JsonParser p, String what, JsonToken t) throws IOException {
        return "must be " + what + ", was " + (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                ? PeerValues.shownNumber(p) : describe(t));
    }

    private static String describe(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
