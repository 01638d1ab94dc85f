package io.edgedeck.simulator.fleet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A node's outbox on disk: every record it must publish is appended here and forced to the device
 * before {@link #append} returns, and stays until Kafka has acknowledged it ({@link #release}).
 * A node cut off from Kafka keeps appending until the spool holds {@code maxBytes}; past that an
 * append is refused whole with {@link FullException} (nothing already spooled is dropped, and the
 * caller learns at once that the new records are not durable).
 *
 * <p>Each record gets the next number of a sequence that never goes back, across restarts too
 * (the publish id consumers deduplicate by). Files: {@code seg-<first seq>.log} segments of framed
 * records ({@code [length][CRC32C][seq, appended-at, topic, key, schema, value]}) and
 * {@code acked}, the highest sequence number Kafka acknowledged, written before any segment it
 * covers is deleted. On open, a record that a crash cut short or damaged ends its segment: it and
 * what follows in that segment are cut off, logged and counted ({@link #damagedBytes()}).
 *
 * <p>Thread-safe: appends come from the node's threads, reads and releases from the publisher's.
 */
public final class Spool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    /** The default bound: about 2.5 hours of a 24-PoP node's aggregates (docs/FLEET.md). */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    /** The default segment size: space comes back 16 MiB at a time. */
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
    /** The largest value one record may carry (Kafka's default max.request.size). */
    public static final int MAX_VALUE_BYTES = 1024 * 1024;
    private static final int HEADER = 8;
    private static final long CHECKPOINT_MAGIC = 0x45444745_5350_4F4CL;

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
        if (segmentBytes < 1024 || maxBytes < segmentBytes) {
            throw new IllegalArgumentException("spool bound " + maxBytes + " must be at least one segment (" + segmentBytes
                    + " bytes, at least 1024)");
        }
        Files.createDirectories(dir);
        Spool s = new Spool(dir, maxBytes, segmentBytes);
        s.recover();
        return s;
    }

    private void recover() throws IOException {
        acked = readCheckpoint();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("seg-\\d{20}\\.log")).sorted().toList();
        }
        long last = acked;
        for (Path f : files) {
            String name = f.getFileName().toString();
            Segment seg = new Segment(f, Long.parseLong(name.substring(4, 24)));
            scan(seg);
            if (seg.lastSeq < seg.firstSeq || seg.lastSeq <= acked) {
                // Nothing left to publish in it.
                Files.deleteIfExists(f);
                last = Math.max(last, seg.lastSeq);
                continue;
            }
            segments.add(seg);
            totalBytes += seg.size;
            last = Math.max(last, seg.lastSeq);
        }
        nextSeq = last + 1;
        oldestPendingAppendedAt = -1;
        List<Entry> first = read(acked, 1);
        if (!first.isEmpty()) {
            oldestPendingAppendedAt = first.getFirst().appendedAtMillis();
        }
    }

    /** Reads a segment's records, cutting it at the first that is torn or damaged. */
    private void scan(Segment seg) throws IOException {
        try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            while (pos < size) {
                Entry e = readAt(ch, pos, size, head);
                if (e == null) {
                    break;
                }
                seg.lastSeq = e.seq();
                pos += HEADER + bodyLength(e);
            }
            if (pos < size) {
                damagedBytes += size - pos;
                LOG.warn("spool segment {}: {} bytes from byte {} on are torn or damaged and were cut off",
                        seg.path, size - pos, pos);
                ch.truncate(pos);
                ch.force(true);
            }
            seg.size = pos;
        }
    }

    /**
     * Appends records and forces them to the device: all of them or, at the bound, none.
     *
     * @return the sequence number of the first; the others follow it in order
     * @throws FullException when they would take the spool past its bound
     */
    public synchronized long append(List<Pending> records, long nowMillis) throws IOException {
        if (records.isEmpty()) {
            return nextSeq;
        }
        List<ByteBuffer> frames = new ArrayList<>(records.size());
        long bytes = 0;
        long seq = nextSeq;
        for (Pending p : records) {
            ByteBuffer f = frame(seq++, nowMillis, p);
            frames.add(f);
            bytes += f.remaining();
        }
        if (totalBytes + bytes > maxBytes) {
            refused += records.size();
            throw new FullException("spool " + dir + " holds " + totalBytes + " of " + maxBytes + " bytes; "
                    + records.size() + " records (" + bytes + " bytes) refused");
        }
        Segment seg = activeSegment();
        for (ByteBuffer f : frames) {
            while (f.hasRemaining()) {
                active.write(f);
            }
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
        Segment seg = new Segment(dir.resolve(String.format("seg-%020d.log", nextSeq)), nextSeq);
        active = FileChannel.open(seg.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        forceDirectory();
        segments.add(seg);
        return seg;
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
        ByteBuffer head = ByteBuffer.allocate(HEADER);
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
                    Entry e = readAt(ch, cursorPos, seg.size, head);
                    if (e == null) {
                        throw new IOException("spool segment " + seg.path + " damaged at byte " + cursorPos);
                    }
                    cursorPos += HEADER + bodyLength(e);
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
        acked = Math.min(seq, nextSeq - 1);
        writeCheckpoint(acked);
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
        oldestPendingAppendedAt = -1;
        if (acked < nextSeq - 1) {
            long keep = cursorSeq;
            int keepSeg = cursorSegment;
            long keepPos = cursorPos;
            List<Entry> next = read(acked, 1);
            if (!next.isEmpty()) {
                oldestPendingAppendedAt = next.getFirst().appendedAtMillis();
            }
            cursorSeq = keep;
            cursorSegment = keepSeg;
            cursorPos = keepPos;
        }
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

    private static ByteBuffer frame(long seq, long now, Pending p) {
        byte[] topic = p.topic().getBytes(StandardCharsets.UTF_8);
        byte[] key = p.key().getBytes(StandardCharsets.UTF_8);
        byte[] schema = p.schema().getBytes(StandardCharsets.UTF_8);
        if (topic.length > Short.MAX_VALUE || key.length > Short.MAX_VALUE || schema.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("topic, key and schema are at most " + Short.MAX_VALUE + " bytes each");
        }
        int body = 8 + 8 + 2 + topic.length + 2 + key.length + 2 + schema.length + 4 + p.value().length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + body);
        b.putInt(body).putInt(0);
        b.putLong(seq).putLong(now);
        b.putShort((short) topic.length).put(topic);
        b.putShort((short) key.length).put(key);
        b.putShort((short) schema.length).put(schema);
        b.putInt(p.value().length).put(p.value());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), HEADER, body);
        b.putInt(4, (int) crc.getValue());
        b.flip();
        return b;
    }

    private static int bodyLength(Entry e) {
        return 8 + 8 + 2 + utf8(e.topic()) + 2 + utf8(e.key()) + 2 + utf8(e.schema()) + 4 + e.value().length;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The record at {@code pos}, or null when it is torn, damaged or does not parse. */
    private static Entry readAt(FileChannel ch, long pos, long size, ByteBuffer head) throws IOException {
        if (size - pos < HEADER) {
            return null;
        }
        head.clear();
        readFully(ch, head, pos);
        int body = head.getInt(0);
        int crcValue = head.getInt(4);
        if (body < 28 || body > MAX_VALUE_BYTES + 3 * Short.MAX_VALUE + 28 || size - pos - HEADER < body) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(body);
        readFully(ch, b, pos + HEADER);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, body);
        if ((int) crc.getValue() != crcValue) {
            return null;
        }
        b.flip();
        try {
            long seq = b.getLong();
            long at = b.getLong();
            String topic = string(b);
            String key = string(b);
            String schema = string(b);
            byte[] value = new byte[b.getInt()];
            b.get(value);
            return new Entry(seq, at, topic, key, schema, value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getShort()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of spool segment");
            }
        }
    }

    private long readCheckpoint() throws IOException {
        Path f = dir.resolve("acked");
        if (!Files.exists(f)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(f);
        if (b.length != 16) {
            LOG.warn("spool checkpoint {} is damaged; every spooled record will be published again", f);
            return 0;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        long seq = buf.getLong();
        if ((seq ^ CHECKPOINT_MAGIC) != buf.getLong()) {
            LOG.warn("spool checkpoint {} is damaged; every spooled record will be published again", f);
            return 0;
        }
        return seq;
    }

    private void writeCheckpoint(long seq) throws IOException {
        Path tmp = dir.resolve("acked.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(16).putLong(seq).putLong(seq ^ CHECKPOINT_MAGIC).flip());
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve("acked"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve("acked"), StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory();
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the file's own force still holds its bytes.
            LOG.debug("cannot force directory {}: {}", dir, e.getMessage());
        }
    }
}
