package io.edgedeck.client.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A file written for its user (a report, a bundle, an export) as a user expects an overwrite to
 * behave: a symbolic link is written through to its target; an existing file keeps its permissions;
 * a new one gets the usual ones (the umask's, typically {@code rw-r--r--}), or owner-only when it
 * holds what others should not read, and such content never leaves a file others can read, whatever
 * the file it replaces allowed. The content goes to a temporary file beside the target that is moved
 * into place, so a failed write leaves the old file whole and no temporary file behind. An existing
 * file the user may write in a folder they may not is written in place instead: that write cannot be
 * atomic, and one that fails part-way leaves the file short.
 */
public final class OutputFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_LINKS = 40;

    private OutputFile() {
    }

    /** Who may read a file made new. */
    public enum Access {
        /** The usual permissions a new file gets (the umask's). */
        USUAL,
        /** Its owner only ({@code rw-------}), where the file system has owners. */
        OWNER_ONLY
    }

    /** Writes the content to the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to {@code file} (following symbolic links, making the directories on the
     * way). Throws what went wrong; {@link #reason} says it in words.
     */
    public static void write(Path file, Access access, Content content) throws IOException {
        Path target = target(file);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        boolean exists = Files.isRegularFile(target);
        if (exists && !Files.isWritable(dir)) {
            if (!Files.isWritable(target)) {
                throw new AccessDeniedException(target.toString(), null, "permission denied: neither the file nor its folder can be written");
            }
            if (access == Access.OWNER_ONLY) {
                Set<PosixFilePermission> had = permissions(target);
                if (had != null && !ownerOnly(had).equals(had)) {
                    Files.setPosixFilePermissions(target, ownerOnly(had));
                }
            }
            writeInPlace(target, content);
            return;
        }
        Set<PosixFilePermission> kept = exists ? permissions(target) : null;
        if (kept != null && access == Access.OWNER_ONLY) {
            kept = ownerOnly(kept);
        }
        FileAttribute<?>[] attributes = access == Access.OWNER_ONLY && posix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path partial = dir.resolve("." + target.getFileName() + "." + HexFormat.of().toHexDigits(RANDOM.nextInt()) + ".partial");
        try {
            try (FileChannel channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
                OutputStream out = Channels.newOutputStream(channel);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            if (kept != null) {
                Files.setPosixFilePermissions(partial, kept);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Writes {@code text} (UTF-8) to {@code file}, as {@link #write(Path, Access, Content)}. */
    public static void write(Path file, Access access, String text) throws IOException {
        write(file, access, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * The file a write to {@code file} lands in: {@code file} made absolute, its symbolic links
     * followed (a link that points nowhere yet, to the file it names).
     */
    public static Path target(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(target); i++) {
            if (Files.exists(target)) {
                return target.toRealPath();
            }
            target = target.getParent().resolve(Files.readSymbolicLink(target)).toAbsolutePath();
        }
        if (Files.isSymbolicLink(target)) {
            throw new FileSystemException(file.toString(), null, "too many levels of symbolic links");
        }
        return target;
    }

    /** Whether {@code file} is an existing regular file its user may write (then it can be written in place). */
    public static boolean writableFile(Path file) {
        return Files.isRegularFile(file) && Files.isWritable(file);
    }

    /** What went wrong with a file, in words, without the path (the message names it) or a temporary file's name. */
    public static String reason(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof AccessDeniedException a) {
            return a.getReason() != null ? a.getReason() : "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(Locale.ROOT);
        }
        if (e instanceof FileSystemException) {
            return e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static void writeInPlace(Path target, Content content) throws IOException {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        }
    }

    /** {@code permissions} without any the owner's group or others have. */
    private static Set<PosixFilePermission> ownerOnly(Set<PosixFilePermission> permissions) {
        Set<PosixFilePermission> owner = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : permissions) {
            if (p == PosixFilePermission.OWNER_READ || p == PosixFilePermission.OWNER_WRITE || p == PosixFilePermission.OWNER_EXECUTE) {
                owner.add(p);
            }
        }
        return owner;
    }

    private static boolean posix(Path dir) {
        return Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    }

    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        return posix(file) ? Files.getPosixFilePermissions(file) : null;
    }
}
