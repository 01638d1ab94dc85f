package io.edgedeck.simulator.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets or what guards them (tokens, the operators' token hashes): readable and
 * writable by their owner only, written whole and synced to the disk before anyone relies on them.
 * On a file system without POSIX permissions the files are written all the same; {@link #posix}
 * says whether they could be restricted, so the caller can warn.
 */
public final class OwnerOnlyFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** True when the file system of {@code dir} has POSIX permissions, so a file there can be made owner-only. */
    public static boolean posix(Path dir) throws IOException {
        return Files.getFileStore(dir.toAbsolutePath()).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    /**
     * Creates {@code file} with {@code content}, owner-only from its first byte (so no other user
     * can open it in between), and syncs it.
     *
     * @throws java.nio.file.FileAlreadyExistsException when it exists: nothing is overwritten
     */
    public static void createNew(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        FileAttribute<?>[] attributes = posix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        syncDirectory(dir);
    }

    /**
     * Replaces {@code file} with {@code content} in one step: written owner-only to a file beside
     * it, synced, moved over it atomically, and the directory synced. A reader sees the old file or
     * the new one, never a part; a crash leaves one of the two.
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        createNew(temp, content);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("the file system of " + file + " cannot replace a file in one step; keep the data directory on a local disk", e);
        }
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /** Makes a new or renamed entry of {@code dir} durable; where directories cannot be opened (Windows) the OS does it. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notADirectoryChannel) {
            if (posix(dir)) {
                throw notADirectoryChannel instanceof IOException io ? io : new IOException(notADirectoryChannel);
            }
        }
    }
}
