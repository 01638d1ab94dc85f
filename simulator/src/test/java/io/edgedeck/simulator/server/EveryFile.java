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
     * Every file and directory under {@code dir}, {@code dir} itself included (as {@code .}), by its path there: its
     * kind and POSIX mode, and a file's SHA-256. A start that tightened a mode, or removed a file, shows here.
     */
    static Map<String, String> modesAndHashes(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path p : entries.toList()) {
                String name = dir.equals(p) ? "." : dir.relativize(p).toString();
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
                all.put(name, Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "directory " + mode
                        : "file " + mode + " " + HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(p))));
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
        Path ingest = dir.resolve(EdgeNode.INGEST_LOG);
        if (Files.exists(ingest)) {
            // A live node's: a batch whose write a crash cut short (its header says 400 bytes; 16 follow), never
            // acknowledged, and a scrub's rewrite it interrupted.
            Files.write(ingest, java.nio.ByteBuffer.allocate(16).putInt(400).putInt(7).putLong(1).array(),
                    java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(dir.resolve(EdgeNode.INGEST_LOG + ".scrubbing"), "a scrub a crash interrupted\n");
        }
        Path spool = dir.resolve("fleet").resolve("spool");
        if (Files.isDirectory(spool)) {
            // A fleet node's: the last spooled record a crash cut short.
            try (Stream<Path> s = Files.list(spool)) {
                Path last = s.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().reduce((a, b) -> b)
                        .orElseThrow(() -> new IOException("no spool segment in " + spool));
                Files.write(last, new byte[]{0, 0, 1, 0, 9, 9}, java.nio.file.StandardOpenOption.APPEND);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
