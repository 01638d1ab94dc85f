package io.edgedeck.simulator.show;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a restoring node says of how far it has come, in each phase, and when it says to ask again. */
class RestoreProgressTest {

    @Test
    void saysEachPhaseInShowTime() {
        RestoreProgress p = new RestoreProgress();
        assertEquals("reading its journal", p.describe());
        assertEquals(2, p.retryAfterSeconds(), "no pace yet");
        p.playing(643_000);
        p.reached(250_400);
        assertEquals("played 4:10 of 10:43 of the show again", p.describe());
        p.readingIngestLog(4 * 3600_000L);
        p.reached(3600_000L * 3 + 10 * 60_000 + 2_000);
        assertEquals("read its ingest log back to 3:10:02 of 4:00:00 of the show", p.describe());
        // An event that arrived after the restart began counts no further than where the show was then.
        p.reached(5 * 3600_000L);
        assertEquals("read its ingest log back to 4:00:00 of 4:00:00 of the show", p.describe());
    }

    /** A node with nothing to read back says so, and says it is starting, not restoring a show it never had. */
    @Test
    void aNodeWithNothingToReadBackSaysItIsStarting() {
        RestoreProgress fresh = new RestoreProgress();
        fresh.startingFresh();
        assertEquals("starting: it has no show to restore, nothing to read back", fresh.describe());
        assertEquals("starting: it has no show to restore, nothing to read back; the node answers once it has started", fresh.detail());
        RestoreProgress noLog = new RestoreProgress();
        noLog.noIngestLog();
        assertEquals("restoring: read its journal; it has no ingest log to read back; the node answers once its show is restored",
                noLog.detail());
        RestoreProgress reading = new RestoreProgress();
        reading.readingIngestLog(90_000);
        reading.reached(30_000);
        assertEquals("restoring: read its ingest log back to 0:30 of 1:30 of the show; the node answers once its show is restored",
                reading.detail());
    }

    @Test
    void asksAgainWithinFiveSeconds() {
        RestoreProgress p = new RestoreProgress();
        p.playing(10 * 3600_000L);
        p.reached(1);
        long retry = p.retryAfterSeconds();
        assertTrue(retry >= 1 && retry <= RestoreProgress.MAX_RETRY_AFTER_SECONDS, "Retry-After " + retry);
    }
}
