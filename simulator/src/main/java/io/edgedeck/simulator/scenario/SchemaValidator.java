package io.edgedeck.simulator.scenario;

import io.edgedeck.simulator.server.http.PeerValues;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a document against the published scenario schema, so the schema people validate against
 * in their editors and the parser's rules are one and the same. It interprets the subset of JSON
 * Schema 2020-12 the scenario schema uses ($ref, type, const, enum, properties, required,
 * additionalProperties, items, min/maxItems, uniqueItems, min/maxLength, pattern, the numeric
 * bounds, multipleOf, min/maxProperties, allOf and if/then), reports every failure rather than the
 * first, and fills in {@code default}s for absent properties.
 *
 * <p>A keyword this class does not enforce would be silently ignored, so the schema would promise
 * what the parser does not check. Loading a schema therefore fails, naming the keyword and where it
 * is, on any keyword outside {@link #ENFORCED} and {@link #ANNOTATIONS}.
 *
 * <p>About 400 lines, on purpose: one job, an interpreter of that subset, one case per keyword.
 */
final class SchemaValidator {
    static final String RESOURCE = "/io/edgedeck/simulator/scenario/scenario.schema.json";
    static final String NODE_CONFIG_RESOURCE = "/io/edgedeck/simulator/scenario/node-config.schema.json";
    static final String CONNECTORS_RESOURCE = "/io/edgedeck/simulator/scenario/connectors.schema.json";
    /** How the node configuration schema refers to the scenario schema's definitions (relative to its {@code $id}). */
    private static final String SCENARIO_REF = "scenario-v1.json#";
    /** How the node configuration schema refers to the connectors schema (relative to its {@code $id}). */
    private static final String CONNECTORS_REF = "connectors-v1.json";
    /** Where the connectors schema sits once copied into the node configuration schema. */
    private static final String CONNECTORS_DEF = "connectors";

    private final JsonNode schema;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    /** The keywords {@link #check} enforces. */
    static final java.util.Set<String> ENFORCED = java.util.Set.of("$ref", "type", "const", "enum", "properties",
            "required", "additionalProperties", "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength",
            "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minProperties",
            "maxProperties", "allOf", "if", "then");
    /** Keywords that only describe or name; they constrain nothing ({@code default} is filled in). */
    static final java.util.Set<String> ANNOTATIONS = java.util.Set.of("$schema", "$id", "$defs", "$comment", "title",
            "description", "default", "examples", "deprecated");

    private static final SchemaValidator INSTANCE = new SchemaValidator(loadSchema());

    /** The connectors validator, loaded when first used: a rehearsal reads no node configuration. */
    private static final class Connectors {
        static final SchemaValidator VALIDATOR = new SchemaValidator(load(CONNECTORS_RESOURCE));
    }

    /** The node configuration validator, built when first used: a rehearsal reads no node configuration. */
    private static final class NodeConfigs {
        static final SchemaValidator VALIDATOR = new SchemaValidator(nodeConfigSchema(INSTANCE.schema, Connectors.VALIDATOR.schema));
    }

    SchemaValidator(JsonNode schema) {
        requireEnforced(schema, "#");
        this.schema = schema;
    }

    /** A JSON Pointer reference token (RFC 6901): "~" and "/" escaped. */
    private static String escaped(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /**
     * Walks every subschema of {@code rule} and fails on a keyword that is neither enforced nor an
     * annotation.
     */
    static void requireEnforced(JsonNode rule, String pointer) {
        if (rule.isBoolean()) {
            return;
        }
        if (!rule.isObject()) {
            throw new IllegalStateException("the schema at " + pointer + " is neither an object nor a boolean");
        }
        for (var field : rule.properties()) {
            String keyword = field.getKey();
            String at = pointer + "/" + escaped(keyword);
            if (!ENFORCED.contains(keyword) && !ANNOTATIONS.contains(keyword)) {
                throw new IllegalStateException("the schema uses '" + keyword + "' at " + at
                        + ", which the validator does not enforce; enforce it in SchemaValidator or remove it");
            }
            JsonNode value = field.getValue();
            switch (keyword) {
                case "properties", "$defs" -> value.properties().forEach(p ->
                        requireEnforced(p.getValue(), at + "/" + escaped(p.getKey())));
                case "items", "if", "then" -> requireEnforced(value, at);
                case "additionalProperties" -> {
                    if (value.isObject()) {
                        requireEnforced(value, at);
                    }
                }
                case "allOf" -> {
                    for (int i = 0; i < value.size(); i++) {
                        requireEnforced(value.get(i), at + "/" + i);
                    }
                }
                default -> { }
            }
        }
    }

    static SchemaValidator instance() {
        return INSTANCE;
    }

    /** The validator of live node configurations (their schema shares the scenario schema's flags, triggers and guardrails). */
    static SchemaValidator nodeConfig() {
        return NodeConfigs.VALIDATOR;
    }

    /** The validator of a node configuration's {@code connectors} object on its own ({@code serve --connectors FILE}). */
    static SchemaValidator connectors() {
        return Connectors.VALIDATOR;
    }

    static JsonNode loadSchema() {
        return load(RESOURCE);
    }

    private static JsonNode load(String resource) {
        try (InputStream in = SchemaValidator.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the schema " + resource + " is missing from the classpath");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the schema " + resource + " cannot be read", e);
        }
    }

    /**
     * The node configuration schema with the scenario definitions it refers to copied in, so one
     * document answers every {@code $ref}: {@code scenario-v1.json#/$defs/flag} becomes
     * {@code #/$defs/flag}. The published file keeps the reference to the scenario schema.
     */
    static JsonNode nodeConfigSchema(JsonNode scenario, JsonNode connectors) {
        ObjectNode own = (ObjectNode) load(NODE_CONFIG_RESOURCE);
        ObjectNode defs = own.withObject("$defs");
        copyDefinitions(scenario, defs, "scenario");
        // The connectors schema's own references are "#/$defs/..." and stay right once its definitions sit beside ours.
        ObjectNode connectorsRoot = connectors.deepCopy();
        copyDefinitions(connectorsRoot, defs, "connectors");
        for (String annotation : List.of("$schema", "$id", "$defs")) {
            connectorsRoot.remove(annotation);
        }
        if (defs.has(CONNECTORS_DEF)) {
            throw new IllegalStateException("the node configuration schema already defines " + CONNECTORS_DEF);
        }
        defs.set(CONNECTORS_DEF, connectorsRoot);
        relink(own);
        return own;
    }

    private static void copyDefinitions(JsonNode from, ObjectNode into, String what) {
        from.get("$defs").properties().forEach(d -> {
            if (into.has(d.getKey())) {
                throw new IllegalStateException("the node configuration schema redefines the " + what + " definition " + d.getKey());
            }
            into.set(d.getKey(), d.getValue().deepCopy());
        });
    }

    private static void relink(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("$ref")) {
            String ref = object.get("$ref").asText();
            if (ref.startsWith(SCENARIO_REF)) {
                object.put("$ref", "#" + ref.substring(SCENARIO_REF.length()));
            } else if (ref.equals(CONNECTORS_REF) || ref.equals(CONNECTORS_REF + "#")) {
                object.put("$ref", "#/$defs/" + CONNECTORS_DEF);
            }
        }
        node.forEach(SchemaValidator::relink);
    }

    /** Reports every schema violation under {@code document} and fills defaults into it. */
    void validate(JsonNode document, ErrorCollector errors) {
        validate(document, JsonPaths.ROOT, errors);
    }

    /** As {@link #validate(JsonNode, ErrorCollector)}, for a value found at {@code path} of a larger document. */
    void validate(JsonNode value, String path, ErrorCollector errors) {
        check(value, schema, path, errors::add, true);
    }

    private interface Sink {
        void add(String path, String message);
    }

    private void check(JsonNode value, JsonNode rule, String path, Sink sink, boolean fillDefaults) {
        if (rule.has("$ref")) {
            check(value, resolve(rule.get("$ref").asText()), path, sink, fillDefaults);
        }
        if (rule.has("const") && !sameValue(value, rule.get("const"))) {
            sink.add(path, "must be " + rule.get("const") + ", was " + describe(value));
            return;
        }
        if (rule.has("enum") && !oneOf(value, rule.get("enum"))) {
            sink.add(path, enumMessage(value, rule.get("enum")));
            return;
        }
        if (rule.has("type") && !hasType(value, rule.get("type").asText())) {
            sink.add(path, "must be " + article(rule.get("type").asText()) + ", was " + describe(value));
            return;
        }
        if (value.isNumber()) checkNumber(value, rule, path, sink);
        if (value.isTextual()) checkString(value.asText(), rule, path, sink);
        if (value.isArray()) checkArray(value, rule, path, sink, fillDefaults);
        if (value.isObject()) checkObject((ObjectNode) value, rule, path, sink, fillDefaults);
        if (rule.has("allOf")) {
            for (JsonNode part : rule.get("allOf")) check(value, part, path, sink, fillDefaults);
        }
        if (rule.has("if") && rule.has("then")) {
            List<String> misses = new ArrayList<>();
            check(value, rule.get("if"), path, (p, m) -> misses.add(m), false);
            if (misses.isEmpty()) check(value, rule.get("then"), path, sink, fillDefaults);
        }
    }

    private void checkNumber(JsonNode value, JsonNode rule, String path, Sink sink) {
        BigDecimal v = value.decimalValue();
        boolean low = rule.has("minimum") && v.compareTo(rule.get("minimum").decimalValue()) < 0
                || rule.has("exclusiveMinimum") && v.compareTo(rule.get("exclusiveMinimum").decimalValue()) <= 0;
        boolean high = rule.has("maximum") && v.compareTo(rule.get("maximum").decimalValue()) > 0
                || rule.has("exclusiveMaximum") && v.compareTo(rule.get("exclusiveMaximum").decimalValue()) >= 0;
        if (low || high) {
            sink.add(path, "must be " + range(rule) + ", was " + plain(v));
            return;
        }
        if (rule.has("multipleOf")) {
            BigDecimal step = rule.get("multipleOf").decimalValue();
            if (v.remainder(step).signum() != 0) {
                sink.add(path, "must be a multiple of " + plain(step) + " (at most " + Math.max(0, step.stripTrailingZeros().scale())
                        + " decimals), was " + plain(v));
            }
        }
    }

    private static String range(JsonNode rule) {
        String lo = rule.has("minimum") ? plain(rule.get("minimum").decimalValue()) : null;
        String hi = rule.has("maximum") ? plain(rule.get("maximum").decimalValue()) : null;
        if (lo != null && hi != null) return "between " + lo + " and " + hi;
        List<String> parts = new ArrayList<>();
        if (lo != null) parts.add("at least " + lo);
        if (rule.has("exclusiveMinimum")) parts.add("greater than " + plain(rule.get("exclusiveMinimum").decimalValue()));
        if (hi != null) parts.add("at most " + hi);
        if (rule.has("exclusiveMaximum")) parts.add("less than " + plain(rule.get("exclusiveMaximum").decimalValue()));
        return String.join(" and ", parts);
    }

    private void checkString(String text, JsonNode rule, String path, Sink sink) {
        int length = text.codePointCount(0, text.length());
        if (rule.has("minLength") && length < rule.get("minLength").asInt()) {
            sink.add(path, "must have at least " + rule.get("minLength").asInt() + " characters, has " + length);
        } else if (rule.has("maxLength") && length > rule.get("maxLength").asInt()) {
            sink.add(path, "must have at most " + rule.get("maxLength").asInt() + " characters, has " + length);
        } else if (rule.has("pattern") && !pattern(rule.get("pattern").asText()).matcher(text).find()) {
            String what = rule.has("description") ? rule.get("description").asText()
                    : "a string matching " + rule.get("pattern").asText();
            sink.add(path, "must be " + what + "; was " + PeerValues.quoted(text));
        }
    }

    private void checkArray(JsonNode array, JsonNode rule, String path, Sink sink, boolean fillDefaults) {
        int size = array.size();
        int min = rule.path("minItems").asInt(0);
        int max = rule.path("maxItems").asInt(Integer.MAX_VALUE);
        if (size < min || size > max) {
            String bound = max == Integer.MAX_VALUE ? "at least " + min
                    : min == 0 ? "at most " + max : "between " + min + " and " + max;
            sink.add(path, "must have " + bound + " items, has " + size);
        }
        if (rule.path("uniqueItems").asBoolean(false)) {
            Map<JsonNode, Integer> seen = new HashMap<>();
            for (int i = 0; i < size; i++) {
                Integer first = seen.putIfAbsent(array.get(i), i);
                if (first != null) {
                    sink.add(JsonPaths.index(path, i), "repeats " + array.get(i) + " (already at index " + first + ")");
                }
            }
        }
        if (rule.has("items")) {
            for (int i = 0; i < size; i++) check(array.get(i), rule.get("items"), JsonPaths.index(path, i), sink, fillDefaults);
        }
    }

    private void checkObject(ObjectNode object, JsonNode rule, String path, Sink sink, boolean fillDefaults) {
        JsonNode properties = rule.path("properties");
        for (JsonNode required : rule.path("required")) {
            if (!object.has(required.asText())) {
                sink.add(JsonPaths.field(path, required.asText()), "required field is missing");
            }
        }
        if (rule.has("minProperties") && object.size() < rule.get("minProperties").asInt()) {
            sink.add(path, "must have at least " + rule.get("minProperties").asInt() + " entries, has " + object.size());
        }
        if (rule.has("maxProperties") && object.size() > rule.get("maxProperties").asInt()) {
            sink.add(path, "must have at most " + rule.get("maxProperties").asInt() + " entries, has " + object.size());
        }
        JsonNode additional = rule.get("additionalProperties");
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String child = JsonPaths.field(path, field.getKey());
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), child, sink, fillDefaults);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                List<String> known = new ArrayList<>();
                properties.fieldNames().forEachRemaining(known::add);
                sink.add(child, "unknown field '" + field.getKey() + "'" + Suggestions.closest(field.getKey(), known)
                        .map(c -> "; did you mean '" + c + "'?")
                        .orElse("; expected one of " + String.join(", ", known)));
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, child, sink, fillDefaults);
            }
        }
        if (fillDefaults) {
            properties.properties().forEach(p -> {
                if (!object.has(p.getKey()) && p.getValue().has("default")) {
                    object.set(p.getKey(), p.getValue().get("default").deepCopy());
                }
            });
        }
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) throw new IllegalStateException("a schema may only refer to itself, found " + ref);
        JsonNode target = schema.at(ref.substring(1));
        if (target.isMissingNode()) throw new IllegalStateException("the scenario schema refers to a missing " + ref);
        return target;
    }

    private Pattern pattern(String regex) {
        return patterns.computeIfAbsent(regex, Pattern::compile);
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            case "number" -> value.isNumber();
            // JSON Schema counts 2.0 as an integer; so does the binder.
            case "integer" -> value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
            default -> throw new IllegalStateException("the scenario schema uses an unknown type " + type);
        };
    }

    private static boolean sameValue(JsonNode value, JsonNode expected) {
        if (value.isNumber() && expected.isNumber()) return value.decimalValue().compareTo(expected.decimalValue()) == 0;
        return value.equals(expected);
    }

    private static boolean oneOf(JsonNode value, JsonNode options) {
        for (JsonNode option : options) if (sameValue(value, option)) return true;
        return false;
    }

    private static String enumMessage(JsonNode value, JsonNode options) {
        List<String> names = new ArrayList<>();
        options.forEach(o -> names.add(o.asText()));
        String hint = value.isTextual() ? Suggestions.didYouMean(value.asText(), names) : "";
        return "must be one of " + String.join(", ", names) + "; was " + describe(value) + hint;
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            case "boolean" -> "true or false";
            default -> "a " + type;
        };
    }

    static String describe(JsonNode value) {
        if (value.isTextual()) return "a string " + PeerValues.quoted(value.asText());
        if (value.isNumber()) return plain(value.decimalValue());
        if (value.isObject()) return "an object";
        if (value.isArray()) return "an array";
        return value.toString();
    }

    private static String plain(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        // Keep the exponent form for huge or tiny numbers rather than printing thousands of digits.
        return Math.abs(stripped.scale()) > 30 ? stripped.toString() : stripped.toPlainString();
    }
}
