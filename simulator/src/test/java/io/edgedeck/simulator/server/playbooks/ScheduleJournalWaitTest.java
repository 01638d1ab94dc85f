package io.edgedeck.simulator.server.playbooks;

import io.edgedeck.client.model.NewScheduledChange;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.engine.journal.ForwardingJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.JournalUnavailableException;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.approvals.ApprovalLanes;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheduled change that falls due while the journal refuses writes (a full disk) stays pending and
 * fires once it takes them again; meanwhile the node says so once, not on every engine tick, and tries
 * the journal once a second, not a hundred times.
 */
class ScheduleJournalWaitTest {

    /** A journal whose disk is full while {@code full} is set; counts the writes tried. */
    private static final class FullDisk extends ForwardingJournal {
        boolean full;
        int tried;

        FullDisk() {
            super(new MemoryJournal());
        }

        @Override
        public void append(JournalRecord record) {
            appendAll(List.of(record));
        }

        @Override
        public void appendAll(List<JournalRecord> records) {
            tried++;
            if (full) {
                throw JournalUnavailableException.because("No space left on device", 0, null);
            }
            journal.appendAll(records);
        }
    }

    @Test
    void aChangeDueWhileTheDiskIsFullWarnsOnceTriesEachSecondAndFiresOnceThereIsRoom() {
        FullDisk disk = new FullDisk();
        Show show = new Show(new ShowDefinition(ScenarioCatalog.load("sentiment-crash"), 3), disk);
        String flag = show.core().experiments().registry().all().getFirst().key();
        ApprovalLanes lanes = new ApprovalLanes(Approvals.NONE, List.of(), () -> 0L);
        long start = Instant.parse("2026-12-06T20:00:00Z").toEpochMilli();
        AtomicLong wall = new AtomicLong(start);
        Schedule schedule = new Schedule(new Playbooks(List.of(), List.of(), lanes, 0, null), List.of(), wall::get, null);
        schedule.create(show, new NewScheduledChange(null, "2026-12-06T20:00:10Z", null,
                new PlaybookAction(PlaybookAction.KILL, flag, null, null, null, null, null), "the drop"), "alice");

        disk.full = true;
        int triedBefore = disk.tried;
        String said = logged(() -> {
            // five seconds of 10 ms engine ticks, from the change's time on
            for (long t = 10_000; t < 15_000; t += 10) {
                wall.set(start + t);
                schedule.fireDue(show);
            }
        });
        assertEquals(ScheduledChange.State.PENDING, schedule.get("1").state(), "nothing fired while nothing could be journaled");
        assertTrue(disk.tried - triedBefore <= 6, "the journal is tried about once a second, not on every tick: " + (disk.tried - triedBefore));
        assertEquals(1, count(said, "Scheduled change #1 waits for the journal"), said);

        disk.full = false;
        String fired = logged(() -> {
            for (long t = 15_000; t < 17_000 && schedule.get("1").state() == ScheduledChange.State.PENDING; t += 10) {
                wall.set(start + t);
                schedule.fireDue(show);
            }
        });
        assertEquals(ScheduledChange.State.FIRED, schedule.get("1").state());
        assertTrue(wall.get() - start <= 16_010, "fired within a second of the journal taking writes: " + (wall.get() - start));
        assertTrue(show.core().experiments().registry().get(flag).orElseThrow().killed());
        assertEquals(1, count(fired, "Scheduled change #1 fired once the journal took writes again"), fired);
    }

    private static String logged(Runnable work) {
        PrintStream err = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(err);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int count(String text, String line) {
        return (int) text.lines().filter(l -> l.contains(line)).count();
    }
}
