package io.edgedeck.simulator.server.privacy;

import io.edgedeck.client.ingest.IngestEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which units' ingest records keep their raw ids: a stable share of units, chosen by the node's unit key. */
class RawSampleTest {
    private static final UnitKeys KEYS = UnitKeys.of("node-secret".getBytes(StandardCharsets.US_ASCII));

    private static long inSample(RawSample sample, int units) {
        return IntStream.range(0, units).filter(i -> sample.inSample("viewer-" + i)).count();
    }

    @Test
    void aRateKeepsAboutThatShareOfUnitsAndTheSameOnesEveryTime() {
        int units = 20_000;
        for (double rate : new double[] {0.01, 0.1, 0.5, 0.9}) {
            long kept = inSample(new RawSample(KEYS, rate), units);
            double sd = Math.sqrt(units * rate * (1 - rate));
            // Five standard deviations of a binomial count: a failure here is a biased choice, not chance.
            assertTrue(Math.abs(kept - units * rate) < 5 * sd, rate + ": " + kept + " of " + units);
        }
        RawSample half = new RawSample(KEYS, 0.5);
        RawSample again = new RawSample(KEYS, 0.5);
        assertTrue(IntStream.range(0, 1_000).allMatch(i -> half.inSample("viewer-" + i) == again.inSample("viewer-" + i)));
        RawSample tenth = new RawSample(KEYS, 0.1);
        assertTrue(IntStream.range(0, 1_000).filter(i -> tenth.inSample("viewer-" + i)).allMatch(i -> half.inSample("viewer-" + i)),
                "a smaller sample is part of a larger one");
        RawSample otherNode = new RawSample(UnitKeys.of("other".getBytes(StandardCharsets.US_ASCII)), 0.5);
        assertTrue(IntStream.range(0, 1_000).anyMatch(i -> half.inSample("viewer-" + i) != otherNode.inSample("viewer-" + i)),
                "another node's key chooses other units");
    }

    @Test
    void noneAndAllAreExact() {
        assertEquals(0, inSample(new RawSample(KEYS, 0), 5_000));
        assertEquals(5_000, inSample(new RawSample(KEYS, 1), 5_000));
        assertThrows(IllegalArgumentException.class, () -> new RawSample(KEYS, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new RawSample(KEYS, Double.NaN));
    }

    @Test
    void aUnitOutsideTheSampleIsWrittenScrubbedAndOneInsideAsItCame() {
        RawSample half = new RawSample(KEYS, 0.5);
        String in = IntStream.range(0, 100).mapToObj(i -> "viewer-" + i).filter(half::inSample).findFirst().orElseThrow();
        String out = IntStream.range(0, 100).mapToObj(i -> "viewer-" + i).filter(u -> !half.inSample(u)).findFirst().orElseThrow();
        IngestEvent kept = new IngestEvent.Conversion("c-" + in, null, "purchase", in, 9.5);
        IngestEvent chat = new IngestEvent.Chat("m-" + out, null, "great show", null, "twitch:show", out, null);
        RawSample.Logged logged = half.forLog(List.of(kept, chat));
        assertFalse(logged.scrubbed(), "one event keeps its raw ids");
        assertEquals(kept, logged.events().get(0));
        assertEquals(KEYS.scrubbed(chat), logged.events().get(1));
        assertTrue(new RawSample(KEYS, 0).forLog(List.of(kept, chat)).scrubbed());
        // The latency of a request about no unit holds no raw id: written as it is, and the record is scrubbed.
        IngestEvent latency = new IngestEvent.Latency("req-1", null, "fra", 40.0, null, 200, null, null);
        RawSample.Logged none = new RawSample(KEYS, 0).forLog(List.of(latency));
        assertEquals(List.of(latency), none.events());
        assertTrue(none.scrubbed());
    }

    @Test
    void keyingAKeyLeavesItAsItIsSoAWrittenKeyCountsAsItsUnitAgain() {
        String k = KEYS.key("viewer-1");
        assertEquals(k, KEYS.key(k));
        IngestEvent scrubbed = KEYS.scrubbed(new IngestEvent.Conversion("c-1", null, "purchase", "viewer-1", null));
        assertEquals(scrubbed, KEYS.keyed(scrubbed), "a record that mixes keys and raw ids is keyed again on replay");
    }
}
