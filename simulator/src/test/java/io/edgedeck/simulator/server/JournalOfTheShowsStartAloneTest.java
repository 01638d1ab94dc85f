package io.edgedeck.simulator.server;

import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal that holds the show's start and nothing after it (a node stopped between writing the
 * show's start and its set-up, or a journal made by hand) restores: the show starts from there as a
 * new one, its flags set up and journaled after the start, on a rehearsal node and on a live one.
 */
class JournalOfTheShowsStartAloneTest {

    private static ShowDefinition steady() throws java.io.IOException {
        return ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
    }

    @Test
    void aRehearsalWhoseJournalHoldsOnlyTheShowsStartStartsFromThere(@TempDir Path root) throws Exception {
        try (EdgeNode node = rehearsalOnAJournalOf(root, "")) {
            assertTrue(node.restored());
            assertNull(node.runner().show().resumedFromJournalAlone(), "nothing had happened: nothing is lost");
            assertSetUpAfterTheStart(node, node.dataDir(), flagsOfANewNode(root.resolve("new")));
        }
    }

    /** Later records and no set-up: there is no show to play again to match them, so it resumes from the journal alone, saying why. */
    @Test
    void aRehearsalWhoseJournalHasLaterRecordsButNoSetUpResumesFromTheJournalAlone(@TempDir Path root) throws Exception {
        try (EdgeNode node = rehearsalOnAJournalOf(root, "{\"type\":\"show.clock\",\"seq\":2,\"atMillis\":5000}\n")) {
            assertTrue(node.restored());
            String why = node.runner().show().resumedFromJournalAlone();
            assertTrue(why != null && why.startsWith("resumed from the journal alone at 5.0 s of show time")
                    && why.contains("the journal holds the show's start and records after it but no set-up of the show's flags,"
                    + " so the show was not played again. Its flags are set up as at the show's start") && !why.contains("playing"), why);
            assertSetUpAfterTheStart(node, node.dataDir(), flagsOfANewNode(root.resolve("new")));
        }
    }

    /** A rehearsal node started on a journal of the show's start, then {@code after}, in {@code root}'s "node". */
    private static EdgeNode rehearsalOnAJournalOf(Path root, String after) throws Exception {
        Path dir = Files.createDirectory(root.resolve("node"));
        ShowDefinition steady = steady();
        Files.writeString(dir.resolve(SnapshotJournal.FILE), "{\"type\":\"show.started\",\"seq\":1,\"atMillis\":0,\"scenario\":\""
                + steady.name() + "\",\"seed\":" + steady.seed() + "}\n" + after);
        return EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, dir));
    }

    @Test
    void aLiveNodeWhoseJournalHoldsOnlyTheShowsStartStartsFromThere(@TempDir Path dir) throws Exception {
        EdgeNode.Config config = EdgeNode.Config.live(NodeConfigParser.parse(Files.readAllBytes(
                Path.of("..", "docs", "examples", "node-config.json"))), InetAddress.getLoopbackAddress(), 0, dir);
        int flags;
        try (EdgeNode first = EdgeNode.start(config)) {
            flags = flagCount(first);
        }
        Path journal = dir.resolve(SnapshotJournal.FILE);
        Files.writeString(journal, Files.readAllLines(journal).getFirst() + "\n");
        try (EdgeNode node = EdgeNode.start(config)) {
            assertTrue(node.restored());
            assertSetUpAfterTheStart(node, dir, flags);
        }
    }

    private static int flagsOfANewNode(Path dir) throws Exception {
        try (EdgeNode fresh = EdgeNode.start(new EdgeNode.Config(steady(), 1, InetAddress.getLoopbackAddress(), 0, dir))) {
            return flagCount(fresh);
        }
    }

    private static int flagCount(EdgeNode node) throws Exception {
        return node.runner().submit(s -> s.core().experiments().flagCount()).get();
    }

    /** The node has the flags a new one has, and its journal holds their set-up after the show's start. */
    private static void assertSetUpAfterTheStart(EdgeNode node, Path dir, int flags) throws Exception {
        assertTrue(flags > 0, "the show sets up flags");
        assertEquals(flags, flagCount(node));
        List<JournalRecord> records = FileJournal.readOnly(dir.resolve(SnapshotJournal.FILE)).records();
        assertInstanceOf(JournalRecord.ShowStarted.class, records.getFirst());
        assertEquals(1, records.stream().filter(r -> r instanceof JournalRecord.ShowStarted).count(), records.toString());
        assertTrue(records.stream().filter(r -> r instanceof JournalRecord.FlagChanged).count() >= flags, records.toString());
    }
}
