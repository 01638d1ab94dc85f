package io.edgedeck.simulator.server.privacy;

import io.edgedeck.client.ingest.IngestEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys at the door and pseudonyms on the way out. */
class UnitKeysTest {
    private static final UnitKeys KEYS = UnitKeys.of("node-secret".getBytes(StandardCharsets.US_ASCII));

    @Test
    void anIdHasOneKeyOnANodeAndAnotherOnAnotherNode() {
        String k = KEYS.key("viewer-1");
        assertTrue(UnitKeys.isKey(k), k);
        assertEquals(k, KEYS.key("viewer-1"));
        assertNotEquals(k, KEYS.key("viewer-2"));
        assertNotEquals(k, UnitKeys.of("other".getBytes(StandardCharsets.US_ASCII)).key("viewer-1"));
    }

    /** Half a surrogate pair has no UTF-8 form; encoded as UTF-8 it became '?', and three viewers one. */
    @Test
    void idsThatDifferOnlyInHalfASurrogatePairAreThreeUnits() {
        String lowHalf = KEYS.key("abc\uD800");
        assertNotEquals(lowHalf, KEYS.key("abc\uDBFF"));
        assertNotEquals(lowHalf, KEYS.key("abc?"));
        assertNotEquals(KEYS.key("abc\uDBFF"), KEYS.key("abc?"));
        assertEquals(lowHalf, KEYS.key("abc\uD800"));
        // Whole text keys as it always did: its UTF-8 bytes.
        assertEquals(UnitKeys.of("node-secret".getBytes(StandardCharsets.US_ASCII)).key("emoji \uD83D\uDE80"),
                KEYS.key("emoji \uD83D\uDE80"));
    }

    @Test
    void idsTheCoreRefusesAreLeftForItToRefuseAndScrubbingBlanksThem() {
        assertNull(KEYS.key(null));
        assertEquals(" ", KEYS.key(" "));
        String tooLong = "x".repeat(257);
        assertEquals(tooLong, KEYS.key(tooLong));
        IngestEvent.Conversion c = (IngestEvent.Conversion) KEYS.scrubbed(new IngestEvent.Conversion("id-1", null, "click", tooLong, null));
        assertEquals("", c.targetingKey());
        assertEquals(KEYS.key("id-1"), c.id());
    }

    @Test
    void everyIdThatMayNameAPersonIsKeyed() {
        var chat = (IngestEvent.Chat) KEYS.keyed(new IngestEvent.Chat("chat-alice", 5L, "hi", "alice", "twitch:show", "twitch:alice", null));
        assertEquals(KEYS.key("chat-alice"), chat.id());
        assertEquals(KEYS.key("alice"), chat.targetingKey());
        assertEquals(KEYS.key("twitch:alice"), chat.user());
        assertEquals("twitch:show", chat.channel());
        assertEquals("hi", chat.text());
        var checkout = (IngestEvent.Checkout) KEYS.keyed(new IngestEvent.Checkout("co-1", null, "order-alice", "fra", "started"));
        assertEquals(KEYS.key("order-alice"), checkout.checkoutId());
        var timed = (IngestEvent.Checkout) KEYS.keyed(new IngestEvent.Checkout("co-2", null, "order-alice", "fra", "authorised",
                12.0, 34.0, 56.0));
        assertEquals(List.of(12.0, 34.0, 56.0), List.of(timed.validateMs(), timed.enrichMs(), timed.actMs()),
                "the stage times of a checkout's decision are kept");
        var exposure = (IngestEvent.Exposure) KEYS.keyed(new IngestEvent.Exposure("x", null, "f", "v", "alice", "fra"));
        assertEquals(KEYS.key("alice"), exposure.targetingKey());
        var step = (IngestEvent.Step) KEYS.keyed(new IngestEvent.Step("step-alice", null, "click", "alice"));
        assertEquals(new IngestEvent.Step(KEYS.key("step-alice"), null, "click", KEYS.key("alice")), step);
        var latency = (IngestEvent.Latency) KEYS.keyed(new IngestEvent.Latency("req-1", null, "fra", 40.0, null, 200, null, "alice"));
        assertEquals("req-1", latency.id(), "a latency id names no unit");
        assertEquals(KEYS.key("alice"), latency.targetingKey());
        IngestEvent anonymous = new IngestEvent.Latency("req-2", null, "fra", 40.0, null, 200, null);
        assertEquals(anonymous, KEYS.keyed(anonymous));
        assertEquals("", ((IngestEvent.Latency) KEYS.scrubbed(new IngestEvent.Latency("req-3", null, "fra", 1.0, null, null, null,
                " "))).targetingKey(), "a unit the core refuses is blanked by the scrub");
    }

    @Test
    void pseudonymsNameKeysInTextAndChangeWithTheSalt(@TempDir Path dir) throws Exception {
        Pseudonyms p = Pseudonyms.loadOrCreate(dir, 1L);
        String key = KEYS.key("order-alice");
        String first = p.scrub("checkout '" + key + "' has started already");
        assertTrue(first.matches("checkout 'u1-[0-9a-f]{16}' has started already"), first);
        assertEquals(first, Pseudonyms.loadOrCreate(dir, 2L).scrub("checkout '" + key + "' has started already"),
                "a restarted node names a unit as before");
        Pseudonyms.Rotation r = p.next(3L);
        r.prepare();
        assertEquals(first, p.scrub("checkout '" + key + "' has started already"), "prepared, not in use");
        r.commit();
        String second = p.scrub("checkout '" + key + "' has started already");
        assertTrue(second.matches("checkout 'u2-[0-9a-f]{16}' has started already"), second);
        assertNotEquals(first.substring(13), second.substring(13));
        assertEquals(2, Pseudonyms.loadOrCreate(dir, 4L).state().generation());
    }

    @Test
    void aStartSettlesASaltRotationAStopInterruptedByWhatTheJournalSays(@TempDir Path dir) throws Exception {
        Pseudonyms p = Pseudonyms.loadOrCreate(dir, 1L);
        String first = p.of("k.alice");
        p.next(2L).prepare();
        Pseudonyms restarted = Pseudonyms.loadOrCreate(dir, 3L, 1);
        assertEquals(1, restarted.state().generation(), "the journal's latest salt is generation 1: the prepared one is dropped");
        assertEquals(first, restarted.of("k.alice"));
        assertFalse(Files.exists(dir.resolve(Pseudonyms.FILE + ".next")));

        restarted.next(4L).prepare();
        restarted = Pseudonyms.loadOrCreate(dir, 5L, 2);
        assertEquals(2, restarted.state().generation(), "the journal made generation 2: it is put in place");
        assertNotEquals(first, restarted.of("k.alice"));
        assertEquals(2, Pseudonyms.loadOrCreate(dir, 6L).state().generation());
        assertFalse(Files.exists(dir.resolve(Pseudonyms.FILE + ".next")));
    }

    @Test
    void aDamagedSaltFileIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(Pseudonyms.FILE), "{\"generation\": 0}");
        var e = assertThrows(java.io.IOException.class, () -> Pseudonyms.loadOrCreate(dir, 1L));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    }
}
