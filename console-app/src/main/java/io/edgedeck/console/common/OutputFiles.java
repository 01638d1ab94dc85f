package io.edgedeck.console.common;

import io.edgedeck.client.files.OutputFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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
            target = OutputFile.target(file);
        } catch (java.io.IOException e) {
            return Optional.of(OutputFile.reason(e));
        }
        if (Files.isDirectory(target)) {
            return Optional.of("it is a folder");
        }
        if (OutputFile.writableFile(target)) {
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
            return Optional.of("cannot create a file in " + folder + " (" + OutputFile.reason(e) + ")");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            return Optional.of("it cannot be overwritten (permission denied)");
        }
        return Optional.empty();
    }
}
