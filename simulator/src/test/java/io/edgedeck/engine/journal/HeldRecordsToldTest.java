package io.edgedeck.engine.journal;

import io.edgedeck.client.EdgeException;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal whose force failed (an I/O error; {@link FullDisk#failForce}) after records written without
 * one: those records wait in memory to be written again. The change refused then (its 503's detail) and
 * the node's condition in every frame say how many, and that nothing after them was acknowledged.
 */
class HeldRecordsToldTest {

    @Test
    void aRefusalAfterAFailedForceSaysHowManyRecordsWaitToBeWrittenAgain(@TempDir Path dir) throws Exception {
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = FileJournal.open(dir.resolve("journal.jsonl"), c -> disk[0] = new FullDisk(c));
        ShowRunner runner = new ShowRunner(new Show(new ShowDefinition(ScenarioCatalog.load("sentiment-crash"), 5), journal), 1);
        RehearsalConnection connection = new RehearsalConnection(runner.start());
        try {
            // Two records written without a force (as the show writes the tick a late batch was applied in), then a
            // disk whose force fails.
            runner.submit(s -> {
                journal.appendUnforced(new JournalRecord.ShowClock(journal.nextSeq(), 1_000));
                journal.appendUnforced(new JournalRecord.ShowClock(journal.nextSeq(), 2_000));
                disk[0].failForce = true;
                return null;
            }).get(10, TimeUnit.SECONDS);
            FlagView flag = connection.flags().get(10, TimeUnit.SECONDS).getFirst();

            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> connection.setKilled(flag.key(), true, "ana", "errors").get(10, TimeUnit.SECONDS));
            EdgeException edge = assertInstanceOf(EdgeException.class, refused.getCause());
            assertEquals(EdgeException.Kind.UNREACHABLE, edge.kind());
            assertEquals("journal cannot be written: the write failed with \"Input/output error\"; 2 records of the show wait"
                    + " in memory to be written again; nothing after them was acknowledged; the node is read-only until it can"
                    + " write again, and nothing changed", edge.getMessage());

            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            NodeCondition node = runner.latest().node();
            while (node.status() != NodeCondition.Status.READ_ONLY && System.nanoTime() < until) {
                Thread.sleep(20);
                MetricsFrame latest = runner.latest();
                node = latest.node();
            }
            assertEquals("journal not writable: Input/output error; changes are refused; 2 records of the show wait in memory"
                    + " to be written again; nothing after them was acknowledged", node.detail());
            assertEquals(2, journal.condition().held());
        } finally {
            connection.close();
        }
    }
}
