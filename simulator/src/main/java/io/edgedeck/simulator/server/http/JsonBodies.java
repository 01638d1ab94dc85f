package io.edgedeck.simulator.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.engine.ingest.IngestLimits;
import io.edgedeck.simulator.scenario.Suggestions;
import io.edgedeck.simulator.scenario.Surrogates;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Request bodies as values, and answers as JSON. Strict on purpose: an unknown field, a null or a
 * missing value for a required one, a string where a number belongs, or a fraction where a whole
 * number belongs is a 400 naming the field, never a guess.
 */
public final class JsonBodies {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // A body is one value: what follows it (a second body glued on, a retry appended) is refused, not dropped.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // A field sent twice ({"reason": "a", "reason": "b"}) has no one meaning: refused, not the last one taken.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // A number or true/false where a string belongs is a mistake too, not a string to make of it.
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            // A blank text (" ") where a number or true/false belongs is a wrong type, not a field left
            // out: Jackson would read it as null, so an approval would lack its revision, a rotation its revoke.
            .withCoercionConfigDefaults(c -> c.setAcceptBlankAsEmpty(false))
            .build();

    /** The longest name, key, id, PoP or scope a body may hold: the longest ingest takes ({@link IngestLimits#maxIdChars()}). */
    public static final int MAX_NAME_CHARS = IngestLimits.DEFAULT.maxIdChars();
    /** The longest free text ({@code reason}, {@code description}) a body may hold. */
    public static final int MAX_FREE_TEXT_CHARS = io.edgedeck.client.model.OperatorAction.MAX_REASON_CHARS;
    private static final java.util.Set<String> FREE_TEXT = java.util.Set.of("reason", "description");

    private JsonBodies() {
    }

    /**
     * A request body as a value of {@code type}: a JSON object with the required fields, of the
     * right types, with no unknown ones. Anything else is an {@link ApiException} (400) naming the
     * field; no other exception leaves here, whatever the bytes.
     */
    public static <T> T parse(byte[] body, Class<T> type, String... required) {
        return parse(body, type, List.of(required), Map.of());
    }

    /**
     * Like {@link #parse(byte[], Class, String...)}, with a value for each optional field the
     * body leaves out ({@code defaults}), as the OpenAPI document states it.
     */
    public static <T> T parse(byte[] body, Class<T> type, List<String> required, Map<String, Object> defaults) {
        if (body.length == 0) {
            throw ApiException.invalid("body", "a JSON object is required");
        }
        JsonNode node;
        try {
            node = readOne(MAPPER, body);
        } catch (StreamConstraintsException e) {
            throw ApiException.invalid("body", "the body is " + overLimit(e));
        } catch (JsonProcessingException e) {
            String twice = duplicateField(e);
            if (twice != null) {
                throw ApiException.invalid(twice, duplicateProblem(twice));
            }
            UnpairedName unpaired = unpairedInName(e) ? unpairedFieldName(new String(body, java.nio.charset.StandardCharsets.UTF_8)) : null;
            if (unpaired != null) {
                throw ApiException.invalid(unpaired.path(), unpaired.problem());
            }
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.invalid("body", "malformed JSON" + where + ": " + withoutSource(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiException.invalid("body", "unreadable body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        for (String field : required) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw ApiException.invalid(field, "is required");
            }
        }
        refuseNullsAndControls(node, "");
        defaults.forEach((field, value) -> {
            if (!node.has(field)) {
                ((ObjectNode) node).set(field, MAPPER.valueToTree(value));
            }
        });
        T value;
        try {
            value = MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            String field = path(e.getPath());
            throw ApiException.invalid(field.isEmpty() ? "body" : field,
                    mappingProblem(e, field.isEmpty() ? "body" : field, asSent(body, node, e.getPath())));
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("body", e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("body", e.getMessage());
        }
        // After the mapping, so an unknown or mistyped field is named as that, not for its length.
        refuseLongTexts(node, "", "");
        return value;
    }

    /**
     * The one JSON value {@code body} holds (null when it holds only white space), read by {@code mapper}.
     *
     * @throws TrailingContent when anything but white space follows the value, located where it starts
     * @throws IOException     when the value itself is not JSON
     */
    public static JsonNode readOne(ObjectMapper mapper, byte[] body) throws IOException {
        // A factory of the request's own, so the field names a caller sends are not kept in the shared mapper's name
        // table (or interned) past this request: a read key could otherwise make the node hold its names for good.
        JsonFactory own = PeerValues.namesOfOneRequest(mapper.getFactory());
        own.configure(JsonFactory.Feature.INTERN_FIELD_NAMES, false);
        try (JsonParser p = own.createParser(body)) {
            // Read here, rather than by FAIL_ON_TRAILING_TOKENS, to say what follows and where it starts.
            JsonNode node = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(p);
            int at = node == null ? body.length : Math.toIntExact(p.currentLocation().getByteOffset());
            while (at < body.length && (body[at] == ' ' || body[at] == '\t' || body[at] == '\r' || body[at] == '\n')) {
                at++;
            }
            if (at < body.length) {
                throw new TrailingContent(body, at);
            }
            return node;
        }
    }

    /** Something other than white space after a body's one JSON value; its location is where that starts. */
    public static final class TrailingContent extends JsonProcessingException {
        TrailingContent(byte[] body, int at) {
            super("trailing content after the JSON object; send one object and nothing after it", location(body, at));
        }

        private static com.fasterxml.jackson.core.JsonLocation location(byte[] body, int at) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < at; i++) {
                if (body[i] == '\n') {
                    line++;
                    column = 1;
                } else if ((body[i] & 0xC0) != 0x80) {
                    column++; // a character's first byte: columns count characters, as the reader's do
                }
            }
            return new com.fasterxml.jackson.core.JsonLocation(com.fasterxml.jackson.core.io.ContentReference.unknown(), at, line, column);
        }
    }

    /**
     * The texts of {@code body}, a change as the API's JSON would carry it, checked as every body's are
     * ({@link #refuseNullsAndControls}, {@link #refuseLongTexts}): for a change made without HTTP (a
     * rehearsal's, in process), so it takes exactly what a node would.
     *
     * @throws ApiException 400 naming the field
     */
    public static void checkTexts(Object body) {
        JsonNode node = MAPPER.valueToTree(body);
        refuseNullsAndControls(node, "");
        refuseLongTexts(node, "", "");
    }

    /**
     * Every text of a body is bounded: free text ({@code reason}, {@code description}) at
     * {@value #MAX_FREE_TEXT_CHARS} characters, every other text (a name, key, id, PoP, scope) at
     * {@link #MAX_NAME_CHARS}, the bound ingest puts on the names an app reports, so nothing can be named
     * here that no exposure could name. A longer text is a 400 naming the field.
     */
    private static void refuseLongTexts(JsonNode node, String path, String name) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                refuseLongTexts(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseLongTexts(node.get(i), path + "[" + i + "]", name);
            }
        } else if (node.isTextual()) {
            int length = node.textValue().length();
            boolean free = FREE_TEXT.contains(name);
            int max = free ? MAX_FREE_TEXT_CHARS : MAX_NAME_CHARS;
            if (length > max) {
                throw ApiException.invalid(path.isEmpty() ? "body" : path, "is " + length + " characters long; "
                        + (free ? "a " + name + " is at most " + max + " characters: one line a person reads in the audit and the console"
                        : "a name is at most " + max + " characters, as the ingest API takes it") + "; nothing changed");
            }
        }
    }

    /**
     * A list of this API never holds null (variants, actions, PoPs): a null in one is refused here,
     * named by its place ({@code variants[0]}), before a value is made of the body. Nor does any text
     * hold a control character (a line break or separator, an escape, a bidirectional mark or override): every text of
     * this API is one line a person reads in the console, the audit or a log, where such a character
     * could forge a line or hide what follows it. Nor half of a UTF-16 surrogate pair, in a text or a
     * field's name ({@link Surrogates}): it has no UTF-8 form, so it could be neither kept nor shown as sent.
     */
    private static void refuseNullsAndControls(JsonNode node, String path) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String at = path.isEmpty() ? Surrogates.escaped(field.getKey()) : path + "." + Surrogates.escaped(field.getKey());
                String unpaired = Surrogates.problem(field.getKey());
                if (unpaired != null) {
                    throw ApiException.invalid(at, "the field's name " + unpaired);
                }
                refuseNullsAndControls(field.getValue(), at);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = path + "[" + i + "]";
                if (node.get(i).isNull()) {
                    throw ApiException.invalid(at, "must not be null: each entry of the list is a value");
                }
                refuseNullsAndControls(node.get(i), at);
            }
        } else if (node.isTextual()) {
            String text = node.textValue();
            String unpaired = Surrogates.problem(text);
            if (unpaired != null) {
                throw ApiException.invalid(path.isEmpty() ? "body" : path, unpaired);
            }
            for (int i = 0; i < text.length(); i++) {
                if (io.edgedeck.client.model.OperatorAction.isControl(text.charAt(i))) {
                    throw ApiException.invalid(path.isEmpty() ? "body" : path, String.format(
                            "must not contain control characters (U+%04X at character %d): one line of text", (int) text.charAt(i), i + 1));
                }
            }
        }
    }

    /**
     * What is wrong with one field, in the words of the API rather than of the JSON library: an
     * unknown field with the closest known one, or the kind of value the field takes and the one sent.
     */
    static String mappingProblem(JsonMappingException e, String field, JsonNode sent) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "unknown field '" + field + "'" + Suggestions.closest(u.getPropertyName(), known)
                    .map(c -> "; did you mean '" + c + "'?")
                    .orElse(known.isEmpty() ? "" : "; expected one of " + String.join(", ", known));
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String was = sent == null || sent.isMissingNode() ? "" : ", was " + PeerValues.shown(sent);
            return "wrong type for '" + field + "': must be " + kind(m.getTargetType()) + was;
        }
        return "wrong value for '" + field + "': " + withoutSource(e.getOriginalMessage().lines().findFirst().orElse(""));
    }

    /** The kind of JSON value a Java type is read from, as a person would name it. */
    static String kind(Class<?> type) {
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class
                || type == short.class || type == Short.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return type.isEnum() ? "one of " + enumNames(type) : "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String enumNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            // The name as it is written in JSON, which an enum may spell otherwise than in Java.
            names.add(MAPPER.valueToTree(constant).asText());
        }
        return String.join(", ", names);
    }

    /**
     * The place of a field a JSON object holds twice ({@code reason}, {@code variants[1].name}),
     * when that is what {@code e} refused under {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION};
     * otherwise null.
     */
    public static String duplicateField(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (!(e instanceof StreamReadException s) || m == null || !m.startsWith("Duplicate field '")
                || !(s.getProcessor() instanceof JsonParser p)) {
            return null;
        }
        String path = pathOf(p.getParsingContext());
        return path.isEmpty() ? "body" : path;
    }

    /** Where the parser stands, as the API names a field: {@code variants[1].name}; empty at the top. */
    private static String pathOf(JsonStreamContext at) {
        List<JsonStreamContext> outerFirst = new ArrayList<>();
        for (JsonStreamContext c = at; c != null && !c.inRoot(); c = c.getParent()) {
            outerFirst.addFirst(c);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c : outerFirst) {
            if (c.inArray()) {
                path.append('[').append(c.getCurrentIndex()).append(']');
            } else if (c.getCurrentName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(Surrogates.escaped(c.getCurrentName()));
            }
        }
        return path.toString();
    }

    /**
     * Whether {@code e} is the byte parser's refusal of a field's name holding half of a UTF-16 surrogate
     * pair: the bytes are JSON, and a parser over their text ({@link #unpairedFieldName}) can name it.
     */
    public static boolean unpairedInName(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        return m != null && m.contains("surrogate") && m.contains("in field name");
    }

    /** A field's name that holds half of a surrogate pair: where it is ({@code variants[1].x\\uD800}) and what is wrong. */
    public record UnpairedName(String path, String problem) {
    }

    /**
     * The first field's name in the JSON text {@code json} that holds half of a UTF-16 surrogate pair,
     * named by its path with that half written as its escape; null when there is none or the text is
     * not JSON. For the answer to a body the byte parser refused for it ({@link #unpairedInName}),
     * which stops before it knows the name. The text may be a peer's batch: it is read by a factory of its own,
     * interning nothing, so none of its field names outlives the call ({@link PeerValues#namesOfOneRequest}).
     */
    public static UnpairedName unpairedFieldName(String json) {
        com.fasterxml.jackson.core.JsonFactory once = MAPPER.getFactory().rebuild()
                .disable(com.fasterxml.jackson.core.JsonFactory.Feature.INTERN_FIELD_NAMES).build();
        try (JsonParser p = once.createParser(json)) {
            for (com.fasterxml.jackson.core.JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String problem = Surrogates.problem(p.currentName());
                    if (problem != null) {
                        return new UnpairedName(pathOf(p.getParsingContext()), "the field's name " + problem);
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * What a limit of the JSON reader refused, in the API's words: the library's own message names its
     * classes ({@code StreamReadConstraints.getMaxNestingDepth()}), which tell a caller nothing.
     */
    public static String overLimit(StreamConstraintsException e) {
        StreamReadConstraints limits = MAPPER.getFactory().streamReadConstraints();
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting depth")) {
            return "nested deeper than " + limits.getMaxNestingDepth() + " levels of objects and arrays";
        }
        if (m.contains("Number value length")) {
            return "holding a number longer than " + limits.getMaxNumberLength() + " digits";
        }
        if (m.contains("String value length")) {
            return "holding a text longer than " + limits.getMaxStringLength() + " characters";
        }
        if (m.contains("Name length")) {
            return "holding a field name longer than " + limits.getMaxNameLength() + " characters";
        }
        return "over a limit of the JSON reader";
    }

    /** What a client is told about a field sent twice. */
    public static String duplicateProblem(String field) {
        return "'" + field + "' is sent twice; send each field once";
    }

    /**
     * Jackson's message without its " (... [Source: REDACTED ...])" tail, which tells a caller nothing,
     * nor the names of its own switches ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow",
     * "Feature 'ALLOW_COMMENTS' not enabled", "from `StreamReadConstraints.getMaxNestingDepth()`"),
     * which a caller cannot turn on: NaN, Infinity and comments are simply not JSON.
     */
    public static String withoutSource(String message) {
        String m = String.valueOf(message);
        int marker = m.indexOf(" (start marker at");
        if (marker < 0) {
            marker = m.indexOf(" at [Source:");
        }
        m = marker < 0 ? m : m.substring(0, marker);
        return m.replaceAll(": enable `[^`]*` to allow", ", which is not JSON")
                .replaceAll(" \\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)", "; JSON has no comments")
                .replaceAll(", from `[^`]*`\\)", ")");
    }

    /**
     * The value at Jackson's reference chain as the body wrote it: a number too large for a double
     * ({@code 1e400}) is read again exactly, so the caller is told {@code 1E+400}, not an
     * {@code "Infinity"} that looks like a string they never sent.
     */
    private static JsonNode asSent(byte[] body, JsonNode node, List<JsonMappingException.Reference> refs) {
        JsonNode sent = valueAt(node, refs);
        if (sent == null || !sent.isDouble() || Double.isFinite(sent.doubleValue())) {
            return sent;
        }
        try {
            return valueAt(MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(body), refs);
        } catch (IOException e) {
            return sent; // read once already: cannot happen
        }
    }

    /** The value the body holds at Jackson's reference chain, or null where the chain leaves the tree. */
    static JsonNode valueAt(JsonNode root, List<JsonMappingException.Reference> refs) {
        JsonNode at = root;
        for (JsonMappingException.Reference r : refs) {
            if (at == null) {
                return null;
            }
            at = r.getFieldName() != null ? at.get(r.getFieldName()) : r.getIndex() >= 0 ? at.get(r.getIndex()) : at;
        }
        return at;
    }

    /** Jackson's reference chain as {@code variants[1].weight}. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
