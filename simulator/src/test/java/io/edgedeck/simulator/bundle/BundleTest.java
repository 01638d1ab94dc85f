package io.edgedeck.simulator.bundle;

import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleTest {
    @TempDir
    static Path dir;
    static Bundle original;
    static Path good;

    @BeforeAll
    static void playTheJitterStormPastItsStart() throws IOException {
        var scenario = ScenarioCatalog.load("jitter-storm");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < 300_000) {
            show.step();
        }
        Bundle captured = ShowBundle.capture(show, "edgedeck-sim test");
        original = BundleWriter.assemble("edgedeck-sim test", "jitter-storm", scenario.seed(), "REHEARSAL", "jitter-storm (seed 1004)",
                300_000, captured.history(), captured.events(), captured.audit(), captured.flags(), captured.frame(),
                Map.of("jitter.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}));
        good = dir.resolve("good.zip");
        List<String> progress = new ArrayList<>();
        BundleWriter.write(original, good, (done, total, entry) -> progress.add(done + "/" + total + " " + entry));
        assertEquals(original.manifest().entries().size() + 1, progress.size());
        assertEquals("1/" + progress.size() + " manifest.json", progress.getFirst());
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws IOException {
        Bundle read = BundleReader.read(good);
        assertEquals(original.history(), read.history());
        assertEquals(List.of("fra", "ams", "iad", "ord", "sin", "nrt"), List.copyOf(read.history().keySet()));
        assertEquals(300, read.history().get("fra").rows());
        assertEquals(original.events(), read.events());
        assertEquals(original.audit(), read.audit());
        assertEquals(original.flags(), read.flags());
        assertEquals(original.frame(), read.frame());
        assertArrayEquals(original.snapshots().get("jitter.png"), read.snapshots().get("jitter.png"));
        BundleManifest m = read.manifest();
        assertEquals(1, m.formatVersion());
        assertEquals("jitter-storm", m.scenario());
        assertEquals(1004, m.seed());
        assertEquals(300_000, m.engineMillis());
        assertEquals(original.manifest().entries(), m.entries());
        assertArrayEquals(original.manifest().heatmapEdgesMs(), m.heatmapEdgesMs());
    }

    @Test
    void theReadmeNamesTheFilesAndWhereJitterStarted() throws IOException {
        try (ZipFile zip = new ZipFile(good.toFile())) {
            String readme = new String(zip.getInputStream(zip.getEntry("README.txt")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(readme.contains("history/POP.csv"), readme);
            assertTrue(readme.contains("fra") && readme.contains("first over at 4:0"), readme);
            assertTrue(readme.contains("jitter storm +45 ms at fra"), readme);
            assertFalse(readme.toLowerCase(java.util.Locale.ROOT).contains("bearer"), readme);
            // the launcher puts JavaFX on the module path; a bare java -jar does not
            assertTrue(readme.contains("(./edgedeck --bundle FILE.zip)"), readme);
            assertFalse(readme.contains("java -jar"), readme);
        }
    }

    private static Bundle withAudit(List<io.edgedeck.client.model.AuditEntry> audit, List<BundleManifest.Gap> partial) {
        return BundleWriter.assemble("edgedeck-sim test", "jitter-storm", 1004, "REHEARSAL", "jitter-storm (seed 1004)", 300_000,
                original.history(), original.events(), audit, original.flags(), original.frame(), Map.of(), partial);
    }

    @Test
    void theReadmeSpellsOutTheNewestChangesOfTheAuditTrailNewestFirst() {
        List<io.edgedeck.client.model.AuditEntry> audit = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            audit.add(new io.edgedeck.client.model.AuditEntry(i, i * 20_000L, "stage-producer", "flag.change", "offer-banner",
                    "v" + i + " control=50% treatment=50%", "v" + (i + 1) + " control=80% treatment=20%", "change number " + i));
        }
        String readme = BundleWriter.readme(withAudit(audit, List.of()));
        int at = readme.indexOf("Recent changes (the newest 10 of the 12 in audit.json, newest first):\n");
        assertTrue(at > 0, readme);
        assertTrue(readme.startsWith("""
                Recent changes (the newest 10 of the 12 in audit.json, newest first):
                  4:00    flag.change offer-banner by stage-producer
                          v12 control=50% treatment=50% -> v13 control=80% treatment=20%
                          why: change number 12
                  3:40    flag.change offer-banner by stage-producer
                """, at), readme.substring(at));
        assertTrue(readme.contains("why: change number 3\n") && !readme.contains("why: change number 2\n"), "the newest ten only");
        assertTrue(readme.indexOf("Recent changes") < readme.indexOf("\nFiles\n"), "at a glance, before the list of files");
    }

    @Test
    void theReadmeSaysWhetherNoChangesMeansNoneOrNotFetched() {
        assertTrue(BundleWriter.readme(withAudit(List.of(), List.of())).contains("Recent changes: none (the audit trail is empty)"));
        String down = BundleWriter.readme(withAudit(List.of(), List.of(new BundleManifest.Gap("audit.json", BundleManifest.Gap.MISSING,
                "written empty: the console holds no audit trail; the node could not be asked"))));
        assertTrue(down.contains("Recent changes: unknown, the audit trail could not be fetched (see PARTIAL BUNDLE above)"), down);
    }

    @Test
    void anOpenedBundleServesItsHistoryAndRefusesChanges() throws Exception {
        BundleConnection offline = new BundleConnection(BundleReader.read(good), "good.zip");
        var span = offline.history("fra", 240, 250).get();
        assertEquals(10, span.rows());
        assertEquals(240, span.startSecond()[0]);
        assertEquals(original.history().get("fra").jitterMs()[249], span.jitterMs()[9]);
        assertEquals(original.history().get("fra"), offline.history("fra", 0, 300).get());
        assertEquals(io.edgedeck.client.model.ShowState.PAUSED, offline.latestFrame().orElseThrow().state(),
                "a bundle never waits for frames");
        assertTrue(offline.target().startsWith("bundle good.zip: jitter-storm (seed 1004) at 5:00"), offline.target());
        var unknown = assertThrows(java.util.concurrent.ExecutionException.class, () -> offline.history("xyz", 0, 10).get());
        assertMessage(unknown.getCause().getMessage(), "no history for PoP 'xyz'");
        var refused = assertThrows(java.util.concurrent.ExecutionException.class, () -> offline.pause().get());
        assertMessage(refused.getCause().getMessage(), "bundle opened offline", "nothing was applied");
        assertEquals(original.audit(), offline.audit().get());
    }

    // ------------------------------------------------------------------ bad bundles

    /** The good bundle's entries, changed by {@code edit}, zipped as a new file. */
    private static Path variant(String name, Consumer<Map<String, byte[]>> edit) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(good.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        edit.accept(entries);
        Path out = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out;
    }

    private static String failure(Path file) {
        return assertThrows(BundleException.class, () -> BundleReader.read(file)).getMessage();
    }

    private static void assertMessage(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' should say '" + p + "'");
        }
    }

    @Test
    void aTruncatedZipIsNamedAsSuch() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertMessage(failure(cut), "cut.zip", "not a zip archive, or it is truncated");
    }

    @Test
    void aFileThatIsNotAZipAtAll() throws IOException {
        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "these are my notes");
        assertMessage(failure(text), "notes.zip", "not a zip archive");
    }

    @Test
    void aForeignZipHasNoManifest() throws IOException {
        Path foreign = dir.resolve("holiday.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(foreign))) {
            zip.putNextEntry(new ZipEntry("beach.jpg"));
            zip.write(new byte[] {1, 2, 3});
            zip.closeEntry();
        }
        assertMessage(failure(foreign), "holiday.zip", "no manifest.json", "not an EdgeDeck diagnostic bundle");
    }

    @Test
    void aMissingHistoryFileIsNamed() throws IOException {
        Path file = variant("no-fra.zip", e -> e.remove("history/fra.csv"));
        assertMessage(failure(file), "no-fra.zip", "history/fra.csv", "no such entry", "incomplete");
    }

    @Test
    void aMissingTimelineIsNamed() throws IOException {
        Path file = variant("no-events.zip", e -> {
            e.remove("events.json");
            String manifest = new String(e.get("manifest.json"), StandardCharsets.UTF_8);
            e.put("manifest.json", manifest.replaceAll("(?s)\\{\\s*\"name\" : \"events.json\"[^}]*},", "").getBytes(StandardCharsets.UTF_8));
        });
        assertMessage(failure(file), "no-events.zip", "no events.json", "incomplete");
    }

    @Test
    void aNewerFormatVersionIsRefusedWithBothVersions() throws IOException {
        Path file = variant("v2.zip", e -> e.put("manifest.json", new String(e.get("manifest.json"), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : 1", "\"formatVersion\" : 2").getBytes(StandardCharsets.UTF_8)));
        assertMessage(failure(file), "v2.zip", "format 2", "reads format 1");
    }

    @Test
    void aManifestThatIsNotJsonIsNamed() throws IOException {
        Path file = variant("garbled.zip", e -> e.put("manifest.json", "{\"formatVersion\": ".getBytes(StandardCharsets.UTF_8)));
        assertMessage(failure(file), "garbled.zip", "manifest.json is not what EdgeDeck writes there");
    }

    @Test
    void aHugeEntryIsRefusedBeforeItFillsMemory() throws IOException {
        // 65 MB of zeros deflate to about 64 KB: a small zip that would unpack to a lot.
        Path file = variant("bomb.zip", e -> e.put("events.json", new byte[65 * 1024 * 1024]));
        assertTrue(Files.size(file) < 2 * 1024 * 1024);
        assertMessage(failure(file), "bomb.zip", "events.json", "more than 64 MB", "damaged or hostile");
    }

    @Test
    void anEntryClimbingOutOfTheBundleIsRefused() throws IOException {
        Path file = variant("climb.zip", e -> e.put("../../.bashrc", "echo hi".getBytes(StandardCharsets.UTF_8)));
        assertMessage(failure(file), "climb.zip", "'../../.bashrc'", "leaves the bundle");
        Path absolute = variant("absolute.zip", e -> e.put("/etc/passwd", new byte[1]));
        assertMessage(failure(absolute), "'/etc/passwd'", "leaves the bundle");
    }

    @Test
    void aBadNumberInTheHistoryNamesLineAndColumn() throws IOException {
        Path file = variant("bad-cell.zip", e -> {
            String[] lines = new String(e.get("history/ams.csv"), StandardCharsets.UTF_8).split("\n");
            String[] cells = lines[3].split(",");
            cells[5] = "fast";
            lines[3] = String.join(",", cells);
            e.put("history/ams.csv", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        });
        assertMessage(failure(file), "bad-cell.zip", "history/ams.csv line 4, column p50_ms", "'fast'");
    }

    @Test
    void aShortHistoryLineNamesTheLine() throws IOException {
        Path file = variant("short.zip", e -> e.put("history/iad.csv",
                (new String(e.get("history/iad.csv"), StandardCharsets.UTF_8) + "1,2,3\n").getBytes(StandardCharsets.UTF_8)));
        assertMessage(failure(file), "history/iad.csv line 302", "found 3");
    }

    @Test
    void aMissingFileIsNamed() {
        assertMessage(failure(dir.resolve("nowhere.zip")), "nowhere.zip", "no such file");
    }
}
