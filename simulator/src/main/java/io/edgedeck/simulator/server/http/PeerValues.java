package io.edgedeck.simulator.server.http;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * The bounds on one value a peer sends (an ingest event, a CDN log record, a chat message), checked by
 * the reader field by field so a value past them refuses its record alone, named by its field, and the
 * rest of the batch is read: a parser's own limit stops it where no next record can be found. The
 * parsers that read such batches hold no limit of their own on numbers and strings (the batch's size
 * bounds them), follow nesting and take field names far past a record's bounds ({@link #parserLimits}), and
 * never convert a number these refuse. Also the one way the node repeats a value anyone sent, in a refusal of a
 * peer's record, an API call or a file ({@link #shown(String)}, {@link #quoted(String, char)}).
 */
public final class PeerValues {
    /** The most digits a number may have. */
    public static final int MAX_DIGITS = 64;
    /** The longest string, in characters. */
    public static final int MAX_STRING = 64 * 1024;
    /** The most of a value a refusal repeats, in characters: a refusal names what was wrong, it is not an echo. */
    public static final int SHOWN_CHARS = 40;
    /** The longest field name a record may hold, in characters, as the node's own API bodies take. */
    public static final int MAX_NAME_CHARS = 50_000;
    /** How deep objects and arrays may nest in a pushed record (CDN logs, chat), as in the node's own API bodies. */
    public static final int MAX_DEPTH = 1000;
    /**
     * How deep a parser of a batch follows objects and arrays: far past any record's own bound, so a record past
     * its bound is read to its end, refused alone, and the next one found. Each level costs the parser a few dozen
     * bytes, so it is bounded still: a record nested deeper than this holds at least 128 KiB of brackets (over a
     * push's default {@code maxLineBytes}), and the reading of a batch stops there, saying so.
     */
    public static final int PARSER_DEPTH = 64 * 1024;
    /**
     * The longest field name a parser of a batch reads, in bytes of UTF-8: every name of {@link #MAX_NAME_CHARS}
     * characters fits, in any script (at most 3 bytes a character), so a longer one is refused with its record
     * alone. A parser keeps each name it meets in its factory's table of names, which lives as long as one request
     * ({@link #namesOfOneRequest}); a name past this stops the reading of a batch there, saying so.
     */
    public static final int PARSER_NAME_BYTES = 3 * MAX_NAME_CHARS;

    /**
     * The limits of a parser that reads peers' batches: none of its own on the length of a number or a string (the
     * batch's size bounds them; the reader refuses a record past {@link #MAX_DIGITS} or {@link #MAX_STRING} alone),
     * field names to {@link #PARSER_NAME_BYTES} (the reader refuses one past {@link #MAX_NAME_CHARS} alone) and
     * nesting to {@link #PARSER_DEPTH}.
     */
    public static StreamReadConstraints parserLimits() {
        return StreamReadConstraints.builder().maxNestingDepth(PARSER_DEPTH).maxNameLength(PARSER_NAME_BYTES)
                .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build();
    }

    /**
     * The factory that reads one request's batch: a copy of {@code shared} (its limits, features and buffer pool),
     * with a table of field names of its own, empty. A parser keeps every field name it reads in its factory's table
     * (up to some thousands of them, each whole) and the factory keeps that table as long as it lives, so names a
     * peer sends, unique and up to {@link #PARSER_NAME_BYTES} long, would stay in a factory shared by every request
     * for the node's life; in this copy they are dropped with the request. {@code shared} interns no name
     * ({@code INTERN_FIELD_NAMES} off), so no name stays in the JVM's own table either, and is never parsed with.
     */
    public static JsonFactory namesOfOneRequest(JsonFactory shared) {
        return shared.copy();
    }

    /**
     * What a limit of {@link #parserLimits} stopped a parser at, said of the record it was in, past which its end is
     * not looked for: {@code is nested deeper than 65536 levels, past which its end is not looked for}, or
     * {@code holds a field name longer than 150000 bytes, past which its end is not looked for}.
     */
    public static String overParserLimit(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        String what = m.contains("getMaxNameLength") ? "holds a field name longer than " + PARSER_NAME_BYTES + " bytes"
                : m.contains("getMaxNestingDepth") ? "is nested deeper than " + PARSER_DEPTH + " levels"
                : "is over a limit of the parser: " + JsonBodies.withoutSource(m);
        return what + ", past which its end is not looked for";
    }

    /**
     * How a parser of peers' batches reports a token it cannot read: whole, so {@link #readError} can repeat it as
     * every value is repeated (the batch's size bounds it).
     */
    public static ErrorReportConfiguration errorReports() {
        return ErrorReportConfiguration.builder().maxErrorTokenLength(Integer.MAX_VALUE).build();
    }

    /**
     * Why the token the parser has just read puts its record past a record's bounds: an object or array opened at
     * {@code depth} levels deeper than {@code maxDepth} ({@code is nested deeper than 16 levels of objects and lists},
     * {@code kinds} naming what nests), or a field name of more than {@link #MAX_NAME_CHARS} characters
     * ({@code is a field name longer than 50000 characters}); null for any other token.
     */
    public static String beyond(JsonParser p, JsonToken t, int depth, int maxDepth, String kinds) throws IOException {
        if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth > maxDepth) {
            return "is nested deeper than " + maxDepth + " levels of " + kinds;
        }
        if (t == JsonToken.FIELD_NAME && p.currentName().length() > MAX_NAME_CHARS) {
            return NAME_TOO_LONG;
        }
        return null;
    }

    /** What {@link #beyond} says of a field name too long. */
    public static final String NAME_TOO_LONG = "is a field name longer than " + MAX_NAME_CHARS + " characters";

    /**
     * What a record holds that {@link #beyond} refuses, said of the field that holds it: {@code holds a field name
     * longer than 50000 characters} for a name deeper in; a depth as {@link #beyond} says it.
     */
    public static String within(String beyond) {
        return NAME_TOO_LONG.equals(beyond) ? "holds a field name longer than " + MAX_NAME_CHARS + " characters" : beyond;
    }

    /**
     * The parser's refusal of a batch's JSON in the API's words: without the library's source tail and switch
     * names ({@link JsonBodies#withoutSource}), and a token it could not read repeated as {@link #quoted(String, char)}
     * repeats a value: {@code Unrecognized token 'tttt...' (5000 characters): was expecting ...}.
     */
    public static String readError(String message) {
        String m = JsonBodies.withoutSource(message);
        java.util.regex.Matcher token = UNRECOGNIZED.matcher(m);
        return token.find() ? m.substring(0, token.start(1) - 1) + quoted(token.group(1), '\'') + m.substring(token.end(1) + 1) : m;
    }

    private static final java.util.regex.Pattern UNRECOGNIZED = java.util.regex.Pattern.compile("^Unrecognized token '(.*?)': ",
            java.util.regex.Pattern.DOTALL);

    private PeerValues() {
    }

    /**
     * Why a value is refused, to follow its field's name: a number of more than {@link #MAX_DIGITS} digits,
     * its start as sent ({@code must be a number of at most 64 digits, was 1234...(70 digits)}), or a string
     * of more than {@link #MAX_STRING} characters; null for any other value. The parser stands on the value;
     * a number is counted on its text, never converted.
     */
    public static String tooLong(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            int length = p.getTextLength();
            return length <= MAX_STRING ? null
                    : "must be a string of at most " + MAX_STRING + " characters, was " + length + " characters";
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT || p.getTextLength() <= MAX_DIGITS) {
            return null;
        }
        char[] chars = p.getTextCharacters();
        int from = p.getTextOffset();
        int length = p.getTextLength();
        int digits = 0;
        for (int i = from; i < from + length; i++) {
            if (chars[i] >= '0' && chars[i] <= '9') {
                digits++;
            }
        }
        if (digits <= MAX_DIGITS) {
            return null;
        }
        return "must be a number of at most " + MAX_DIGITS + " digits, was " + new String(chars, from, Math.min(length, SHOWN_CHARS))
                + (length > SHOWN_CHARS ? "..." : "") + " (" + digits + " digits)";
    }

    /** A number as sent, for a refusal to repeat, as {@link #shown(String)} repeats a value. */
    public static String shownNumber(JsonParser p) throws IOException {
        return shown(p.getText());
    }

    /**
     * A value a peer sent, as a refusal repeats it: whole up to {@link #SHOWN_CHARS} characters, else its start and
     * its size ({@code xxxxxxxx... (5000 characters)}), so a record of 64 KiB is not sent back whole.
     */
    public static String shown(String sent) {
        return sent.length() <= SHOWN_CHARS ? sent : start(sent) + "... (" + sent.length() + " characters)";
    }

    /** A text a peer sent, in quotes, as {@link #shown(String)} repeats it: {@code "xxxxxxxx..." (5000 characters)}. */
    public static String quoted(String sent) {
        return quoted(sent, '"');
    }

    /** A text in {@code mark}s, as {@link #quoted(String)}: {@code 'xxxxxxxx...' (5000 characters)}; {@code null} unquoted. */
    public static String quoted(String sent, char mark) {
        if (sent == null) {
            return "null";
        }
        return sent.length() <= SHOWN_CHARS ? mark + sent + mark : mark + start(sent) + "..." + mark + " (" + sent.length() + " characters)";
    }

    /** A JSON value a peer sent, as {@link #shown(String)} repeats it: a string in quotes, anything else as JSON. */
    public static String shown(JsonNode sent) {
        return sent.isTextual() ? quoted(sent.asText()) : shown(sent.toString());
    }

    /** The first {@link #SHOWN_CHARS} characters, one fewer when the last would be half of a pair. */
    private static String start(String sent) {
        int end = Character.isHighSurrogate(sent.charAt(SHOWN_CHARS - 1)) ? SHOWN_CHARS - 1 : SHOWN_CHARS;
        return sent.substring(0, end);
    }
}
