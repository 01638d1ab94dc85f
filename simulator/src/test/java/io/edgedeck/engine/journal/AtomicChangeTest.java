package io.edgedeck.engine.journal;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change that writes several records (a manual rollback: its firing and the flag change it makes;
 * a cue faulting several PoPs: a fault per PoP) is durable and applied whole or not at all. The
 * disk is given every amount of room from too little for anything to enough for all of it; at every
 * amount the change is either refused with nothing of it applied or written, or made whole, and a
 * restart on the file finds the same. Without one write per change, room for the first record and
 * not the last left the first applied and durable: a change answered 503 that had half happened.
 */
class AtomicChangeTest {

    /** What a restart on the journal rebuilds, with the simulated edge's faults. */
    private record State(DurableState core, Object faults) {
        static State of(Show show) {
            return new State(show.core().durableState(), show.edge().faults().inForce());
        }
    }

    private static Show show(Journal journal) throws IOException {
        return new Show(ShowDefinition.of(ScenarioCatalog.resolve("pop-outage")), journal);
    }

    /**
     * Tries {@code change} with each amount of room left on the disk, from 20 bytes up in steps of
     * 20, until it is made. @return the amounts at which it was refused though its first record fit
     */
    private static int refusedWithTheFirstRecordFitting(Path dir, Consumer<Show> change) throws IOException {
        for (int room = 20; ; room += 20) {
            Path file = dir.resolve("journal-" + room + ".jsonl");
            FullDisk[] disk = new FullDisk[1];
            State before;
            String bytesBefore;
            boolean made;
            try (FileJournal journal = FileJournal.open(file, c -> disk[0] = new FullDisk(c))) {
                Show show = show(journal);
                for (int i = 0; i < 500; i++) {
                    show.step();
                }
                before = State.of(show);
                bytesBefore = Files.readString(file);
                disk[0].leave(room);
                try {
                    change.accept(show);
                    made = true;
                } catch (JournalUnavailableException refused) {
                    made = false;
                    assertEquals(before, State.of(show), "room " + room + ": nothing of a refused change was applied");
                    assertEquals(bytesBefore, Files.readString(file), "room " + room + ": nothing of it is on disk");
                }
            }
            try (FileJournal reopened = FileJournal.open(file)) {
                assertFalse(reopened.tornTailRemoved());
                State restarted = State.of(show(reopened));
                if (!made) {
                    assertEquals(before, restarted, "room " + room + ": a restart finds the change not made");
                    continue;
                }
                String written = Files.readString(file).substring(bytesBefore.length());
                List<String> lines = written.lines().toList();
                assertTrue(lines.size() >= 2, "the change wrote several records: " + written);
                assertEquals(lines.size(), written.length() - written.replace("\n", "").length());
                assertTrue(room >= written.length(), "made only with room for all of it");
                int madeAt = room;
                // Every smaller amount was refused (the loop went on); count those that held the first record whole.
                return (int) java.util.stream.IntStream.iterate(20, r -> r < madeAt, r -> r + 20)
                        .filter(r -> r > lines.getFirst().length()).count();
            }
        }
    }

    @Test
    void aManualRollbackIsItsFiringAndItsFlagChangeOrNeither(@TempDir Path dir) throws IOException {
        int split = refusedWithTheFirstRecordFitting(dir, s -> s.core().guardrails().fireRollback("checkout-button", "treatment",
                "ben", "chat hates it", s.core().nowMillis()));
        assertTrue(split > 0, "refused " + split + " times with room for the firing but not the flag change");
    }

    @Test
    void aCueFaultingThreePopsFaultsAllThreeOrNone(@TempDir Path dir) throws IOException {
        int split = refusedWithTheFirstRecordFitting(dir, s -> s.fireCue(new CueRequest("pop-outage", List.of("fra", "ams", "iad"),
                0, 60, null, null, "ben")));
        assertTrue(split > 0, "refused " + split + " times with room for one PoP's fault but not all three");
    }
}
