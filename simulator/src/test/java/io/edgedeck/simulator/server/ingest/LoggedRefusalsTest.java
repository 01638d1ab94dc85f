package io.edgedeck.simulator.server.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch's refusals made as it was read, kept beside its events in the ingest log: read back, each
 * refused event takes its place in the batch again, with its kind, field and reason when it was
 * refused for a number out of range; a payload without the line is read as it is.
 */
class LoggedRefusalsTest {
    private static final io.edgedeck.simulator.server.privacy.UnitKeys KEYS = io.edgedeck.simulator.server.privacy.UnitKeys.of(
            "a unit key for the test".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] EVENTS = "[{\"type\":\"latency\",\"id\":\"a\",\"pop\":\"fra\",\"ms\":12.0},{\"type\":\"latency\",\"id\":\"b\",\"pop\":\"fra\",\"ms\":-5.0}]"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void eachRefusedEventTakesItsPlaceAgain() {
        List<IngestBatch.Broken> broken = List.of(
                new IngestBatch.Broken(0, "big", "ms", "must be between 0 and 120000, was 1e400", "latency"),
                new IngestBatch.Broken(2, "long", "source", "must be a string of at most 65536 characters, was 70000 characters"),
                new IngestBatch.Broken(4, "tail", "ms", "must be a number of at most 64 digits, was 12... (70 digits)", "latency"));
        // As the node knows them, live and as it writes the line.
        java.util.function.Function<IngestBatch.Broken, String> knownBy = b -> LiveIntake.knownBy(KEYS, b);
        byte[] logged = LoggedRefusals.write(broken, EVENTS, knownBy);
        String text = new String(logged, StandardCharsets.UTF_8);
        assertFalse(text.contains("big") || text.contains("long") || text.contains("tail"), "no event's id is kept as sent: " + text);

        LoggedRefusals read = LoggedRefusals.of(logged, LiveIntake.earlier(KEYS));
        assertArrayEquals(EVENTS, read.events());
        assertTrue(read.holdsEvents());
        List<IngestBatch.Entry> entries = read.entries(IngestBatch.readLogged(read.events()));
        assertEquals(5, entries.size());
        assertEquals(new IngestBatch.Broken(0, knownBy.apply(broken.get(0)), "ms", "must be between 0 and 120000, was 1e400", "latency"),
                entries.get(0), "what its refusal is known by is kept, so the same event refused again counts once");
        assertEquals("a", ((IngestBatch.Read) entries.get(1)).event().id());
        IngestBatch.Broken unreadable = (IngestBatch.Broken) entries.get(2);
        assertFalse(unreadable.outOfRange(), "an unreadable event counts as unreadable again");
        assertEquals(knownBy.apply(broken.get(1)), unreadable.id(), "known by its id, field and reason, which the line keeps as a key");
        assertEquals("b", ((IngestBatch.Read) entries.get(3)).event().id());
        assertEquals("latency", ((IngestBatch.Broken) entries.get(4)).kind());
    }

    @Test
    void aBatchOfRefusalsAloneHoldsNoEvents() {
        byte[] logged = LoggedRefusals.write(List.of(new IngestBatch.Broken(0, "x", "status", "must be an HTTP status code, was a string")),
                "[]".getBytes(StandardCharsets.US_ASCII), b -> null);
        LoggedRefusals read = LoggedRefusals.of(logged, LiveIntake.earlier(KEYS));
        assertFalse(read.holdsEvents());
        assertEquals(1, read.entries(List.of()).size());
    }

    @Test
    void aPayloadWithoutTheLineIsReadAsItIs() {
        assertArrayEquals(EVENTS, LoggedRefusals.write(List.of(), EVENTS, IngestBatch.Broken::id), "nothing refused, nothing added");
        LoggedRefusals read = LoggedRefusals.of(EVENTS, LiveIntake.earlier(KEYS));
        assertEquals(List.of(), read.refused());
        assertArrayEquals(EVENTS, read.events());
        byte[] notOurs = "!not json\n[]".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(notOurs, LoggedRefusals.of(notOurs, LiveIntake.earlier(KEYS)).events(), "a line this node did not write is read as events");
        assertEquals(List.of(), LoggedRefusals.of(notOurs, LiveIntake.earlier(KEYS)).refused());
    }

    @Test
    void aLineOfTheBuildBeforeIsKnownByItsIdsKeyAlone() {
        byte[] earlier = "!{\"refused\":[{\"index\":0,\"id\":\"k.AAAAAAAAAAAAAAAAAAAAAA\"}]}\n[]".getBytes(StandardCharsets.US_ASCII);
        IngestBatch.Broken read = (IngestBatch.Broken) LoggedRefusals.of(earlier, LiveIntake.earlier(KEYS)).entries(List.of()).getFirst();
        assertEquals("k.AAAAAAAAAAAAAAAAAAAAAA", read.id(), "its refusals are known as that build knew them");
    }

    /**
     * A line of the build that kept the key of the id alone, for an event refused for a number out of range: it keeps the
     * field and the reason too, so read back after an upgrade its refusal is known as this build knows the same event
     * refused again, and the batch sent again counts it once; an unreadable one, whose field and reason it does not
     * keep, stays known by the key of its id.
     */
    @Test
    void aLineOfTheBuildBeforeIsKnownAsThisBuildKnowsTheSameRefusalWhereItKeepsTheFault() {
        String reason = "must be between 0 and 120000, was 1e400";
        String idKey = KEYS.key("big");
        byte[] earlier = ("!{\"refused\":[{\"index\":0,\"id\":\"" + idKey + "\",\"kind\":\"latency\",\"field\":\"ms\",\"reason\":\""
                + reason + "\"},{\"index\":1,\"id\":\"" + KEYS.key("broken") + "\"}]}\n[]").getBytes(StandardCharsets.US_ASCII);
        List<IngestBatch.Entry> entries = LoggedRefusals.of(earlier, LiveIntake.earlier(KEYS)).entries(List.of());
        // What the node knows the same event refused again by, as it reads the batch sent again.
        String again = LiveIntake.knownBy(KEYS, new IngestBatch.Broken(0, "big", "ms", reason, "latency"));
        assertEquals(again, ((IngestBatch.Broken) entries.get(0)).id());
        assertEquals("latency", ((IngestBatch.Broken) entries.get(0)).kind());
        assertEquals(KEYS.key("broken"), ((IngestBatch.Broken) entries.get(1)).id(), "its fault is not kept: as that build knew it");
    }
}
