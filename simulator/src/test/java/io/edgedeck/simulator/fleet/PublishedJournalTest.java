package io.edgedeck.simulator.fleet;

import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.JournalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a fleet node hands on to its journal topic is on the device: a record written without a force
 * (a late batch's apply tick) is handed on only with the forced write that covers it, so a power loss
 * between the two leaves the topic nothing the journal lost and the node would number again.
 */
class PublishedJournalTest {

    @Test
    void aRecordWrittenUnforcedIsHandedOnOnlyWithTheForcedWriteThatCoversIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.jsonl");
        List<JournalRecord> published = new ArrayList<>();
        try (FileJournal onDisk = FileJournal.open(file)) {
            PublishedJournal journal = new PublishedJournal(onDisk, published::addAll);
            journal.append(new JournalRecord.ShowStarted(journal.nextSeq(), 0, "show", 7));
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 1_000));
            long forcedLength = Files.size(file);
            journal.appendUnforced(new JournalRecord.ShowClock(journal.nextSeq(), 1_980, 2L));
            assertEquals(List.of(1L, 2L), seqs(published), "handed on before a forced write covered it");

            // The power is lost now: the device keeps the journal as its last forced write left it.
            Path afterLoss = dir.resolve("after-loss.jsonl");
            Files.copy(file, afterLoss);
            try (FileChannel cut = FileChannel.open(afterLoss, StandardOpenOption.WRITE)) {
                cut.truncate(forcedLength);
            }
            assertEquals(seqs(FileJournal.readOnly(afterLoss).records()), seqs(published),
                    "the topic holds what the journal kept through the power loss, no more");

            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 2_000));
            assertEquals(List.of(1L, 2L, 3L, 4L), seqs(published), "handed on in order with the write that forced it");
            assertEquals(2L, published.get(2).ingestApplied());
        }
    }

    private static List<Long> seqs(List<JournalRecord> records) {
        return records.stream().map(JournalRecord::seq).toList();
    }
}
