package io.edgedeck.simulator.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One node per data directory: an OS file lock on {@code DATA_DIR/node.lock}, held for the node's
 * life and released by the OS when its process ends, however it ends (kill -9 included). The file
 * holds the owner's process id so a second node can say who has it.
 */
final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = "node.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The directory is another node's. */
    static final class HeldException extends Exception {
        HeldException(String message) {
            super(message);
        }
    }

    static DataDirectoryLock acquire(Path dir) throws IOException, HeldException {
        Path file = dir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                io.edgedeck.engine.journal.OwnerOnlyCreation.in(file.toAbsolutePath().getParent()));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new HeldException("the data directory " + dir + " is in use by another node (" + holder
                    + "); stop that node first, or give this one another --data-dir");
        }
        long pid = ProcessHandle.current().pid();
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
        return new DataDirectoryLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? "pid " + pid : "its pid not written yet";
        } catch (IOException e) {
            return "its pid unreadable: " + e.getMessage();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
