package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeCommandTest {

    private static ServeCommand parse(String... args) {
        ServeCommand serve = new ServeCommand(System.out, System.err);
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void defaultsServeTheSteadyShowOnLoopbackAtOneXInTheUsersDataDirectory() throws Exception {
        ServeCommand o = parse();
        assertEquals(ServeCommand.DEFAULT_PORT, o.port);
        assertTrue(o.bind.isLoopbackAddress());
        assertEquals("steady-show", o.scenario);
        assertEquals(1.0, o.speed);
        assertNull(o.dataDir, "no --data-dir: the user's data directory, never the current one");
        Path dir = o.dataDirectory(ScenarioCatalog.resolve("steady-show"));
        assertTrue(dir.isAbsolute(), dir.toString());
        assertTrue(dir.endsWith(Path.of("edgedeck", "nodes", "steady-show")), dir.toString());
        assertEquals(0.0, parse("--speed", "max").speed);
        assertTrue(parse("--name", "drill-2").dataDirectory(ScenarioCatalog.resolve("steady-show")).endsWith("drill-2"));
        assertEquals(Path.of("here"), parse("--data-dir", "here").dataDirectory(ScenarioCatalog.resolve("steady-show")));
    }

    @Test
    void theUsersDataDirectoryFollowsEachOperatingSystemsRule() {
        assertEquals(Path.of("/xdg/edgedeck/nodes/n"), UserDataDirectory.forNode("n", "Linux", Map.of("XDG_DATA_HOME", "/xdg"), "/home/a"));
        assertEquals(Path.of("/home/a/.local/share/edgedeck/nodes/n"), UserDataDirectory.forNode("n", "Linux", Map.of(), "/home/a"));
        assertEquals(Path.of("/home/a/.local/share/edgedeck/nodes/n"),
                UserDataDirectory.forNode("n", "Linux", Map.of("XDG_DATA_HOME", "relative"), "/home/a"), "a relative XDG_DATA_HOME is ignored");
        assertEquals(Path.of("/Users/a/Library/Application Support/edgedeck/nodes/n"),
                UserDataDirectory.forNode("n", "Mac OS X", Map.of(), "/Users/a"));
        assertEquals(Path.of("/lad", "edgedeck", "nodes", "n"), UserDataDirectory.forNode("n", "Windows 11", Map.of("LOCALAPPDATA", "/lad"), "/u"));
        assertEquals("my-show-v2", UserDataDirectory.nameFor("my show/v2"));
    }

    @Test
    void helpKeepsEachDefaultDataDirectoryWholeOnOneLine() {
        CliRun help = CliRun.of("serve", "--help");
        assertEquals(0, help.code());
        for (String path : new String[] {"edgedeck/nodes/NAME", "$XDG_DATA_HOME", "~/.local/share", "~/Library/Application Support",
                "%LOCALAPPDATA%"}) {
            assertTrue(help.out().lines().anyMatch(line -> line.contains(path)), path + " in\n" + help.out());
        }
    }

    @Test
    void optionMistakesNameTheOptionAndExit2() {
        CliRun port = CliRun.of("serve", "--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("Invalid value for option '--port': takes a whole number from 0 to 65535, not '70000'"), port.err());
        CliRun name = CliRun.of("serve", "--name", "../up");
        assertEquals(2, name.code());
        assertTrue(name.err().contains("'--name'"), name.err());
        CliRun halfTls = CliRun.of("serve", "--tls-cert", "cert.pem");
        assertEquals(2, halfTls.code());
        assertTrue(halfTls.err().contains("--tls-key"), halfTls.err());
    }

    @Test
    void liveNeedsANodeConfigAndABadOneIsNamedByFileLineAndPath(@TempDir Path dir) throws Exception {
        CliRun bare = CliRun.of("serve", "--live", "--port", "0", "--data-dir", dir.toString());
        assertEquals(2, bare.code());
        assertTrue(bare.err().contains("--live needs --node-config"), bare.err());
        CliRun stray = CliRun.of("serve", "--node-config", "steady-show", "--port", "0", "--data-dir", dir.toString());
        assertEquals(2, stray.code());
        assertTrue(stray.err().contains("add --live"), stray.err());
        Path config = dir.resolve("node.json");
        Files.writeString(config, """
                {
                  "$schema": "https://edgedeck.io/schema/node-config-v1.json",
                  "name": "n",
                  "pops": [{"id": "fra", "region": "eu", "slo": {"p95Ms": "fast"}}]
                }""");
        CliRun bad = CliRun.of("serve", "--live", "--node-config", config.toString(), "--port", "0", "--data-dir",
                dir.resolve("data").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains(config + ":4:") && bad.err().contains("$.pops[0].slo.p95Ms: must be a number"), bad.err());
        assertFalse(Files.exists(dir.resolve("data").resolve("ingest-key")), "refused before anything was made");
    }

    @Test
    void aPortInUseIsExit2AndTouchesNoDataDirectory(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("node");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.of("serve", "--port", Integer.toString(taken.getLocalPort()), "--data-dir", data.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
            assertTrue(r.err().contains("choose another --port"), r.err());
            assertFalse(java.nio.file.Files.exists(data), "no data directory, keys or live clock for a node that cannot serve");
        }
    }

    @Test
    void plainHttpBeyondLoopbackIsRefusedWithoutInsecure(@TempDir Path dir) {
        CliRun r = CliRun.of("serve", "--bind", "0.0.0.0", "--port", "0", "--data-dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--tls-cert FILE --tls-key FILE") && r.err().contains("--insecure"), r.err());
        assertFalse(Files.exists(dir.resolve("token")), "refused before anything was made");
    }

    @Test
    void aDataDirOfAnotherShowExitsWithStatus2AndSaysWhichShowItHolds(@TempDir Path dir) throws Exception {
        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        try (EdgeNode first = EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, dir))) {
            assertTrue(first.baseUri().toString().startsWith("http://127.0.0.1:"));
        }
        CliRun r = CliRun.of("serve", "--scenario", "pop-outage", "--port", "0", "--data-dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("holds the journal of show 'steady-show'"), r.err());
    }

    /** Whatever a start found wrong, the producer reads which file, which line and what is wrong there: no library's terms, no stack trace. */
    private static void assertPlain(String err) {
        for (String jargon : new String[]{"deserialize", "`", "Exception", "\tat ", "Unrecognized", "token", "JsonParse", "[Source"}) {
            assertFalse(err.contains(jargon), "'" + jargon + "' in: " + err);
        }
    }

    @Test
    void aDamagedJournalIsRefusedNamingItsFileLineAndWhatIsWrongThereInPlainWords(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        String started = "{\"type\":\"show.started\",\"seq\":1,\"atMillis\":0,\"scenario\":\"steady-show\",\"seed\":1001}\n";
        String after = "{\"type\":\"show.clock\",\"seq\":3,\"atMillis\":200}\n";
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"type\":\"show.clock\",\"seq\":2,\"atMillis\":\"soon\"}\n",
                "is damaged at line 2 (record 2), before its last line: its \"atMillis\" is 'soon', where a whole number belongs");
        cases.put("{\"type\":\"show.clock\",\"seq\":2,atMillis:100}\n",
                "is damaged at line 2 (record 2), before its last line: it is not whole, valid JSON (it goes wrong at character 30)");
        cases.put("{\"type\":\"show.clock\",\"seq\":2,\"atMillis\":100,\"colour\":\"red\"}\n",
                "is damaged at line 2 (record 2), before its last line: it has a field \"colour\" that its kind of record does not have");
        cases.put("{\"seq\":2,\"atMillis\":100}\n",
                "is damaged at line 2 (record 2), before its last line: it says no kind of record (its \"type\" is missing)");
        for (var c : cases.entrySet()) {
            Files.writeString(journal, started + c.getKey() + after);
            CliRun r = CliRun.of("serve", "--port", "0", "--data-dir", dir.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("the journal " + journal + " " + c.getValue()), r.err());
            assertPlain(r.err());
            assertEquals(started + c.getKey() + after, Files.readString(journal), "the damaged journal is left as it was");
        }
    }

    /**
     * A snapshot damaged on a line after its header, and needed (the journal was compacted past what it
     * covers), refuses the start in the journal's plain words: the file, the line, what is wrong there;
     * exit 2, no stack trace, and no file changed: the snapshot keeps its name, and what a crash left (a
     * torn last record, a compaction and a snapshot unfinished) is left too. The snapshot is a real node's,
     * its damage written under a header whose length and CRC-32C still match, so each line is read.
     */
    @Test
    void aDamagedSnapshotIsRefusedNamingItsFileLineAndWhatIsWrongThereInPlainWords(@TempDir Path dir) throws Exception {
        Path made = dir.resolve("made");
        EdgeNode.Config config = new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("acquirer-slowdown")),
                io.edgedeck.simulator.show.ShowRunner.MAX_SPEED, InetAddress.getLoopbackAddress(), 0, made)
                .withSnapshots(new io.edgedeck.engine.journal.SnapshotJournal.Policy(60, java.time.Duration.ofMinutes(5)));
        try (EdgeNode node = EdgeNode.start(config)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (node.runner().submit(s -> node.journal().snapshotsWritten()).get() < 3) {
                assertTrue(System.currentTimeMillis() < deadline, "the node writes its snapshots");
                Thread.sleep(50);
            }
        }
        List<Path> snapshots;
        try (var s = Files.list(made)) {
            snapshots = s.filter(p -> p.getFileName().toString().matches("snapshot-\\d+\\.jsonl")).sorted(java.util.Comparator
                    .comparingLong((Path p) -> Long.parseLong(p.getFileName().toString().replaceAll("\\D", "")))).toList();
        }
        // The oldest snapshot kept is the one the compacted journal continues: the newer ones go, so it is needed.
        Path needed = snapshots.getFirst();
        for (Path newer : snapshots.subList(1, snapshots.size())) {
            Files.delete(newer);
        }
        List<String> lines = Files.readAllLines(needed);
        assertTrue(lines.size() > 3, lines.toString());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.function.Function<String, com.fasterxml.jackson.databind.node.ObjectNode> line3 =
                ignored -> (com.fasterxml.jackson.databind.node.ObjectNode) readTree(json, lines.get(2));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(line3.apply("").put("atMillis", "soon").toString(), "its \"atMillis\" is 'soon', where a whole number belongs");
        cases.put(lines.get(2).replaceFirst("\"seq\"", "seq"), "it is not whole, valid JSON (it goes wrong at character ");
        cases.put(line3.apply("").put("colour", "red").toString(), "it has a field \"colour\" that its kind of record does not have");
        com.fasterxml.jackson.databind.node.ObjectNode untyped = line3.apply("");
        untyped.remove("type");
        cases.put(untyped.toString(), "it says no kind of record (its \"type\" is missing)");
        for (var c : cases.entrySet()) {
            Path data = dir.resolve("case-" + c.getValue().hashCode());
            Files.createDirectory(data);
            try (var s = Files.list(made)) {
                for (Path f : s.toList()) {
                    Files.copy(f, data.resolve(f.getFileName()));
                }
            }
            List<String> damaged = new java.util.ArrayList<>(lines);
            damaged.set(2, c.getKey());
            Path snapshot = data.resolve(needed.getFileName());
            Files.writeString(snapshot, withHeaderFor(json, damaged));
            // What a crash leaves, which a start that goes on recovers: a torn last record, a compaction and a snapshot unfinished.
            Files.writeString(data.resolve("journal.jsonl"), "{\"type\":\"show.clock\",\"seq\":", java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(data.resolve("journal.jsonl.compacting"), lines.get(1) + "\n");
            Files.writeString(data.resolve("snapshot-999999.jsonl.tmp"), lines.getFirst() + "\n");
            Files.writeString(data.resolve("node.lock"), "4242\n");
            Map<String, byte[]> before = bytes(data);
            // The node's log (slf4j-simple writes it to System.err as it is when a line is written).
            java.io.PrintStream stderr = System.err;
            java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
            CliRun r;
            System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                r = CliRun.of("serve", "--scenario", "acquirer-slowdown", "--port", "0", "--data-dir", data.toString());
            } finally {
                System.setErr(stderr);
            }
            String log = logged.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(snapshot + " is damaged at line 3: " + c.getValue()), r.err());
            // The refusal's log line says what comes next as it is: no snapshot before it, no whole journal, no start.
            assertTrue(log.contains("Snapshot refused: " + snapshot + " is damaged at line 3"), log);
            assertFalse(log.contains("using the snapshot before it"), log);
            assertTrue(log.contains("; there is no snapshot before it, and the journal starts at record "), log);
            assertTrue(log.contains("(left as it is)"), log);
            assertPlain(r.err());
            // The node does not start, so nothing is recovered or set aside: every file keeps its name and its bytes.
            assertSameFiles(before, bytes(data), r.err());
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(com.fasterxml.jackson.databind.ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A snapshot file of {@code lines} (header first) whose header's length and CRC-32C are its records' as they now are. */
    private static String withHeaderFor(com.fasterxml.jackson.databind.ObjectMapper json, List<String> lines) {
        String body = String.join("\n", lines.subList(1, lines.size())) + "\n";
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        com.fasterxml.jackson.databind.node.ObjectNode header = (com.fasterxml.jackson.databind.node.ObjectNode) readTree(json, lines.getFirst());
        header.put("bytes", bytes.length).put("crc32c", crc.getValue());
        return header + "\n" + body;
    }

    /**
     * A start refused once it has the data directory (a damaged journal, the journal of another show)
     * leaves the directory as it found it: no lock file, no keys, no journal it made; what was there
     * stays, byte for byte. Another node's directory is left to that node.
     */
    @Test
    void aRefusedStartLeavesTheDataDirectoryAsItFoundIt(@TempDir Path dir) throws Exception {
        Path damaged = Files.createDirectory(dir.resolve("damaged"));
        String journal = "{\"type\":\"show.started\",\"seq\":1,\"atMillis\":0,\"scenario\":\"steady-show\",\"seed\":1001}\n"
                + "{\"type\":\"show.clock\",\"seq\":2,\"atMillis\":\"soon\"}\n{\"type\":\"show.clock\",\"seq\":3,\"atMillis\":200}\n";
        Files.writeString(damaged.resolve("journal.jsonl"), journal);
        // A compaction a crash interrupted is left where it is too: the start is refused before anything is recovered.
        Files.writeString(damaged.resolve("journal.jsonl.compacting"), journal);
        CliRun r = CliRun.of("serve", "--port", "0", "--data-dir", damaged.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("journal.jsonl", "journal.jsonl.compacting"), names(damaged), r.err());
        assertEquals(journal, Files.readString(damaged.resolve("journal.jsonl")));

        Path other = Files.createDirectory(dir.resolve("other"));
        String otherShow = "{\"type\":\"show.started\",\"seq\":1,\"atMillis\":0,\"scenario\":\"pop-outage\",\"seed\":7}\n";
        Files.writeString(other.resolve("journal.jsonl"), otherShow);
        Files.writeString(other.resolve("notes.txt"), "the producer's own\n");
        r = CliRun.of("serve", "--scenario", "steady-show", "--port", "0", "--data-dir", other.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("holds the journal of show 'pop-outage'"), r.err());
        assertEquals(List.of("journal.jsonl", "notes.txt"), names(other), r.err());
        assertEquals(otherShow, Files.readString(other.resolve("journal.jsonl")));

        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        Path held = dir.resolve("held");
        try (EdgeNode first = EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, held))) {
            List<String> before = names(held);
            String lock = Files.readString(held.resolve("node.lock"));
            java.nio.file.attribute.FileTime touched = Files.getLastModifiedTime(held.resolve("node.lock"));
            r = CliRun.of("serve", "--port", "0", "--data-dir", held.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("is in use by another node"), r.err());
            assertTrue(names(held).containsAll(before), "the running node's files are its own: " + names(held));
            assertEquals(lock, Files.readString(held.resolve("node.lock")), "the lock names the node that holds it");
            assertEquals(touched, Files.getLastModifiedTime(held.resolve("node.lock")));
        }
    }

    @Test
    void aStartRefusedAsAnotherShowChangesNoByteOfThatShowsFiles(@TempDir Path dir) throws Exception {
        // Another show's journal as a crash left it: a torn last record, and a compaction it interrupted.
        String whole = "{\"type\":\"show.started\",\"seq\":1,\"atMillis\":0,\"scenario\":\"pop-outage\",\"seed\":7}\n";
        Files.writeString(dir.resolve("journal.jsonl"), whole + "{\"type\":\"show.clock\",\"seq\":2,\"atMi");
        Files.writeString(dir.resolve("journal.jsonl.compacting"), whole);
        java.nio.file.attribute.FileTime then = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(dir, then);
        java.util.Map<String, byte[]> before = bytes(dir);
        CliRun r = CliRun.of("serve", "--scenario", "steady-show", "--port", "0", "--data-dir", dir.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("holds the journal of show 'pop-outage'"), r.err());
        assertSameFiles(before, bytes(dir), r.err());
        // The look whether a file can be made there, and the lock file the start made and took back, leave its time too.
        assertEquals(then, Files.getLastModifiedTime(dir));
    }

    /**
     * A lock file a start found (left by a node that stopped, or copied with the directory) keeps its
     * bytes and its time when the start is refused: the start's own pid, written while it held the
     * directory, is taken back with the rest.
     */
    @Test
    void aRefusedStartPutsBackTheLockFileItFoundByteForByte(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("journal.jsonl"), "{\"type\":\"show.started\",\"seq\":1,\"atMillis\":0,\"scenario\":\"steady-show\","
                + "\"seed\":1001}\n{\"type\":\"show.clock\",\"seq\":2,\"atMillis\":\"soon\"}\n{\"type\":\"show.clock\",\"seq\":3,\"atMillis\":200}\n");
        Path lock = dir.resolve("node.lock");
        Files.writeString(lock, "4242\n");
        java.nio.file.attribute.FileTime then = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(lock, then);
        Map<String, byte[]> before = bytes(dir);
        CliRun r = CliRun.of("serve", "--port", "0", "--data-dir", dir.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is damaged at line 2"), r.err());
        assertSameFiles(before, bytes(dir), r.err());
        assertEquals(then, Files.getLastModifiedTime(lock));
    }

    private static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after, String err) {
        assertEquals(before.keySet(), after.keySet(), err);
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name);
        }
    }

    private static java.util.Map<String, byte[]> bytes(Path dir) throws java.io.IOException {
        java.util.Map<String, byte[]> all = new java.util.TreeMap<>();
        for (String name : names(dir)) {
            all.put(name, Files.readAllBytes(dir.resolve(name)));
        }
        return all;
    }

    private static List<String> names(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
