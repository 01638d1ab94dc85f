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
import java.util.zip.CRC32C;

/**
 * What a {@link Spool} keeps on disk, byte by byte: segment files named by their first sequence
 * number, each a run of framed records ({@code [length][CRC32C][seq, appended-at, topic, key,
 * schema, value]}), and the {@code acked} checkpoint (the sequence number and a check of it),
 * replaced atomically. Stateless; the spool decides what to write and when.
 */
final class SpoolFormat {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolFormat.class);
    /** Length and CRC before each record's body. */
    static final int HEADER = 8;
    private static final long CHECKPOINT_MAGIC = 0x45444745_5350_4F4CL;
    private static final String SEGMENT_NAME = "seg-\\d{20}\\.log";

    private SpoolFormat() {
    }

    static boolean isSegment(Path file) {
        return file.getFileName().toString().matches(SEGMENT_NAME);
    }

    /** The segment file whose first record is {@code firstSeq}. */
    static Path segment(Path dir, long firstSeq) {
        return dir.resolve(String.format("seg-%020d.log", firstSeq));
    }

    /** The first sequence number a segment file holds, from its name. */
    static long firstSeq(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(4, 24));
    }

    /** One record framed for a segment, ready to write. */
    static ByteBuffer frame(long seq, long now, Spool.Pending p) {
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

    /** The bytes a record takes in its segment, header included. */
    static int framedLength(Spool.Entry e) {
        return HEADER + 8 + 8 + 2 + utf8(e.topic()) + 2 + utf8(e.key()) + 2 + utf8(e.schema()) + 4 + e.value().length;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The record at {@code pos}, or null when it is torn, damaged or does not parse. */
    static Spool.Entry readAt(FileChannel ch, long pos, long size, ByteBuffer head) throws IOException {
        if (size - pos < HEADER) {
            return null;
        }
        head.clear();
        readFully(ch, head, pos);
        int body = head.getInt(0);
        int crcValue = head.getInt(4);
        if (body < 28 || body > Spool.MAX_VALUE_BYTES + 3 * Short.MAX_VALUE + 28 || size - pos - HEADER < body) {
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
            return new Spool.Entry(seq, at, topic, key, schema, value);
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

    /** What a segment holds once its torn or damaged tail is cut off. */
    record Scanned(long lastSeq, long size, long damagedBytes) {
    }

    /**
     * Reads a segment's records up to the first that is torn or damaged; changes nothing ({@link #cut} does).
     *
     * @param noneSeq the last sequence number to report when the segment holds no whole record
     */
    static Scanned scan(Path segment, long noneSeq) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            long lastSeq = noneSeq;
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            while (pos < size) {
                Spool.Entry e = readAt(ch, pos, size, head);
                if (e == null) {
                    break;
                }
                lastSeq = e.seq();
                pos += framedLength(e);
            }
            return new Scanned(lastSeq, pos, size - pos);
        }
    }

    /** Cuts a segment back to its first {@code whole} bytes, the records {@link #scan} read whole, and forces the cut. */
    static void cut(Path segment, long whole) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (whole < size) {
                LOG.warn("spool segment {}: {} bytes from byte {} on are torn or damaged and were cut off",
                        segment, size - whole, whole);
                ch.truncate(whole);
                ch.force(true);
            }
        }
    }

    /** The acknowledged sequence number in {@code dir}; 0 when there is none or it is damaged (all is sent again). */
    static long readCheckpoint(Path dir) throws IOException {
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

    /** Replaces the checkpoint durably: written and forced beside it, then moved over it. */
    static void writeCheckpoint(Path dir, long seq) throws IOException {
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
        forceDirectory(dir);
    }

    /** Forces the directory's entries (a new segment, a renamed checkpoint) to the device where the platform can. */
    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the file's own force still holds its bytes.
            LOG.debug("cannot force directory {}: {}", dir, e.getMessage());
        }
    }
}
