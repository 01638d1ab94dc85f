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
        List<String> lines = oneLineAndAnEnd("before", List.of("-Xmx12m"), Launcher.class, "--rehearsal", "sentiment-crash",
                "--exit-after", "2");
        assertTrue(lines.getFirst().startsWith("edgedeck: ") && lines.getFirst().contains("Java heap space"), lines::toString);
    }

    /**
     * A mistake on the command line, with a display named or none, is the usage lines alone and status 2, each time:
     * the options are read before any toolkit code runs, so no line of the toolkit's (GTK's, the renderer's) joins them
     * and no half-started toolkit is in the way of the exit. The launcher runs as {@code edgedeck} runs it, on the
     * desktop platform, with the display set here rather than taken from whoever runs the tests.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"none", ":59173"})
    void aMistakeOnTheCommandLineIsTheUsageLinesAloneWithOrWithoutADisplay(String display) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config-usage"));
        for (int run = 0; run < 3; run++) {
            Path out = dir.resolve("stdout-usage.txt");
            Path errors = dir.resolve("stderr-usage.txt");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dedgedeck.config.dir=" + config, "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
                    "--speeed", "3").redirectOutput(out.toFile()).redirectError(errors.toFile());
            builder.environment().keySet().removeAll(List.of("DISPLAY", "WAYLAND_DISPLAY", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
            if (!display.equals("none")) {
                builder.environment().put("DISPLAY", display);
            }
            Process p = builder.start();
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "the process ended; it said: " + said(errors));
                int run1 = run + 1;
                assertEquals(2, p.exitValue(), () -> "run " + run1 + ": " + said(errors));
                assertEquals("edgedeck: unknown option '--speeed'\nDid you mean --speed?\nRun with --help to see every option.\n",
                        said(errors).replace(System.lineSeparator(), "\n"), "run " + run1);
                assertEquals("", said(out), "run " + run1);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void anErrorOnTheToolkitsThreadAfterTheWindowIsOneLineAndAnEnd() throws Exception {
        assertEquals(List.of("edgedeck: the console stopped: OutOfMemoryError: Java heap space"),
                oneLineAndAnEnd("fx", List.of(), AfterTheWindow.class, "fx", "--rehearsal", "sentiment-crash"));
    }

    @Test
    void anErrorOnAnotherThreadAfterTheWindowIsOneLineAndAnEnd() throws Exception {
        assertEquals(List.of("edgedeck: the console stopped: OutOfMemoryError: Java heap space"),
                oneLineAndAnEnd("worker", List.of(), AfterTheWindow.class, "worker", "--rehearsal", "sentiment-crash"));
    }

    @Test
    void anErrorThatIsNotTheJvmFailingAfterTheWindowIsReportedAndTheConsoleCarriesOn() {
        java.io.StringWriter said = new java.io.StringWriter();
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream reported = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(reported, true, StandardCharsets.UTF_8));
        try {
            // Were it taken for the JVM failing, this would halt the test's own JVM.
            Launcher.afterTheWindow(new java.io.PrintWriter(said, true), Thread.currentThread(),
                    new NoClassDefFoundError("io/edgedeck/console/SomeOptionalPart"));
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", said.toString(), "no 'the console stopped' line");
        assertTrue(reported.toString(StandardCharsets.UTF_8).contains("NoClassDefFoundError"), reported::toString);
    }

    /**
     * Runs {@code main} in a JVM of its own with {@code jvmOptions} and {@code args}, and asserts it ends with status 1
     * and one line on standard error (the toolkit's own start-up lines aside), which it returns.
     */
    private List<String> oneLineAndAnEnd(String run, List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config-" + run));
        Path errors = dir.resolve("stderr-" + run + ".txt");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dedgedeck.config.dir=" + config, "-Dglass.platform=Headless", "-Dprism.order=sw",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "the process ended; it said: " + said(errors));
            assertEquals(1, p.exitValue(), () -> said(errors));
            List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("WARNING") && !l.contains("Unsupported JavaFX configuration")
                            && !l.contains("com.sun.javafx.application.PlatformImpl startup"))
                    .toList();
            assertEquals(1, lines.size(), () -> "one line: " + lines);
            return lines;
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
