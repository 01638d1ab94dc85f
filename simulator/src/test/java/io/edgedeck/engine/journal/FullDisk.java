package io.edgedeck.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.BitSet;

/**
 * A file's channel (a journal's, an ingest log's) on a disk that can fill up: a write past
 * {@link #capacity} writes what fits and fails as a full disk does, leaving a partial record;
 * {@link #failTruncate} makes cutting it back fail too. Everything else is the real file's.
 *
 * <p>A force that fails ({@link #failForce}) does as Linux does on an I/O error: the bytes written
 * since the last force are marked clean without reaching the device, so no later force writes them
 * unless they are written again; {@link #powerLoss} then shows what the device holds.
 */
public final class FullDisk extends FileChannel {
    private final FileChannel file;
    public volatile long capacity = Long.MAX_VALUE;
    public volatile boolean failTruncate;
    public volatile boolean failForce;
    /** Runs when a truncate fails, before it throws (a test heals the disk there: a fault that passes). */
    public volatile Runnable afterFailedTruncate = () -> {
    };
    int failedWrites;
    /** Bytes written to the file, a partial write's included; and writes and forces that failed. Any thread. */
    private final java.util.concurrent.atomic.AtomicLong bytesWritten = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    /** How many times the file was forced to the device. */
    int forces;
    /** Bytes written and not forced yet. */
    private final BitSet dirty = new BitSet();
    /** Bytes a failed force marked clean without writing them, not written since. */
    private final BitSet lost = new BitSet();

    public FullDisk(FileChannel file) {
        this.file = file;
    }

    /** Room for {@code bytes} more after what the file holds now. */
    public void leave(long bytes) throws IOException {
        capacity = file.size() + bytes;
    }

    public void free() {
        capacity = Long.MAX_VALUE;
        failTruncate = false;
        failForce = false;
    }

    private int fit(ByteBuffer src, long at) throws IOException {
        long room = capacity - at;
        if (room >= src.remaining()) {
            return written(at, file.write(src, at));
        }
        failedWrites++;
        failures.incrementAndGet();
        if (room > 0) {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) room);
            written(at, file.write(part, at));
        }
        throw new IOException("No space left on device");
    }

    /** Bytes written to the file so far, a partial write's included. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Writes and forces that failed so far. */
    public int failures() {
        return failures.get();
    }

    private int written(long at, int bytes) {
        bytesWritten.addAndGet(bytes);
        dirty.set((int) at, (int) at + bytes);
        lost.clear((int) at, (int) at + bytes);
        return bytes;
    }

    /**
     * A power loss now: every byte of the file that never reached the device (written and not forced,
     * or marked clean by a failed force and not written since) reads back as zero.
     */
    public void powerLoss() throws IOException {
        BitSet gone = (BitSet) lost.clone();
        gone.or(dirty);
        for (int at = gone.nextSetBit(0); at >= 0 && at < file.size(); at = gone.nextSetBit(at + 1)) {
            file.write(ByteBuffer.wrap(new byte[]{0}), at);
        }
        file.force(false);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return fit(src, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = fit(src, file.position());
        file.position(file.position() + n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(srcs[i]);
        }
        return n;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (failTruncate) {
            afterFailedTruncate.run();
            throw new IOException("Input/output error");
        }
        file.truncate(size);
        dirty.clear((int) size, Math.max((int) size, dirty.length()));
        lost.clear((int) size, Math.max((int) size, lost.length()));
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (failForce) {
            failures.incrementAndGet();
            lost.or(dirty);
            dirty.clear();
            throw new IOException("Input/output error");
        }
        dirty.clear();
        forces++;
        file.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new IOException("not used by the journal");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
