package io.edgedeck.simulator.server;

import io.edgedeck.engine.journal.DirectorySync;
import io.edgedeck.engine.journal.FileJournal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file system that refuses to sync a directory (as FUSE and network file systems do) does not
 * stop the node: {@code /proc} is a real one that answers EINVAL, as they do.
 */
class DirectorySyncTest {
    @Test
    void aDirectoryTheFileSystemWillNotSyncIsWarnedOfAndTheNodeGoesOn() throws Exception {
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc.resolve("self")), "no procfs here");
        Exception refused = assertThrows(Exception.class, () -> {
            try (FileChannel d = FileChannel.open(proc, StandardOpenOption.READ)) {
                d.force(true);
            }
        }, "procfs synced a directory: it is not the refusing file system this test needs");
        Assumptions.assumeTrue(DirectorySync.refused(refused), "the system says it in other words: " + refused);
        assertDoesNotThrow(() -> OwnerOnlyFiles.syncDirectory(proc));
        assertDoesNotThrow(() -> OwnerOnlyFiles.syncDirectory(proc), "a second time, warned of no more");
        assertDoesNotThrow(() -> FileJournal.forceDirectory(proc.resolve("journal.ndjson")), "the journal's own file");
    }

    /** A disk error, or a directory the node may not open, still fails: only the file system's refusal is let by. */
    @Test
    void anErrorOfTheDiskIsNotTakenForARefusal() {
        assertFalse(DirectorySync.refused(new java.io.IOException("Input/output error")));
        assertFalse(DirectorySync.refused(new java.nio.file.AccessDeniedException("/data")));
        assertTrue(DirectorySync.refused(new UnsupportedOperationException()));
    }
}
