package io.edgedeck.simulator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replay} reads a node's data directory as evidence: whatever it finds there (a torn journal
 * tail, a damaged snapshot, files a crash left unfinished), every file keeps its name and every byte,
 * and what it found is said.
 */
class ReplayReadsOnlyTest {

    /** Each file's name under {@code dir} and the SHA-256 of its bytes. */
    private static Map<String, String> contents(Path dir) throws IOException, NoSuchAlgorithmException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.put(dir.relativize(f).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return all;
    }

    @Test
    void replayOfADamagedDataDirectoryChangesNothingInItAndSaysWhatItFound(@TempDir Path dir) throws Exception {
        String tiny;
        try (var in = ReplayReadsOnlyTest.class.getResourceAsStream("/io/edgedeck/simulator/scenario/tiny.json")) {
            tiny = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        // its show in 30 s rather than 10 minutes, its outage and mood shift still on the timeline
        Path show = Files.writeString(dir.resolve("tiny.json"), tiny.replace("\"durationSeconds\": 600", "\"durationSeconds\": 30")
                .replace("\"atSeconds\": 300", "\"atSeconds\": 10").replace("\"atSeconds\": 240", "\"atSeconds\": 5"));
        Path data = Files.createDirectory(dir.resolve("data"));
        Path journal = data.resolve("journal.jsonl");
        CliRun run = CliRun.of("run", "--scenario", show.toString(), "--journal", journal.toString());
        assertEquals(0, run.code(), run.err());
        // What a crash and a bad disk leave: a record cut short, a snapshot that fails its check, and files
        // a snapshot's write and a compaction left unfinished.
        Files.writeString(journal, "{\"type\":\"show.clock\",\"seq\":", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(data.resolve("snapshot-3.jsonl"), "{\"format\":1,\"coversSeq\":3,\"bytes\":99}\nnot a record\n");
        // An earlier start set a damaged snapshot-3 aside already: a start now would take the next name.
        Files.writeString(data.resolve("snapshot-3.jsonl.refused"), "an earlier start's evidence\n");
        Files.writeString(data.resolve("snapshot-9.jsonl.tmp"), "half a snapshot");
        Files.writeString(data.resolve("journal.jsonl.compacting"), "half a compaction");
        Map<String, String> before = contents(data);

        for (Path given : new Path[]{data, journal}) {
            CliRun r = CliRun.of("replay", "--journal", given.toString());
            assertEquals(0, r.code(), given + ": " + r.out() + r.err());
            assertEquals(before, contents(data), "replay --journal " + given + " left every file as it was");
            assertTrue(r.out().contains("the engine made the same"), r.out());
            assertTrue(r.err().contains("replay: the last record of " + journal + " was torn"), r.err());
            assertTrue(r.err().contains("replay: snapshot refused: " + data.resolve("snapshot-3.jsonl")), r.err());
            assertTrue(r.err().contains("(left as it is; a node's start would set it aside as snapshot-3.jsonl.refused-2)"), r.err());
        }
    }
}
