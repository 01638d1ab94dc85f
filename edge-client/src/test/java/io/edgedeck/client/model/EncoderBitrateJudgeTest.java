package io.edgedeck.client.model;

import io.edgedeck.client.model.EncoderHealth.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoder's judgement on a sequence of reads, one a second: the bitrate against the stream's healthy readings. */
class EncoderBitrateJudgeTest {
    private final BitrateBaseline baseline = new BitrateBaseline();
    private long at = 1_800_000_000_000L;

    /** The next second's read: a clean 60 fps stream at {@code kbps}. */
    private EncoderHealth read(double kbps) {
        at += 1000;
        return EncoderHealth.judge(at, true, false, kbps, 0, 0, 3600, 0, 3600, 0, 3600, 4.2, 1000.0 / 60, 12, 60, 60, baseline);
    }

    private Level readFor(int seconds, double kbps) {
        Level last = null;
        for (int i = 0; i < seconds; i++) {
            last = read(kbps).level();
        }
        return last;
    }

    @Test
    void aSustainedCollapseIsBadAndADipIsNot() {
        assertEquals(Level.OK, readFor(120, 6000));
        assertEquals(Level.OK, readFor(1, 800), "a dip for one reading does not alarm");
        assertEquals(Level.OK, readFor(5, 6000));
        assertEquals(Level.OK, readFor(5, 800), "5 s low is not yet sustained");
        EncoderHealth h = null;
        for (int i = 0; i < 6; i++) {
            h = read(800);
        }
        assertEquals(Level.BAD, h.level(), "800 of 6000 kb/s for 10 s: " + h.why());
        assertTrue(h.why().contains("800 kb/s") && h.why().contains("6,000"), h.why());
        assertEquals(Level.BAD, readFor(600, 800), "a lasting collapse stays bad: the healthy baseline is kept");
        assertEquals(Level.OK, readFor(1, 6000), "recovered");
    }

    @Test
    void underHalfWarnsUnderAQuarterIsBad() {
        readFor(60, 6000);
        assertEquals(Level.WARN, readFor(11, 2500));
        assertEquals(Level.OK, readFor(1, 5000));
        assertEquals(Level.OK, readFor(30, 3200), "over half of the usual rate");
        assertEquals(Level.BAD, readFor(11, 1400));
    }

    @Test
    void aStreamThatStartsLowIsJudgedAgainstNothing() {
        assertEquals(Level.OK, readFor(20, 800), "no baseline yet");
        assertEquals(Level.OK, readFor(300, 800), "its own readings are its baseline");
        assertEquals(800, baseline.baselineKbps(), 1e-9);
    }

    @Test
    void aStoppedStreamStartsItsBaselineAfresh() {
        readFor(60, 6000);
        at += 1000;
        assertEquals(Level.IDLE, EncoderHealth.judge(at, false, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16.7, 0, 0, 60, baseline).level());
        assertEquals(Level.OK, readFor(20, 3000), "restarted at a lower setting: nothing to compare with");
    }
}
