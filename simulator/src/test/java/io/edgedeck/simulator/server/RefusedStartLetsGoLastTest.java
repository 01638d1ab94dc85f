package io.edgedeck.simulator.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start refused before it served lets go of the data directory's lock last: a second start (here this test, in a
 * process of its own from the refused node's) that takes the lock the moment it is free finds the directory as the
 * refused start found it, and what it makes there stays.
 */
class RefusedStartLetsGoLastTest {

    @Test
    void aStartTakingTheLockAsARefusedStartLetsGoFindsTheDirectoryAsItWasAndKeepsWhatItMakes(@TempDir Path dir) throws Exception {
        // A damaged journal: the start makes its keys, listens, reads the journal and is refused.
        Files.writeString(dir.resolve("journal.jsonl"), "{\"type\":\"show.started\",\"seq\":1,\"atMillis\":0,\"scenario\":\"steady-show\","
                + "\"seed\":1001}\n{\"type\":\"show.clock\",\"seq\":2,\"atMillis\":\"soon\"}\n{\"type\":\"show.clock\",\"seq\":3,\"atMillis\":200}\n");
        Path lockFile = dir.resolve(DataDirectoryLock.FILE);
        // A lock file a node that stopped left: the refused start gives it its bytes back and never removes it, so this
        // test can wait on the same file.
        Files.writeString(lockFile, "4242\n");
        List<String> found = names(dir);
        // Two refused starts: the moment between letting go and taking back is short, so it is tried twice.
        for (int round = 0; round < 2; round++) {
            Path mine = dir.resolve("made-by-the-second-start-" + round);
            java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(dir);
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 NodeProcess refused = NodeProcess.launch("--scenario", "steady-show", "--port", "0", "--data-dir", dir.toString())) {
                String pid = refused.process.pid() + "\n";
                while (!Files.readString(lockFile).equals(pid)) {
                    assertTrue(refused.process.isAlive(), "the start ended before it took the directory: " + refused.output);
                    Thread.sleep(1);
                }
                // Held by the refused start: taken the moment it lets go, as a second start would.
                FileLock taken;
                while ((taken = channel.tryLock()) == null) {
                    Thread.onSpinWait();
                }
                List<String> atTaking = names(dir);
                java.nio.file.attribute.FileTime timeAtTaking = Files.getLastModifiedTime(dir);
                Files.writeString(mine, "the second start's\n");
                try {
                    assertEquals(2, refused.exitStatus(60), String.join("\n", refused.output));
                    assertEquals(found, atTaking, "what the refused start made is gone before it lets go of the lock: "
                            + String.join("\n", refused.output));
                    assertEquals(time, timeAtTaking, "the directory's time is set back before the lock is let go of");
                    assertTrue(Files.exists(mine), "the second start's file stays: " + names(dir));
                    assertEquals("4242\n", Files.readString(lockFile), "the lock file's bytes are back before the lock is let go of");
                } finally {
                    taken.release();
                    Files.delete(mine);
                }
            }
        }
    }

    private static List<String> names(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
