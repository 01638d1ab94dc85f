package io.edgedeck.bench;

import io.edgedeck.simulator.cli.Main;
import jdk.jfr.Recording;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's CPU time for a play, which a loaded machine moves far less than its wall time
 * (docs/BENCHMARKS.md, "48 PoPs against 12, 6 Dec 2026"): plays a scenario {@code warm-up + measured}
 * times in this JVM through {@code run --speed max}, on this thread, and prints for each measured play
 * this thread's CPU time for the whole play, to its 10% progress line (the start of the play and its
 * first tenth, the audience arriving) and from its 50% line to the end (the second half: the engine
 * compiled, the audience in), and the wall time. The JIT's and the collector's threads are not in
 * those; at the end it prints the CPU of every kind of thread of the process (on Linux). Given a file, it records the measured plays with JFR, an execution sample
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
        long[] atTenth = {0};
        // The progress lines go here; the 10% and 50% ones mark the first tenth and the second half.
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
                    if (text.startsWith("   10%")) {
                        atTenth[0] = threads.getCurrentThreadCpuTime();
                    } else if (text.startsWith("   50%")) {
                        atHalf[0] = threads.getCurrentThreadCpuTime();
                    } else if (!text.matches("\\s+\\d+%.*")) {
                        System.err.println(text);
                    }
                }
            }
        }, true, StandardCharsets.UTF_8);
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        String[] run = {"run", "--scenario", scenario, "--speed", "max"};
        System.out.println("play  cpu ms  to 10% cpu ms  second half cpu ms  wall ms");
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
                System.out.printf(Locale.ROOT, "%4d  %6.1f  %12.1f  %18.1f  %7.1f%n", i + 1, (cpuEnd - cpu) / 1e6,
                        (atTenth[0] - cpu) / 1e6, (cpuEnd - atHalf[0]) / 1e6, (wallEnd - wall) / 1e6);
            }
        }
        if (recording != null) {
            recording.stop();
            recording.close();
        }
        threadsCpu();
    }

    /**
     * Prints the CPU ms each kind of thread of this process has used so far (the JIT's compilers, the
     * collector, this thread as {@code main}), read from {@code /proc/self/task}; nothing where there
     * is no such directory. Clock ticks of 10 ms.
     */
    private static void threadsCpu() throws java.io.IOException {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return;
        }
        Map<String, Long> byKind = new TreeMap<>();
        try (var each = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) each::iterator) {
                try {
                    String kind = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+$", "");
                    String stat = Files.readString(task.resolve("stat"));
                    // After the name in brackets: state is field 3, utime 14 and stime 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byKind.merge(kind, ticks * 10, Long::sum);
                } catch (java.io.IOException | RuntimeException gone) {
                    // a thread that ended while being read
                }
            }
        }
        System.out.println("threads' cpu ms " + byKind);
    }
}
