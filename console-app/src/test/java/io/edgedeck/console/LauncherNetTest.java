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
 * window. Likewise an error once the window is up, on the toolkit's thread or another: before, the process ran on
 * with a console that no longer answered.
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

    @Test
    void anErrorOnTheToolkitsThreadAfterTheWindowIsOneLineAndAnEnd() throws Exception {
        assertOneLineAndAnEnd("fx", "the console stopped: OutOfMemoryError: Java heap space");
    }

    @Test
    void anErrorOnAnotherThreadAfterTheWindowIsOneLineAndAnEnd() throws Exception {
        assertOneLineAndAnEnd("worker", "the console stopped: OutOfMemoryError: Java heap space");
    }

    /** Runs {@link AfterTheWindow} in a JVM of its own, the error thrown on {@code where}. */
    private void assertOneLineAndAnEnd(String where, String line) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config-" + where));
        Path errors = dir.resolve("stderr-" + where + ".txt");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dedgedeck.config.dir=" + config,
                "-Dglass.platform=Headless", "-Dprism.order=sw", "-cp", System.getProperty("java.class.path"),
                AfterTheWindow.class.getName(), where, "--rehearsal", "sentiment-crash")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "the process ended; it said: " + said(errors));
            assertEquals(1, p.exitValue(), () -> said(errors));
            List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("WARNING") && !l.contains("Unsupported JavaFX configuration")
                            && !l.contains("com.sun.javafx.application.PlatformImpl startup"))
                    .toList();
            assertEquals(List.of("edgedeck: " + line), lines);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * The launcher as {@code edgedeck} runs it; once its window shows, an {@link OutOfMemoryError} is thrown on the
     * toolkit's thread ({@code fx}) or on a thread of its own ({@code worker}), as running out of heap would.
     */
    static final class AfterTheWindow {
        public static void main(String[] args) throws Exception {
            Launcher.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
            while (!windowShowing()) {
                if (System.nanoTime() > until) {
                    System.err.println("no window showed");
                    System.exit(9);
                }
                Thread.sleep(100);
            }
            Runnable fail = () -> {
                throw new OutOfMemoryError("Java heap space");
            };
            if (args[0].equals("fx")) {
                javafx.application.Platform.runLater(fail);
            } else {
                Thread.ofPlatform().name("edgedeck-worker").start(fail);
            }
        }

        private static boolean windowShowing() throws Exception {
            java.util.concurrent.CompletableFuture<Boolean> showing = new java.util.concurrent.CompletableFuture<>();
            try {
                javafx.application.Platform.runLater(() -> showing.complete(javafx.stage.Window.getWindows().stream()
                        .anyMatch(javafx.stage.Window::isShowing)));
            } catch (IllegalStateException toolkitNotYetUp) {
                return false;
            }
            try {
                return showing.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException busyBuildingTheWindow) {
                return false;
            }
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
