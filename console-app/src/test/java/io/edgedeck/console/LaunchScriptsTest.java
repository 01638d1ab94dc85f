package io.edgedeck.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two launchers, ./edgedeck and edgedeck.cmd, keep in step where Windows cannot be run here: each
 * leaves out a start-up cache older than the console jar, which the JVM would refuse quietly, and says
 * so in the same words. ./edgedeck itself runs here, in a project of stand-ins: a Maven wrapper that
 * makes the jars and a JDK whose java prints what it was asked to run.
 */
class LaunchScriptsTest {
    private static final String STALE = "edgedeck: the start-up cache is older than the console (built with"
            + " -Dedgedeck.aot.skip=true?); starting without it. To start faster: ";

    @Test
    void bothLaunchersLeaveOutACacheOlderThanTheJarAndSaySoAlike() throws Exception {
        String sh = Files.readString(Path.of("..", "edgedeck")).replace("\" \\\n        \"", " ");
        assertTrue(sh.contains("[ \"$jar\" -nt \"$aot\" ]"), "./edgedeck compares the cache's age with the jar's");
        assertTrue(sh.contains(STALE + "./mvnw -q -B -pl console-app -am package -DskipTests"), "./edgedeck says why");

        String cmd = Files.readString(Path.of("..", "edgedeck.cmd")).replace("^(", "(").replace("^)", ")");
        int compared = cmd.indexOf("(Get-Item -LiteralPath $env:JAR).LastWriteTime -gt (Get-Item -LiteralPath $env:AOT).LastWriteTime");
        assertTrue(compared > 0, "edgedeck.cmd compares the cache's age with the jar's");
        assertTrue(cmd.contains(STALE + "mvnw.cmd -q -B -pl console-app -am package -DskipTests"), "edgedeck.cmd says why in the same words");
        int used = cmd.indexOf("set \"CACHE=-XX:AOTCache=");
        assertTrue(used > compared && cmd.lastIndexOf("set \"CACHE=-XX:AOTCache=") == used
                && cmd.substring(compared, used).contains(") else ("), "edgedeck.cmd passes the cache only when it is not older");
    }

    private static final String FIRST_RUN = "edgedeck: first run: building EdgeDeck (a few minutes)...";

    @Test
    void bothLaunchersSayAFirstBuildIsOneAndKeepTheBuildsOutputInALog() throws Exception {
        String cmd = Files.readString(Path.of("..", "edgedeck.cmd")).replace("^(", "(").replace("^)", ")");
        assertTrue(cmd.contains("echo " + FIRST_RUN), "edgedeck.cmd says so in the same words");
        assertTrue(cmd.contains("call mvnw.cmd -q -B package -DskipTests > \"!LOG!\" 2>&1"), "edgedeck.cmd logs the build");
        assertTrue(cmd.contains("echo edgedeck: the build failed; its whole output is in !LOG!"), "edgedeck.cmd names the log");
    }

    /** A project with ./edgedeck, a Maven wrapper that prints what a build prints and makes the jars (or fails), and a JDK 25. */
    private static Path project(Path dir, boolean buildFails) throws Exception {
        Path root = Files.createDirectories(dir.resolve("clone"));
        Files.copy(Path.of("..", "edgedeck"), root.resolve("edgedeck"));
        executable(root.resolve("mvnw"), buildFails
                ? "echo '[ERROR] COMPILATION ERROR: Console.java:[1,1] class expected'\nexit 1\n"
                : "echo 'Temporary AOTConfiguration recorded: edgedeck-console.aot.config'\n"
                        + "mkdir -p console-app/target/lib\n"
                        + "touch console-app/target/edgedeck-console.jar console-app/target/lib/javafx-base-26.0.2-linux.jar\n");
        Path jdk = Files.createDirectories(dir.resolve("jdk-25"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        executable(Files.createDirectories(jdk.resolve("bin")).resolve("java"), "echo \"java $*\"\n");
        return root;
    }

    private static void executable(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs a launcher by the given path from another directory; returns the exit status, stdout and stderr. */
    private static String[] run(Path launcher, Path dir) throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version").directory(elsewhere.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("JAVA_HOME", dir.resolve("jdk-25").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher finished");
        return new String[] {String.valueOf(p.exitValue()), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8)};
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void throughALinkOnThePathTheFirstRunBuildsAndStartsTheCloneTheLinkPointsTo(@TempDir Path dir) throws Exception {
        Path root = project(dir, false);
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("bin")).resolve("edgedeck"), root.resolve("edgedeck"));
        Files.setPosixFilePermissions(root.resolve("edgedeck"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String[] r = run(link, dir);
        assertEquals("0", r[0], r[2]);
        assertEquals(FIRST_RUN + "\n", r[2], "one line while it builds, none of the build's own");
        assertTrue(r[1].contains(" -jar " + root.toRealPath().resolve("console-app/target/edgedeck-console.jar") + " --version"), r[1]);
        assertTrue(Files.readString(root.resolve("target/edgedeck-build.log")).contains("AOTConfiguration"), "the build's output is kept");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aFailedBuildShowsItsEndAndNamesTheLog(@TempDir Path dir) throws Exception {
        Path root = project(dir, true);
        Files.setPosixFilePermissions(root.resolve("edgedeck"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String[] r = run(root.resolve("edgedeck"), dir);
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("[ERROR] COMPILATION ERROR: Console.java:[1,1] class expected\n"), r[2]);
        assertTrue(r[2].endsWith("edgedeck: the build failed; its whole output is in "
                + root.toRealPath().resolve("target/edgedeck-build.log") + "\n"), r[2]);
        assertFalse(r[1].contains("-jar"), "nothing started");
    }

    /**
     * With no JDK 25 anywhere and a Java 17 as the default java, ./edgedeck names that java, its version and where it
     * is, then how to fix it. The machine's own JDKs are hidden in a mount namespace of the test's own (as root, where
     * {@code unshare} is there; elsewhere the test is skipped): the launcher looks in /usr/lib/jvm before the PATH.
     */
    @Test
    @DisabledOnOs(OS.WINDOWS)
    void withOnlyAnOlderJavaTheLauncherNamesItAndItsVersion(@TempDir Path dir) throws Exception {
        Path root = project(dir, false);
        Files.setPosixFilePermissions(root.resolve("edgedeck"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path old = Files.createDirectories(dir.resolve("jdk-17"));
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"17.0.9\"\n");
        String says = "if [ \"$1\" = -XshowSettings:properties ]; then echo '    java.home = " + old + "' >&2; fi\n"
                + "echo 'openjdk version \"17.0.9\" 2023-10-17' >&2\n";
        executable(Files.createDirectories(old.resolve("bin")).resolve("java"), says);
        Path path = Files.createDirectories(dir.resolve("path"));
        Files.createSymbolicLink(path.resolve("java"), old.resolve("bin/java"));
        ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "sh", "-c",
                "mount -t tmpfs none /usr/lib/jvm 2>/dev/null || exit 99; exec \"$0\" --version", root.resolve("edgedeck").toString())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("PATH", path + ":/usr/bin:/bin");
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no unshare here: " + e.getMessage());
            return;
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher finished");
        String err = Files.readString(dir.resolve("err.txt"));
        org.junit.jupiter.api.Assumptions.assumeTrue(p.exitValue() != 99 && !err.contains("unshare:"),
                "a mount namespace of its own needs root: " + err);
        assertEquals(1, p.exitValue(), err);
        assertEquals("edgedeck: no JDK 25 found. EdgeDeck needs Java 25 or newer.\n"
                + "  Found, but too old: the java on PATH, " + path.resolve("java") + ", is Java 17.0.9 (at " + old.toRealPath() + ")\n"
                + "  Install a JDK 25 (for example Eclipse Temurin 25 from adoptium.net, or your package manager's openjdk-25-jdk)\n"
                + "  and point JAVA_HOME at it:   export JAVA_HOME=/path/to/jdk-25\n"
                + "  An older Java can stay installed: ./edgedeck runs JAVA_HOME's JDK and leaves the default java as it is.\n", err);
    }
}
