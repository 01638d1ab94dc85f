package io.edgedeck.simulator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command that reads a file says when it is not there, exits 2, and creates nothing in its place. */
class MissingInputTest {

    private static void refusedAndNothingMade(Path dir, String said, String... args) {
        CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRun.of(args));
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.err().contains(said), String.join(" ", args) + ": " + r.err());
        assertFalse(Files.exists(dir.resolve("nodir")), String.join(" ", args) + " created " + dir.resolve("nodir"));
    }

    @Test
    void replayOfAJournalThatIsNotThereSaysSoAndCreatesNothing(@TempDir Path dir) {
        Path missing = dir.resolve("nodir").resolve("x.jsonl");
        refusedAndNothingMade(dir, "replay: " + missing + ": no such file", "replay", "--journal", missing.toString());
        Path alone = dir.resolve("x.jsonl");
        CliRun r = CliRun.of("replay", "--journal", alone.toString());
        assertEquals(2, r.code());
        assertEquals("replay: " + alone + ": no such file", r.err().strip());
        assertFalse(Files.exists(alone), "replay reads a journal; it does not make one");
    }

    @Test
    void replayOfADirectoryWithoutAJournalSaysSoAndCreatesNothing(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectory(dir.resolve("data"));
        CliRun r = CliRun.of("replay", "--journal", empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no journal.jsonl in it"), r.err());
        try (var files = Files.list(empty)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void everyOtherCommandThatReadsAFileSaysItIsNotThere(@TempDir Path dir) {
        String missing = dir.resolve("nodir").resolve("x.json").toString();
        String out = dir.resolve("out").toString();
        refusedAndNothingMade(dir, missing, "validate", missing);
        refusedAndNothingMade(dir, missing, "run", "--scenario", missing);
        refusedAndNothingMade(dir, missing, "sweep", "--scenario", missing, "--seeds", "2");
        refusedAndNothingMade(dir, missing, "bundle", "--scenario", missing, "--out", out + ".zip");
        refusedAndNothingMade(dir, missing, "replay", "--journal", missing);
        refusedAndNothingMade(dir, missing, "sentiment", "--labelled", missing);
        refusedAndNothingMade(dir, missing, "serve", "--live", "--node-config", missing, "--port", "0", "--data-dir", out);
        String config = Path.of("..", "docs", "examples", "node-config.json").toString();
        refusedAndNothingMade(dir, missing, "serve", "--live", "--node-config", config, "--connectors", missing, "--port", "0",
                "--data-dir", out);
    }

    /** A directory, or nothing at all, where a scenario or node configuration file goes is said to be so: exit 2, not an internal error. */
    @Test
    void aDirectoryWhereAFileGoesIsSaidToBeOne(@TempDir Path dir) throws Exception {
        String folder = Files.createDirectory(dir.resolve("shows")).toString();
        String said = "'" + folder + "' is a directory, not a scenario file";
        refusedAndNothingMade(dir, said, "run", "--scenario", folder);
        refusedAndNothingMade(dir, said, "sweep", "--scenario", folder, "--seeds", "2");
        refusedAndNothingMade(dir, said, "bundle", "--scenario", folder, "--out", dir.resolve("nodir").resolve("b.zip").toString());
        refusedAndNothingMade(dir, said, "serve", "--scenario", folder, "--port", "0", "--data-dir", dir.resolve("nodir").toString());
        refusedAndNothingMade(dir, "'" + folder + "' is a directory, not a node configuration file",
                "serve", "--live", "--node-config", folder, "--port", "0", "--data-dir", dir.resolve("nodir").toString());
        refusedAndNothingMade(dir, "run: '' is neither a built-in scenario nor a file", "run", "--scenario", "");
    }

}
