package io.edgedeck.console.common;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Files the console is told to write (a screenshot, a bundle): checked before a show starts, explained when they fail. */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Whether {@code file} can be written now: it is a file its user may write (a link, followed), or its folder
     * (or the nearest folder above it that exists, the rest being created when the file is written) must take a
     * new file.
     * Creates and removes a small probe file, as only the file system knows (for a read-only mount, a folder
     * such as /proc, or a user who may write anything) whether a file can be made there. Blocking I/O.
     *
     * @return why it cannot be written, or empty when it can
     */
    public static Optional<String> whyNotWritable(Path file) {
        Path target;
        try {
            target = io.edgedeck.client.files.OutputFile.target(file);
        } catch (java.io.IOException e) {
            return Optional.of(reason(e));
        }
        if (Files.isDirectory(target)) {
            return Optional.of("it is a folder");
        }
        if (io.edgedeck.client.files.OutputFile.writableFile(target)) {
            // written in place where its folder takes no new file
            return Optional.empty();
        }
        Path folder = target.getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder == null) {
            return Optional.of("no folder above it exists");
        }
        if (!Files.isDirectory(folder)) {
            return Optional.of(folder + " is not a folder");
        }
        try {
            Files.delete(Files.createTempFile(folder, ".edgedeck-", ".probe"));
        } catch (java.io.IOException | SecurityException e) {
            return Optional.of("cannot create a file in " + folder + " (" + reason(e) + ")");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            return Optional.of("it cannot be overwritten (permission denied)");
        }
        return Optional.empty();
    }

    /** Why a write failed, in words and without the temporary file's name the failure may carry. */
    public static String reason(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof FileSystemException) {
            return e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
