package io.edgedeck.bench;

import io.edgedeck.simulator.cli.Main;
import jdk.jfr.Recording;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The engine's CPU time for a play, which a loaded machine moves far less than its wall time
 * (docs/BENCHMARKS.md, "48 PoPs against 12, 6 Dec 2026"): plays a scenario {@code warm-up + measured}
 * times in this JVM through {@code run --speed max}, on this thread, and prints for each measured play
 * this thread's CPU time for the whole play and from its 50% progress line to the end (the second
 * half: the engine compiled, the audience in), and the wall time. The JIT's and the collector's
 * threads are not in it. Given a file, it records the measured plays with JFR, an execution sample
 * every millisecond, into it.
 *
 * <pre>java -cp "$BENCH_CP" io.edgedeck.bench.EngineThreadCpu SCENARIO [WARM_UPS [MEASURED [JFR_FILE]]]</pre>
 */
public final class EngineThreadCpu {
    private EngineThreadCpu() {
    }

    public static void main(String[] args) throws java.io.IOException {
        String scenario = args[0];
        int warmUps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path jfr = args.length > 3 ? Path.of(args[3]) : null;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] atHalf = {0};
        // The progress lines go here; the 50% one marks where the second half starts.
        PrintStream progress = new PrintStream(new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                line.append(new String(b, off, len, StandardCharsets.UTF_8));
                for (int nl = line.indexOf("\n"); nl >= 0; nl = line.indexOf("\n")) {
                    String text = line.substring(0, nl);
                    line.delete(0, nl + 1);
                    if (text.startsWith("   50%")) {
                        atHalf[0] = threads.getCurrentThreadCpuTime();
                    } else if (!text.matches("\\s+\\d+%.*")) {
                        System.err.println(text);
                    }
                }
            }
        }, true, StandardCharsets.UTF_8);
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        String[] run = {"run", "--scenario", scenario, "--speed", "max"};
        System.out.println("play  cpu ms  second half cpu ms  wall ms");
        Recording recording = null;
        for (int i = 0; i < warmUps + measured; i++) {
            if (i == warmUps && jfr != null) {
                recording = new Recording();
                recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
                recording.setDestination(jfr);
                recording.start();
            }
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            if (Main.run(run, none, progress) != 0) {
                throw new IllegalStateException("run failed for " + scenario);
            }
            long cpuEnd = threads.getCurrentThreadCpuTime();
            long wallEnd = System.nanoTime();
            if (i >= warmUps) {
                System.out.printf(Locale.ROOT, "%4d  %6.1f  %18.1f  %7.1f%n", i + 1, (cpuEnd - cpu) / 1e6,
                        (cpuEnd - atHalf[0]) / 1e6, (wallEnd - wall) / 1e6);
            }
        }
        if (recording != null) {
            recording.stop();
            recording.close();
        }
    }
}
