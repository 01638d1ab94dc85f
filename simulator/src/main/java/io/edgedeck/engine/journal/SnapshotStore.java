package io.edgedeck.engine.journal;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files in a data directory: {@code snapshot-<coversSeq>.jsonl}, a header line then one
 * record per line (docs/JOURNAL.md, "Snapshots and compaction"). A snapshot is written to a
 * temporary file, forced, renamed into place and its directory forced, so a crash leaves either
 * no snapshot or a whole one; reading checks its length and CRC-32C, so a damaged one is refused.
 */
public final class SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    /** The format a header names; a reader refuses any other. */
    public static final int FORMAT = 1;
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{1,19})\\.jsonl");
    private static final String UNFINISHED = ".tmp";

    private final Path dir;

    /** The first line of a snapshot file: what it covers and what the bytes after it must be. */
    record Header(@JsonProperty("format") int format, @JsonProperty("coversSeq") long coversSeq,
                  @JsonProperty("atMillis") long atMillis, @JsonProperty("folded") long folded,
                  @JsonProperty("records") int records, @JsonProperty("bytes") long bytes,
                  @JsonProperty("crc32c") long crc32c) {
    }

    /** A snapshot file that cannot be used, and why. */
    public static final class DamagedSnapshotException extends IOException {
        DamagedSnapshotException(String message) {
            super(message);
        }
    }

    /** Removes snapshots a crash left unfinished; they were never used. */
    public static SnapshotStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("snapshot-")
                    && f.getFileName().toString().endsWith(UNFINISHED)).toList()) {
                Files.delete(f);
                LOG.warn("Removed {}, a snapshot a crash interrupted before it was whole; the one before it stands", f);
            }
        }
        return new SnapshotStore(dir);
    }

    private SnapshotStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path fileOf(long coversSeq) {
        return fileOf(dir, coversSeq);
    }

    /** The file in {@code dir} of the snapshot that covers records to {@code coversSeq}. */
    public static Path fileOf(Path dir, long coversSeq) {
        return dir.resolve("snapshot-" + coversSeq + ".jsonl");
    }

    /** The snapshot files here, newest (highest record covered) first. */
    public List<Path> files() throws IOException {
        return files(dir);
    }

    /**
     * The snapshot files in {@code dir}, newest (highest record covered) first, found without opening
     * a store: nothing is created or removed, for a command that only reads.
     */
    public static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> NAME.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(SnapshotStore::coversSeqOf).reversed()).toList();
        }
    }

    private static long coversSeqOf(Path f) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Writes a snapshot durably: temporary file, force, rename, force the directory. @return its file */
    public Path write(Snapshot snapshot) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (JournalRecord r : snapshot.records()) {
            body.writeBytes(FileJournal.line(r));
        }
        byte[] bytes = body.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        Header header = new Header(FORMAT, snapshot.coversSeq(), snapshot.atMillis(), snapshot.folded(),
                snapshot.records().size(), bytes.length, crc.getValue());
        byte[] head = FileJournal.line(header);
        Path target = fileOf(snapshot.coversSeq());
        Path temp = target.resolveSibling(target.getFileName() + UNFINISHED);
        try (FileChannel out = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), OwnerOnlyCreation.in(temp.toAbsolutePath().getParent()))) {
            ByteBuffer all = ByteBuffer.allocate(head.length + bytes.length).put(head).put(bytes).flip();
            while (all.hasRemaining()) {
                out.write(all);
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        CrashPoint.SNAPSHOT_WRITTEN.reach();
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileJournal.forceDirectory(target);
        return target;
    }

    /**
     * Reads a snapshot file back whole, or refuses it.
     *
     * @throws DamagedSnapshotException when it is cut short, altered, or not a snapshot, saying which
     */
    public static Snapshot read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int nl = 0;
        while (nl < all.length && all[nl] != '\n') {
            nl++;
        }
        if (nl == all.length) {
            throw new DamagedSnapshotException(file + " has no whole header line");
        }
        Header header;
        try {
            header = FileJournal.JSON.readValue(new String(all, 0, nl, StandardCharsets.UTF_8), Header.class);
        } catch (IOException e) {
            throw new DamagedSnapshotException(file + " has a damaged header: " + LineProblem.of(e));
        }
        if (header.format() != FORMAT) {
            throw new DamagedSnapshotException(file + " is in format " + header.format() + "; this node reads format " + FORMAT);
        }
        long bytes = all.length - nl - 1L;
        if (bytes != header.bytes()) {
            throw new DamagedSnapshotException(file + " holds " + bytes + " bytes of records where its header says " + header.bytes());
        }
        CRC32C crc = new CRC32C();
        crc.update(all, nl + 1, all.length - nl - 1);
        if (crc.getValue() != header.crc32c()) {
            throw new DamagedSnapshotException(file + " fails its CRC-32C check (" + Long.toHexString(crc.getValue())
                    + ", header says " + Long.toHexString(header.crc32c()) + ")");
        }
        List<JournalRecord> records = new ArrayList<>();
        String[] lines = new String(all, nl + 1, all.length - nl - 1, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                try {
                    records.add(FileJournal.JSON.readValue(lines[i], JournalRecord.class));
                } catch (IOException e) {
                    // the header's line is line 1
                    throw new DamagedSnapshotException(file + " is damaged at line " + (i + 2) + ": " + LineProblem.of(e));
                }
            }
        }
        if (records.size() != header.records() || coversSeqOf(file) != header.coversSeq()) {
            throw new DamagedSnapshotException(file + " does not hold what its header says");
        }
        try {
            return new Snapshot(header.coversSeq(), header.atMillis(), header.folded(), records);
        } catch (IllegalArgumentException e) {
            throw new DamagedSnapshotException(file + ": " + e.getMessage());
        }
    }

    /** Deletes every snapshot older than {@code keepFrom}'s record, keeping that one and newer. */
    public void deleteOlderThan(long keepFrom) throws IOException {
        for (Path f : files()) {
            if (coversSeqOf(f) < keepFrom) {
                Files.delete(f);
            }
        }
    }
}
