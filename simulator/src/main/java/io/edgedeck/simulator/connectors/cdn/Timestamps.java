package io.edgedeck.simulator.connectors.cdn;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a CDN's request timestamp into epoch milliseconds, whichever form the CDN was told to write:
 * Cloudflare's {@code unixnano} (its default), {@code unix} or {@code rfc3339}; Fastly's epoch
 * milliseconds or an ISO 8601 time with a {@code +0000} offset.
 *
 * <p>Numbers are told apart by size, which holds for any time between 1973 and 2286: above 1e17 they
 * are nanoseconds, above 1e14 microseconds, above 1e11 milliseconds, else seconds.
 */
final class Timestamps {
    private static final DateTimeFormatter COMPACT_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]xx");

    private Timestamps() {
    }

    /** Epoch ms, or throws {@link IllegalArgumentException} saying what the value was. */
    static long epochMillis(JsonNode value) {
        if (value.isNumber()) {
            return fromNumber(value.asDouble());
        }
        if (value.isTextual()) {
            String text = value.asText().trim();
            if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) {
                try {
                    return fromNumber(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a time: \"" + text + "\"");
                }
            }
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(text, COMPACT_OFFSET).toInstant().toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw new IllegalArgumentException("not a time: \"" + text + "\" (expected epoch seconds, ms, µs or ns, or RFC 3339)");
                }
            }
        }
        throw new IllegalArgumentException("not a time: " + value);
    }

    private static long fromNumber(double n) {
        if (!(n > 0) || Double.isInfinite(n)) {
            throw new IllegalArgumentException("not a time: " + n);
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
