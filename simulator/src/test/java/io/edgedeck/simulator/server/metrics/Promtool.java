package io.edgedeck.simulator.server.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Prometheus's own linter. CI installs it (Debian package prometheus); elsewhere it may be absent. */
final class Promtool {

    private Promtool() {
    }

    /** Asserts {@code promtool check metrics} finds nothing in {@code text}; skips where promtool is absent outside CI. */
    static void assertClean(String text) throws IOException, InterruptedException {
        Path promtool = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        if (promtool == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("promtool is not installed; .ci/run installs the Debian package prometheus");
            }
            assumeTrue(false, "promtool is not installed here (apt-get install prometheus): the exposition was not linted");
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertEquals("", output.strip(), "promtool's findings");
    }
}
