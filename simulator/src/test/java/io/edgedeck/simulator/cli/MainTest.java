package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.bundle.BundleReader;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path builtIn(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".json");
        try (InputStream in = MainTest.class.getResourceAsStream("/io/edgedeck/simulator/scenarios/" + name + ".json")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void validateAcceptsAGoodFile(@TempDir Path dir) throws IOException {
        Result r = run("validate", builtIn(dir, "bench-large").toString());
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
        Result r = run("validate", file.toString());
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
    void validateMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        Result r = run("validate", missing.toString());
        assertEquals(2, r.code());
        assertEquals(missing + ": no such file\n", r.err().replace("\r\n", "\n"));
    }

    @Test
    void validateBinaryFileIsBadInputNotACrash(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("noise.json");
        Files.write(file, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 0});
        Result r = run("validate", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith(file + ":1:1: $: not UTF-8 text"), r.err());
    }

    @Test
    void validateDirectoryAndWrongArity(@TempDir Path dir) {
        assertEquals(2, run("validate", dir.toString()).code());
        assertEquals(2, run("validate").code());
        assertEquals(2, run("validate", "a", "b").code());
    }

    @Test
    void scenariosListsEveryBuiltInWithItsDescription() {
        Result r = run("scenarios");
        assertEquals(0, r.code());
        List<String> lines = r.out().lines().toList();
        assertEquals(ScenarioCatalog.NAMES, lines.stream().map(l -> l.split("\\s+")[0]).toList());
        for (ScenarioCatalog.Entry e : ScenarioCatalog.list()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(e.name() + " ") && l.endsWith(e.description())), e.name());
        }
    }

    @Test
    void helpAndNoArgumentsPrintUsage() {
        for (Result r : List.of(run(), run("--help"))) {
            assertEquals(0, r.code());
            assertTrue(r.out().startsWith("usage: edgedeck-sim COMMAND"), r.out());
            assertTrue(r.out().contains("validate FILE"), r.out());
            assertTrue(r.out().contains("scenarios"), r.out());
        }
    }

    @Test
    void aSweepEffectThatCannotBeReadIsBadInputNamingTheOption() {
        Result r = run("sweep", "--scenario", "no-effect", "--seeds", "2", "--effect", "conversion:lots");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("sweep: --effect: 'lots' is not a number"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownCommandIsBadInputWithUsage() {
        Result r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("unknown command 'frobnicate'"), r.err());
        assertTrue(r.err().contains("usage: edgedeck-sim"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void usageListsOnlyCommandsThatExist() {
        String usage = run("--help").out();
        for (Command c : Main.COMMANDS) assertTrue(usage.contains(c.summary()), c.name());
        long commandLines = usage.lines().filter(l -> l.startsWith("  ")).count();
        assertEquals(Main.COMMANDS.size(), commandLines);
    }

    // ------------------------------------------------------------------ bundle

    @Test
    void writesABundleOfTheShowUpToTheGivenSecond(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("tickets/fra.zip");
        Result r = run("bundle", "--scenario", "jitter-storm", "--until", "260", "--out", zip.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("at 260 s of 900 s, 6 PoPs"), r.out());
        var bundle = BundleReader.read(zip);
        assertEquals(260, bundle.history().get("fra").rows());
        assertEquals(260_000, bundle.manifest().engineMillis());
        assertTrue(bundle.manifest().createdBy().startsWith("edgedeck-sim "));
        assertTrue(bundle.snapshots().isEmpty(), "the command line has no console to picture");
    }

    @Test
    void badArgumentsAreNamedAndExitTwo(@TempDir Path dir) {
        Result noOut = run("bundle", "--scenario", "jitter-storm");
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("--out FILE.zip is required"), noOut.err());
        Result badUntil = run("bundle", "--scenario", "jitter-storm", "--until", "soon", "--out", dir.resolve("x.zip").toString());
        assertEquals(2, badUntil.code());
        assertTrue(badUntil.err().contains("--until takes a whole number, not 'soon'"), badUntil.err());
        Result unknown = run("bundle", "--scenario", "no-such-show", "--out", dir.resolve("x.zip").toString());
        assertEquals(2, unknown.code());
        assertFalse(Files.exists(dir.resolve("x.zip")));
    }

    @Test
    void usageListsTheCommand() {
        assertTrue(Main.usage().contains("bundle --scenario NAME|FILE [--seed N] [--until SECONDS] --out FILE.zip"));
    }
}
