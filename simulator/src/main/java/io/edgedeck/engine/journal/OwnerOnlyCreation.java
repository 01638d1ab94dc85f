package io.edgedeck.engine.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The attribute every file of a node's data directory is created with: readable and writable by its
 * owner only (rw-------) from its first byte. The journal, the snapshots and the ingest log hold
 * viewers' ids and operators' actions; the directory is owner-only too, and the files are so on
 * their own, should one be copied or the directory opened up. None on a file system without POSIX
 * permissions.
 */
public final class OwnerOnlyCreation {
    private OwnerOnlyCreation() {
    }

    /** The attributes to create a file in {@code dir} with: owner-only where the file system has POSIX permissions. */
    public static FileAttribute<?>[] in(Path dir) throws IOException {
        return Files.getFileStore(dir.toAbsolutePath()).supportsFileAttributeView(PosixFileAttributeView.class)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
