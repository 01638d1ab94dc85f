package io.edgedeck.simulator.server.playbooks;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.NewScheduledChange;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.approvals.ApprovalLanes;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheduled change's time is kept as the instant in UTC, whatever offset it was given with: the same
 * instant scheduled on two nodes is the same change, listed, audited and journaled alike, and its
 * firing has the same record id on the fleet's control topic.
 */
class ScheduleAtTest {
    private static final long NOW = Instant.parse("2026-12-06T19:30:00Z").toEpochMilli();

    /** One node's show, journal and schedule, its wall clock at {@code wall}. */
    private record Node(Show show, MemoryJournal journal, Schedule schedule, String flag) {
        static Node at(AtomicLong wall, List<JournalRecord> journaled) {
            MemoryJournal journal = new MemoryJournal();
            Show show = new Show(new ShowDefinition(ScenarioCatalog.load("sentiment-crash"), 3), journal);
            ApprovalLanes lanes = new ApprovalLanes(Approvals.NONE, List.of(), () -> 0L);
            Schedule schedule = new Schedule(new Playbooks(List.of(), List.of(), lanes, 0, null), journaled, wall::get, null);
            return new Node(show, journal, schedule, show.core().experiments().registry().all().getFirst().key());
        }

        ScheduledChange kill(String at) {
            return schedule.create(show, new NewScheduledChange(null, at, null,
                    new PlaybookAction(PlaybookAction.KILL, flag, null, null, null, null, null), "the drop"), "alice");
        }

        ScheduledChange journaled() {
            return journal.records().stream().filter(r -> r instanceof JournalRecord.ScheduleChanged)
                    .map(r -> ((JournalRecord.ScheduleChanged) r).change()).toList().getLast();
        }

        AuditEntry audited() {
            return show.core().experiments().audit().stream().filter(e -> e.action().equals("schedule.create")).toList().getLast();
        }
    }

    @Test
    void theSameInstantWithTwoOffsetsIsOneTimeInUtcAndOneRecordId() {
        AtomicLong wall = new AtomicLong(NOW);
        Node paris = Node.at(wall, List.of());
        Node london = Node.at(wall, List.of());

        ScheduledChange plusOne = paris.kill("2026-12-06T21:00:00+01:00");
        ScheduledChange utc = london.kill("2026-12-06T20:00:00.000Z");

        assertEquals("2026-12-06T20:00:00Z", plusOne.at(), "the answer's time");
        assertEquals("2026-12-06T20:00:00Z", utc.at(), "the answer's time");
        assertEquals(plusOne.at(), paris.schedule.get("1").at(), "as listed");
        assertEquals(plusOne.at(), paris.journaled().at(), "as journaled");
        assertTrue(paris.audited().after().endsWith(" at 2026-12-06T20:00:00Z"), paris.audited().after());
        assertEquals(paris.audited().after(), london.audited().after());
        assertEquals(Schedule.stem(plusOne), Schedule.stem(utc), "the fleet record's id is derived from the same stem");
    }

    @Test
    void aTimeJournaledWithAnOffsetReadsBackAsGivenAndFiresAtItsInstant() {
        AtomicLong wall = new AtomicLong(NOW);
        Node before = Node.at(wall, List.of());
        ScheduledChange made = before.kill("2026-12-06T20:00:00Z");
        ScheduledChange asOnceJournaled = new ScheduledChange(made.id(), made.state(), null, "2026-12-06T21:00:00+01:00",
                null, made.action(), made.reason(), made.createdBy(), made.createdAtEpochMillis(), null, null, null, null);
        Node restarted = Node.at(wall, List.of(new JournalRecord.ScheduleChanged(1, 0, asOnceJournaled)));

        assertEquals("2026-12-06T21:00:00+01:00", restarted.schedule.get("1").at());
        wall.set(Instant.parse("2026-12-06T19:59:59.999Z").toEpochMilli());
        restarted.schedule.fireDue(restarted.show);
        assertEquals(ScheduledChange.State.PENDING, restarted.schedule.get("1").state());
        wall.set(Instant.parse("2026-12-06T20:00:00Z").toEpochMilli());
        restarted.schedule.fireDue(restarted.show);
        assertEquals(ScheduledChange.State.FIRED, restarted.schedule.get("1").state());
        assertTrue(restarted.show.core().experiments().registry().get(restarted.flag).orElseThrow().killed());
    }
}
