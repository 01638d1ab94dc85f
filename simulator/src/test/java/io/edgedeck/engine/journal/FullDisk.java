package io.edgedeck.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file's channel (a journal's, an ingest log's) on a disk that can fill up: a write past
 * {@link #capacity} writes what fits and fails as a full disk does, leaving a partial record;
 * {@link #failTruncate} makes cutting it back fail too. Everything else is the real file's.
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
    /** How many times the file was forced to the device. */
    int forces;

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
            return file.write(src, at);
        }
        failedWrites++;
        if (room > 0) {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) room);
            file.write(part, at);
        }
        throw new IOException("No space left on device");
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
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (failForce) {
            throw new IOException("Input/output error");
        }
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
