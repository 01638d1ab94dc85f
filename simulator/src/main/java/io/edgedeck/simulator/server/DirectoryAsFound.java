package io.edgedeck.simulator.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a data directory held before a node's start made anything in it, so a start refused before
 * the node served (a damaged journal, the journal of another show, a configuration that does not
 * fit it) can take back what it made: its lock file, its keys, a new journal, the directory itself
 * when it made it. What was there before stays, and so does a damaged snapshot it set aside as
 * {@code .refused} (docs/JOURNAL.md, "Restart").
 */
final class DirectoryAsFound {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryAsFound.class);

    /** The first directory on the way to the data directory that was not there (it and all below are the start's), or null. */
    private final Path made;
    private final Path dir;
    private final Set<Path> entries;

    private DirectoryAsFound(Path made, Path dir, Set<Path> entries) {
        this.made = made;
        this.dir = dir;
        this.entries = entries;
    }

    /** A data directory a start has taken: its lock, and what it held before, to take back on a refusal. */
    record Taken(DataDirectoryLock lock, DirectoryAsFound found) {
    }

    /**
     * Takes {@code dir} for a node's or the fleet aggregator's start: notes what it holds, makes it
     * (owner-only) when it is not there, and locks it. A directory that is a file, or that another node
     * holds, is refused naming it, and left as it was.
     */
    static Taken take(Path dir) throws IOException, EdgeNode.StartException {
        DirectoryAsFound found = of(dir);
        try {
            OwnerOnlyFiles.dataDirectory(dir);
        } catch (java.nio.file.NotDirectoryException e) {
            throw new EdgeNode.StartException("the data directory " + dir + " is a file, not a directory", e);
        }
        try {
            return new Taken(DataDirectoryLock.acquire(dir), found);
        } catch (DataDirectoryLock.HeldException e) {
            // Another node's directory: what it holds is that node's, and is left to it (this start made nothing there).
            throw new EdgeNode.StartException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            found.takeBack();
            throw e;
        }
    }

    /** Notes what {@code dir} holds now (nothing, when it is not there). */
    static DirectoryAsFound of(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Path made = null;
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            made = p;
        }
        if (made != null || !Files.isDirectory(absolute)) {
            return new DirectoryAsFound(made, absolute, Set.of());
        }
        try (Stream<Path> s = Files.list(absolute)) {
            return new DirectoryAsFound(null, absolute, s.collect(Collectors.toUnmodifiableSet()));
        }
    }

    /**
     * Removes what the start made since: the directory when it made it, else each entry that was not
     * there. A file it cannot remove is logged; the refusal the caller reports is the error that matters.
     */
    void takeBack() {
        try {
            if (made != null) {
                delete(made);
            } else if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    // A damaged snapshot set aside as .refused was there under its own name: evidence, kept.
                    for (Path p : s.filter(p -> !entries.contains(p) && !p.getFileName().toString().endsWith(".refused")).toList()) {
                        delete(p);
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("Could not remove what the refused start made in {}: {}", dir, e.getMessage());
        }
    }

    /** {@link #takeBack} unless the node already served: once it has, what it made is its data. */
    void takeBackUnless(boolean serving) {
        if (!serving) {
            takeBack();
        }
    }

    private static void delete(Path top) throws IOException {
        if (!Files.exists(top, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(top)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
