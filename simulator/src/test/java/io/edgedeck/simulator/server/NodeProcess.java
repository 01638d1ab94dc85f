package io.edgedeck.simulator.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node in a process of its own ({@code serve} from the test class path), as an operator starts one. */
final class NodeProcess implements AutoCloseable {
    private static final Pattern API = Pattern.compile("API\\s+(https?://\\S+)/api/v1");

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    private volatile URI base;

    private NodeProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code serve} with these arguments; does not wait. */
    static NodeProcess launch(String... serveArgs) throws Exception {
        return launch(List.of(), serveArgs);
    }

    /** Starts {@code serve} in a JVM given {@code jvmOptions} (a system property) with these arguments; does not wait. */
    static NodeProcess launch(List<String> jvmOptions, String... serveArgs) throws Exception {
        return launch(List.of(), jvmOptions, serveArgs);
    }

    /**
     * Starts {@code serve} through {@code enter} (a command that runs the rest in another namespace,
     * e.g. {@code nsenter -t PID -U -m --preserve-credentials}), in a JVM given {@code jvmOptions}; does not wait.
     */
    static NodeProcess launch(List<String> enter, List<String> jvmOptions, String... serveArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(enter);
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.edgedeck.simulator.cli.Main", "serve"));
        command.addAll(List.of(serveArgs));
        NodeProcess node = new NodeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        Thread.ofVirtual().start(node::drain);
        return node;
    }

    /** Starts {@code serve} and waits until it says where it listens. */
    static NodeProcess start(String... serveArgs) throws Exception {
        return start(List.of(), serveArgs);
    }

    /** As {@link #start(String...)}, in a JVM given {@code jvmOptions}. */
    static NodeProcess start(List<String> jvmOptions, String... serveArgs) throws Exception {
        return start(List.of(), jvmOptions, serveArgs);
    }

    /** As {@link #start(String...)}, through {@code enter} (see {@link #launch(List, List, String...)}). */
    static NodeProcess start(List<String> enter, List<String> jvmOptions, String... serveArgs) throws Exception {
        NodeProcess node = launch(enter, jvmOptions, serveArgs);
        long deadline = System.currentTimeMillis() + 60_000;
        while (node.base == null && node.process.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        if (node.base == null) {
            node.process.destroyForcibly();
            throw new AssertionError("the node did not say where it listens: " + node.output);
        }
        return node;
    }

    private void drain() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                Matcher m = API.matcher(line);
                if (m.find()) {
                    base = URI.create(m.group(1));
                }
            }
        } catch (java.io.IOException ended) {
            // the process is gone; what it printed is kept
        }
    }

    URI base() {
        return base;
    }

    /** Waits for the process to end by itself and returns its exit status. */
    int exitStatus(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the process did not exit within " + seconds + " s: " + output);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return exitStatus(20);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
