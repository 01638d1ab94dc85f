package io.edgedeck.simulator.cli;

import io.edgedeck.client.files.OutputFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files and directories a command writes to, checked before it does any work (a show played
 * for minutes, then lost to a path that cannot be written, is worse than a refusal at once), and
 * written so that a failure leaves nothing half-written behind. Every message names the option,
 * the path and the reason: "run: cannot write --report /proc/r.json: no such file or directory".
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * Whether {@code file} can be written: it is not a directory, and it is a file its user may write
     * (a link, followed), or a file can be made in its directory, or in the nearest directory on the
     * way that exists (the command makes the rest).
     * Otherwise says why on {@code err}, as a usage error, and returns false.
     */
    static boolean fileWritable(String command, String option, Path file, PrintStream err, Other... others) {
        Path target;
        try {
            target = OutputFile.target(file);
        } catch (IOException e) {
            return said(command, option, file, OutputFile.reason(e), err);
        }
        String problem = Files.isDirectory(target) ? "it is a directory; give a file's name"
                : Files.exists(target) && !Files.isRegularFile(target) ? "it is not a regular file"
                : OutputFile.writableFile(target) ? null
                : probe(target.getParent());
        for (int i = 0; problem == null && i < others.length; i++) {
            problem = others[i] == null ? null : others[i].overlap(target);
        }
        return said(command, option, file, problem, err);
    }

    /**
     * Another path on the same command line, which an output must not overwrite: a file the command
     * reads or writes too, or, when {@code whole}, a directory it reads all of ({@code replay --journal
     * DATA_DIR}), so that nothing in it may be written.
     */
    record Other(String option, Path path, String does, boolean whole) {
        /** A file the command reads ({@code path} null when the option was not given). */
        static Other read(String option, Path path) {
            return new Other(option, path, "reads", false);
        }

        /** A file the command writes too. */
        static Other written(String option, Path path) {
            return new Other(option, path, "writes", false);
        }

        /** A file the command reads, or a directory it reads and leaves as it is. */
        static Other readWhole(String option, Path path) {
            return new Other(option, path, "reads", true);
        }

        /** The scenario file {@code --scenario} names; null for a built-in name, which is no file. */
        static Other scenario(String name) {
            return name == null || io.edgedeck.simulator.scenario.ScenarioCatalog.isBuiltIn(name) || name.isEmpty() ? null
                    : read("--scenario", Path.of(name));
        }

        /** Null when {@code target} is neither this path nor in it; else the problem, in the words the refusal gives. */
        String overlap(Path target) {
            if (path == null) {
                return null;
            }
            Path mine = real(path);
            Path out = real(target);
            if (out.equals(mine)) {
                return "it is the file " + option + " " + does + "; give another file's name";
            }
            return whole && Files.isDirectory(mine) && out.startsWith(mine)
                    ? "it is in the directory " + option + " " + does + ", which the command leaves as it is; give a file elsewhere"
                    : null;
        }

        /** The path with its links resolved as far as it exists, so that two names for one file are one. */
        private static Path real(Path path) {
            Path absolute = path.toAbsolutePath().normalize();
            Path existing = absolute;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            try {
                return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
            } catch (IOException e) {
                return absolute;
            }
        }
    }

    /**
     * Whether {@code dir} can be a directory the command writes in: it is one and a file can be
     * made in it, or it can be made. Otherwise says why on {@code err} and returns false.
     */
    static boolean directoryWritable(String command, String option, Path dir, PrintStream err) {
        Path target = dir.toAbsolutePath();
        String problem = Files.exists(target) && !Files.isDirectory(target) ? "it is a file, not a directory" : probe(target);
        return said(command, option, dir, problem, err);
    }

    /**
     * Writes {@code text} to {@code file} (its directories made) as {@link OutputFile#write} does: a
     * link written through, an existing file's permissions kept, a failure leaving the old file whole.
     * Returns false after saying on {@code err} why it could not be written.
     */
    static boolean write(String command, String option, Path file, String text, PrintStream err) {
        try {
            OutputFile.write(file, OutputFile.Access.USUAL, text);
            return true;
        } catch (IOException e) {
            err.println(command + ": cannot write " + option + " " + file + ": " + OutputFile.reason(e));
            return false;
        }
    }

    /**
     * Null when a file can be made in {@code dir} or the nearest directory on its way that exists; else why not. Looking
     * makes a file there and removes it; only {@code dir} itself gets its time back, never a directory on its way
     * ({@code $HOME}, {@code /var/lib}), which other processes write in too: setting its time back could hide their
     * entries from a backup that goes by directory times, and making the data directory there changes it anyway.
     */
    private static String probe(Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return "no directory on its path exists";
        }
        if (!Files.isDirectory(existing)) {
            return existing + " is a file, not a directory";
        }
        try {
            java.nio.file.attribute.FileTime was = Files.getLastModifiedTime(existing);
            Files.delete(Files.createTempFile(existing, ".edgedeck-write-check", ".tmp"));
            if (existing.equals(dir)) {
                // A look that leaves nothing behind: the data directory keeps the time it had (one a start then refuses is
                // left as it was found, its time too; another node writing in it holds its lock, and this start is refused).
                try {
                    Files.setLastModifiedTime(existing, was);
                } catch (IOException notOurs) {
                    // another user's directory we may write in but not re-time: the file made and removed is all that changed
                }
            }
            return null;
        } catch (IOException e) {
            return "no file can be made in " + existing + " (" + OutputFile.reason(e) + ")";
        }
    }

    private static boolean said(String command, String option, Path path, String problem, PrintStream err) {
        if (problem != null) {
            err.println(command + ": cannot write " + option + " " + path + ": " + problem);
        }
        return problem == null;
    }
}
