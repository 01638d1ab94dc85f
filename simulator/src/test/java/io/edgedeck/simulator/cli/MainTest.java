package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.bundle.BundleReader;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private static Path builtIn(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".json");
        try (InputStream in = MainTest.class.getResourceAsStream("/io/edgedeck/simulator/scenarios/" + name + ".json")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void validateAcceptsAGoodFile(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("validate", builtIn(dir, "bench-large").toString());
        assertEquals(0, r.code());
        assertEquals("OK: bench-large (12 PoPs, 3 cues)\n", r.out().replace("\r\n", "\n"));
        assertEquals("", r.err());
    }

    @Test
    void validateListsEveryErrorAsFileLineColumnPathMessage(@TempDir Path dir) throws IOException {
        Path file = builtIn(dir, "steady-show");
        String text = Files.readString(file)
                .replaceFirst("\"loss\": 0.001", "\"loss\": 1.5")
                .replaceFirst("\"capacityRps\": 2200", "\"capactyRps\": 2200");
        Files.writeString(file, text);
        CliRun r = CliRun.of("validate", file.toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(3, lines.size(), r.err());
        assertTrue(lines.stream().allMatch(l -> l.startsWith(file + ":")), r.err());
        assertTrue(lines.contains(file + ":20:9: $.pops[0].latency.loss: must be between 0 and 1, was 1.5"), r.err());
        assertTrue(lines.contains(file + ":23:5: $.pops[1].capacityRps: required field is missing"), r.err());
        assertTrue(lines.contains(file + ":26:7: $.pops[1].capactyRps: unknown field 'capactyRps'; did you mean 'capacityRps'?"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void validateReportsTheCrossChecksWithTheSchemaErrorsInOnePass(@TempDir Path dir) throws IOException {
        Path file = builtIn(dir, "jitter-storm");
        String cue = "{\"atSeconds\": %d, \"type\": \"%s\", \"pops\": [\"%s\"], \"jitterMs\": 45, \"durationSeconds\": 60}";
        String text = Files.readString(file)
                .replaceFirst("\"frameMillis\": 250", "\"frameMillis\": \"fast\"")
                .replaceFirst("\"cues\": \\[", "\"cues\": [" + String.format(cue, 100, "jiter-storm", "fra") + ", "
                        + String.format(cue, 200, "jitter-storm", "zzz") + ", " + String.format(cue, 5000, "jitter-storm", "fra") + ", ");
        Files.writeString(file, text);
        CliRun r = CliRun.of("validate", file.toString());
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("$.frameMillis:")), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("$.cues[0].type:") && l.contains("jiter-storm")), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("$.cues[1]") && l.contains("zzz")), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("$.cues[2]") && l.contains("5000")), r.err());
        assertFalse(lines.stream().anyMatch(l -> l.contains("$.cues[3]")), "the good cue: " + r.err());
        assertEquals(4, lines.size(), r.err());
    }

    @Test
    void aTruncatedFileSaysWhichObjectIsLeftOpen(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cut.json");
        Files.writeString(file, "{\n  \"pops\": [{\"id\": \"fra\",\n");
        CliRun r = CliRun.of("validate", file.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("the file ends before the object that starts at line 2, column 12 is closed"), r.err());
        assertFalse(r.err().contains("REDACTED") || r.err().contains("StreamReadFeature"), r.err());
    }

    @Test
    void validateMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        CliRun r = CliRun.of("validate", missing.toString());
        assertEquals(2, r.code());
        assertEquals(missing + ": no such file\n", r.err().replace("\r\n", "\n"));
    }

    @Test
    void validateBinaryFileIsBadInputNotACrash(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("noise.json");
        Files.write(file, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 0});
        CliRun r = CliRun.of("validate", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith(file + ":1:1: $: not UTF-8 text"), r.err());
    }

    @Test
    void replayOfALiveNodesJournalSaysWhyItCannotBeReplayed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("live-epoch"), "1767225600000");
        Files.writeString(dir.resolve("journal.jsonl"), "");
        for (Path given : List.of(dir, dir.resolve("journal.jsonl"))) {
            CliRun r = CliRun.of("replay", "--journal", given.toString());
            assertEquals(2, r.code());
            assertTrue(r.err().startsWith("replay: " + given + " is a live node's journal: its show came from real traffic"), r.err());
        }
    }

    @Test
    void validateDirectoryAndWrongArity(@TempDir Path dir) {
        assertEquals(2, CliRun.of("validate", dir.toString()).code());
        assertEquals(2, CliRun.of("validate").code());
        assertEquals(2, CliRun.of("validate", "a", "b").code());
    }

    @Test
    void scenariosListsEveryBuiltInWithItsDescription() {
        CliRun r = CliRun.of("scenarios");
        assertEquals(0, r.code());
        List<String> lines = r.out().lines().toList();
        assertEquals(ScenarioCatalog.NAMES, lines.stream().map(l -> l.split("\\s+")[0]).toList());
        for (ScenarioCatalog.Entry e : ScenarioCatalog.list()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(e.name() + " ") && l.endsWith(e.description())), e.name());
        }
    }

    @Test
    void helpPrintsUsage() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: edgedeck-sim [-hV] COMMAND"), r.out());
        assertTrue(r.out().contains("validate"), r.out());
        assertTrue(r.out().contains("scenarios"), r.out());
    }

    @Test
    void aSweepEffectThatCannotBeReadIsBadInputNamingTheOption() {
        CliRun r = CliRun.of("sweep", "--scenario", "no-effect", "--seeds", "2", "--effect", "conversion:lots");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("sweep: --effect: 'lots' is not a number"), r.err());
        assertEquals("", r.out());
        CliRun help = CliRun.of("sweep", "--help");
        assertTrue(help.out().contains("conversion:-20% or chat:sour"), help.out());
        assertFalse(help.err().contains("WARN"), help.err());
    }

    @Test
    void unknownCommandIsBadInputWithASuggestion() {
        CliRun r = CliRun.of("serv");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("edgedeck-sim: unknown command 'serv'"), r.err());
        assertTrue(r.err().contains("Did you mean: edgedeck-sim serve"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void noCommandIsBadInputWithTheListOfCommandsOnStderr() {
        CliRun r = CliRun.of();
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Usage: edgedeck-sim [-hV] COMMAND"), r.err());
        assertTrue(r.err().contains("validate") && r.err().contains("Exit codes: 0 ok, 2 bad input"), r.err());
    }

    @Test
    void usageListsEveryCommandWithItsSummary() {
        String usage = CliRun.of("--help").out();
        var commands = Main.commandLine(System.out, System.err).getSubcommands();
        assertEquals(List.of("run", "scenarios", "validate", "sweep", "replay", "serve", "load", "operators", "bundle", "sentiment"),
                List.copyOf(commands.keySet()));
        for (var c : commands.values()) {
            String summary = c.getCommandSpec().usageMessage().description()[0];
            assertTrue(usage.replaceAll("\\s+", " ").contains(summary), c.getCommandName());
        }
    }

    @Test
    void aMistypedOptionIsNamedWithWhatWasMeantAndExitsTwo() {
        CliRun r = CliRun.of("run", "--scenario", "steady-show", "--repot", "r.json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown options: '--repot'"), r.err());
        assertTrue(r.err().contains("Possible solutions: --report"), "a suggestion: " + r.err());
        CliRun badSpeed = CliRun.of("run", "--scenario", "steady-show", "--speed", "fast");
        assertEquals(2, badSpeed.code());
        assertTrue(badSpeed.err().contains("Invalid value for option '--speed': takes max or a number"), badSpeed.err());
    }

    /**
     * A speed so small the show would stand still (1e-300 would not play a tick in the age of the universe) is refused by
     * every command that takes --speed, naming the option and the slowest speed taken, before anything starts.
     */
    @Test
    void aSpeedTooSlowForTheShowToMoveIsRefusedByEveryCommandNamingTheSlowestTaken() {
        for (String speed : List.of("1e-300", "0.0009", "4.9e-324x")) {
            for (List<String> command : List.of(List.of("run", "--scenario", "steady-show"),
                    List.of("serve", "--scenario", "steady-show", "--port", "0"),
                    List.of("load", "--scenario", "steady-show", "--target", "http://127.0.0.1:9"))) {
                List<String> args = new java.util.ArrayList<>(command);
                args.addAll(List.of("--speed", speed));
                CliRun r = CliRun.of(args.toArray(String[]::new));
                assertEquals(2, r.code(), args + ": " + r.err());
                assertTrue(r.err().contains("Invalid value for option '--speed': takes max or a number from 0.001"), args + ": " + r.err());
                assertTrue(r.err().contains("not '" + speed + "'"), args + ": " + r.err());
            }
        }
    }

    @Test
    void anUnknownOptionIsNamedBeforeTheRequiredOnesItLeftMissing() {
        CliRun r = CliRun.of("sweep", "--bogus");
        assertEquals(2, r.code());
        List<String> lines = r.err().lines().toList();
        assertEquals("edgedeck-sim sweep: Unknown option: '--bogus'", lines.getFirst(), r.err());
        assertTrue(r.err().contains("Missing required options"), r.err());
        CliRun mistyped = CliRun.of("sweep", "--scenaro", "steady-show", "--seeds", "2");
        assertEquals(2, mistyped.code());
        assertTrue(mistyped.err().startsWith("edgedeck-sim sweep: Unknown option: '--scenaro'"), mistyped.err());
        assertTrue(mistyped.err().contains("Possible solutions: --scenario"), mistyped.err());
    }

    @Test
    void operatorsWithoutASubcommandIsAUsageError() {
        CliRun r = CliRun.of("operators");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give a subcommand: add, list or revoke"), r.err());
        assertTrue(r.err().contains("Usage: edgedeck-sim operators"), r.err());
    }

    @Test
    void aNodeConfigThatIsNoFileSaysSoAndListsTheBuiltIns(@TempDir Path dir) {
        String missing = dir.resolve("nope.json").toString();
        CliRun r = CliRun.of("serve", "--live", "--node-config", missing, "--data-dir", dir.resolve("d").toString(), "--port", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("serve: there is no node configuration file '" + missing + "'"), r.err());
        assertTrue(r.err().contains(String.join(", ", ScenarioCatalog.NAMES)), r.err());
        assertFalse(r.err().contains("neither a built-in scenario"), r.err());
    }

    @Test
    void everyCommandPrintsItsOwnHelp() {
        for (String command : List.of("run", "scenarios", "validate", "sweep", "replay", "serve", "bundle", "sentiment")) {
            CliRun r = CliRun.of(command, "--help");
            assertEquals(0, r.code(), command);
            assertTrue(r.out().startsWith("Usage: edgedeck-sim " + command), r.out());
        }
    }

    // ------------------------------------------------------------------ bundle

    @Test
    void aBundleOutThatIsADirectoryIsExit2BeforeTheShowIsPlayed(@TempDir Path dir) {
        CliRun toDirectory = CliRun.of("bundle", "--scenario", "steady-show", "--until", "5", "--out", dir.toString());
        assertEquals(2, toDirectory.code(), toDirectory.err());
        assertTrue(toDirectory.err().contains("is a directory; give the bundle's file name"), toDirectory.err());
    }

    @Test
    void writesABundleOfTheShowUpToTheGivenSecond(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("tickets/fra.zip");
        CliRun r = CliRun.of("bundle", "--scenario", "jitter-storm", "--until", "260", "--out", zip.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("at 260 s of 900 s, 6 PoPs"), r.out());
        var bundle = BundleReader.read(zip);
        assertEquals(260, bundle.history().get("fra").rows());
        assertEquals(260_000, bundle.manifest().engineMillis());
        assertTrue(bundle.manifest().createdBy().startsWith("edgedeck-sim "));
        assertTrue(bundle.snapshots().isEmpty(), "the command line has no console to picture");
    }

    @Test
    void theBundlesReadmeListsOnlyTheFilesItHolds(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("b.zip");
        CliRun r = CliRun.of("bundle", "--scenario", "steady-show", "--until", "3", "--out", zip.toString());
        assertEquals(0, r.code(), r.err());
        try (var file = new java.util.zip.ZipFile(zip.toFile())) {
            String readme = new String(file.getInputStream(file.getEntry("README.txt")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            List<String> entries = file.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertFalse(entries.stream().anyMatch(e -> e.startsWith("snapshots/")), entries.toString());
            assertFalse(readme.contains("snapshots/"), readme);
            assertEquals(entries.contains("frame.json"), readme.contains("frame.json"), readme);
        }
    }

    @Test
    void badArgumentsAreNamedAndExitTwo(@TempDir Path dir) {
        CliRun noOut = CliRun.of("bundle", "--scenario", "jitter-storm");
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("Missing required option: '--out=FILE.zip'"), noOut.err());
        CliRun badUntil = CliRun.of("bundle", "--scenario", "jitter-storm", "--until", "soon", "--out", dir.resolve("x.zip").toString());
        assertEquals(2, badUntil.code());
        assertTrue(badUntil.err().contains("Invalid value for option '--until': takes a whole number from 1 to 86400, not 'soon'"),
                badUntil.err());
        CliRun unknown = CliRun.of("bundle", "--scenario", "no-such-show", "--out", dir.resolve("x.zip").toString());
        assertEquals(2, unknown.code());
        assertFalse(Files.exists(dir.resolve("x.zip")));
    }

    @Test
    void usageListsTheCommand() {
        CliRun r = CliRun.of("bundle", "--help");
        assertTrue(r.out().contains("--out=FILE.zip"), r.out());
        assertTrue(r.out().contains("--until=SECONDS"), r.out());
    }

    /** Each of sweep's counts out of its range is named as that option, as bundle's --until is. */
    @Test
    void aSweepCountOutOfRangeNamesItsOption() {
        CliRun threads = CliRun.of("sweep", "--scenario", "steady-show", "--seeds", "1", "--threads", "0");
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("Invalid value for option '--threads': takes a whole number from 1 to 64, not '0'"),
                threads.err());
        CliRun seeds = CliRun.of("sweep", "--scenario", "steady-show", "--seeds", "100001");
        assertEquals(2, seeds.code());
        assertTrue(seeds.err().contains("Invalid value for option '--seeds': takes a whole number from 1 to 100000, not '100001'"),
                seeds.err());
    }

    /** An output named as one of the command's own inputs is refused before the show is played, and the input is kept. */
    @Test
    void anOutputThatIsTheCommandsOwnInputIsRefusedAndTheInputKept(@TempDir Path dir) throws IOException {
        Path journal = dir.resolve("show.jsonl");
        assertEquals(0, CliRun.of("run", "--scenario", "pop-outage", "--journal", journal.toString()).code());
        byte[] recorded = Files.readAllBytes(journal);
        CliRun replay = CliRun.of("replay", "--journal", journal.toString(), "--report", journal.toString());
        assertEquals(2, replay.code(), replay.err());
        assertEquals("replay: cannot write --report " + journal + ": it is the file --journal reads; give another file's name\n",
                replay.err());
        assertArrayEquals(recorded, Files.readAllBytes(journal), "the journal is as it was recorded");

        Path scenario = builtIn(dir, "pop-outage");
        byte[] written = Files.readAllBytes(scenario);
        CliRun run = CliRun.of("run", "--scenario", scenario.toString(), "--report", scenario.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("it is the file --scenario reads"), run.err());
        CliRun bundle = CliRun.of("bundle", "--scenario", scenario.toString(), "--out", dir.resolve(".").resolve(scenario.getFileName()).toString());
        assertEquals(2, bundle.code(), bundle.err());
        assertArrayEquals(written, Files.readAllBytes(scenario), "the scenario is as it was written");

        Path both = dir.resolve("both.json");
        CliRun same = CliRun.of("run", "--scenario", "pop-outage", "--journal", both.toString(), "--report", both.toString());
        assertEquals(2, same.code(), same.err());
        assertTrue(same.err().contains("cannot write --report " + both + ": it is the file --journal writes"), same.err());
        assertFalse(Files.exists(both), "nothing written for a refused run");
    }


    /** An empty data directory (a script's unset variable) is refused by name: it would be the current directory. */
    @Test
    void anEmptyDataDirectoryIsNamedNotTakenForTheCurrentOne() {
        CliRun list = CliRun.of("operators", "list", "--data-dir", "");
        assertEquals(2, list.code(), list.out() + list.err());
        assertTrue(list.err().contains("Invalid value for option '--data-dir': takes the node's data directory, not ''"), list.err());
        CliRun load = CliRun.of("load", "--scenario", "steady-show", "--target", "http://127.0.0.1:1", "--key-dir", "");
        assertEquals(2, load.code(), load.err());
        assertTrue(load.err().contains("Invalid value for option '--key-dir': takes the node's data directory, not ''"), load.err());
    }


    /** A --target with a port no node can have is bad input, named, not an internal error. */
    @Test
    void aLoadTargetWithAPortBeyondTheRangeIsNamed() {
        CliRun r = CliRun.of("load", "--scenario", "steady-show", "--target", "http://127.0.0.1:99999", "--key-dir", "nodir");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("load: --target must be the node's http:// or https:// URL, e.g. http://127.0.0.1:8787,"
                + " not 'http://127.0.0.1:99999'"), r.err());
    }

}
