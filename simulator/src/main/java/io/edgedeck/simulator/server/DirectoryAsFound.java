package io.edgedeck.simulator.server;

import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.server.http.NodeToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a data directory held when a node's start took it, so a start refused before
 * the node served (a damaged journal, the journal of another show, a configuration that does not
 * fit it) can take back what it made: its lock file, its keys, a new journal, the directory itself
 * when it made it. What was there before stays as it was: a lock file it found gets its bytes and
 * time back ({@link DataDirectoryLock#putBackAsFound}), and a journal refused on reading is refused
 * before anything in it is recovered (docs/JOURNAL.md, "Restart"). All of it is done while the start
 * still holds the directory's lock, which it lets go of last ({@link Taken#letGoAsFound}): a start
 * that takes the directory at that moment finds it as it was, and nothing it makes is taken back.
 * A lock file the start made is removed last: from then a start may make its own and take the
 * directory ({@link DataDirectoryLock#acquire} checks the file it locked is the one under the name),
 * and only the directory's time is still set back under it. A start that never held the lock (its lock
 * call failed, or the directory could not be made) can take back less: see {@link #takeBackUnlocked}.
 */
final class DirectoryAsFound {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryAsFound.class);

    /** The first directory on the way to the data directory that was not there (it and all below are the start's), or null. */
    private final Path made;
    private final Path dir;
    private final Set<Path> entries;
    /** The directory's modification time when the start took it (null when the start made it): a take-back puts it back. */
    private final java.nio.file.attribute.FileTime time;
    /** The directory's mode when the start found it open to others and closed it (else null): a take-back puts it back. */
    private volatile Set<java.nio.file.attribute.PosixFilePermission> mode;

    private DirectoryAsFound(Path made, Path dir, Set<Path> entries, java.nio.file.attribute.FileTime time) {
        this.made = made;
        this.dir = dir;
        this.entries = entries;
        this.time = time;
    }

    /** A data directory a start has taken: its lock, and what it held before, to take back on a refusal. */
    record Taken(DataDirectoryLock lock, DirectoryAsFound found) {
        /**
         * For a start refused before it served, once what it started is closed: takes back what it made (the lock
         * file it made last of all), gives the lock file it found its bytes and time back, and only then lets go of
         * the lock. Until that last step another start that tries the directory is told it is in use (until the removal
         * of a lock file this start made: from then another start can make its own and take the directory, and only the
         * directory's time is still set back); one that takes it after finds it as this start found it, and nothing it
         * makes there is removed as this start's. What
         * cannot be put back is logged ({@link DirectoryAsFound#takeBack}) or, for the lock file, thrown once the lock
         * is let go of: the refusal the caller reports is the error that matters.
         */
        void letGoAsFound() throws IOException {
            try {
                found.takeBack();
                lock.putBackAsFound();
            } finally {
                lock.close();
            }
        }

        /**
         * Lets go of the directory once a start failed and what it started is closed ({@link #closing}): when it had not
         * served yet, the key files in {@code settled} and the directory get back the modes the start found them with
         * ({@link #putBack}), and the rest is as {@link #letGoAsFound}; else as the node's, what it made kept. The lock is
         * let go of whatever fails on the way, and what cannot be done is added to {@code failure}, which is still what
         * is reported.
         */
        void letGo(boolean served, Throwable failure, java.util.List<NodeToken> settled) {
            try {
                if (!served) {
                    putBack(settled);
                    found.putModeBack();
                }
            } catch (RuntimeException x) {
                failure.addSuppressed(x);
            }
            try {
                if (served) {
                    lock.close();
                } else {
                    letGoAsFound();
                }
            } catch (IOException | RuntimeException x) {
                failure.addSuppressed(x);
            }
        }

        /** Something a failed start started, closed before it lets go of the directory. */
        @FunctionalInterface
        interface Started {
            void close() throws Exception;
        }

        /**
         * Closes what a failed start started, in order (null: not started): what a close throws (a Kafka client's error
         * included) is added to {@code failure}, which is still what is reported, and the start goes on to close the rest
         * and let go of the directory ({@link #letGo}).
         */
        static void closing(Throwable failure, Started... started) {
            for (Started each : started) {
                try {
                    if (each != null) {
                        each.close();
                    }
                } catch (Exception x) {
                    failure.addSuppressed(x);
                }
            }
        }

        /**
         * Once every check of the start has passed: settles the keys' files ({@link NodeToken#settle}: what a creation
         * a crash cut short left removed, a file open to others made owner-only). Until then the start removed
         * nothing it found and changed no file's mode (the directory's, closed to others as soon as it was taken, is
         * put back on a refusal, as each key file's is by {@link #putBack}); null keys (a node without an ingest key) are
         * passed over. Each key is added to {@code settled} as it is settled, for {@link #putBack}.
         */
        void settle(java.util.List<NodeToken> settled, NodeToken... keys) throws IOException {
            for (NodeToken key : keys) {
                if (key != null) {
                    settled.add(key);
                    key.settle();
                }
            }
        }

        /** For a start refused after it settled {@code settled}: each key file gets back the mode the start found it with. */
        static void putBack(java.util.List<NodeToken> settled) {
            for (NodeToken key : settled) {
                try {
                    key.unsettle();
                } catch (IOException e) {
                    LOG.warn("The key file {} could not get its mode back after the refused start: {}", key.file(), e.getMessage());
                }
            }
        }
    }

    /**
     * Takes {@code dir} for a node's or the fleet aggregator's start: makes it (owner-only) when it is
     * not there, locks it, notes what it holds once locked, and at once closes it to other users when it
     * was open to them ({@link OwnerOnlyFiles#closeToOthers}): it holds raw viewer ids, the audit trail
     * and the journal, and a restore can take minutes. The mode it had is noted, and a refused start puts
     * it back with the directory's time. A directory that is a file, or that another node holds, is
     * refused naming it, and left as it was (a {@code node.lock} this start made and lost to that node
     * is that node's). A start whose lock call fails (ENOLCK, EIO) is refused naming the directory and the
     * cause; it never held the lock, so what it made is left as {@link #takeBackUnlocked} says.
     */
    static Taken take(Path dir) throws IOException, EdgeNode.StartException {
        return take(dir, () -> { });
    }

    /** What another process may do to a directory while a start takes it (tests act there). */
    @FunctionalInterface
    interface Meanwhile {
        void act() throws IOException;
    }

    /** As {@link #take(Path)}, with {@code meanwhile} done after the directory is made and before it is locked. */
    static Taken take(Path dir, Meanwhile meanwhile) throws IOException, EdgeNode.StartException {
        return take(dir, meanwhile, () -> { });
    }

    /** As {@link #take(Path, Meanwhile)}, with {@code writing} done as the lock file gets its pid ({@link DataDirectoryLock#claim(Meanwhile)}). */
    static Taken take(Path dir, Meanwhile meanwhile, Meanwhile writing) throws IOException, EdgeNode.StartException {
        return take(dir, meanwhile, writing, () -> { });
    }

    /** As {@link #take(Path, Meanwhile, Meanwhile)}, with {@code locking} done just before the lock call (tests fail it there). */
    static Taken take(Path dir, Meanwhile meanwhile, Meanwhile writing, Meanwhile locking) throws IOException, EdgeNode.StartException {
        Path absolute = dir.toAbsolutePath();
        Path made = null;
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            made = p;
        }
        // Its time as found: noted before a lock file this start makes changes it. What it holds is listed once the lock is
        // held, so a file the node that held the directory wrote before letting go of it is that node's, not this start's.
        java.nio.file.attribute.FileTime time = made == null && Files.isDirectory(absolute) ? Files.getLastModifiedTime(absolute) : null;
        DirectoryAsFound nothingYet = new DirectoryAsFound(made, absolute, Set.of(), time);
        try {
            OwnerOnlyFiles.dataDirectory(absolute);
        } catch (IOException e) {
            // Directories made on the way to one that could not be made are the start's too, when still empty.
            nothingYet.takeBackUnlocked();
            if (e instanceof java.nio.file.NotDirectoryException) {
                throw new EdgeNode.StartException("the data directory " + dir + " is a file, not a directory", e);
            }
            throw e;
        }
        meanwhile.act();
        DataDirectoryLock lock;
        try {
            lock = DataDirectoryLock.acquire(absolute, locking);
        } catch (DataDirectoryLock.HeldException e) {
            // Another node's directory: what it holds is that node's, and is left to it, a node.lock this start made and
            // that node locked first included.
            throw new EdgeNode.StartException(e.getMessage(), e);
        } catch (DataDirectoryLock.LockCallException e) {
            // The lock call failed (ENOLCK, EIO): the lock file, made by this start or not, may be another's that holds
            // the directory now, so it is left, and with it the directories holding it.
            nothingYet.takeBackUnlocked();
            throw new EdgeNode.StartException(lockCallFailed(dir, e), e);
        } catch (IOException | RuntimeException e) {
            // The lock file could not be opened (a read-only or full disk...): nothing of it is this start's to remove.
            nothingYet.takeBackUnlocked();
            throw e;
        }
        boolean lockWasThere = !lock.made();
        try {
            lock.claim(writing);
            if (made != null) {
                return new Taken(lock, nothingYet);
            }
            try (Stream<Path> s = Files.list(absolute)) {
                // With a lock file that was there, noted again once locked, as the entries are: the node that held it is done.
                java.nio.file.attribute.FileTime found = lockWasThere ? Files.getLastModifiedTime(absolute) : time;
                Set<Path> entries = s.filter(p -> lockWasThere || !p.getFileName().toString().equals(DataDirectoryLock.FILE))
                        .collect(Collectors.toUnmodifiableSet());
                DirectoryAsFound asFound = new DirectoryAsFound(null, absolute, entries, found);
                asFound.mode = OwnerOnlyFiles.closeToOthers(absolute);
                return new Taken(lock, asFound);
            }
        } catch (IOException | RuntimeException e) {
            // Taken back while the lock is held, as on every refusal (Taken#letGoAsFound): a pid that could not be written
            // (a full disk) or a directory that could not be listed.
            try {
                nothingYet.takeBackMade(lockWasThere);
                lock.putBackAsFound();
            } catch (IOException x) {
                // Why the start failed is still what it reports, and what it made is still taken back.
                e.addSuppressed(x);
            } finally {
                try {
                    lock.close();
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            throw e;
        }
    }

    /** What a start whose lock call failed says: the directory, the cause, what to do, and what it left there. */
    private static String lockCallFailed(Path dir, DataDirectoryLock.LockCallException e) {
        return "the data directory " + dir + " cannot be locked: locking its " + DataDirectoryLock.FILE + " failed ("
                + e.getMessage() + "); on a network file system its lock service must be running, or start with a"
                + " --data-dir on a local disk"
                + (e.made() ? "; the empty " + DataDirectoryLock.FILE + " this start made there is left (the next start takes it)"
                        : "");
    }

    /**
     * For a start that does not hold the lock (its lock call failed, or the directory could not be made): nothing is
     * removed by name, and nothing is put back. A lock file there, even the empty one this start made, may be another
     * start's that has locked it since, so it is left, and with it every directory on the way that this start made (they
     * are not empty) and the directory's new time. Only when there is no lock file (the directory could not be made, or
     * the lock file could not be opened) are the directories this start made removed, deepest first, each only while
     * still empty (a removal that fails on a directory with anything in it). That look at what the start made was taken
     * before it made anything: another start on the same new path that made a directory in between, and has not made its
     * lock file in it yet, can lose it here and is refused as unable to write its lock file.
     */
    private void takeBackUnlocked() {
        if (made == null) {
            if (Files.exists(dir.resolve(DataDirectoryLock.FILE), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("The lock file {} is left as it is: the refused start did not hold it, and another may",
                        dir.resolve(DataDirectoryLock.FILE));
            }
            return;
        }
        for (Path p = dir; p != null && p.startsWith(made); p = p.getParent()) {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.delete(p);
            } catch (java.nio.file.DirectoryNotEmptyException held) {
                LOG.warn("The directory {} the refused start made is left: it is not empty (a lock file there may be another"
                        + " start's)", p);
                return;
            } catch (IOException e) {
                LOG.warn("Could not remove what the refused start made in {}: {}", p, e.getMessage());
                return;
            }
        }
    }

    /**
     * Removes what taking the directory made before its entries were noted, the lock held: the directory when the
     * start made it, else the lock file when it was not there before.
     */
    private void takeBackMade(boolean lockWasThere) {
        if (made != null) {
            takeBack();
        } else if (!lockWasThere) {
            try {
                Files.deleteIfExists(dir.resolve(DataDirectoryLock.FILE));
                putTimeBack();
            } catch (IOException e) {
                LOG.warn("Could not remove what the refused start made in {}: {}", dir, e.getMessage());
            }
        }
    }

    /**
     * Removes what the start made since: the directory when it made it, else each entry that was not
     * there. The lock file, when the start made it, goes last: a start that makes a lock file of its own
     * once it is gone finds nothing else of this one's to read or to lose. Called while the start holds
     * the lock ({@link Taken#letGoAsFound}). A file it cannot remove is logged; the refusal the caller
     * reports is the error that matters.
     */
    void takeBack() {
        Path lockFile = dir.resolve(DataDirectoryLock.FILE);
        try {
            if (made != null) {
                delete(made, lockFile);
            } else if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    // Sorted so the lock file comes last (false before true).
                    for (Path p : s.filter(p -> !entries.contains(p)).sorted(Comparator.comparing(lockFile::equals)).toList()) {
                        Path was = SnapshotJournal.setAsideFrom(p);
                        if (was != null && entries.contains(was) && !Files.exists(was, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            // A damaged snapshot the journal's opening set aside goes back under the name it was found under
                            // (one set aside at an earlier start was found, so is among the entries, and stays).
                            Files.move(p, was);
                        } else {
                            delete(p, lockFile);
                        }
                    }
                }
                putTimeBack();
                putModeBackOrFail();
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("Could not remove what the refused start made in {}: {}", dir, e.getMessage());
        }
    }

    /**
     * The directory's mode as the start found it, when it closed the directory to others: the start was refused. Called
     * while the start still holds the directory's lock; said in the log, not thrown, when it cannot be put back.
     */
    void putModeBack() {
        try {
            putModeBackOrFail();
        } catch (IOException e) {
            LOG.warn("The data directory {} could not get its mode back after the refused start: {}", dir, e.getMessage());
        }
    }

    private void putModeBackOrFail() throws IOException {
        Set<java.nio.file.attribute.PosixFilePermission> was = mode;
        if (was != null) {
            Files.setPosixFilePermissions(dir, was);
            mode = null;
            LOG.warn("The start was refused, so the data directory {} is as it was found, open to other users again ({})", dir,
                    java.nio.file.attribute.PosixFilePermissions.toString(was));
        }
    }

    /** The directory's time as the start found it: entries made and removed again changed it. */
    private void putTimeBack() throws IOException {
        if (time != null) {
            Files.setLastModifiedTime(dir, time);
        }
    }

    /** Removes {@code top} and all in it, {@code lockFile} (when it is in it) once all else but the directories it is in is gone. */
    private static void delete(Path top, Path lockFile) throws IOException {
        if (!Files.exists(top, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(top)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        List<Path> holding = all.stream().filter(p -> lockFile.startsWith(p)).toList();
        for (Path p : all) {
            if (!holding.contains(p)) {
                Files.deleteIfExists(p);
            }
        }
        for (Path p : holding) {
            Files.deleteIfExists(p);
        }
    }
}
