package io.edgedeck.engine.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request's Idempotency-Key goes into the journal in the same write as its change, and only then;
 * its records read back as written; journals written before keys were journaled still read; and
 * a snapshot keeps the keys still remembered.
 */
class KeyedJournalTest {
    private static final long NOW = 1_800_000_000_000L;

    private static JournalRecord.Audited audit(Journal journal, String action) {
        return new JournalRecord.Audited(journal.nextSeq(), 1_000, "pat", action, "salt", "generation 1", "generation 2", "why");
    }

    @Test
    void theKeyFollowsTheFirstRecordsOfTheRequestsChangeInTheSameWrite() {
        List<List<JournalRecord>> writes = new ArrayList<>();
        MemoryJournal memory = new MemoryJournal();
        Journal counting = new ForwardingJournal(memory) {
            @Override
            public void append(JournalRecord record) {
                appendAll(List.of(record));
            }

            @Override
            public void appendAll(List<JournalRecord> records) {
                writes.add(List.copyOf(records));
                journal.appendAll(records);
            }
        };
        KeyedJournal journal = new KeyedJournal(counting);
        journal.append(audit(journal, "show.pause"));
        KeyedRequest request = new KeyedRequest("pat", "k-1", "POST /api/v1/privacy/salt/rotate abc", NOW);
        KeyedRequest.during(request, () -> {
            journal.append(audit(journal, "privacy.salt.rotate"));
            journal.append(audit(journal, "show.resume"));
            return null;
        });
        journal.append(audit(journal, "show.speed"));

        assertEquals(4, writes.size(), "one write each: the key rides with the change, not in a write of its own");
        assertEquals(1, writes.get(0).size(), "no key outside a keyed request");
        assertEquals(2, writes.get(1).size());
        var key = assertInstanceOf(JournalRecord.IdempotencyKey.class, writes.get(1).get(1));
        assertEquals(new JournalRecord.IdempotencyKey(3, 1_000, "pat", "k-1", "POST /api/v1/privacy/salt/rotate abc", NOW), key);
        assertEquals(1, writes.get(2).size(), "the key is written once per request");
        assertEquals(1, writes.get(3).size());
        assertTrue(request.journaled());
        assertEquals(3, request.keySeq());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), memory.records().stream().map(JournalRecord::seq).toList(), "no gaps");
    }

    @Test
    void aChangeTheJournalRefusesLeavesNoKey() {
        Journal refusing = new ForwardingJournal(new MemoryJournal()) {
            @Override
            public void append(JournalRecord record) {
                appendAll(List.of(record));
            }

            @Override
            public void appendAll(List<JournalRecord> records) {
                throw JournalUnavailableException.because("No space left on device", 0, null);
            }
        };
        KeyedJournal journal = new KeyedJournal(refusing);
        KeyedRequest request = new KeyedRequest("pat", "k-1", "fp", NOW);
        assertThrows(JournalUnavailableException.class, () -> KeyedRequest.during(request, () -> {
            journal.append(audit(journal, "privacy.salt.rotate"));
            return null;
        }));
        assertFalse(request.journaled(), "a refused change has no key on the device, and its answer stays in memory");
        assertEquals(List.of(), journal.records());
    }

    @Test
    void keyAndAnswerRecordsReadBackAsWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.jsonl");
        List<JournalRecord> written = List.of(
                new JournalRecord.ShowStarted(1, 0, "live", 0),
                new JournalRecord.Audited(2, 1_000, "pat", "privacy.salt.rotate", "salt", "generation 1", "generation 2", "why"),
                new JournalRecord.IdempotencyKey(3, 1_000, "pat", "k-1", "POST /api/v1/privacy/salt/rotate abc", NOW),
                new JournalRecord.IdempotencyAnswer(4, 1_040, 3, 200, "application/json", Map.of(),
                        "{\"fromGeneration\":1,\"toGeneration\":2}"),
                new JournalRecord.IdempotencyKey(5, 2_000, "pat", "k-2", "POST /api/v1/requests/7/apply 123", NOW + 5),
                new JournalRecord.IdempotencyAnswer(6, 2_010, 5, 202, "application/json", Map.of("Location", "/api/v1/requests/7"), "{}"),
                new JournalRecord.IdempotencyKey(7, 3_000, "pat", "k-3", "POST /api/v1/show/pause 0", NOW + 9),
                new JournalRecord.IdempotencyAnswer(8, 3_010, 7, 204, null, Map.of(), ""));
        try (FileJournal journal = FileJournal.open(file)) {
            journal.appendAll(written.subList(0, 4));
            written.subList(4, written.size()).forEach(journal::append);
        }
        try (FileJournal again = FileJournal.open(file)) {
            assertEquals(written, again.records());
        }
        String text = Files.readString(file);
        assertTrue(text.contains("{\"type\":\"idempotency.key\",\"seq\":3,\"atMillis\":1000,\"caller\":\"pat\",\"key\":\"k-1\","));
        assertFalse(text.lines().skip(7).findFirst().orElseThrow().contains("contentType"), "no content type for an answer without a body");
    }

    @Test
    void aJournalWrittenBeforeKeysWereJournaledStillReads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.jsonl");
        String old = """
                {"type":"show.started","seq":1,"atMillis":0,"scenario":"live","seed":0}
                {"type":"audit","seq":2,"atMillis":3040,"actor":"admin","action":"privacy.salt.rotate","target":"salt","before":"generation 1","after":"generation 2","reason":"r"}
                {"type":"show.clock","seq":3,"atMillis":4000}
                """;
        Files.writeString(file, old, StandardCharsets.UTF_8);
        try (FileJournal journal = FileJournal.open(file)) {
            assertEquals(3, journal.records().size());
            assertFalse(journal.records().stream().anyMatch(Compaction::idempotency));
            KeyedJournal keyed = new KeyedJournal(journal);
            KeyedRequest request = new KeyedRequest("admin", "k", "fp", NOW);
            KeyedRequest.during(request, () -> {
                keyed.append(new JournalRecord.Audited(keyed.nextSeq(), 5_000, "admin", "privacy.salt.rotate", "salt",
                        "generation 2", "generation 3", "r"));
                return null;
            });
            assertEquals(5, request.keySeq(), "appended after the old records, numbered on from them");
        }
        try (FileJournal again = FileJournal.open(file)) {
            assertEquals(5, again.records().size());
            assertTrue(Files.readString(file).startsWith(old), "the old records are as they were");
        }
    }

    @Test
    void aSnapshotKeepsTheKeysStillRememberedWithTheirAnswersAndDropsTheRest() {
        long from = NOW - KeyedRequest.REMEMBERED.toMillis();
        List<JournalRecord> records = List.of(
                new JournalRecord.ShowStarted(1, 0, "live", 0),
                new JournalRecord.Audited(2, 10, "pat", "privacy.salt.rotate", "salt", "1", "2", "r"),
                new JournalRecord.IdempotencyKey(3, 10, "pat", "old", "fp", from - 1),
                new JournalRecord.IdempotencyAnswer(4, 10, 3, 200, "application/json", Map.of(), "{}"),
                new JournalRecord.Audited(5, 20, "pat", "privacy.salt.rotate", "salt", "2", "3", "r"),
                new JournalRecord.IdempotencyKey(6, 20, "pat", "new", "fp", from),
                new JournalRecord.IdempotencyAnswer(7, 20, 6, 200, "application/json", Map.of(), "{}"),
                new JournalRecord.ShowClock(8, 30));
        Snapshot s = Compaction.next(null, records, checkouts(8), from);
        List<Long> kept = s.records().stream().filter(Compaction::idempotency).map(JournalRecord::seq).toList();
        assertEquals(List.of(6L, 7L), kept, "the key taken within the window and its answer; the older one is forgotten");

        // The next snapshot, a window later, forgets that one too.
        Snapshot later = Compaction.next(s, List.of(new JournalRecord.ShowClock(9, 40)), checkouts(9), from + 1);
        assertEquals(List.of(), later.records().stream().filter(Compaction::idempotency).toList());
    }

    @Test
    void aSnapshotKeepsNoMoreKeysThanAreRemembered() {
        List<JournalRecord> records = new ArrayList<>();
        records.add(new JournalRecord.ShowStarted(1, 0, "live", 0));
        int keys = KeyedRequest.MAX_KEYS + 5;
        for (int i = 0; i < keys; i++) {
            records.add(new JournalRecord.IdempotencyKey(records.size() + 1, 10, "pat", "k" + i, "fp", NOW));
        }
        Snapshot s = Compaction.next(null, records, checkouts(records.size()), NOW - 1);
        List<JournalRecord> kept = s.records().stream().filter(Compaction::idempotency).toList();
        assertEquals(KeyedRequest.MAX_KEYS, kept.size());
        assertEquals("k5", ((JournalRecord.IdempotencyKey) kept.getFirst()).key(), "the oldest are dropped first");
    }

    private static JournalRecord.CheckoutsState checkouts(long seq) {
        return new JournalRecord.CheckoutsState(seq, 0, 0, 0, 1, List.of(), List.of());
    }
}
