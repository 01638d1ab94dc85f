package io.edgedeck.simulator.server;

import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetTopics;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A start refused changes no mode in its data directory and removes nothing it found there: a
 * directory open to other users, key files others may read, and what a key's creation a crash cut
 * short left beside it (it may hold a token) stay as they were, the directory's hash with every
 * entry's mode unchanged. A start that goes on closes the directory, makes the key files owner-only
 * and removes the leftovers.
 */
class RefusedStartModesTest {

    private static void openToOthers(Path data) throws Exception {
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("token"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data.resolve("read-key"), PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(data.resolve("token.4242.creating"), "a token a crash cut short\n");
        Files.writeString(data.resolve("read-key.77.creating"), "a read key a crash cut short\n");
    }

    /** A data directory under {@code tmp} a node started on once (POSIX modes assumed), its token file owner-only. */
    private static Path startedOnce(Path tmp) throws Exception {
        assumeTrue(OwnerOnlyFiles.posix(tmp), "a file system with POSIX modes");
        Path data = tmp.resolve("data");
        try (LiveNode first = LiveNode.start(data, 1)) {
            assertEquals("rw-------", mode(data.resolve("token")));
        }
        return data;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNodesRefusedStartLeavesModesAndLeftoversAsFoundAndOneThatGoesOnSettlesThem(@TempDir Path tmp) throws Exception {
        assumeTrue(OwnerOnlyFiles.posix(tmp), "a file system with POSIX modes");
        Path data = tmp.resolve("data");
        String token;
        try (LiveNode first = LiveNode.start(data, 1)) {
            token = first.token;
        }
        openToOthers(data);
        Map<String, String> before = EveryFile.modesAndHashes(data);

        // The journal of another show: refused after the node read its keys.
        ShowDefinition other = ShowDefinition.of(ScenarioCatalog.resolve("pop-outage"));
        EdgeNode.StartException refused = assertThrows(EdgeNode.StartException.class, () -> EdgeNode.start(
                new EdgeNode.Config(other, 1, InetAddress.getLoopbackAddress(), 0, data)));
        assertTrue(refused.getMessage().contains("'pop-outage'"), refused.getMessage());
        assertEquals(before, EveryFile.modesAndHashes(data), refused.getMessage());

        try (LiveNode second = LiveNode.start(data, 1)) {
            assertEquals(token, second.token, "the token itself is kept");
            assertEquals("rwx------", mode(data));
            assertEquals("rw-------", mode(data.resolve("token")));
            assertEquals("rw-------", mode(data.resolve("read-key")));
            assertFalse(Files.exists(data.resolve("token.4242.creating")));
            assertFalse(Files.exists(data.resolve("read-key.77.creating")));
            assertEquals(java.util.List.of(
                    "the key file " + data.resolve("token") + " was rw-r--r--: its group and others could read it; it is now"
                            + " rw-------, for its owner alone",
                    "the key file " + data.resolve("read-key") + " was rw-r-----: its group could read it; it is now rw-------,"
                            + " for its owner alone"),
                    second.node.keyFilesTightened(), "each key file tightened, from what mode to what");
            assertEquals(null, second.node.tokenWarning(), "said once, in the log line above");
        }
    }

    /**
     * A key file its owner made stricter than owner-only (read-only, 0400) is none others could read: the start leaves it
     * as it is, writes no line about it, and does not make it writable; one its group could write loses that alone.
     */
    @Test
    void aKeyFileItsOwnerMadeReadOnlyIsLeftAsItIs(@TempDir Path tmp) throws Exception {
        Path data = startedOnce(tmp);
        Files.setPosixFilePermissions(data.resolve("token"), PosixFilePermissions.fromString("r--------"));
        Files.setPosixFilePermissions(data.resolve("read-key"), PosixFilePermissions.fromString("r---w----"));
        try (LiveNode second = LiveNode.start(data, 1)) {
            assertEquals("r--------", mode(data.resolve("token")), "not made writable");
            assertEquals("r--------", mode(data.resolve("read-key")), "the group's write taken, the owner's rights as they were");
            assertEquals(java.util.List.of("the key file " + data.resolve("read-key") + " was r---w----: its group could write"
                    + " it; it is now r--------, for its owner alone"), second.node.keyFilesTightened());
        }
    }

    /**
     * A start whose checks passed but that cannot settle a key's file (here, what stands where a cut-short creation's
     * leftover would is a directory with something in it) is refused for that, not for what a crash left in the
     * ingest log or the journal, and gives the directory its mode back as it found it.
     */
    @Test
    void aStartThatCannotSettleTheKeyFilesSaysSoAndPutsTheDirectorysModeBack(@TempDir Path tmp) throws Exception {
        assumeTrue(OwnerOnlyFiles.posix(tmp), "a file system with POSIX modes");
        Path data = tmp.resolve("data");
        try (LiveNode first = LiveNode.start(data, 1)) {
            assertEquals("rwx------", mode(data));
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path stuck = data.resolve("token.4242.creating");
        EdgeNode.StartException refused = refusedAsFound(data, stuck, "the directory open to others again, as found");
        assertTrue(refused.getMessage().startsWith("cannot settle the key files in " + data + " (remove what a creation of one"
                + " a crash cut short left, make one others could read owner-only): " + stuck), refused.getMessage());
    }

    /**
     * Stands a directory with something in it where a key's cut-short creation's leftover would be ({@code stuck}), which
     * the start cannot remove, starts a node on {@code data}, and finds it refused with every entry's bytes and mode as
     * they were before it.
     */
    private static EdgeNode.StartException refusedAsFound(Path data, Path stuck, String what) throws Exception {
        Files.createDirectory(stuck);
        Files.writeString(stuck.resolve("inside"), "not the node's\n");
        Map<String, String> before = EveryFile.modesAndHashes(data);
        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        EdgeNode.StartException refused = assertThrows(EdgeNode.StartException.class, () -> EdgeNode.start(
                new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, data)));
        assertEquals(before, EveryFile.modesAndHashes(data), what + ": " + refused.getMessage());
        return refused;
    }

    /**
     * A start refused after it settled one key file (the token, made owner-only) and while settling the next (what
     * stands where the read key's cut-short creation's leftover would is a directory with something in it) puts the
     * token file's mode back: the directory is left with every mode as found.
     */
    @Test
    void aStartRefusedAfterSettlingAKeyPutsItsModeBack(@TempDir Path tmp) throws Exception {
        Path data = startedOnce(tmp);
        Files.setPosixFilePermissions(data.resolve("token"), PosixFilePermissions.fromString("rw-r--r--"));
        EdgeNode.StartException refused = refusedAsFound(data, data.resolve("read-key.77.creating"),
                "the token file's mode as the start found it");
        assertTrue(refused.getMessage().startsWith("cannot settle the key files in " + data), refused.getMessage());
        assertEquals("rw-r--r--", mode(data.resolve("token")));
    }

    @Test
    void anAggregatorsRefusedStartLeavesModesAndLeftoversAsFound(@TempDir Path tmp) throws Exception {
        assumeTrue(OwnerOnlyFiles.posix(tmp), "a file system with POSIX modes");
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.writeString(data.resolve("token"), "an aggregator's token\n");
        Files.writeString(data.resolve("read-key"), "an aggregator's read key\n");
        openToOthers(data);
        Path nodesKey = Files.writeString(tmp.resolve("nodes-read-key"), "");
        java.nio.file.attribute.FileTime then = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(data, then);
        Map<String, String> before = EveryFile.modesAndHashes(data);

        EdgeNode.StartException refused = assertThrows(EdgeNode.StartException.class, () -> FleetServer.start(
                new FleetOptions("127.0.0.1:9", null, new FleetTopics("edgedeck.", 1, (short) 1), null),
                InetAddress.getLoopbackAddress(), 0, data, 0, null, nodesKey));
        assertEquals("--nodes-read-key " + nodesKey + " is empty: give the file of the nodes' read key", refused.getMessage());
        assertEquals(before, EveryFile.modesAndHashes(data), refused.getMessage());
        assertEquals(then, Files.getLastModifiedTime(data), "the lock file the start made and took back leaves the directory's time");
    }
}
