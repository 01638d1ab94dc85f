package io.edgedeck.simulator.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.edgedeck.engine.journal.DirectorySync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that hold secrets or what guards them (tokens, the operators' token hashes): readable and
 * writable by their owner only, in a data directory only its owner may enter, written whole and synced to the disk before anyone relies on them.
 * On a file system without POSIX permissions the files are written all the same; {@link #posix}
 * says whether they could be restricted, so the caller can warn.
 */
public final class OwnerOnlyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** A directory only its owner may list, enter or change. */
    public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /** True when the file system of {@code dir} has POSIX permissions, so a file there can be made owner-only. */
    public static boolean posix(Path dir) throws IOException {
        return Files.getFileStore(dir.toAbsolutePath()).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    /**
     * Creates {@code file} with {@code content}, owner-only from its first byte (so no other user
     * can open it in between), synced, and its directory synced: written whole to a file beside it
     * first, which then takes the final name in one step. A crash, or a full disk, at any point
     * leaves no {@code file} or a whole one, never an empty or partial one; what it leaves beside it
     * is deleted by the next {@link #createOnce}.
     *
     * <p>The final name is a hard link to the whole file, which the file system refuses in one step
     * when the name exists. Only where the file system has no hard links (FAT, exFAT) is it taken
     * another way: created empty with {@code CREATE_NEW}, which refuses an existing file in one step
     * as well, then replaced by the whole file in one rename. There a crash between those two steps
     * can leave the file empty, and a start refuses it and says so. Any other failure to link (a full
     * disk, the file beside it gone) fails the creation: nothing is created.
     *
     * @throws java.nio.file.FileAlreadyExistsException when it exists: nothing is overwritten
     */
    public static void createNew(Path file, byte[] content) throws IOException {
        createNew(file, content, Files::createLink);
    }

    /** Gives an existing file a second name ({@link Files#createLink}); tests put a disk that fails there. */
    @FunctionalInterface
    interface Links {
        void link(Path link, Path existing) throws IOException;
    }

    /** As {@link #createNew(Path, byte[])}, linking the final name with {@code links}. */
    static void createNew(Path file, byte[] content, Links links) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, file.getFileName() + ".", CREATING, ownerOnly(dir));
        try {
            writeSynced(temp, content, Set.of(StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
            try {
                // A second name for the whole file, refused when the final name exists: nothing is replaced.
                links.link(file, temp);
            } catch (UnsupportedOperationException | FileSystemException linkFailed) {
                if (linkFailed instanceof FileAlreadyExistsException || !noHardLinks(linkFailed, dir)) {
                    throw linkFailed;
                }
                claimAndReplace(file, temp, dir);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /**
     * What {@code link(2)} answers on a file system without hard links, for a regular file of ours:
     * EPERM on Linux (FAT), EOPNOTSUPP on macOS. The JDK gives those as a plain {@link
     * FileSystemException} with the system's words for the error, which are English in the C and
     * English locales; where the file system keeps no POSIX permissions (FAT, exFAT, Windows) any such
     * plain refusal counts, whatever its words. Every other failure (no space, the file gone, access
     * denied, too many links) is an error of its own.
     */
    private static boolean noHardLinks(Exception linkFailed, Path dir) throws IOException {
        if (linkFailed instanceof UnsupportedOperationException) {
            return true;
        }
        if (linkFailed.getClass() != FileSystemException.class) {
            return false;
        }
        String reason = ((FileSystemException) linkFailed).getReason();
        return NO_HARD_LINKS.contains(reason) || !posix(dir);
    }

    private static final Set<String> NO_HARD_LINKS = Set.of("Operation not permitted", "Operation not supported",
            "Operation not supported on socket");

    /**
     * Where the file system has no hard links: takes {@code file} empty with {@code CREATE_NEW}, which
     * refuses an existing file in one step, then renames the whole {@code temp} over it in one step.
     * When the rename fails, the empty file, ours, is deleted again.
     */
    private static void claimAndReplace(Path file, Path temp, Path dir) throws IOException {
        Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(dir)).close();
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Makes sure {@code file} exists: creates it with {@code content} ({@link #createNew}) unless it
     * is there, and deletes what a creation a crash interrupted left beside it. A file another start
     * made meanwhile is kept.
     */
    public static void createOnce(Path file, Content content) throws IOException {
        deleteInterrupted(file);
        if (Files.exists(file)) {
            return;
        }
        try {
            createNew(file, content.bytes());
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another start made it first: that one is kept
        }
    }

    /**
     * Deletes what a {@link #createNew} of {@code file} that a crash interrupted left beside it: the
     * whole or partial content it was writing, under {@code NAME.<digits>.creating}, the name {@link
     * Files#createTempFile} gave it; a file of any other name is left alone. It may hold a secret
     * (a token), so it is not kept for anyone to find. The caller holds what keeps other creations of
     * {@code file} away meanwhile (the data directory's lock, the operators' lock): one in progress
     * would lose the file it is writing.
     */
    public static void deleteInterrupted(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String prefix = file.getFileName() + ".";
        try (var stale = Files.newDirectoryStream(dir, p -> interrupted(p.getFileName().toString(), prefix))) {
            for (Path left : stale) {
                Files.deleteIfExists(left);
            }
        }
    }

    private static boolean interrupted(String name, String prefix) {
        if (!name.startsWith(prefix) || !name.endsWith(CREATING)) {
            return false;
        }
        String middle = name.substring(prefix.length(), name.length() - CREATING.length());
        return !middle.isEmpty() && middle.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** What a file created by {@link #createOnce} holds, made only when it is created. */
    @FunctionalInterface
    public interface Content {
        byte[] bytes() throws IOException;
    }

    /** How a file {@link #createNew} is writing ends its name until it takes its own. */
    private static final String CREATING = ".creating";

    private static FileAttribute<?>[] ownerOnly(Path dir) throws IOException {
        return io.edgedeck.engine.journal.OwnerOnlyCreation.in(dir);
    }

    /** Writes {@code content} to {@code file} opened with {@code options} and syncs it. */
    private static void writeSynced(Path file, byte[] content, Set<StandardOpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        try (FileChannel out = FileChannel.open(file, options, attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
    }

    /**
     * Replaces {@code file} with {@code content} in one step: written owner-only to a file beside
     * it, synced, moved over it atomically, and the directory synced. A reader sees the old file or
     * the new one, never a part; a crash leaves one of the two.
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Path dir = file.toAbsolutePath().getParent();
        try {
            writeSynced(temp, content, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(dir));
            moveOver(temp, file);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Moves {@code from}, a file written and synced beside {@code file}, over {@code file} in one
     * step, and syncs the directory: a reader, or a start after a crash, sees one of the two.
     */
    public static void moveOver(Path from, Path file) throws IOException {
        try {
            Files.move(from, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + file + " cannot replace a file in one step; keep the data directory on a local disk", e);
        }
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Creates {@code dir} only its owner can enter ({@code rwx------} where the file system keeps modes),
     * its parents that are not there yet as usual.
     *
     * @throws java.nio.file.FileAlreadyExistsException when it is there already
     */
    public static void createDirectory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Files.createDirectory(absolute, posix(absolute.getParent())
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY)} : new FileAttribute<?>[0]);
    }

    /**
     * Makes {@code dir} a data directory only its owner can enter: created {@code rwx------} (its
     * parents as usual) when it is not there; one that is there is left as it is until {@link
     * #closeToOthers}, which a starting node does as soon as it holds the directory's lock. A path
     * that names a file is refused.
     */
    public static void dataDirectory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            try {
                createDirectory(absolute);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile by another start, or a file of that name: judged below
            }
        }
        if (!Files.isDirectory(absolute)) {
            throw new java.nio.file.NotDirectoryException(absolute + " (the data directory) is a file, not a directory");
        }
    }

    /**
     * Closes a data directory open to anyone but its owner to them, with a warning. A node's data
     * directory holds raw viewer ids, the audit trail and the journal; the files in it are written
     * with the process's usual mode, so the directory is what keeps them from other users. Where its
     * mode cannot be changed (another user's directory, a file system that keeps no modes) the node
     * warns and runs.
     *
     * @return the mode it found, when it changed it (so a start refused later can put it back); null when it changed none
     */
    public static Set<PosixFilePermission> closeToOthers(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (posix(absolute)) {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(absolute);
            if (!OWNER_ONLY_DIRECTORY.containsAll(now)) {
                try {
                    Files.setPosixFilePermissions(absolute, OWNER_ONLY_DIRECTORY);
                    LOG.warn("The data directory {} was open to other users ({}); it holds raw viewer ids and the audit trail,"
                            + " so it is now {}", absolute, PosixFilePermissions.toString(now), PosixFilePermissions.toString(OWNER_ONLY_DIRECTORY));
                    return now;
                } catch (IOException | UnsupportedOperationException refused) {
                    // another user's directory, or a file system that keeps no modes (FAT): the node runs as before
                    LOG.warn("The data directory {} is open to other users ({}) and could not be closed to them ({}); it holds"
                            + " raw viewer ids and the audit trail: make it the node's own (chmod 700) or use another",
                            absolute, PosixFilePermissions.toString(now), refused.getMessage());
                }
            }
        }
        return null;
    }

    /**
     * Opens {@code file} with {@code options}, creating it when it is not there; when it was created,
     * its directory is synced before this returns, so the file's name survives a power loss as its
     * synced contents do.
     */
    public static FileChannel openCreating(Path file, StandardOpenOption... options) throws IOException {
        Set<StandardOpenOption> create = new java.util.HashSet<>(Set.of(options));
        create.add(StandardOpenOption.CREATE_NEW);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, create, ownerOnly(file.toAbsolutePath().getParent()));
        } catch (java.nio.file.FileAlreadyExistsException there) {
            return FileChannel.open(file, options);
        }
        try {
            syncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /**
     * Makes a new or renamed entry of {@code dir} durable ({@link DirectorySync}): a file system
     * that refuses to sync a directory is warned of once and the node goes on; a disk error is thrown.
     */
    public static void syncDirectory(Path dir) throws IOException {
        DirectorySync.sync(dir);
    }
}
