package io.edgedeck.simulator.fleet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fleet node's mark across a kill at each point of a flush. */
class FleetMarkTest {

    private static FleetMark.Applied applied(long... ordinals) {
        FleetMark.Applied a = FleetMark.Applied.none();
        for (long o : ordinals) {
            a.add(o);
        }
        return a;
    }

    @Test
    void recordsAppliedOutOfOrderAreCoveredOnceTheGapCloses() {
        FleetMark.Applied a = applied(0, 1, 3, 5);
        assertTrue(a.covers(0) && a.covers(1) && a.covers(3) && a.covers(5));
        assertFalse(a.covers(2) || a.covers(4) || a.covers(6));
        a.add(2);
        a.add(4);
        assertEquals(applied(0, 1, 2, 3, 4, 5), a);
        assertEquals(FleetMark.Applied.of(a.json()), a, "written and read back");
    }

    @Test
    void aFlushCountsOnlyIfTheSpoolGotToWhereItEnds(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mark.json");
        FleetMark mark = new FleetMark(file);
        assertEquals(FleetMark.Applied.none(), mark.covered(0), "a node that never flushed covers nothing");
        mark.writePending(applied(0, 1, 2), 4);
        mark.commit(applied(0, 1, 2));
        // The next flush: killed after writing what it is about to reach, before or after the spool took it.
        mark.writePending(applied(0, 1, 2, 3, 4), 9);
        assertEquals(applied(0, 1, 2), new FleetMark(file).covered(4), "killed before the spool took the aggregates");
        assertEquals(applied(0, 1, 2), new FleetMark(file).covered(8), "the spool did not get to where the flush ends");
        assertEquals(applied(0, 1, 2, 3, 4), new FleetMark(file).covered(9), "killed after the spool took them");
        assertEquals(applied(0, 1, 2, 3, 4), new FleetMark(file).covered(30), "and after later ones were acknowledged");
        mark.commit(applied(0, 1, 2, 3, 4));
        assertEquals(applied(0, 1, 2, 3, 4), new FleetMark(file).covered(0));
    }

    @Test
    void aMarkThatCannotBeReadStopsTheNodeRatherThanCountTwice(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mark.json");
        Files.writeString(file, "{\"committed\": {\"extra\": []}}");
        IOException e = assertThrows(IOException.class, () -> new FleetMark(file).covered(0));
        assertTrue(e.getMessage().contains("mark.json") && e.getMessage().contains("prefix"), e.getMessage());
    }
}
