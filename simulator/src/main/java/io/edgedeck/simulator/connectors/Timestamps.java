package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.simulator.server.http.PeerValues;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a pushed record's time into epoch milliseconds, whichever form its sender was told to write:
 * a CDN's (Cloudflare's {@code unixnano}, its default, {@code unix} or {@code rfc3339}; Fastly's
 * epoch milliseconds or an ISO 8601 time with a {@code +0000} offset), or a chat bridge's (epoch
 * seconds or milliseconds, RFC 3339).
 *
 * <p>Numbers are told apart by size, which holds for any time between 1973 and 2286: above 1e17 they
 * are nanoseconds, above 1e14 microseconds, above 1e11 milliseconds, else seconds; from 1e19 on, past
 * 2286 even as nanoseconds, a number is no time.
 */
public final class Timestamps {
    /**
     * RFC 3339 and the ISO 8601 forms CDNs and log shippers write: any fraction of a second (none to
     * nanoseconds), and the offset as {@code Z}, {@code +01:00}, {@code +0100} or {@code +01}. A space
     * in place of the {@code T}, which RFC 3339 allows, is read as the {@code T}.
     */
    private static final DateTimeFormatter ISO_ANY_OFFSET = new java.time.format.DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(java.util.Locale.ROOT);

    private Timestamps() {
    }

    /** Epoch ms, or throws {@link IllegalArgumentException} saying what the value was. */
    public static long epochMillis(JsonNode value) {
        if (value.isNumber()) {
            // As the sender wrote it: 0, not 0.0 (a big or fractional number as Jackson read it, e.g. 1.0E30).
            return fromNumber(value.asDouble(), PeerValues.shown(value.asText()));
        }
        if (value.isTextual()) {
            String text = value.asText().trim();
            if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) {
                try {
                    return fromNumber(Double.parseDouble(text), PeerValues.quoted(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a time: " + PeerValues.quoted(text));
                }
            }
            String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + "T" + text.substring(11) : text;
            try {
                return OffsetDateTime.parse(iso, ISO_ANY_OFFSET).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a time: " + PeerValues.quoted(text) + " (expected epoch seconds, ms, µs or ns, or RFC 3339)");
            } catch (ArithmeticException e) {
                // A year such as +999999999, which ISO 8601 can write and no epoch millisecond count holds.
                throw new IllegalArgumentException("not a time: " + PeerValues.quoted(text) + " is too far from 1970 to be epoch milliseconds");
            }
        }
        throw new IllegalArgumentException("not a time: " + PeerValues.shown(value));
    }


    /** Past this, a number is past 2286 even as nanoseconds, the smallest unit read: no time, not the far future. */
    private static final double LARGEST = 1e19;

    /** @param written the number as its sender wrote it, for a refusal to name */
    private static long fromNumber(double n, String written) {
        if (!(n > 0) || Double.isInfinite(n)) {
            throw new IllegalArgumentException("not a time: " + written);
        }
        if (n >= LARGEST) {
            throw new IllegalArgumentException("not a time: " + written + " is past the year 2286 even as epoch nanoseconds");
        }
        if (n > 1e17) {
            return (long) (n / 1e6);
        }
        if (n > 1e14) {
            return (long) (n / 1e3);
        }
        if (n > 1e11) {
            return (long) n;
        }
        return (long) (n * 1000);
    }
}
