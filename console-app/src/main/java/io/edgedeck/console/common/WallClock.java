package io.edgedeck.console.common;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Wall-clock time as a support engineer matches it against a node's logs and the audit trail: the
 * local time with its zone named, e.g. {@code 23:05:12 UTC} or {@code 00:05:12 GMT+01:00} (the zone as
 * {@link Locale#ROOT} names it: Europe/Berlin reads "GMT+01:00" in winter, "GMT+02:00" in summer).
 */
public final class WallClock {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss z", Locale.ROOT);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("z", Locale.ROOT);

    private WallClock() {
    }

    /** The time of day of {@code epochMillis} in this machine's zone, with the zone. */
    public static String format(long epochMillis) {
        return format(epochMillis, ZoneId.systemDefault());
    }

    /** The time of day of {@code epochMillis} in {@code zone}, with the zone: "23:05:12 UTC". */
    public static String format(long epochMillis, ZoneId zone) {
        return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    /**
     * The time of day in {@code zone} without the zone, for a chart's axis that names the zone once: "23:05", or
     * "23:05:30" with {@code seconds}.
     */
    public static String formatBare(long epochMillis, boolean seconds, ZoneId zone) {
        return (seconds ? SECONDS : MINUTES).format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    /**
     * The time of day (with its seconds, or to the minute for an axis's marks) under a title that names the zone as at
     * {@code namedAtMillis} ({@link #zone}): bare ("02:59:30") while the zone then reads as the title's, else with its own
     * ("02:30:00 GMT+02:00" under "GMT+01:00"), so a time from before a change of summer time never passes for one on the
     * title's side of it.
     */
    public static String formatUnder(long epochMillis, boolean seconds, long namedAtMillis, ZoneId zone) {
        String own = zone(epochMillis, zone);
        String bare = formatBare(epochMillis, seconds, zone);
        return own.equals(zone(namedAtMillis, zone)) ? bare : bare + " " + own;
    }

    /** The name of {@code zone} at {@code epochMillis}: "UTC", "GMT+01:00". */
    public static String zone(long epochMillis, ZoneId zone) {
        return ZONE.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    /** How far {@code zone} is ahead of UTC at {@code epochMillis}, ms. */
    static long zoneOffsetMillis(long epochMillis, ZoneId zone) {
        return zone.getRules().getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
    }
}
