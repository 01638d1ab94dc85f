package io.edgedeck.simulator.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
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
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

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
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.invalid("body", "malformed JSON" + where + ": " + e.getOriginalMessage());
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
        defaults.forEach((field, value) -> {
            if (!node.has(field)) {
                ((ObjectNode) node).set(field, MAPPER.valueToTree(value));
            }
        });
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            String field = path(e.getPath());
            throw ApiException.invalid(field.isEmpty() ? "body" : field, "wrong type or unknown field '" + (field.isEmpty() ? "body" : field)
                    + "': " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("body", e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("body", e.getMessage());
        }
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
