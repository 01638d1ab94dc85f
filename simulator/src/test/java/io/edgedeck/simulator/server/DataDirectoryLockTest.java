package io.edgedeck.simulator.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lock is on the file under the name node.lock, not on a file a refused start removed: the OS lock is on the
 * file, and a start that opened the lock file just before another removed it would otherwise hold a directory that a
 * third start, making a new lock file, holds too.
 */
class DataDirectoryLockTest {

    /** What a refused start that made the lock file and a start after it do between this start's opening and locking. */
    private static void replace(Path dir) throws IOException {
        Files.delete(dir.resolve(DataDirectoryLock.FILE));
        Files.writeString(dir.resolve(DataDirectoryLock.FILE), "");
    }

    @Test
    void aLockFileReplacedBeforeItIsLockedIsOpenedAgainAndTheNewOneLocked(@TempDir Path dir) throws Exception {
        AtomicInteger openings = new AtomicInteger();
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir, () -> {
            if (openings.incrementAndGet() == 1) {
                replace(dir);
            }
        })) {
            assertEquals(2, openings.get(), "the lock file was opened again");
            // This JVM holds a lock on the file under the name: another channel on it is told so.
            try (FileChannel probe = FileChannel.open(dir.resolve(DataDirectoryLock.FILE), StandardOpenOption.WRITE)) {
                assertThrows(OverlappingFileLockException.class, probe::tryLock, "the lock is on the file node.lock names");
            }
        }
    }

    @Test
    void aLockFileReplacedEveryTimeIsRefusedAsInUse(@TempDir Path dir) throws Exception {
        AtomicInteger openings = new AtomicInteger();
        DataDirectoryLock.HeldException refused = assertThrows(DataDirectoryLock.HeldException.class,
                () -> DataDirectoryLock.acquire(dir, () -> {
                    openings.incrementAndGet();
                    replace(dir);
                }));
        assertEquals(DataDirectoryLock.ATTEMPTS, openings.get());
        assertTrue(refused.getMessage().contains("is being taken by another start"), refused.getMessage());
        assertTrue(refused.getMessage().contains(dir.toString()), refused.getMessage());
        // Nothing of this start's is left locked: the next start takes the directory.
        DataDirectoryLock.acquire(dir).close();
    }

    /**
     * A start whose pid cannot be written (a full disk) still holds the lock while it takes back what it made: the lock
     * file it found gets its bytes and time back, and one it made is removed.
     */
    @Test
    void aPidThatCannotBeWrittenLeavesTheLockFileAsFound(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(DataDirectoryLock.FILE);
        Files.writeString(file, "4242\n");
        java.nio.file.attribute.FileTime then = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(file, then);
        DirectoryAsFound.Meanwhile full = () -> {
            throw new IOException("No space left on device");
        };
        IOException refused = assertThrows(IOException.class, () -> DirectoryAsFound.take(dir, () -> { }, full));
        assertEquals("No space left on device", refused.getMessage());
        assertEquals("4242\n", Files.readString(file), "the lock file found gets its bytes back");
        assertEquals(then, Files.getLastModifiedTime(file));

        Path fresh = Files.createDirectory(dir.resolve("fresh"));
        assertThrows(IOException.class, () -> DirectoryAsFound.take(fresh, () -> { }, full));
        assertFalse(Files.exists(fresh.resolve(DataDirectoryLock.FILE)), "the lock file it made is removed");
        try (java.util.stream.Stream<Path> s = Files.list(fresh)) {
            assertEquals(List.of(), s.toList());
        }
        Path made = dir.resolve("made").resolve("here");
        assertThrows(IOException.class, () -> DirectoryAsFound.take(made, () -> { }, full));
        assertFalse(Files.exists(dir.resolve("made")), "the directories it made are removed");
    }

    /**
     * A refused start whose closing of what it started throws (a Kafka client's error) still closes the rest, takes back
     * what it made and lets go of the directory, and the refusal is still what it reports.
     */
    @Test
    void aCloseThatThrowsStillLetsGoOfTheDirectoryAsFound(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("journal.jsonl"), "");
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(dir);
        Files.writeString(dir.resolve("token"), "made by this start\n");
        Exception refusal = new EdgeNode.StartException("cannot read the fleet from --kafka", null);
        java.util.concurrent.atomic.AtomicBoolean closedAfter = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            DirectoryAsFound.Taken.closing(refusal, () -> {
                throw new IllegalStateException("the Kafka client could not close");
            }, null, () -> closedAfter.set(true));
        } finally {
            taken.letGo(false, refusal, List.of());
        }
        assertTrue(closedAfter.get(), "what was started after the one that threw is closed too");
        assertEquals("the Kafka client could not close", refusal.getSuppressed()[0].getMessage());
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("journal.jsonl")), s.toList(), "what the start made is taken back");
        }
        DataDirectoryLock.acquire(dir).close();
    }
}
