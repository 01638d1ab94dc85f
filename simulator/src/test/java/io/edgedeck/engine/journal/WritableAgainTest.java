package io.edgedeck.engine.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal says it is writable again (what ends a row's journal-caused {@code not-taken}) only after a write as
 * large as the one that failed: a small record that fits where a large write did not (a full disk's or a quota's last
 * block) proves nothing for the large one, whatever room the device reports.
 */
class WritableAgainTest {

    @Test
    void aSmallWriteAfterALargeOneFailedIsNotWritableAgainAndOneAsLargeIs(@TempDir Path dir) throws Exception {
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = FileJournal.open(dir.resolve("journal.jsonl"), c -> disk[0] = new FullDisk(c));
        try {
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 1_000));
            disk[0].leave(200);

            List<JournalRecord> large = clocks(journal, 100);
            assertThrows(JournalUnavailableException.class, () -> journal.appendAll(large));
            assertEquals(1, disk[0].failures());

            // One small record fits in the room left (the device itself reports plenty of space).
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 2_000));
            assertTrue(journal.condition().writable(), "the small record was written");
            assertEquals(Long.MIN_VALUE, journal.writableAgainMillis(),
                    "a small write after a large one failed does not say the large one would be taken");

            disk[0].free();
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 3_000));
            assertEquals(Long.MIN_VALUE, journal.writableAgainMillis(), "still only a small write since the failure");

            long before = System.currentTimeMillis();
            journal.appendAll(clocks(journal, 100));
            assertTrue(journal.writableAgainMillis() >= before, "a write as large as the failed one says it is writable again");
        } finally {
            journal.close();
        }
    }

    private static List<JournalRecord> clocks(FileJournal journal, int n) {
        List<JournalRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new JournalRecord.ShowClock(journal.nextSeq() + i, 10_000 + i));
        }
        return records;
    }
}
