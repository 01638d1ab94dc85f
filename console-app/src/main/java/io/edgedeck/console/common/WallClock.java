package io.edgedeck.console.common;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Wall-clock time as a support engineer matches it against a node's logs and the audit trail: the
 * local time with its zone named, e.g. {@code 23:05:12 UTC} or {@code 00:05:12 CET}.
 */
public final class WallClock {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss z", Locale.ROOT);

    private WallClock() {
    }

    /** The time of day of {@code epochMillis} in this machine's zone, with the zone. */
    public static String format(long epochMillis) {
        return format(epochMillis, ZoneId.systemDefault());
    }

    public static String format(long epochMillis, ZoneId zone) {
        return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }
}
