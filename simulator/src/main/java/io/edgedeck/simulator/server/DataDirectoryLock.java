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
    /** Whether the lock file was there when this lock opened it (else this lock made it). */
    private final boolean there;
    /** What the lock file held before this lock wrote its pid there, or null when the lock made it or has not written yet. */
    private byte[] found;
    private java.nio.file.attribute.FileTime foundModified;

    private DataDirectoryLock(FileChannel channel, FileLock lock, Path file, boolean there) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
        this.there = there;
    }

    /** The directory is another node's. */
    static final class HeldException extends Exception {
        HeldException(String message) {
            super(message);
        }
    }

    /**
     * The lock call itself failed with an I/O error (ENOLCK, EIO: a network file system's lock service down): the start
     * never held the directory. {@link #made()} tells whether the lock file it opened was made by this start (an empty
     * one), which it leaves: another start may have locked it since.
     */
    static final class LockCallException extends IOException {
        private final boolean made;

        LockCallException(IOException cause, boolean made) {
            super(cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
            this.made = made;
        }

        /** Whether the start made the lock file it could not lock. */
        boolean made() {
            return made;
        }
    }

    /** How many times a start opens the lock file again when the one it locked was no longer under its name. */
    static final int ATTEMPTS = 5;

    /**
     * Locks {@code DATA_DIR/node.lock}, making it when it is not there, and only once the file locked is still the one
     * under that name: the OS lock is on the file, not on its name, and a start refused meanwhile removes the lock file it
     * made (while it holds the lock) and then lets go of it. A start that opened that file just before would otherwise lock
     * a file no longer in the directory while another start makes and locks a new one: two nodes on one directory. Such a
     * start lets go and opens the lock file again, and after {@link #ATTEMPTS} tries is refused as in use. Nothing is
     * written yet: {@link #claim} writes the pid. A lock call that fails with an I/O error is a {@link LockCallException},
     * the lock file opened (made by this start or not) left as it is.
     */
    static DataDirectoryLock acquire(Path dir) throws IOException, HeldException {
        return acquire(dir, () -> { });
    }

    /** As {@link #acquire(Path)}, with {@code meanwhile} done after each opening of the lock file and before its locking (tests act there). */
    static DataDirectoryLock acquire(Path dir, DirectoryAsFound.Meanwhile meanwhile) throws IOException, HeldException {
        Path file = dir.resolve(FILE);
        for (int attempt = 1; ; attempt++) {
            // Made new or opened as found, so whether this start made the file it locks is known, not guessed from a look
            // before: only a lock file it made (and holds) is ever its to remove.
            boolean there;
            FileChannel channel;
            try {
                channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                        io.edgedeck.engine.journal.OwnerOnlyCreation.in(file.toAbsolutePath().getParent()));
                there = false;
            } catch (java.nio.file.FileAlreadyExistsException found) {
                try {
                    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (java.nio.file.NoSuchFileException removedMeanwhile) {
                    // Another start took back the lock file it made between the two openings: open again, made this time.
                    if (attempt == ATTEMPTS) {
                        throw replaced(dir);
                    }
                    continue;
                }
                there = true;
            }
            FileLock lock;
            Object opened;
            try {
                opened = openedKey(channel, file);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            try {
                meanwhile.act();
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
                opened = null;
            } catch (IOException e) {
                channel.close();
                throw new LockCallException(e, !there);
            } catch (RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new HeldException("the data directory " + dir + " is in use by another node (" + holder
                        + "); stop that node first, or give this one another --data-dir");
            }
            Object named;
            try {
                named = namedKey(file);
            } catch (IOException | RuntimeException e) {
                lock.release();
                channel.close();
                throw e;
            }
            if (java.util.Objects.equals(opened, named)) {
                return new DataDirectoryLock(channel, lock, file, there);
            }
            // The file locked is no longer the lock file: another start removed it and may have made a new one.
            lock.release();
            channel.close();
            if (attempt == ATTEMPTS) {
                throw replaced(dir);
            }
        }
    }

    private static HeldException replaced(Path dir) {
        return new HeldException("the data directory " + dir + " is being taken by another start: its lock file was"
                + " replaced " + ATTEMPTS + " times while this one took it; stop the other start first, or give this one"
                + " another --data-dir");
    }

    /** Whether this start made the lock file it holds (else it was there, another start's or a node's before). */
    boolean made() {
        return !there;
    }

    /**
     * Writes this process's id in the lock file, first noting what a lock file that was there held (its bytes and time),
     * for {@link #putBackAsFound}. A start refused here still holds the lock, and takes back what it made before it lets go.
     */
    void claim() throws IOException {
        claim(() -> { });
    }

    /** As {@link #claim()}, with {@code writing} done once the lock file is emptied and before the pid is written (tests fail there). */
    void claim(DirectoryAsFound.Meanwhile writing) throws IOException {
        if (there) {
            // A start refused before the node serves puts these back (putBackAsFound): the file is left as it was found.
            java.nio.file.attribute.FileTime modified = java.nio.file.Files.getLastModifiedTime(file);
            byte[] held = new byte[Math.toIntExact(Math.min(channel.size(), MAX_KEPT))];
            ByteBuffer read = ByteBuffer.wrap(held);
            while (read.hasRemaining() && channel.read(read, read.position()) >= 0) {
                // read on until what was there is in
            }
            foundModified = modified;
            found = held;
        }
        long pid = ProcessHandle.current().pid();
        channel.truncate(0);
        writing.act();
        channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
    }

    /** What {@link #namedKey} says of a name with no file under it. */
    private static final Object GONE = new Object();

    /** The file under {@code file}'s name (its file key: device and inode), GONE when there is none, null where files have no key. */
    private static Object namedKey(Path file) throws IOException {
        try {
            return java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (java.nio.file.NoSuchFileException gone) {
            return GONE;
        }
    }

    /**
     * The file {@code channel} has open (its file key). Where the process's open files are listed (/proc/self/fdinfo), the
     * channel is found there by a position no other is at, and its file read through /proc/self/fd: the very file, even
     * one no longer under its name. Elsewhere the file under the name just after it was opened, which tells a file replaced
     * between the opening and the locking, not within the opening itself.
     */
    private static Object openedKey(FileChannel channel, Path file) throws IOException {
        Path listed = Path.of("/proc/self/fdinfo");
        if (java.nio.file.Files.isDirectory(listed)) {
            // Positional reads and writes only are made on the channel: its position is free to mark it with.
            long mark = 1 + java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40);
            channel.position(mark);
            try (java.nio.file.DirectoryStream<Path> open = java.nio.file.Files.newDirectoryStream(listed)) {
                Path marked = null;
                int found = 0;
                for (Path fd : open) {
                    String first;
                    try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(fd, StandardCharsets.US_ASCII)) {
                        first = in.readLine();
                    } catch (IOException closedMeanwhile) {
                        continue;
                    }
                    if (("pos:\t" + mark).equals(first)) {
                        marked = fd;
                        found++;
                    }
                }
                if (found == 1) {
                    return java.nio.file.Files.readAttributes(Path.of("/proc/self/fd").resolve(marked.getFileName().toString()),
                            java.nio.file.attribute.BasicFileAttributes.class).fileKey();
                }
            } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException notListed) {
                // as where open files are not listed
            } finally {
                channel.position(0);
            }
        }
        return namedKey(file);
    }

    /** The most of a lock file found that is kept to put back: a lock file holds a pid, this is room to spare. */
    private static final long MAX_KEPT = 64 * 1024;

    /**
     * Puts back what the lock file held when this lock was taken (its bytes and its time), the lock still held: for a
     * start refused before the node served, which lets go of the lock only once the directory is as it found it
     * ({@link DirectoryAsFound.Taken#letGoAsFound}). A lock file this lock made is left for {@link DirectoryAsFound#takeBack}
     * to remove. Done also for a start refused while it wrote its pid ({@link #claim}).
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
