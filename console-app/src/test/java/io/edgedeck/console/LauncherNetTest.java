package io.edgedeck.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real launcher in a process of its own, given a heap too small to read the scenario and start the show: an
 * error no option check foresees, thrown while it prepares to start. It ends the process with status 1 and one
 * line naming what failed, no stack trace; before, the toolkit's thread kept the process running without a
 * window.
 */
class LauncherNetTest {
    @TempDir
    Path dir;

    @Test
    void anUnexpectedErrorBeforeTheWindowIsOneLineAndAnEnd() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Path errors = dir.resolve("stderr.txt");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx12m", "-Dedgedeck.config.dir=" + config,
                "-Dglass.platform=Headless", "-Dprism.order=sw", "-cp", System.getProperty("java.class.path"),
                Launcher.class.getName(), "--rehearsal", "sentiment-crash", "--exit-after", "2")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "the process ended; it said: " + said(errors));
            assertEquals(1, p.exitValue(), () -> said(errors));
            List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("WARNING") && !l.contains("Unsupported JavaFX configuration")
                            && !l.contains("com.sun.javafx.application.PlatformImpl startup"))
                    .toList();
            assertEquals(1, lines.size(), () -> "one line: " + lines);
            assertTrue(lines.getFirst().startsWith("edgedeck: ") && lines.getFirst().contains("Java heap space"), lines::toString);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String said(Path errors) {
        try {
            return Files.readString(errors, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
