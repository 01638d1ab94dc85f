package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.Chattr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command that writes a file or a directory refuses one it cannot write before it does any work. */
class OutputPathsTest {

    /** A path under a regular file: no directory can be made there, on any OS, whoever runs the test. */
    private static Path underAFile(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve("plain-file"), "x").resolve(name);
    }

    private static void refusedNaming(CliRun r, String command, String option, Path path) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith(command + ": cannot write " + option + " " + path + ": "), r.err());
        assertTrue(r.err().contains("is a file, not a directory"), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void runRefusesAReportOrJournalItCannotWriteBeforeThePlay(@TempDir Path dir) throws IOException {
        Path report = underAFile(dir, "r.json");
        CliRun r = CliRun.of("run", "--scenario", "no-effect", "--report", report.toString());
        refusedNaming(r, "run", "--report", report);
        assertEquals("", r.out(), "nothing is played");
        CliRun j = CliRun.of("run", "--scenario", "no-effect", "--journal", report.toString());
        refusedNaming(j, "run", "--journal", report);
    }

    @Test
    void bundleRefusesAnOutItCannotWriteAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path zip = underAFile(dir, "b.zip");
        CliRun r = CliRun.of("bundle", "--scenario", "jitter-storm", "--until", "5", "--out", zip.toString());
        refusedNaming(r, "bundle", "--out", zip);
        assertFalse(r.err().contains(".partial"), r.err());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("plain-file")), left.toList());
        }
    }

    @Test
    void serveRefusesADataDirectoryItCannotMake(@TempDir Path dir) throws IOException {
        Path data = underAFile(dir, "node");
        CliRun r = CliRun.of("serve", "--live", "--node-config", "steady-show", "--data-dir", data.toString(), "--port", "0");
        refusedNaming(r, "serve", "--data-dir", data);
    }

    @Test
    void replayAndLoadRefuseAReportTheyCannotWriteBeforeTheirWork(@TempDir Path dir) throws IOException {
        Path report = underAFile(dir, "r.json");
        CliRun replay = CliRun.of("replay", "--journal", dir.resolve("no-journal").toString(), "--report", report.toString());
        refusedNaming(replay, "replay", "--report", report);
        // port 1 on loopback: nothing listens, yet the report is refused before any call
        CliRun load = CliRun.of("load", "--target", "http://127.0.0.1:1", "--scenario", "steady-show", "--key-dir", dir.toString(),
                "--report", report.toString());
        refusedNaming(load, "load", "--report", report);
    }

    @Test
    void operatorsAddRefusesATokenFileItCannotWrite(@TempDir Path dir) throws IOException {
        Path token = underAFile(dir, "ann.token");
        CliRun r = CliRun.of("operators", "add", "ann", "--role", "viewer", "--data-dir", dir.resolve("node").toString(),
                "--token-out", token.toString());
        refusedNaming(r, "operators add", "--token-out", token);
    }

    @Test
    void aWriteThatFailsLateNamesTheOptionAndPathAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
        // a directory that is not empty cannot be replaced by a file
        Path target = Files.createDirectories(dir.resolve("r.json"));
        Files.writeString(target.resolve("inside"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean written = OutputPaths.write("run", "--report", target, "{}", new PrintStream(err, true, StandardCharsets.UTF_8));
        assertFalse(written);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("run: cannot write --report " + target + ": "), message);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(target), left.toList(), "no temporary file is left");
        }
    }

    private static String write(Path target, String text) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean written = OutputPaths.write("run", "--report", target, text, new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(written, message);
        return message;
    }

    /** As README.md says: a report names a file; folders on its way that are not there yet are made, a folder is refused. */
    @Test
    void aReportIsAFileAndTheFoldersOnItsWayAreMade(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("reports").resolve("today").resolve("r.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errs = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertTrue(OutputPaths.fileWritable("run", "--report", report, errs), err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("reports")), "the check makes nothing");
        write(report, "{}");
        assertEquals("{}", Files.readString(report));

        assertFalse(OutputPaths.fileWritable("run", "--report", report.getParent(), errs));
        assertEquals("run: cannot write --report " + report.getParent() + ": it is a directory; give a file's name",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void anOverwriteKeepsTheFilesPermissionsAndANewReportGetsTheUsualOnes(@TempDir Path dir) throws IOException {
        Path shared = Files.writeString(dir.resolve("shared.json"), "old");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
        write(shared, "{}");
        assertEquals("{}", Files.readString(shared));
        assertEquals(PosixFilePermissions.fromString("rw-rw-r--"), Files.getPosixFilePermissions(shared), "an overwrite keeps them");

        Path fresh = dir.resolve("new.json");
        write(fresh, "{}");
        Path usual = Files.createFile(dir.resolve("as-any-new-file"));
        assertEquals(Files.getPosixFilePermissions(usual), Files.getPosixFilePermissions(fresh), "a report is no secret: the umask's");
    }

    @Test
    void aLinkIsWrittenThroughToItsTarget(@TempDir Path dir) throws IOException {
        Path real = Files.writeString(Files.createDirectories(dir.resolve("reports")).resolve("latest-real.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("latest.json"), Path.of("reports", "latest-real.json"));
        write(link, "{}");
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("{}", Files.readString(real));

        Path dangling = Files.createSymbolicLink(dir.resolve("next.json"), Path.of("reports", "next-real.json"));
        write(dangling, "{\"n\":1}");
        assertTrue(Files.isSymbolicLink(dangling));
        assertEquals("{\"n\":1}", Files.readString(dir.resolve("reports/next-real.json")));
    }

    /** A folder that takes no new file (immutable: even root cannot add one) holding a file that may be written. */
    @Test
    void aWritableFileInAFolderThatTakesNoNewFileIsWrittenInPlace(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("locked"));
        Path report = Files.writeString(folder.resolve("r.json"), "old");
        Assumptions.assumeTrue(Chattr.chattr("+i", folder), "chattr +i needs root on a filesystem with immutable files");
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertTrue(OutputPaths.fileWritable("run", "--report", report, new PrintStream(err, true, StandardCharsets.UTF_8)),
                    err.toString(StandardCharsets.UTF_8));
            write(report, "{}");
            assertEquals("{}", Files.readString(report));
            CliRun refused = CliRun.of("run", "--scenario", "no-effect", "--report", folder.resolve("other.json").toString());
            assertEquals(2, refused.code(), "a new file there is still refused: " + refused.err());
        } finally {
            Chattr.chattr("-i", folder);
        }
    }

    /**
     * serve's look whether a data directory can be made: the data directory itself, when it is there, keeps its time
     * (a start refused leaves it as found), but a directory on its way ($HOME, say, for a data directory not made yet),
     * which other processes write in too, is never set back to an older time than its newest change.
     */
    @Test
    void serveLooksAtItsDataDirectoryWithoutSettingBackTheTimeOfADirectoryOnItsWay(@TempDir Path dir) throws IOException {
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2023-11-14T22:13:20Z"));
        Path home = Files.createDirectory(dir.resolve("home"));
        Files.setLastModifiedTime(home, old);
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertTrue(OutputPaths.directoryWritable("serve", "--data-dir", home.resolve("node"), err));
        assertFalse(Files.exists(home.resolve("node")), "a look makes nothing that stays");
        try (Stream<Path> left = Files.list(home)) {
            assertEquals(List.of(), left.toList(), "nothing left behind");
        }
        assertTrue(Files.getLastModifiedTime(home).compareTo(old) > 0,
                "a shared directory on the way keeps the time of the change made in it, never set back: " + Files.getLastModifiedTime(home));

        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setLastModifiedTime(data, old);
        assertTrue(OutputPaths.directoryWritable("serve", "--data-dir", data, err));
        assertEquals(old, Files.getLastModifiedTime(data), "the data directory itself keeps the time it had");
    }
}
