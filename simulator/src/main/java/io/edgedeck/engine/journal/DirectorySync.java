package io.edgedeck.engine.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a directory's entries durable, so a file just created or renamed in it keeps its name
 * through a power loss, as its synced contents do; the journal, the snapshots, the ingest log and
 * the node's secret files all rely on it.
 *
 * <p>Some file systems refuse to sync a directory at all: FUSE and network file systems answer
 * EINVAL or EOPNOTSUPP ({@link #refused}). There nothing can do more for a name than the file
 * system does itself, and refusing to start would make nothing durable, only leave the show without
 * a node: it warns once per directory, naming it and what a power loss may cost, and goes on. Any
 * other failure (an I/O error) is thrown, as a failed write is. Where directories cannot be opened
 * at all (Windows) the OS keeps names itself.
 */
public final class DirectorySync {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorySync.class);
    /** The directories whose file system refused a directory sync, each warned of once. */
    private static final Set<Path> REFUSED = ConcurrentHashMap.newKeySet();
    /** The system's words for EINVAL, EOPNOTSUPP (Linux, macOS) and ENOSYS. */
    private static final Set<String> REFUSALS = Set.of("Invalid argument", "Operation not supported",
            "Operation not supported on socket", "Function not implemented");

    private DirectorySync() {
    }

    /** Syncs {@code dir}; see the class comment for a file system that refuses to. */
    public static void sync(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSynced) {
            if (!Files.getFileStore(dir.toAbsolutePath()).supportsFileAttributeView(PosixFileAttributeView.class)) {
                return;
            }
            if (refused(notSynced)) {
                if (REFUSED.add(dir.toAbsolutePath())) {
                    LOG.warn("The file system of {} refuses to sync a directory ({}): the node runs, its files' contents are"
                            + " synced as always, but a power loss may lose the name of a file it has just created or"
                            + " replaced there, as the file system decides; keep the data directory on a local disk to rule"
                            + " that out", dir.toAbsolutePath(), notSynced.getMessage());
                }
                return;
            }
            throw notSynced instanceof IOException io ? io : new IOException(notSynced);
        }
    }

    /**
     * Whether a directory sync failed because the file system does not do it, not because the disk
     * failed: an {@link UnsupportedOperationException}, or the system's words for EINVAL, EOPNOTSUPP
     * or ENOSYS. Those words are English in the C and English locales; in another, such a refusal is
     * taken for a failure, and the start fails naming the directory, as it did before.
     */
    public static boolean refused(Exception notSynced) {
        return notSynced instanceof UnsupportedOperationException
                || notSynced.getClass() == IOException.class && REFUSALS.contains(notSynced.getMessage());
    }
}
