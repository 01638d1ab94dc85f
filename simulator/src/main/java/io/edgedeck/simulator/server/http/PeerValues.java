package io.edgedeck.simulator.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * The bounds on one value a peer sends (an ingest event, a CDN log record, a chat message), checked by
 * the reader field by field so a value past them refuses its record alone, named by its field, and the
 * rest of the batch is read: a parser's own limit stops it where no next record can be found. The
 * parsers that read such batches hold no limit of their own on numbers and strings (the batch's size
 * bounds them) and never convert a number these refuse.
 */
public final class PeerValues {
    /** The most digits a number may have. */
    public static final int MAX_DIGITS = 64;
    /** The longest string, in characters. */
    public static final int MAX_STRING = 64 * 1024;
    /** The most of a value a refusal repeats, in characters: a refusal names what was wrong, it is not an echo. */
    public static final int SHOWN_CHARS = 40;

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
        return sent.length() <= SHOWN_CHARS ? "\"" + sent + "\"" : "\"" + start(sent) + "...\" (" + sent.length() + " characters)";
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
