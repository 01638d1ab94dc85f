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
    private final Path file;
    /** What the lock file held before this lock wrote its pid there, or null when the lock made it. */
    private final byte[] found;
    private final java.nio.file.attribute.FileTime foundModified;

    private DataDirectoryLock(FileChannel channel, FileLock lock, Path file, byte[] found,
                              java.nio.file.attribute.FileTime foundModified) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
        this.found = found;
        this.foundModified = foundModified;
    }

    /** The directory is another node's. */
    static final class HeldException extends Exception {
        HeldException(String message) {
            super(message);
        }
    }

    static DataDirectoryLock acquire(Path dir) throws IOException, HeldException {
        Path file = dir.resolve(FILE);
        boolean there = java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
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
        byte[] found = null;
        java.nio.file.attribute.FileTime foundModified = null;
        try {
            if (there) {
                // A start refused before the node serves puts these back (putBackAsFound): the file is left as it was found.
                foundModified = java.nio.file.Files.getLastModifiedTime(file);
                found = new byte[Math.toIntExact(Math.min(channel.size(), MAX_KEPT))];
                ByteBuffer read = ByteBuffer.wrap(found);
                while (read.hasRemaining() && channel.read(read, read.position()) >= 0) {
                    // read on until what was there is in
                }
            }
            long pid = ProcessHandle.current().pid();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new DataDirectoryLock(channel, lock, file, found, foundModified);
    }

    /** The most of a lock file found that is kept to put back: a lock file holds a pid, this is room to spare. */
    private static final long MAX_KEPT = 64 * 1024;

    /**
     * Puts back what the lock file held when this lock was taken (its bytes and its time), the lock still held: for a
     * start refused before the node served, which lets go of the lock only once the directory is as it found it
     * ({@link DirectoryAsFound.Taken#letGoAsFound}). A lock file this lock made is left for {@link DirectoryAsFound#takeBack}
     * to remove.
     */
    void putBackAsFound() throws IOException {
        if (found != null) {
            channel.truncate(0);
            ByteBuffer back = ByteBuffer.wrap(found);
            while (back.hasRemaining()) {
                channel.write(back, back.position());
            }
            channel.force(true);
            java.nio.file.Files.setLastModifiedTime(file, foundModified);
        }
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
