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
import java.util.function.BiConsumer;
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
 * (it was never acknowledged, since its fsync never returned).
 */
public final class IngestLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLog.class);
    private static final int HEADER = 16;
    /** The largest payload a record holds; a batch is far smaller (the node's batch limit). */
    static final int MAX_PAYLOAD = 256 * 1024 * 1024;
    /** How many bytes one group writes at most before its fsync. */
    private static final long GROUP_BYTES = 32L * 1024 * 1024;

    private record Pending(ByteBuffer record, CompletableFuture<Long> done) {
    }

    private final Path file;
    private final FileChannel channel;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile long groups;
    private volatile long records;
    private volatile long syncNanos;
    /** The ordinal the next durable record gets: records in the file before it. Writer thread. */
    private long nextOrdinal;

    private IngestLog(Path file, FileChannel channel, long recordsInFile) {
        this.file = file;
        this.channel = channel;
        this.nextOrdinal = recordsInFile;
        this.writer = Thread.ofPlatform().name("edgedeck-ingest-log").daemon().start(this::writeLoop);
    }

    /** A record read back from the log: its ordinal (0 for the first in the file), arrival epoch ms, payload. */
    @FunctionalInterface
    public interface Replay {
        void record(long ordinal, long arrivalEpochMillis, byte[] payload);
    }

    /**
     * Opens the log for appending, after handing every whole record already in it to
     * {@code replay} (arrival epoch ms, payload) in order, and cutting off a torn tail.
     */
    public static IngestLog open(Path file, BiConsumer<Long, byte[]> replay) throws IOException {
        return open(file, (ordinal, at, payload) -> replay.accept(at, payload));
    }

    /**
     * As {@link #open(Path, BiConsumer)}, naming each record by its ordinal: its place in the file,
     * the same number {@link #append} completed with when it was written.
     */
    public static IngestLog open(Path file, Replay replay) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long[] count = new long[1];
            long end = readAll(channel, (at, payload) -> replay.record(count[0]++, at, payload));
            if (end < channel.size()) {
                LOG.warn("The ingest log {} ends in a record that was never acknowledged ({} bytes); it is cut off",
                        file, channel.size() - end);
                channel.truncate(end);
                channel.force(true);
            }
            channel.position(end);
            return new IngestLog(file, channel, count[0]);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static long readAll(FileChannel channel, BiConsumer<Long, byte[]> replay) throws IOException {
        long position = 0;
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (position + HEADER <= size) {
            header.clear();
            channel.read(header, position);
            header.flip();
            int length = header.getInt();
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
            replay.accept(at, payload.array());
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
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (payload.length > MAX_PAYLOAD) {
            done.completeExceptionally(new IllegalArgumentException("an ingest log record holds at most " + MAX_PAYLOAD + " bytes"));
            return done;
        }
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the ingest log is closed"));
            return done;
        }
        ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length);
        record.putInt(payload.length).putInt(crc(arrivalEpochMillis, payload)).putLong(arrivalEpochMillis).put(payload).flip();
        queue.add(new Pending(record, done));
        return done;
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                long bytes = first.record().remaining();
                Pending next;
                while (bytes < GROUP_BYTES && (next = queue.poll()) != null) {
                    group.add(next);
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
