package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timestamp forms CDNs and log shippers write, read to the same epoch milliseconds. */
class TimestampsTest {
    /** 2026-12-05T20:00:00.123Z */
    private static final long AT = 1_796_500_800_123L;

    private static long read(String text) {
        return Timestamps.epochMillis(JsonNodeFactory.instance.textNode(text));
    }

    @Test
    void everyIso8601FormOfOneInstantReadsTheSame() {
        for (String form : new String[] {
                "2026-12-05T20:00:00.123Z", "2026-12-05T20:00:00.123+00:00", "2026-12-05T20:00:00.123+0000",
                "2026-12-05T20:00:00.123456+0000", "2026-12-05T20:00:00.123456789Z", "2026-12-05 20:00:00.123Z",
                "2026-12-05T21:00:00.123+01:00", "2026-12-05T21:00:00.123+0100", "2026-12-05T21:00:00.123+01",
                "2026-12-05T15:00:00.123-0500", "2026-12-05t20:00:00.123z"}) {
            assertEquals(AT, read(form), form);
        }
        assertEquals(AT - 123, read("2026-12-05T20:00:00Z"));
        assertEquals(AT - 123 + 500, read("2026-12-05T20:00:00.5+0000"), "a fraction of one digit is tenths");
    }

    @Test
    void numbersAreToldApartBySize() {
        assertEquals(AT, Timestamps.epochMillis(JsonNodeFactory.instance.numberNode(AT)));
        assertEquals(AT, read("1796500800123"));
        assertEquals(AT, read("1796500800123000"));
        assertEquals(AT, read("1796500800123000000"));
        assertEquals(AT - 123, read("1796500800"));
    }

    @Test
    void whatIsNoTimeIsRefusedSayingSo() {
        for (String bad : new String[] {"yesterday", "2026-12-05", "2026-12-05T20:00", "2026-13-05T20:00:00Z", "1.2.3",
                // Dates ISO 8601 can write whose epoch milliseconds no long holds.
                "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+300000000-01-01T00:00:00+01:00"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(bad), bad);
            assertTrue(e.getMessage().contains("not a time"), e.getMessage());
        }
    }

    /** A refusal names the value as sent, but not a whole megabyte of it: its start and its size, not an echo of the request. */
    @Test
    void aRefusalRepeatsAtMostFortyCharactersOfTheValue() {
        for (String bad : new String[] {"9".repeat(500_000), "1" + ".".repeat(100_000), "x".repeat(100_000)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(bad));
            assertTrue(e.getMessage().length() < 200 && e.getMessage().contains(bad.substring(0, 40) + "...\" (" + bad.length() + " characters)"),
                    e.getMessage().length() + " chars");
        }
    }
}
