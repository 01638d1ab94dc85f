package io.edgedeck.simulator.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sweep's last line says one thread and one show in the singular. */
class SweepCommandLineTest {

    @Test
    void countsAgreeWithTheirNouns() {
        assertEquals("played 4 shows in 12.3 s on 1 thread", SweepCommand.playedLine(4, 12.34, 1));
        assertEquals("played 1 show in 2.0 s on 2 threads", SweepCommand.playedLine(1, 2, 2));
    }
}
