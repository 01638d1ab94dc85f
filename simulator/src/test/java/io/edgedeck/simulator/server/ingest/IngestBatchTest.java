package io.edgedeck.simulator.server.ingest;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.server.http.PeerValues;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A field sent twice: refused as sent, read as logged by earlier versions of the node. A UTF-8 byte order mark first. */
class IngestBatchTest {
    private static final String TWICE = "{\"id\":\"t-1\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"ms\":900}";
    private static final String ONCE = "{\"id\":\"t-2\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":30}";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFieldSentTwiceRefusesThatEventAloneInAnArrayAndInLines() {
        for (String body : new String[]{"[" + TWICE + "," + ONCE + "]", TWICE + "\n" + ONCE + "\n"}) {
            List<IngestBatch.Entry> entries = IngestBatch.read(bytes(body));
            IngestBatch.Broken broken = assertInstanceOf(IngestBatch.Broken.class, entries.get(0), body);
            assertEquals("ms", broken.field(), body);
            assertEquals("t-1", broken.id(), body);
            assertEquals(30.0, ((IngestEvent.Latency) assertInstanceOf(IngestBatch.Read.class, entries.get(1)).event()).ms(), body);
        }
    }

    @Test
    void aRefusedEventIsNamedByItsIdWhereverTheIdStandsInAnArrayAndInLines() {
        String idLast = "{\"type\":\"latency\",\"pop\":\"fra\",\"ms\":{\"id\":\"inside\"},\"extra\":{\"id\":\"nested\"},\"id\":\"last-1\"}";
        String idTwice = "{\"type\":\"step\",\"targetingKey\":7,\"id\":\"first\",\"id\":\"second\"}";
        String idBad = "{\"type\":\"step\",\"targetingKey\":7,\"id\":12}";
        String idTooLong = "{\"type\":\"step\",\"targetingKey\":7,\"id\":\"" + "i".repeat(PeerValues.MAX_STRING + 1) + "\"}";
        for (String body : new String[]{"[" + idLast + "," + idTwice + "," + idBad + "," + idTooLong + "]",
                idLast + "\n" + idTwice + "\n" + idBad + "\n" + idTooLong + "\n"}) {
            List<IngestBatch.Entry> entries = IngestBatch.read(bytes(body));
            IngestBatch.Broken last = assertInstanceOf(IngestBatch.Broken.class, entries.get(0));
            assertEquals("ms", last.field(), "the bad field is named, not a field read on past it");
            assertEquals("last-1", last.id(), "its own id, not one inside the bad field's value or another field's");
            IngestBatch.Broken twice = assertInstanceOf(IngestBatch.Broken.class, entries.get(1));
            assertEquals("targetingKey", twice.field());
            assertEquals("first", twice.id(), "the first id read names it");
            assertEquals(null, assertInstanceOf(IngestBatch.Broken.class, entries.get(2)).id(), "an id that is not a string names nothing");
            assertEquals(null, assertInstanceOf(IngestBatch.Broken.class, entries.get(3)).id(), "nor one past a string's limit");
        }
    }

    @Test
    void aLoggedBatchIsReadAsTheNodeThatTookItDidWithTheLastValue() {
        for (String body : new String[]{"[" + TWICE + "," + ONCE + "]", TWICE + "\n" + ONCE + "\n"}) {
            List<IngestBatch.Entry> entries = IngestBatch.readLogged(bytes(body));
            assertEquals(2, entries.size(), body);
            IngestEvent.Latency first = (IngestEvent.Latency) assertInstanceOf(IngestBatch.Read.class, entries.get(0), body).event();
            assertEquals(900.0, first.ms(), body);
            assertEquals("t-1", first.id(), body);
        }
    }

    @Test
    void aByteOrderMarkBeforeAnArrayIsSkippedAsBeforeLines() {
        for (String body : new String[]{"\uFEFF[" + ONCE + "]", "\uFEFF \n[" + ONCE + "]", "\uFEFF" + ONCE + "\n"}) {
            List<IngestBatch.Entry> entries = IngestBatch.read(bytes(body));
            assertEquals(1, entries.size(), body);
            assertEquals("t-2", ((IngestEvent.Latency) assertInstanceOf(IngestBatch.Read.class, entries.get(0), body).event()).id(), body);
        }
    }

    /**
     * A field name of 50000 characters is within an event's bounds in any script: the parser reads names of 3 bytes
     * a character that long ({@link PeerValues#PARSER_NAME_BYTES}), so such an event is taken, and one of 50001
     * characters of 2 bytes is refused alone, the events around it taken.
     */
    @Test
    void aFieldNameOf50000CharactersOfThreeBytesIsReadAndALongerOneRefusedAlone() {
        String name = "\u20ac".repeat(PeerValues.MAX_NAME_CHARS);
        String within = "{\"id\":\"w-1\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":30,\"" + name + "\":1}";
        String beyond = "{\"id\":\"w-2\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":30,\"" + "\u00e9".repeat(PeerValues.MAX_NAME_CHARS + 1) + "\":1}";
        for (String body : new String[]{"[" + within + "," + beyond + "," + ONCE + "]", within + "\n" + beyond + "\n" + ONCE + "\n"}) {
            List<IngestBatch.Entry> entries = IngestBatch.read(bytes(body));
            assertEquals("w-1", ((IngestEvent.Latency) assertInstanceOf(IngestBatch.Read.class, entries.get(0)).event()).id());
            IngestBatch.Broken broken = assertInstanceOf(IngestBatch.Broken.class, entries.get(1));
            assertEquals("\u00e9".repeat(40) + "... (50001 characters)", broken.field());
            assertEquals(PeerValues.NAME_TOO_LONG, broken.reason());
            assertInstanceOf(IngestBatch.Read.class, entries.get(2));
        }
    }
}
