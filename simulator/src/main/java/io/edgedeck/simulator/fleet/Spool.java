package io.edgedeck.simulator.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A node's outbox on disk: every record it must publish is appended here and forced to the device
 * before {@link #append} returns, and stays until Kafka has acknowledged it ({@link #release}).
 * A node cut off from Kafka keeps appending until the spool holds {@code maxBytes}; past that an
 * append is refused whole with {@link FullException} (nothing already spooled is dropped, and the
 * caller learns at once that the new records are not durable).
 *
 * <p>Each record gets the next number of a sequence that never goes back, across restarts too
 * (the publish id consumers deduplicate by). Files ({@link SpoolFormat}): {@code seg-<first seq>.log}
 * segments of framed records and {@code acked}, the highest sequence number Kafka acknowledged,
 * written before any segment it covers is deleted. On open, a record that a crash cut short or
 * damaged ends its segment: it and what follows in that segment are cut off, logged and counted
 * ({@link #damagedBytes()}).
 *
 * <p>Thread-safe: appends come from the node's threads, reads and releases from the publisher's.
 */
public final class Spool implements AutoCloseable {
    /** The default bound: about 2.5 hours of a 24-PoP node's aggregates (docs/FLEET.md). */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    /** The default segment size: space comes back 16 MiB at a time. */
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
    /** The largest value one record may carry (Kafka's default max.request.size). */
    public static final int MAX_VALUE_BYTES = 1024 * 1024;

    /** A record to spool. */
    public record Pending(String topic, String key, String schema, byte[] value) {
        public Pending {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(value, "value");
            if (value.length > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("a spooled value is at most " + MAX_VALUE_BYTES + " bytes, got "
                        + value.length);
            }
        }
    }

    /** A spooled record with its sequence number and when it was appended (epoch ms). */
    public record Entry(long seq, long appendedAtMillis, String topic, String key, String schema, byte[] value) {
    }

    /** The spool is at its bound: the records were not appended. */
    public static final class FullException extends IOException {
        public FullException(String message) {
            super(message);
        }
    }

    private static final class Segment {
        final Path path;
        final long firstSeq;
        long lastSeq;
        long size;

        Segment(Path path, long firstSeq) {
            this.path = path;
            this.firstSeq = firstSeq;
            this.lastSeq = firstSeq - 1;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private FileChannel active;
    private long acked;
    private long nextSeq;
    private long totalBytes;
    private long refused;
    private long damagedBytes;
    private long oldestPendingAppendedAt = -1;
    // Read cursor: where the entry after cursorSeq starts.
    private long cursorSeq = -1;
    private int cursorSegment;
    private long cursorPos;

    private Spool(Path dir, long maxBytes, long segmentBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens (or creates) the spool in {@code dir}.
     *
     * @param maxBytes     the bound on the segments' total size on disk
     * @param segmentBytes a segment is closed past this size; released space comes back a segment at a time
     */
    public static Spool open(Path dir, long maxBytes, long segmentBytes) throws IOException {
        Spool s = read(dir, maxBytes, segmentBytes);
        s.recover();
        return s;
    }

    /**
     * As {@link #open}, but what a crash left is only found, not yet undone: a torn or damaged segment
     * tail stays, and so do segments with nothing left to publish, until {@link #recover} (a node's start
     * calls it once every check has passed, so a refused start changes no byte of its spool). Nothing
     * is appended or released before then; records are read as {@link #open} would leave them.
     */
    public static Spool read(Path dir, long maxBytes, long segmentBytes) throws IOException {
        if (segmentBytes < 1024 || maxBytes < segmentBytes) {
            throw new IllegalArgumentException("spool bound " + maxBytes + " must be at least one segment (" + segmentBytes
                    + " bytes, at least 1024)");
        }
        Spool s = new Spool(dir, maxBytes, segmentBytes);
        s.scan();
        return s;
    }

    // Found by scan, undone by recover: segments to cut back to their whole records, and those to delete.
    private final List<Segment> torn = new ArrayList<>();
    private final List<Path> spent = new ArrayList<>();
    private boolean recovered;

    private void scan() throws IOException {
        acked = SpoolFormat.readCheckpoint(dir);
        List<Path> files;
        if (!Files.isDirectory(dir)) {
            files = List.of();
        } else {
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(SpoolFormat::isSegment).sorted().toList();
            }
        }
        long last = acked;
        for (Path f : files) {
            Segment seg = new Segment(f, SpoolFormat.firstSeq(f));
            SpoolFormat.Scanned scanned = SpoolFormat.scan(f, seg.lastSeq);
            seg.lastSeq = scanned.lastSeq();
            seg.size = scanned.size();
            damagedBytes += scanned.damagedBytes();
            last = Math.max(last, seg.lastSeq);
            if (seg.lastSeq < seg.firstSeq || seg.lastSeq <= acked) {
                // Nothing left to publish in it.
                spent.add(f);
                continue;
            }
            if (scanned.damagedBytes() > 0) {
                torn.add(seg);
            }
            segments.add(seg);
            totalBytes += seg.size;
        }
        nextSeq = last + 1;
        oldestPendingAppendedAt = firstPendingAppendedAt();
    }

    /**
     * Undoes what a crash left, as {@link #read} found it: makes the spool's directory, cuts each torn or
     * damaged segment back to its whole records (logged) and deletes the segments with nothing left to
     * publish. A second call finds nothing to do.
     */
    public synchronized void recover() throws IOException {
        if (recovered) {
            return;
        }
        Files.createDirectories(dir);
        for (Segment seg : torn) {
            SpoolFormat.cut(seg.path, seg.size);
        }
        for (Path f : spent) {
            Files.deleteIfExists(f);
        }
        torn.clear();
        spent.clear();
        recovered = true;
    }

    /** When the first unacknowledged record was appended, or -1; leaves the publisher's read cursor where it was. */
    private long firstPendingAppendedAt() throws IOException {
        if (acked >= nextSeq - 1) {
            return -1;
        }
        long keep = cursorSeq;
        int keepSeg = cursorSegment;
        long keepPos = cursorPos;
        List<Entry> next = read(acked, 1);
        cursorSeq = keep;
        cursorSegment = keepSeg;
        cursorPos = keepPos;
        return next.isEmpty() ? -1 : next.getFirst().appendedAtMillis();
    }

    /**
     * Appends records and forces them to the device: all of them or, at the bound, none.
     *
     * @return the sequence number of the first; the others follow it in order
     * @throws FullException when they would take the spool past its bound
     */
    public synchronized long append(List<Pending> records, long nowMillis) throws IOException {
        requireRecovered();
        if (records.isEmpty()) {
            return nextSeq;
        }
        List<ByteBuffer> frames = new ArrayList<>(records.size());
        long bytes = 0;
        long seq = nextSeq;
        for (Pending p : records) {
            ByteBuffer f = SpoolFormat.frame(seq++, nowMillis, p);
            frames.add(f);
            bytes += f.remaining();
        }
        if (totalBytes + bytes > maxBytes) {
            refused += records.size();
            throw new FullException("spool " + dir + " holds " + totalBytes + " of " + maxBytes + " bytes; "
                    + records.size() + " records (" + bytes + " bytes) refused");
        }
        Segment seg = activeSegment();
        // One gathering write: a process killed during it leaves all of it or none (a fleet node's
        // mark relies on that, FleetMark); only a crash of the machine can keep part of it.
        ByteBuffer[] all = frames.toArray(ByteBuffer[]::new);
        long left = bytes;
        while (left > 0) {
            left -= active.write(all);
        }
        active.force(false);
        long first = nextSeq;
        nextSeq = seq;
        seg.lastSeq = seq - 1;
        seg.size += bytes;
        totalBytes += bytes;
        if (oldestPendingAppendedAt < 0) {
            oldestPendingAppendedAt = nowMillis;
        }
        return first;
    }

    private Segment activeSegment() throws IOException {
        Segment last = segments.isEmpty() ? null : segments.getLast();
        if (last != null && active != null && last.size < segmentBytes) {
            return last;
        }
        if (active != null) {
            active.close();
            active = null;
        }
        Segment seg = new Segment(SpoolFormat.segment(dir, nextSeq), nextSeq);
        active = FileChannel.open(seg.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        SpoolFormat.forceDirectory(dir);
        segments.add(seg);
        return seg;
    }

    private void requireRecovered() {
        if (!recovered) {
            throw new IllegalStateException("spool " + dir + " was read and not yet recovered: nothing is written to it before");
        }
    }

    /** Up to {@code max} records after sequence number {@code afterSeq}, in order. */
    public synchronized List<Entry> read(long afterSeq, int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (segments.isEmpty() || afterSeq >= nextSeq - 1) {
            return out;
        }
        if (afterSeq != cursorSeq || cursorSegment >= segments.size()) {
            position(afterSeq);
        }
        ByteBuffer head = ByteBuffer.allocate(SpoolFormat.HEADER);
        while (out.size() < max && cursorSegment < segments.size()) {
            Segment seg = segments.get(cursorSegment);
            if (cursorPos >= seg.size) {
                if (cursorSegment == segments.size() - 1) {
                    break;
                }
                cursorSegment++;
                cursorPos = 0;
                continue;
            }
            try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
                while (out.size() < max && cursorPos < seg.size) {
                    Entry e = SpoolFormat.readAt(ch, cursorPos, seg.size, head);
                    if (e == null) {
                        throw new IOException("spool segment " + seg.path + " damaged at byte " + cursorPos);
                    }
                    cursorPos += SpoolFormat.framedLength(e);
                    if (e.seq() > afterSeq) {
                        out.add(e);
                        cursorSeq = e.seq();
                    }
                }
            }
        }
        if (!out.isEmpty()) {
            cursorSeq = out.getLast().seq();
        }
        return out;
    }

    private void position(long afterSeq) {
        cursorSegment = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).firstSeq <= afterSeq + 1) {
                cursorSegment = i;
            }
        }
        cursorPos = 0;
        cursorSeq = afterSeq;
    }

    /**
     * Kafka acknowledged every record up to {@code seq}: records it durably, then deletes the
     * segments it covers.
     */
    public synchronized void release(long seq) throws IOException {
        if (seq <= acked) {
            return;
        }
        requireRecovered();
        acked = Math.min(seq, nextSeq - 1);
        SpoolFormat.writeCheckpoint(dir, acked);
        while (!segments.isEmpty() && segments.getFirst().lastSeq <= acked) {
            Segment gone = segments.removeFirst();
            if (segments.isEmpty() && active != null) {
                active.close();
                active = null;
            }
            Files.deleteIfExists(gone.path);
            totalBytes -= gone.size;
            if (cursorSegment > 0) {
                cursorSegment--;
            } else {
                cursorSeq = -1;
            }
        }
        oldestPendingAppendedAt = firstPendingAppendedAt();
    }

    /** The highest sequence number Kafka acknowledged (every one below it too). */
    public synchronized long acked() {
        return acked;
    }

    /** The sequence number of the last record appended (0 before any). */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    /** Records appended and not yet acknowledged. */
    public synchronized long pending() {
        return nextSeq - 1 - acked;
    }

    /** Bytes on disk, at most {@link #maxBytes()}. */
    public synchronized long bytes() {
        return totalBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Records refused because the spool was full, since it was opened. */
    public synchronized long refused() {
        return refused;
    }

    /** Bytes cut off on open because a crash tore them or they were damaged. */
    public synchronized long damagedBytes() {
        return damagedBytes;
    }

    /** When the oldest unacknowledged record was appended (epoch ms), or -1 when none is pending. */
    public synchronized long oldestPendingAppendedAt() {
        return oldestPendingAppendedAt;
    }

    @Override
    public synchronized void close() throws IOException {
        if (active != null) {
            active.close();
            active = null;
        }
    }
}
