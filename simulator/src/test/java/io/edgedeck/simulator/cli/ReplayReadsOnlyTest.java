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

    private static final String SHOW = """
            {"name": "evidence", "seed": 11, "durationSeconds": 20,
             "pops": [{"id": "fra", "region": "eu", "capacityRps": 1000, "latency": {"baseMs": 18, "distribution": "normal"}},
                      {"id": "ams", "region": "eu", "capacityRps": 1000, "latency": {"baseMs": 16, "distribution": "normal"}},
                      {"id": "iad", "region": "na", "capacityRps": 1000, "latency": {"baseMs": 22, "distribution": "normal"}}],
             "regions": [{"id": "eu", "share": 0.6, "pops": ["fra", "ams"]}, {"id": "na", "share": 0.4, "pops": ["iad"]}],
             "audience": {"stages": [{"durationSeconds": 10, "target": 20}], "startRate": 5,
                          "session": {"meanDwellSeconds": 60, "viewsPerMinute": 6, "hoversPerMinute": 3, "clicksPerMinute": 1,
                                      "chatPerMinute": 0.5, "addToCartProbability": 0.1, "checkoutProbability": 0.5},
                          "chat": {"positive": 0.5, "neutral": 0.35, "negative": 0.15}},
             "cues": [{"atSeconds": 5, "type": "loss", "pop": "fra", "loss": 0.2, "durationSeconds": 5}]}
            """;

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
        Path show = Files.writeString(dir.resolve("evidence.json"), SHOW);
        Path data = Files.createDirectory(dir.resolve("data"));
        Path journal = data.resolve("journal.jsonl");
        CliRun run = CliRun.of("run", "--scenario", show.toString(), "--journal", journal.toString());
        assertEquals(0, run.code(), run.err());
        // What a crash and a bad disk leave: a record cut short, a snapshot that fails its check, and files
        // a snapshot's write and a compaction left unfinished.
        Files.writeString(journal, "{\"type\":\"show.clock\",\"seq\":", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(data.resolve("snapshot-3.jsonl"), "{\"format\":1,\"coversSeq\":3,\"bytes\":99}\nnot a record\n");
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
        }
    }
}
