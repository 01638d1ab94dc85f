package io.edgedeck.simulator.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DirectoryAsFoundTest {

    @Test
    void aFileWrittenBeforeTheLockIsTakenIsNotTheStartsToRemove(@TempDir Path dir) throws Exception {
        // The node that held the directory writes a file and lets go of the lock while this start takes it.
        Files.writeString(dir.resolve("journal.jsonl"), "");
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(dir,
                () -> Files.writeString(dir.resolve("audit.jsonl"), "the other node's\n"));
        Files.writeString(dir.resolve("token"), "made by this start\n");
        taken.lock().close();
        taken.found().takeBack();
        assertEquals(List.of("audit.jsonl", "journal.jsonl"), names(dir), "what was there when the lock was taken stays");
        assertEquals("the other node's\n", Files.readString(dir.resolve("audit.jsonl")));
    }

    @Test
    void theLockFileAStartMadeIsTakenBackAndOneThatWasThereStays(@TempDir Path dir) throws Exception {
        Path fresh = Files.createDirectory(dir.resolve("fresh"));
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(fresh);
        taken.lock().close();
        taken.found().takeBack();
        assertEquals(List.of(), names(fresh));

        Path used = Files.createDirectory(dir.resolve("used"));
        Files.writeString(used.resolve(DataDirectoryLock.FILE), "");
        taken = DirectoryAsFound.take(used);
        taken.lock().close();
        taken.found().takeBack();
        assertEquals(List.of(DataDirectoryLock.FILE), names(used));

        Path made = dir.resolve("made").resolve("here");
        taken = DirectoryAsFound.take(made);
        taken.lock().close();
        taken.found().takeBack();
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
        taken.lock().closeAsFound();
        taken.found().takeBack();
        assertEquals(List.of(DataDirectoryLock.FILE, "snapshot-40.jsonl"), names(dir));
        assertEquals("damaged\n", Files.readString(dir.resolve("snapshot-40.jsonl")));
        assertEquals("4242\n", Files.readString(dir.resolve(DataDirectoryLock.FILE)));
        assertEquals(then, Files.getLastModifiedTime(dir.resolve(DataDirectoryLock.FILE)));
    }

    @Test
    void directoriesMadeOnTheWayAreTakenBackWhenTheDataDirectoryCannotBeMade(@TempDir Path dir) {
        // A name longer than the file system allows: its parent is made, then the directory itself cannot be.
        Path tooLong = dir.resolve("parent").resolve("x".repeat(300));
        assertThrows(IOException.class, () -> DirectoryAsFound.take(tooLong));
        assertFalse(Files.exists(dir.resolve("parent")), "the directory the start made on the way is taken back");
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
