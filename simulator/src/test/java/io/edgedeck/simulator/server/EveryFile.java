package io.edgedeck.simulator.server;

import io.edgedeck.engine.journal.SnapshotJournal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A data directory's files, for a test that checks a refused start changed none of them. */
final class EveryFile {
    private EveryFile() {
    }

    /** Every file under {@code dir}, by its path there, with the SHA-256 of its bytes. */
    static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.put(dir.relativize(f).toString(), HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(f))));
            }
        }
        return all;
    }

    /**
     * Leaves what a crash leaves in a node's data directory: a torn last journal record, a compaction and
     * a snapshot it interrupted. A start that goes on cuts and removes them; a refused one must not.
     */
    static void asACrashLeftIt(Path dir) throws IOException {
        Files.writeString(dir.resolve(SnapshotJournal.FILE), "{\"type\":\"show.clock\",\"seq\":999999,\"atMi",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(SnapshotJournal.FILE + ".compacting"), "a compaction a crash interrupted\n");
        Files.writeString(dir.resolve("snapshot-999999.jsonl.tmp"), "a snapshot a crash interrupted\n");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
