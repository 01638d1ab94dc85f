package io.edgedeck.simulator.server.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.nio.file.StandardCopyOption;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;

/**
 * The ingest log: every batch a live node accepts, on disk before the node answers. It is apart from
 * the journal (which records state changes): it records observations, and a node started again on
 * its data directory feeds them to its core again, so nothing acknowledged is lost to a kill -9.
 *
 * <p>Group commit: callers on any thread {@link #append} and wait on the future; one writer thread
 * writes everything waiting with one {@code write} and makes it durable with one {@code fsync}
 * ({@code FileChannel.force}), then completes every future of that group. Under load a group holds
 * many batches, so the fsync cost is shared.
 *
 * <p>Record format, little ceremony: {@code int length, int crc32c, long arrivalEpochMillis,
 * payload[length]}, the checksum over the arrival time and the payload. A record cut short by a
 * crash, or one whose checksum fails, ends the log: it and anything after it are cut off on open
 * (it was never acknowledged, since its fsync never returned). Bit 30 of the length marks a
 * record that holds no raw id: one the retention window has {@linkplain #scrub scrubbed}, or one
 * written with none ({@code privacy.rawSampleRate}): its payload is the batch's events with keys for
 * ids (docs/PRIVACY.md). Every record before {@code rawStart} is scrubbed; after it, raw and
 * scrubbed records may alternate.
 */
public final class IngestLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLog.class);
    private static final int HEADER = 16;
    /** The largest payload a record holds; a batch is far smaller (the node's batch limit). */
    static final int MAX_PAYLOAD = 256 * 1024 * 1024;
    /** How many bytes one group writes at most before its fsync. */
    private static final long GROUP_BYTES = 32L * 1024 * 1024;

    /** Marks a scrubbed record in its length field. */
    private static final int SCRUBBED = 1 << 30;

    /** What a {@link #scrub} did: records rewritten, and the log's size before and after, in bytes. */
    public record Scrubbed(int records, long bytesBefore, long bytesAfter) {
    }

    /** A record to write, or (record null) a task to run on the writer thread between groups. */
    private record Pending(ByteBuffer record, CompletableFuture<Long> done, Runnable task) {
    }

    private final Path file;
    private FileChannel channel;
    /** Where the first record not yet scrubbed starts; only the writer thread moves it after open. */
    private long rawStart;
    /** The arrival of the oldest record not yet scrubbed, or Long.MAX_VALUE when there is none. */
    private volatile long oldestRawEpochMillis = Long.MAX_VALUE;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile long groups;
    private volatile long records;
    private volatile long syncNanos;
    /** The ordinal the next durable record gets: records in the file before it. Writer thread. */
    private long nextOrdinal;

    private IngestLog(Path file, FileChannel channel, long rawStart, long oldestRaw, long recordsInFile) {
        this.file = file;
        this.channel = channel;
        this.rawStart = rawStart;
        this.oldestRawEpochMillis = oldestRaw;
        this.nextOrdinal = recordsInFile;
        this.writer = Thread.ofPlatform().name("edgedeck-ingest-log").daemon().start(this::writeLoop);
    }

    /**
     * A record read back from the log: its ordinal (0 for the first in the file; a scrub keeps every
     * record in its place, so the ordinal never changes), arrival epoch ms, payload, and whether the
     * retention window has scrubbed it.
     */
    @FunctionalInterface
    public interface Replay {
        void record(long ordinal, long arrivalEpochMillis, byte[] payload, boolean scrubbed);
    }

    /**
     * Opens the log for appending, after handing every whole record already in it to
     * {@code replay} in order, each named by its ordinal (the same number {@link #append} completed
     * with when it was written), and cutting off a torn tail. A scrub a crash cut short left its
     * rewrite beside the log, never moved over it: the log is whole, and the rewrite, which holds raw
     * ids too, is deleted.
     */
    public static IngestLog open(Path file, Replay replay) throws IOException {
        Files.deleteIfExists(scrubbing(file));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long[] raw = {-1, Long.MAX_VALUE};
            long[] count = new long[1];
            long end = readAll(channel, 0, (position, at, payload, scrubbed) -> {
                if (!scrubbed && raw[0] < 0) {
                    raw[0] = position;
                    raw[1] = at;
                }
                replay.record(count[0]++, at, payload, scrubbed);
                return true;
            });
            if (end < channel.size()) {
                LOG.warn("The ingest log {} ends in a record that was never acknowledged ({} bytes); it is cut off",
                        file, channel.size() - end);
                channel.truncate(end);
                channel.force(true);
            }
            channel.position(end);
            return new IngestLog(file, channel, raw[0] < 0 ? end : raw[0], raw[1], count[0]);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** One whole record read: where it starts, when it arrived, its payload, whether it is scrubbed; false stops reading. */
    @FunctionalInterface
    private interface Visitor {
        boolean visit(long position, long at, byte[] payload, boolean scrubbed) throws IOException;
    }

    /** Reads whole records from {@code position} on; answers where the first record not visited starts. */
    private static long readAll(FileChannel channel, long from, Visitor visitor) throws IOException {
        long position = from;
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (position + HEADER <= size) {
            header.clear();
            channel.read(header, position);
            header.flip();
            int lengthField = header.getInt();
            boolean scrubbed = lengthField >= 0 && (lengthField & SCRUBBED) != 0;
            int length = lengthField & ~SCRUBBED;
            int crc = header.getInt();
            long at = header.getLong();
            if (length < 0 || length > MAX_PAYLOAD || position + HEADER + length > size) {
                return position;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            while (payload.hasRemaining()) {
                if (channel.read(payload, position + HEADER + payload.position()) < 0) {
                    return position;
                }
            }
            if (crc(at, payload.array()) != crc) {
                return position;
            }
            if (!visitor.visit(position, at, payload.array(), scrubbed)) {
                return position;
            }
            position += HEADER + length;
        }
        return position;
    }

    private static int crc(long at, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, at));
        crc.update(payload);
        return (int) crc.getValue();
    }

    /**
     * Queues a record; the future completes once it is on disk (after the fsync of its group) with
     * the record's ordinal (its place in the file, counting from 0, as {@link Replay} names it
     * after a restart), or fails when it cannot be written. Any thread; never blocks.
     */
    public CompletableFuture<Long> append(long arrivalEpochMillis, byte[] payload) {
        return append(arrivalEpochMillis, payload, false);
    }

    /**
     * As {@link #append(long, byte[])}; {@code scrubbed} marks a payload that holds no raw id, which
     * the retention window then leaves as it is.
     */
    public CompletableFuture<Long> append(long arrivalEpochMillis, byte[] payload, boolean scrubbed) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (payload.length > MAX_PAYLOAD) {
            done.completeExceptionally(new IllegalArgumentException("an ingest log record holds at most " + MAX_PAYLOAD + " bytes"));
            return done;
        }
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the ingest log is closed"));
            return done;
        }
        queue.add(new Pending(record(arrivalEpochMillis, payload, scrubbed), done, null));
        return done;
    }

    private static ByteBuffer record(long arrivalEpochMillis, byte[] payload, boolean scrubbed) {
        ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length);
        record.putInt(scrubbed ? payload.length | SCRUBBED : payload.length).putInt(crc(arrivalEpochMillis, payload))
                .putLong(arrivalEpochMillis).put(payload).flip();
        return record;
    }

    /**
     * Rewrites every record that arrived before {@code cutoffEpochMillis} and is not scrubbed yet
     * with {@code scrub} (a batch as received to its events without raw ids), on the writer thread
     * between two groups: the scrubbed records and the rest are written to a new file, synced, and
     * moved over the log in one step, so a crash leaves the old log or the new one. Each record is
     * rewritten in its place and none is dropped, so every record keeps its ordinal. Appends wait
     * meanwhile. Completes with what it did; nothing to do costs one read of a record header.
     */
    public CompletableFuture<Scrubbed> scrub(long cutoffEpochMillis, UnaryOperator<byte[]> scrub) {
        CompletableFuture<Scrubbed> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the ingest log is closed"));
            return result;
        }
        queue.add(new Pending(null, null, () -> {
            try {
                result.complete(rewrite(cutoffEpochMillis, scrub));
            } catch (IOException | RuntimeException e) {
                LOG.error("The ingest log {} could not be scrubbed; its raw records stay until the next try", file, e);
                result.completeExceptionally(e);
            }
        }));
        return result;
    }

    private Scrubbed rewrite(long cutoff, UnaryOperator<byte[]> scrub) throws IOException {
        long size = channel.size();
        // Written in order: the records scrubbed now, and those written scrubbed among them, as they are.
        List<ByteBuffer> scrubbed = new ArrayList<>();
        int[] rewritten = {0};
        long[] oldest = {Long.MAX_VALUE};
        long rest = readAll(channel, rawStart, (position, at, payload, already) -> {
            if (already) {
                scrubbed.add(record(at, payload, true));
                return true;
            }
            if (at >= cutoff) {
                oldest[0] = at;
                return false;
            }
            scrubbed.add(record(at, scrub.apply(payload), true));
            rewritten[0]++;
            return true;
        });
        if (rewritten[0] == 0) {
            // Nothing to rewrite; records written scrubbed before the first raw one need no reading again.
            rawStart = rest;
            oldestRawEpochMillis = rest < size ? oldest[0] : Long.MAX_VALUE;
            return new Scrubbed(0, size, size);
        }
        Path next = scrubbing(file);
        Files.deleteIfExists(next);
        long newRawStart;
        try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            copy(channel, 0, rawStart, out);
            for (ByteBuffer b : scrubbed) {
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            newRawStart = out.position();
            copy(channel, rest, size - rest, out);
            out.force(true);
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(file.toAbsolutePath().getParent());
        channel.close();
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long end = channel.size();
        channel.position(end);
        rawStart = newRawStart;
        oldestRawEpochMillis = rest < size ? oldest[0] : Long.MAX_VALUE;
        return new Scrubbed(rewritten[0], size, end);
    }

    /** Where a scrub writes the log's rewrite before it moves it over the log. */
    private static Path scrubbing(Path file) {
        return file.resolveSibling(file.getFileName() + ".scrubbing");
    }

    private static void copy(FileChannel from, long position, long count, FileChannel to) throws IOException {
        long done = 0;
        while (done < count) {
            done += from.transferTo(position + done, count - done, to);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notADirectoryChannel) {
            // where a directory cannot be opened (Windows) the OS makes the rename durable itself
        }
    }

    /** The arrival of the oldest record that still holds raw ids, or empty when every record is scrubbed. */
    public java.util.OptionalLong oldestRawEpochMillis() {
        long o = oldestRawEpochMillis;
        return o == Long.MAX_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(o);
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                if (first.task() != null) {
                    first.task().run();
                    continue;
                }
                group.add(first);
                long bytes = first.record().remaining();
                Pending next;
                while (bytes < GROUP_BYTES && (next = queue.peek()) != null && next.task() == null) {
                    group.add(queue.poll());
                    bytes += next.record().remaining();
                }
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void write(List<Pending> group) {
        ByteBuffer[] buffers = new ByteBuffer[group.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = group.get(i).record();
        }
        long start = -1;
        try {
            start = channel.position();
            long remaining = 0;
            for (ByteBuffer b : buffers) {
                remaining += b.remaining();
            }
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
            long before = System.nanoTime();
            channel.force(false);
            syncNanos += System.nanoTime() - before;
            groups++;
            records += group.size();
            if (oldestRawEpochMillis == Long.MAX_VALUE) {
                for (Pending p : group) {
                    if ((p.record().getInt(0) & SCRUBBED) == 0) {
                        oldestRawEpochMillis = p.record().getLong(8);
                        break;
                    }
                }
            }
            for (Pending p : group) {
                p.done().complete(nextOrdinal++);
            }
        } catch (IOException e) {
            LOG.error("The ingest log {} could not be written; the batches waiting on it are refused", file, e);
            group.forEach(p -> p.done().completeExceptionally(new UncheckedIOException(e)));
            cutBackTo(start);
        }
    }

    /** A group that failed may have left part of itself: cut it off, so later groups follow whole records. */
    private void cutBackTo(long position) {
        if (position < 0) {
            return;
        }
        try {
            channel.truncate(position);
            channel.position(position);
        } catch (IOException e) {
            LOG.error("The ingest log {} could not be cut back after a failed write; it is closed to new batches", file, e);
            closed = true;
        }
    }

    /** Time spent in fsync so far, in ns. */
    public long syncNanos() {
        return syncNanos;
    }

    public Path file() {
        return file;
    }

    /** Groups made durable so far (one fsync each), and the records in them. */
    public long groups() {
        return groups;
    }

    public long records() {
        return records;
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
