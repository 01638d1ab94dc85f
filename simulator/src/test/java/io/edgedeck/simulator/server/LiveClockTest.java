package io.edgedeck.simulator.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A live node's clock: its instant and its rate are the data directory's for as long as it lives. */
class LiveClockTest {
    @TempDir
    Path dir;

    @Test
    void aNodeRehearsedIntoAtTenTimesKeepsThatRateAndRefusesAnother() throws Exception {
        LiveClock fast = LiveClock.of(dir, false, 10);
        String[] file = Files.readString(dir.resolve(LiveClock.FILE), StandardCharsets.US_ASCII).trim().split(" ");
        long epoch = Long.parseLong(file[0]);
        assertEquals(10.0, Double.parseDouble(file[1]));
        assertEquals(10_000, fast.engineClock().toEngineMillis(epoch + 1_000), "a wall second is ten of the node's");

        assertEquals(10_000, LiveClock.of(dir, true, 10).engineClock().toEngineMillis(epoch + 1_000), "restarted at its rate");
        EdgeNode.StartException other = assertThrows(EdgeNode.StartException.class, () -> LiveClock.of(dir, true, 1));
        assertTrue(other.getMessage().contains("runs its clock at 10x") && other.getMessage().contains("--speed 10"), other.getMessage());
    }

    @Test
    void aRealShowsNodeRunsAtTheWallClocksPaceAsBefore() throws Exception {
        LiveClock clock = LiveClock.of(dir, false, 1);
        String text = Files.readString(dir.resolve(LiveClock.FILE), StandardCharsets.US_ASCII).trim();
        assertTrue(text.matches("\\d+"), "the file a node at 1x has always written: " + text);
        long epoch = Long.parseLong(text);
        assertEquals(1_000, clock.engineClock().toEngineMillis(epoch + 1_000));
        assertEquals(1_000, LiveClock.of(dir, true, 1).engineClock().toEngineMillis(epoch + 1_000));
    }
}
