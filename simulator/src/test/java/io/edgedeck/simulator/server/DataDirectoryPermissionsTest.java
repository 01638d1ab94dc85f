package io.edgedeck.simulator.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A node's data directory holds raw viewer ids, the journal and the audit trail: no other user of
 * the machine may enter it, whether the node made it or found it open.
 */
class DataDirectoryPermissionsTest {

    @Test
    void aNodeMakesItsDataDirectoryOwnerOnlyAndLeavesItsParentsAsTheyCome(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("shows").resolve("tonight");
        try (NodeProcess node = NodeProcess.start("--port", "0", "--data-dir", dir.toString())) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            Path plain = Files.createDirectory(tmp.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.getParent()),
                    "its parents are made as any directory is (the umask decides)");
        }
    }

    @Test
    void aDirectoryOpenToOthersIsClosedToThemAndKeepsWhatIsInIt(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("journal.jsonl"), "kept\n");

        OwnerOnlyFiles.dataDirectory(dir);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)),
                "made a data directory of, it keeps its mode until the start holds its lock and closes it");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(OwnerOnlyFiles.closeToOthers(dir)),
                "the mode it found, for a refused start to put back");

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("kept\n", Files.readString(dir.resolve("journal.jsonl")));
    }

    @Test
    void aPathNamingAFileIsRefusedAndTheFileLeftAsItWas(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("show.yaml"), "name: tonight\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThrows(NotDirectoryException.class, () -> OwnerOnlyFiles.dataDirectory(file));
        try (NodeProcess node = NodeProcess.launch("--port", "0", "--data-dir", file.toString())) {
            assertEquals(2, node.exitStatus(60), String.join("\n", node.output));
            // refused before the node starts, naming the option, the path and what is wrong with it
            assertTrue(String.join("\n", node.output).contains("--data-dir " + file + ": it is a file, not a directory"),
                    String.join("\n", node.output));
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("name: tonight\n", Files.readString(file));
    }

    /** /proc/self is open to everyone and refuses a change of mode, even to root: the node warns and goes on. */
    @Test
    void aDirectoryWhoseModeCannotBeChangedIsUsedAsItIs() throws Exception {
        Path proc = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(proc), "a Linux /proc");
        String before = PosixFilePermissions.toString(Files.getPosixFilePermissions(proc));
        assertDoesNotThrow(() -> OwnerOnlyFiles.closeToOthers(proc));
        assertEquals(before, PosixFilePermissions.toString(Files.getPosixFilePermissions(proc)));
    }

    @Test
    void anOwnerOnlyDirectoryIsLeftAsItIs(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("closed"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        OwnerOnlyFiles.closeToOthers(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        OwnerOnlyFiles.closeToOthers(dir);
        assertEquals("r-x------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)),
                "fewer rights for the owner are the owner's choice");
    }
}
