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
