package io.edgedeck.simulator.server;

import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.engine.journal.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryAsFoundTest {

    @Test
    void aFileWrittenBeforeTheLockIsTakenIsNotTheStartsToRemove(@TempDir Path dir) throws Exception {
        // The node that held the directory writes a file and lets go of the lock while this start takes it.
        Files.writeString(dir.resolve("journal.jsonl"), "");
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(dir,
                () -> Files.writeString(dir.resolve("audit.jsonl"), "the other node's\n"));
        Files.writeString(dir.resolve("token"), "made by this start\n");
        taken.letGoAsFound();
        assertEquals(List.of("audit.jsonl", "journal.jsonl"), names(dir), "what was there when the lock was taken stays");
        assertEquals("the other node's\n", Files.readString(dir.resolve("audit.jsonl")));
    }

    @Test
    void theLockFileAStartMadeIsTakenBackAndOneThatWasThereStays(@TempDir Path dir) throws Exception {
        Path fresh = Files.createDirectory(dir.resolve("fresh"));
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(fresh);
        taken.letGoAsFound();
        assertEquals(List.of(), names(fresh));

        Path used = Files.createDirectory(dir.resolve("used"));
        Files.writeString(used.resolve(DataDirectoryLock.FILE), "");
        taken = DirectoryAsFound.take(used);
        taken.letGoAsFound();
        assertEquals(List.of(DataDirectoryLock.FILE), names(used));

        Path made = dir.resolve("made").resolve("here");
        taken = DirectoryAsFound.take(made);
        taken.letGoAsFound();
        assertFalse(Files.exists(dir.resolve("made")));
    }

    /**
     * A start that set a damaged snapshot aside (it went on from the snapshot before it) and was then
     * refused puts the snapshot back under the name it was found under, and a lock file it found gets
     * its bytes and its time back.
     */
    @Test
    void aSnapshotSetAsideAndTheLockFileFoundGoBackAsTheyWere(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("snapshot-40.jsonl"), "damaged\n");
        Files.writeString(dir.resolve(DataDirectoryLock.FILE), "4242\n");
        java.nio.file.attribute.FileTime then = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(dir.resolve(DataDirectoryLock.FILE), then);
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(dir);
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(DataDirectoryLock.FILE)), "held, it names its holder");
        Files.move(dir.resolve("snapshot-40.jsonl"), dir.resolve("snapshot-40.jsonl.refused"));
        taken.letGoAsFound();
        assertEquals(List.of(DataDirectoryLock.FILE, "snapshot-40.jsonl"), names(dir));
        assertEquals("damaged\n", Files.readString(dir.resolve("snapshot-40.jsonl")));
        assertEquals("4242\n", Files.readString(dir.resolve(DataDirectoryLock.FILE)));
        assertEquals(then, Files.getLastModifiedTime(dir.resolve(DataDirectoryLock.FILE)));
    }

    /**
     * A damaged snapshot found beside one an earlier start set aside as {@code snapshot-N.jsonl.refused}:
     * the journal's opening sets it aside under the next free name, the earlier one keeping its bytes,
     * and a start refused after that puts the snapshot back under its own name, leaving every file with
     * the bytes it was found with.
     */
    @Test
    void aSnapshotSetAsideBesideOneSetAsideEarlierKeepsBothAndGoesBackUnderItsName(@TempDir Path dir) throws Exception {
        SnapshotJournal.Policy byHand = new SnapshotJournal.Policy(Long.MAX_VALUE, java.time.Duration.ofDays(1));
        Path snapshot;
        try (SnapshotJournal journal = SnapshotJournal.open(dir, byHand)) {
            journal.append(new JournalRecord.ShowStarted(journal.nextSeq(), 0, "show", 7));
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 1_000));
            snapshot = SnapshotStore.fileOf(dir, journal.snapshotNow(
                    new JournalRecord.CheckoutsState(journal.nextSeq() - 1, 1_000, 0, 0, 1, List.of(), List.of())).coversSeq());
        }
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length - 40] ^= 0x20;
        Files.write(snapshot, bytes);
        Path earlier = snapshot.resolveSibling(snapshot.getFileName() + ".refused");
        Files.writeString(earlier, "set aside at an earlier start\n");
        Map<String, String> found = contents(dir);

        DirectoryAsFound.Taken taken = DirectoryAsFound.take(dir);
        try (SnapshotJournal opened = SnapshotJournal.open(dir, byHand)) {
            assertEquals(1, opened.recovery().refused().size(), opened.recovery().refused().toString());
        }
        Path aside = snapshot.resolveSibling(snapshot.getFileName() + ".refused-2");
        assertFalse(Files.exists(snapshot), "set aside");
        assertTrue(Files.exists(aside), "set aside under the next free name, not over the one set aside before");
        assertArrayEquals(bytes, Files.readAllBytes(aside), "the damaged snapshot's bytes");
        assertEquals("set aside at an earlier start\n", Files.readString(earlier), "the one set aside before is kept");

        taken.letGoAsFound();
        assertEquals(found, contents(dir), "every file as it was found, under the name it was found under");
    }

    /** Each file in {@code dir} by name, with its bytes (as ISO-8859-1 text, to compare whole). */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        for (String name : names(dir)) {
            contents.put(name, new String(Files.readAllBytes(dir.resolve(name)), StandardCharsets.ISO_8859_1));
        }
        return contents;
    }

    @Test
    void directoriesMadeOnTheWayAreTakenBackWhenTheDataDirectoryCannotBeMade(@TempDir Path dir) {
        // A name longer than the file system allows: its parent is made, then the directory itself cannot be.
        Path tooLong = dir.resolve("parent").resolve("x".repeat(300));
        assertThrows(IOException.class, () -> DirectoryAsFound.take(tooLong));
        assertFalse(Files.exists(dir.resolve("parent")), "the directory the start made on the way is taken back");
    }

    /**
     * A start whose lock call fails with an I/O error (ENOLCK, EIO: a network file system's lock service down) does not
     * hold the directory: the lock file another node made and locked meanwhile is that node's, and stays, as do the
     * directories holding it, the start's own or not.
     */
    @Test
    void aLockThatCannotBeTakenLeavesTheLockFileAnotherNodeHolds(@TempDir Path dir) throws Exception {
        Path there = Files.createDirectory(dir.resolve("there"));
        Path made = dir.resolve("made").resolve("here");
        for (Path data : List.of(there, made)) {
            Path lockFile = data.resolve(DataDirectoryLock.FILE);
            java.nio.channels.FileChannel[] other = new java.nio.channels.FileChannel[1];
            try {
                EdgeNode.StartException refused = assertThrows(EdgeNode.StartException.class, () -> DirectoryAsFound.take(data, () -> {
                    // Another node makes the lock file, locks it and writes its pid, after this start looked and before it locks.
                    other[0] = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.WRITE);
                    other[0].lock();
                    other[0].write(java.nio.ByteBuffer.wrap("4242\n".getBytes(StandardCharsets.US_ASCII)), 0);
                }, () -> { }, () -> {
                    throw new IOException("No locks available");
                }));
                // Refused as the other refused starts are (serve says it and exits 2), naming the directory and the cause.
                assertEquals("the data directory " + data + " cannot be locked: locking its node.lock failed (No locks"
                        + " available); on a network file system its lock service must be running, or start with a"
                        + " --data-dir on a local disk", refused.getMessage());
                assertTrue(Files.exists(lockFile), "the other node's lock file stays in " + data);
                assertEquals("4242\n", Files.readString(lockFile));
            } finally {
                if (other[0] != null) {
                    other[0].close();
                }
            }
        }
    }

    /**
     * A lock file this start made but could not lock may have been locked by another start since: it is left, the refusal
     * says so, and so are the directories this start made on the way to it.
     */
    @Test
    void aLockFileThisStartMadeButCouldNotLockIsLeftAndTheNextStartTakesIt(@TempDir Path top) throws Exception {
        Path dir = top.resolve("shows").resolve("main");
        EdgeNode.StartException refused = assertThrows(EdgeNode.StartException.class,
                () -> DirectoryAsFound.take(dir, () -> { }, () -> { }, () -> {
                    throw new IOException("Input/output error");
                }));
        assertEquals("the data directory " + dir + " cannot be locked: locking its node.lock failed (Input/output error);"
                + " on a network file system its lock service must be running, or start with a --data-dir on a local disk;"
                + " the empty node.lock this start made there is left (the next start takes it)", refused.getMessage());
        assertEquals(List.of(DataDirectoryLock.FILE), names(dir));
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(dir);
        taken.letGoAsFound();
        assertEquals(List.of(DataDirectoryLock.FILE), names(dir), "a lock file found is left as found");
        assertEquals("", Files.readString(dir.resolve(DataDirectoryLock.FILE)));
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
