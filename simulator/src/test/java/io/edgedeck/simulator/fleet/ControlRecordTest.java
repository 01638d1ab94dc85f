package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgedeck.client.model.ChangeRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A control record's {@code idempotencyKey}, {@code request} and {@code action}: written and read back
 * with the record, left out when there is none, and a record written without the fields (by a node from
 * before them) still reads.
 */
class ControlRecordTest {

    private static final List<ControlRecord.Change> ROLLBACK = List.of(new ControlRecord.Change("flag/offer-banner", 3,
            JsonNodeFactory.instance.objectNode().put("killed", false)));

    @Test
    void aRecordWrittenBeforeKeysWereCarriedReadsWithoutOne() {
        String old = """
                {"v":1,"id":"r-1","issuedAtMillis":1764633600000,"issuer":"node-a","operator":"alice",
                 "reason":"sentiment dropped","changes":[{"key":"flag/offer-banner","version":3,"state":{"killed":false}}]}""";
        ControlRecord read = FleetJson.read(old.getBytes(StandardCharsets.UTF_8), ControlRecord.class);
        assertNull(read.idempotencyKey());
        assertNull(read.action());
        assertEquals(ROLLBACK, read.changes());
        assertFalse(new String(FleetJson.bytes(read), StandardCharsets.UTF_8).contains("idempotencyKey"),
                "left out when there is none");
    }

    @Test
    void aKeyTravelsWithItsRecordAndItsChanges() {
        ControlRecord.IdempotencyKey key = new ControlRecord.IdempotencyKey("alice", "rollback-once",
                "POST /api/v1/rollbacks 9b7e", 1_764_633_600_123L);
        ControlRecord record = new ControlRecord(1, "r-2", 1_764_633_600_200L, "node-a", "alice", "sentiment dropped", ROLLBACK,
                null, Map.of(), key);
        String json = new String(FleetJson.bytes(record), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"idempotencyKey\":{\"caller\":\"alice\",\"key\":\"rollback-once\","
                + "\"fingerprint\":\"POST /api/v1/rollbacks 9b7e\",\"wallMillis\":1764633600123}"), json);
        ControlRecord read = FleetJson.read(json.getBytes(StandardCharsets.UTF_8), ControlRecord.class);
        assertEquals(record, read);
        assertEquals(key, read.withChanges(ROLLBACK).idempotencyKey(), "the changes a node applies keep the key");
    }

    @Test
    void aChangeRequestTravelsWithItsRecordAndItsChanges() {
        ChangeRequest applied = new ChangeRequest(4, ChangeRequest.State.APPLIED, "alice", ChangeRequest.FLAG_UNKILL,
                "offer-banner", null, "fixed", List.of("brings the killed flag offer-banner back"), 2, 1_000, "bob", 1_500L, "ok",
                "alice", 2_000L);
        ControlRecord record = new ControlRecord(1, "r-3", 1_764_633_600_200L, "node-a", "alice", "fixed", ROLLBACK,
                null, Map.of(), null, applied);
        String json = new String(FleetJson.bytes(record), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"request\":{\"id\":4,\"state\":\"applied\""), json);
        ControlRecord read = FleetJson.read(json.getBytes(StandardCharsets.UTF_8), ControlRecord.class);
        assertEquals(record, read);
        assertEquals(applied, read.withChanges(ROLLBACK).request(), "the changes a node applies keep the request");
        assertNull(new ControlRecord(1, "r-4", 0, "node-a", "alice", "fixed", ROLLBACK).request());
        assertFalse(new String(FleetJson.bytes(new ControlRecord(1, "r-4", 0, "node-a", "alice", "fixed", ROLLBACK)),
                StandardCharsets.UTF_8).contains("request"), "left out when there is none");
    }

    @Test
    void aKeyThatDoesNotSayWhoseOrForWhatIsDroppedAndTheChangeStays() {
        for (ControlRecord.IdempotencyKey partial : List.of(
                new ControlRecord.IdempotencyKey(null, "k", "POST /api/v1/rollbacks 9b7e", 1),
                new ControlRecord.IdempotencyKey("alice", " ", "POST /api/v1/rollbacks 9b7e", 1),
                new ControlRecord.IdempotencyKey("alice", "k", null, 1))) {
            ControlRecord record = new ControlRecord(1, "r-3", 1, "node-a", "alice", "why", ROLLBACK, null, Map.of(), partial);
            assertNull(record.idempotencyKey(), partial.toString());
            assertEquals(ROLLBACK, record.changes());
        }
    }

    @Test
    void theAuditActionTravelsWithItsRecordAndItsChanges() {
        ControlRecord record = new ControlRecord(1, "r-4", 1_764_633_600_200L, "node-a", "alice", "sentiment dropped", ROLLBACK,
                null, Map.of(), null, null, "flag.rollback");
        String json = new String(FleetJson.bytes(record), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"action\":\"flag.rollback\""), json);
        ControlRecord read = FleetJson.read(json.getBytes(StandardCharsets.UTF_8), ControlRecord.class);
        assertEquals(record, read);
        assertEquals("flag.rollback", read.withChanges(ROLLBACK).action());
        assertNull(new ControlRecord(1, "r-5", 1, "node-a", "alice", "why", ROLLBACK, null, Map.of(), null, null, " ").action(),
                "a blank action is none");
        assertFalse(new String(FleetJson.bytes(new ControlRecord(1, "r-6", 1, "node-a", "alice", "why", ROLLBACK)),
                StandardCharsets.UTF_8).contains("\"action\""), "left out when there is none");
    }

    /**
     * A copy of a scheduled change written before copies said what the change sets (this one, as a node wrote it to the
     * topic) names no firing: it marks no other node's change, whose own try then goes on.
     */
    @Test
    void aCueFiringThatDoesNotSayWhatTheChangeSetsIsDropped() {
        String written = """
                {"v":1,"id":"4c1d6583-1bd4-3295-9ff6-0ba41b7e6d66","issuedAtMillis":1796693074892,"issuer":"node-b",\
                "operator":"schedule","reason":"the drop (scheduled #1 by admin; cue drop fired by admin)",\
                "changes":[{"key":"flag/offer-banner","version":1,"state":{"variants":[{"name":"control","weight":5000},\
                {"name":"treatment","weight":5000}],"scope":"global","killed":true}}],"run":{"action":"schedule.fire",\
                "target":"offer-banner","before":"scheduled #1 at cue drop","after":"kill offer-banner"},"scheduled":1,\
                "cueFiring":{"cueRecord":"eaf2bde9-2aa8-4221-bfd7-dcf409b37be8","change":"schedule|cue:drop|kill offer-banner"}}""";
        ControlRecord read = FleetJson.read(written.getBytes(StandardCharsets.UTF_8), ControlRecord.class);
        assertNull(read.cueFiring(), "no sets: no firing named");
        assertEquals(1L, read.scheduled());
        String whole = written.replace("kill offer-banner\"}}", "kill offer-banner\",\"sets\":\"" + "ab".repeat(32) + "\"}}");
        ControlRecord.CueFiring firing = FleetJson.read(whole.getBytes(StandardCharsets.UTF_8), ControlRecord.class).cueFiring();
        assertEquals(new ControlRecord.CueFiring("eaf2bde9-2aa8-4221-bfd7-dcf409b37be8", "schedule|cue:drop|kill offer-banner",
                "ab".repeat(32)), firing);
    }
}
