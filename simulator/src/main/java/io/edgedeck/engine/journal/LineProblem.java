package io.edgedeck.engine.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * What is wrong with a line of a journal or snapshot file that does not read back as a record, in
 * the words of the file's format (docs/JOURNAL.md): which field, what it holds, what belongs there;
 * never the JSON library's own terms.
 */
final class LineProblem {
    private LineProblem() {
    }

    /** Why the line could not be read, as the reader of {@code e} reports it. */
    static String of(IOException e) {
        String field = e instanceof JsonMappingException m ? field(m) : "";
        return switch (e) {
            case InvalidTypeIdException t -> t.getTypeId() == null
                    ? "it says no kind of record (its \"type\" is missing)"
                    : "its \"type\" '" + t.getTypeId() + "' is not a kind of record";
            case UnrecognizedPropertyException u -> "it has a field \"" + field + "\" that its kind of record does not have";
            case InvalidFormatException f -> "its \"" + field + "\" is '" + f.getValue() + "', where " + kind(f.getTargetType())
                    + " belongs";
            case MismatchedInputException m when field.isEmpty() -> "it is not a JSON object";
            case MismatchedInputException m -> "its \"" + field + "\" is not " + kind(m.getTargetType());
            case ValueInstantiationException v -> v.getCause() instanceof IllegalArgumentException a && a.getMessage() != null
                    ? "it does not hold a record: " + a.getMessage()
                    : "a field its kind of record needs is missing or empty";
            case JsonMappingException m when !field.isEmpty() -> "its \"" + field + "\" does not hold what belongs there";
            case JsonMappingException m -> "it does not hold a record";
            case JsonProcessingException p when p.getLocation() != null && p.getLocation().getColumnNr() > 0 ->
                    "it is not whole, valid JSON (it goes wrong at character " + p.getLocation().getColumnNr() + ")";
            case JsonProcessingException p -> "it is not whole, valid JSON";
            default -> "it could not be read";
        };
    }

    /** The field the reader stopped at, as a path in the record ({@code command.variants[1].weight}), or "". */
    private static String field(JsonMappingException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : r.getIndex() >= 0 ? "[" + r.getIndex() + "]" : "")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    /** What a value of {@code type} is, in words. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "the kind of value that belongs there";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class || type == short.class
                || type == Short.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (type.isEnum()) {
            return "a value its kind of record knows";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }
}
