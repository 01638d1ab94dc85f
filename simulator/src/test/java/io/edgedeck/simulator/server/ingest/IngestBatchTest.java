package io.edgedeck.simulator.server.ingest;

import io.edgedeck.client.ingest.IngestEvent;
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
}
