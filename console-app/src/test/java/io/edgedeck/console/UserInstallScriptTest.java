package io.edgedeck.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * installers/install-user.sh, run on a stand-in app image in a clone of its own and an empty HOME: the
 * installed console starts with the clone gone, everything lands under HOME, and the uninstaller left
 * in the install takes HOME back to what it was.
 */
@EnabledOnOs(OS.LINUX)
class UserInstallScriptTest {

    /** A clone holding the script and, unless {@code built} is false, an app image whose launchers print their name and arguments. */
    private static Path clone(Path dir, boolean built) throws Exception {
        Path installers = Files.createDirectories(dir.resolve("clone/installers"));
        Path script = installers.resolve("install-user.sh");
        Files.copy(Path.of("..", "installers", "install-user.sh"), script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (built) {
            Path image = installers.resolve("target/installers/EdgeDeck");
            Path bin = Files.createDirectories(image.resolve("bin"));
            for (String name : List.of("EdgeDeck", "EdgeDeck-software", "EdgeDeck-hidpi")) {
                Files.writeString(bin.resolve(name), "#!/bin/sh\necho \"" + name + " $*\"\n");
                Files.setPosixFilePermissions(bin.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.write(Files.createDirectories(image.resolve("lib")).resolve("EdgeDeck.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        }
        Files.createDirectories(dir.resolve("home"));
        return script;
    }

    /** Runs a command with HOME in dir/home and no XDG variables; returns the exit status, stdout and stderr. */
    private static String[] run(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.environment().remove("XDG_DATA_HOME");
        pb.environment().remove("XDG_CONFIG_HOME");
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the script finished");
        return new String[] {String.valueOf(p.exitValue()), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8)};
    }

    private static List<String> tree(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(f -> root.relativize(f).toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void theInstallRunsWithoutTheCloneAndItsUninstallerLeavesHomeAsItWas(@TempDir Path dir) throws Exception {
        Path script = clone(dir, true);
        Path home = dir.resolve("home");
        String[] r = run(dir, script.toString());
        assertEquals("0", r[0], r[2]);
        Path app = home.resolve(".local/share/edgedeck");
        assertTrue(r[1].contains("installed EdgeDeck in " + app), r[1]);
        assertEquals(List.of("", ".local", ".local/bin", ".local/bin/edgedeck", ".local/share", ".local/share/applications",
                ".local/share/applications/edgedeck-EdgeDeck-hidpi.desktop", ".local/share/applications/edgedeck-EdgeDeck-software.desktop",
                ".local/share/applications/edgedeck-EdgeDeck.desktop", ".local/share/edgedeck", ".local/share/edgedeck/bin",
                ".local/share/edgedeck/bin/EdgeDeck", ".local/share/edgedeck/bin/EdgeDeck-hidpi", ".local/share/edgedeck/bin/EdgeDeck-software",
                ".local/share/edgedeck/lib", ".local/share/edgedeck/lib/EdgeDeck.png", ".local/share/edgedeck/made-dirs",
                ".local/share/edgedeck/uninstall.sh",
                ".local/share/icons", ".local/share/icons/hicolor", ".local/share/icons/hicolor/256x256",
                ".local/share/icons/hicolor/256x256/apps", ".local/share/icons/hicolor/256x256/apps/edgedeck.png"), tree(home));
        assertTrue(Files.readString(home.resolve(".local/share/applications/edgedeck-EdgeDeck-software.desktop"))
                .contains("\nExec=\"" + app.resolve("bin/EdgeDeck-software") + "\"\n"), "the menu entry starts the installed copy");

        deleteTree(dir.resolve("clone"));
        r = run(dir, home.resolve(".local/bin/edgedeck").toString(), "--rehearsal", "steady-show");
        assertEquals("0", r[0], r[2]);
        assertEquals("EdgeDeck --rehearsal steady-show\n", r[1], "the link starts the installed launcher");

        Files.createDirectories(home.resolve(".config/edgedeck"));
        r = run(dir, app.resolve("uninstall.sh").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("removed EdgeDeck from " + app), r[1]);
        assertTrue(r[1].contains("your settings stay in " + home.resolve(".config/edgedeck")), r[1]);
        assertEquals(List.of("", ".config", ".config/edgedeck"), tree(home), "only the settings stay");
    }

    @Test
    void aReinstallStillRemovesWhatTheFirstMadeAndADirectoryThatWasThereBeforeStays(@TempDir Path dir) throws Exception {
        Path script = clone(dir, true);
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".local/bin"));
        assertEquals("0", run(dir, script.toString())[0]);
        String[] r = run(dir, script.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("EdgeDeck \n", run(dir, home.resolve(".local/bin/edgedeck").toString())[1], "the second install starts");
        r = run(dir, script.toString(), "--uninstall");
        assertEquals("0", r[0], r[2]);
        assertEquals(List.of("", ".local", ".local/bin"), tree(home), "the empty ~/.local/bin that was there stays, nothing else");
    }

    @Test
    void withoutABuiltAppImageItSaysHowToBuildOneAndWritesNothing(@TempDir Path dir) throws Exception {
        Path script = clone(dir, false);
        String[] r = run(dir, script.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("install-user: no app image at " + dir.resolve("clone").toRealPath().resolve("installers/target/installers/EdgeDeck")
                + ". Build it first"), r[2]);
        assertTrue(r[2].contains("./mvnw -B -Pinstallers -Dinstallers.appImageOnly=true package -DskipTests"), r[2]);
        assertEquals(List.of(""), tree(dir.resolve("home")));
    }

    @Test
    void aFileOfTheUsersOwnWhereTheLinkGoesIsLeftAlone(@TempDir Path dir) throws Exception {
        Path script = clone(dir, true);
        Path own = Files.createDirectories(dir.resolve("home/.local/bin")).resolve("edgedeck");
        Files.writeString(own, "mine");
        String[] r = run(dir, script.toString());
        assertEquals("1", r[0]);
        assertEquals("install-user: " + own + " exists and is not a link this script made: move it away first\n", r[2]);
        assertEquals("mine", Files.readString(own));
        assertEquals(List.of("", ".local", ".local/bin", ".local/bin/edgedeck"), tree(dir.resolve("home")));
    }
}
