package io.edgedeck.simulator.scenario;

import io.edgedeck.simulator.server.http.PeerValues;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns untrusted bytes into a JSON tree plus the line and column of every value, so that errors
 * found later, on the tree or on the bound records, can still point into the file. Anything that is
 * not a reasonably sized UTF-8 JSON object ends here with one clear error, and so does a text that is
 * not Unicode (an escaped lone surrogate, {@link Surrogates}), named by its path.
 */
final class DocumentReader {
    static final int MAX_BYTES = 5 * 1024 * 1024;
    static final int MAX_DEPTH = 64;
    private static final int MAX_NUMBER_LENGTH = 100;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_BYTES)
                    .maxNameLength(1000)
                    .build())
            .build();

    /** A parsed document: the tree (mutable, so defaults can be filled in) and where each path starts. */
    record Document(ObjectNode root, Map<String, JsonLocation> locations) {
    }

    private final Map<String, JsonLocation> locations = new HashMap<>();
    private final ErrorCollector errors = new ErrorCollector(locations);
    private final JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
    /** The objects and arrays begun and not yet closed, innermost first: what a file that ends too soon leaves open. */
    private final java.util.Deque<Open> open = new java.util.ArrayDeque<>();

    private record Open(String kind, JsonLocation at) {
    }

    private DocumentReader() {
    }

    static Document read(byte[] bytes) {
        return new DocumentReader().parse(bytes);
    }

    static ScenarioValidationException tooLarge(long size) {
        return single(1, 1, "the document is " + size + " bytes; a scenario may be at most " + MAX_BYTES
                + " bytes (5 MB)");
    }

    private Document parse(byte[] bytes) {
        int start = hasUtf8Bom(bytes) ? 3 : 0;
        if (bytes.length > MAX_BYTES) throw tooLarge(bytes.length);
        String text = decodeUtf8(bytes, start);
        if (text.isBlank()) throw single(1, 1, "the document is empty; a scenario is a JSON object");
        JsonNode root;
        try (JsonParser parser = FACTORY.createParser(text)) {
            try {
                if (parser.nextToken() == null) throw single(1, 1, "the document is empty; a scenario is a JSON object");
                JsonLocation first = parser.currentTokenLocation();
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw single(first.getLineNr(), first.getColumnNr(),
                            "a scenario is a JSON object ({ ... }); the document starts with " + describe(parser.currentToken()));
                }
                root = value(parser, JsonPaths.ROOT);
                if (parser.nextToken() != null) {
                    JsonLocation extra = parser.currentTokenLocation();
                    throw single(extra.getLineNr(), extra.getColumnNr(),
                            "unexpected content after the end of the scenario object");
                }
            } catch (StreamConstraintsException e) {
                throw constraintViolation(e, parser.currentLocation());
            } catch (JacksonException e) {
                JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
                // a file that ends too soon: which object or array it leaves open, not the parser's words for it
                if (!(e instanceof com.fasterxml.jackson.core.io.JsonEOFException)
                        && !String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input")) {
                    // in the words an API caller gets: not the parser's own switches, which a file's author cannot turn on
                    throw single(at.getLineNr(), at.getColumnNr(), "not valid JSON: "
                            + io.edgedeck.simulator.server.http.JsonBodies.withoutSource(e.getOriginalMessage()));
                }
                throw single(at.getLineNr(), at.getColumnNr(), open.isEmpty() ? "not valid JSON: the file ends in the middle of a value"
                        : "not valid JSON: the file ends before the " + open.peek().kind() + " that starts at line " + open.peek().at().getLineNr()
                        + ", column " + open.peek().at().getColumnNr() + " is closed");
            }
        } catch (IOException e) {
            // Reading from an in-memory string: only a parser bug gets here.
            throw new IllegalStateException("reading an in-memory document failed", e);
        }
        errors.throwIfAny();
        return new Document((ObjectNode) root, locations);
    }

    private JsonNode value(JsonParser parser, String path) throws IOException {
        locations.putIfAbsent(path, parser.currentTokenLocation());
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                open.push(new Open("object", parser.currentTokenLocation()));
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String child = JsonPaths.field(path, name);
                    JsonLocation at = parser.currentTokenLocation();
                    if (object.has(name)) {
                        errors.add(child, "duplicate field '" + name + "' (first at line "
                                + locations.get(child).getLineNr() + ")");
                    } else {
                        locations.put(child, at);
                    }
                    if (Surrogates.problem(name) != null) {
                        errors.add(child, "the field's name " + Surrogates.problem(name));
                    }
                    parser.nextToken();
                    object.set(name, value(parser, child));
                }
                open.pop();
                yield object;
            }
            case START_ARRAY -> {
                open.push(new Open("array", parser.currentTokenLocation()));
                ArrayNode array = nodes.arrayNode();
                int i = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser, JsonPaths.index(path, i++)));
                }
                open.pop();
                yield array;
            }
            case VALUE_STRING -> {
                String text = parser.getText();
                if (Surrogates.problem(text) != null) {
                    // Read into a flag, a playbook or a reason, it could not be journaled or shown as written.
                    errors.add(path, Surrogates.problem(text));
                }
                yield nodes.textNode(text);
            }
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            // Exact decimals: range and multipleOf checks must see 33.33, not its nearest double.
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(decimal(parser, path));
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IllegalStateException("unexpected token " + parser.currentToken() + " at " + path);
        };
    }

    /**
     * A decimal as written. An exponent too large for any number (1e99999999999) is a mistake in
     * the document, reported at its place, not a failure of the reader.
     */
    private java.math.BigDecimal decimal(JsonParser parser, String path) throws IOException {
        try {
            return parser.getDecimalValue();
        } catch (NumberFormatException e) {
            JsonLocation at = parser.currentTokenLocation();
            throw single(at.getLineNr(), at.getColumnNr(), path + ": the number " + PeerValues.shown(parser.getText())
                    + " is out of any range a scenario can use");
        }
    }

    private static ScenarioValidationException constraintViolation(StreamConstraintsException e, JsonLocation at) {
        String original = e.getOriginalMessage();
        String message;
        if (original.contains("nesting depth")) {
            message = "nested deeper than " + MAX_DEPTH + " levels; a scenario needs far fewer";
        } else if (original.contains("Number value length")) {
            message = "a number longer than " + MAX_NUMBER_LENGTH + " characters";
        } else {
            message = "the document is too large: " + original.replaceAll(" \\(from `.*`\\)", "");
        }
        return single(at.getLineNr(), at.getColumnNr(), message);
    }

    private static String decodeUtf8(byte[] bytes, int start) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw single(line, offset - lineStart + 1, String.format(
                    "not UTF-8 text: byte 0x%02x at offset %d cannot start or continue a character; a scenario is a UTF-8 JSON file",
                    bytes[offset] & 0xff, offset));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static boolean hasUtf8Bom(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static ScenarioValidationException single(int line, int column, String message) {
        return new ScenarioValidationException(List.of(
                new ScenarioError(JsonPaths.ROOT, Math.max(1, line), Math.max(1, column), message)));
    }
}
