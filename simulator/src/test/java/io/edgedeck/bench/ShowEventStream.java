package io.edgedeck.bench;

import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.edge.ObservationTap;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stretch of a real rehearsal's observations, recorded once through the show's
 * {@link ObservationTap} as the simulated edge and its audience hand them to the edge core: every
 * request a PoP served with its latency, every exposure of a unit to a flag variant, and every
 * checkout as one conversion for each variant the unit was last served. Deterministic for a
 * scenario and its seed, so two JMH forks replay the same events.
 *
 * <p>{@link #recordApart} plays the show in a JVM of its own and reads the stream back, so that the
 * JVM that is measured has compiled no code for the show (its chat classifier's comparators, for
 * one, would otherwise be what the JIT expects at every {@code TreeMap} lookup).
 *
 * <p>Times are engine milliseconds from the start of the stretch; the events of one engine tick
 * share its start time, as they do in the core. Lost requests are left out: the comparison is of
 * latency percentiles, jitter and variant counts, none of which a lost request moves.
 */
final class ShowEventStream {
    static final byte REQUEST = 0;
    static final byte EXPOSURE = 1;
    static final byte CONVERSION = 2;

    final String scenario;
    final int fromSecond;
    final int seconds;
    /** The core's configuration of the show (its PoPs in the core's order, its flags). */
    final CoreConfig config;
    /** Flag key and variant of each arm, numbered in the order first served. */
    final List<String[]> arms;
    final int length;
    final byte[] kind;
    final long[] atMillis;
    final int[] pop;
    final double[] ms;
    final int[] arm;

    private ShowEventStream(String scenario, int fromSecond, int seconds, CoreConfig config, List<String[]> arms,
                            int length, byte[] kind, long[] atMillis, int[] pop, double[] ms, int[] arm) {
        this.scenario = scenario;
        this.fromSecond = fromSecond;
        this.seconds = seconds;
        this.config = config;
        this.arms = List.copyOf(arms);
        this.length = length;
        this.kind = kind;
        this.atMillis = atMillis;
        this.pop = pop;
        this.ms = ms;
        this.arm = arm;
    }

    int popCount() {
        return config.pops().size();
    }

    long durationMillis() {
        return seconds * 1000L;
    }

    long count(byte k) {
        long n = 0;
        for (int i = 0; i < length; i++) {
            n += kind[i] == k ? 1 : 0;
        }
        return n;
    }

    @Override
    public String toString() {
        return String.format("%s seconds %d-%d: %,d events (%,d requests at %d PoPs, %,d exposures, %,d conversions, %d arms)",
                scenario, fromSecond, fromSecond + seconds, length, count(REQUEST), popCount(), count(EXPOSURE),
                count(CONVERSION), arms.size());
    }

    /**
     * Plays the built-in scenario {@code name} with its own seed from its start and records engine
     * seconds {@code [fromSecond, fromSecond + seconds)}; the seconds before are played so that the
     * audience has ramped up and every unit's variants are known when it converts.
     */
    static ShowEventStream record(String name, int fromSecond, int seconds) {
        Scenario scenario = ScenarioCatalog.load(name);
        Show show = new Show(ShowDefinition.of(scenario), new MemoryJournal());
        Recorder recorder = new Recorder(show, fromSecond * 1000L);
        show.tap(recorder);
        long end = (fromSecond + (long) seconds) * 1000L;
        while (show.core().nowMillis() < end && !show.finished()) {
            show.step();
        }
        if (show.core().nowMillis() < end) {
            throw new IllegalArgumentException(name + " is shorter than " + (fromSecond + seconds) + " s");
        }
        return recorder.stream(name, fromSecond, seconds, Show.coreConfig(scenario, scenario.seed()));
    }

    /**
     * {@link #record} in a child JVM on this JVM's class path, the stream handed back in a
     * temporary file.
     */
    static ShowEventStream recordApart(String name, int fromSecond, int seconds) {
        try {
            Path file = Files.createTempFile("show-events-", ".bin");
            try {
                String java = ProcessHandle.current().info().command().orElse("java");
                Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        ShowEventStream.class.getName(), name, Integer.toString(fromSecond), Integer.toString(seconds),
                        file.toString()).inheritIO().start();
                int exit = child.waitFor();
                if (exit != 0) {
                    throw new IllegalStateException("recording " + name + " in a child JVM failed with exit code " + exit);
                }
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                    return read(in, name, fromSecond, seconds);
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records {@code args[0]} from second {@code args[1]} for {@code args[2]} seconds into file {@code args[3]}. */
    public static void main(String[] args) throws IOException {
        ShowEventStream stream = record(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(Path.of(args[3]))))) {
            stream.write(out);
        }
    }

    private void write(DataOutputStream out) throws IOException {
        out.writeInt(arms.size());
        for (String[] a : arms) {
            out.writeUTF(a[0]);
            out.writeUTF(a[1]);
        }
        out.writeInt(length);
        for (int i = 0; i < length; i++) {
            out.writeByte(kind[i]);
            out.writeLong(atMillis[i]);
            out.writeInt(pop[i]);
            out.writeDouble(ms[i]);
            out.writeInt(arm[i]);
        }
    }

    private static ShowEventStream read(DataInputStream in, String name, int fromSecond, int seconds) throws IOException {
        List<String[]> arms = new ArrayList<>();
        for (int a = in.readInt(); a > 0; a--) {
            arms.add(new String[] {in.readUTF(), in.readUTF()});
        }
        int length = in.readInt();
        byte[] kind = new byte[length];
        long[] atMillis = new long[length];
        int[] pop = new int[length];
        double[] ms = new double[length];
        int[] arm = new int[length];
        for (int i = 0; i < length; i++) {
            kind[i] = in.readByte();
            atMillis[i] = in.readLong();
            pop[i] = in.readInt();
            ms[i] = in.readDouble();
            arm[i] = in.readInt();
        }
        Scenario scenario = ScenarioCatalog.load(name);
        return new ShowEventStream(name, fromSecond, seconds, Show.coreConfig(scenario, scenario.seed()), arms, length,
                kind, atMillis, pop, ms, arm);
    }

    private static final class Recorder implements ObservationTap {
        private final Show show;
        private final long fromMillis;
        private final Map<String, Integer> armIndex = new LinkedHashMap<>();
        private final List<String[]> arms = new ArrayList<>();
        /** Each unit's home PoP and, per flag, the arm it was last served. */
        private final Map<Long, Integer> homeOf = new HashMap<>();
        private final Map<Long, Map<String, Integer>> armsOf = new HashMap<>();
        private int length;
        private byte[] kind = new byte[1 << 16];
        private long[] atMillis = new long[1 << 16];
        private int[] pop = new int[1 << 16];
        private double[] ms = new double[1 << 16];
        private int[] arm = new int[1 << 16];

        Recorder(Show show, long fromMillis) {
            this.show = show;
            this.fromMillis = fromMillis;
        }

        private void add(byte k, int p, double latency, int a) {
            long now = show.core().nowMillis();
            if (now < fromMillis) {
                return;
            }
            if (length == kind.length) {
                int n = length * 2;
                kind = Arrays.copyOf(kind, n);
                atMillis = Arrays.copyOf(atMillis, n);
                pop = Arrays.copyOf(pop, n);
                ms = Arrays.copyOf(ms, n);
                arm = Arrays.copyOf(arm, n);
            }
            kind[length] = k;
            atMillis[length] = now - fromMillis;
            pop[length] = p;
            ms[length] = latency;
            arm[length] = a;
            length++;
        }

        @Override
        public void served(int p, double latencyMs) {
            add(REQUEST, p, latencyMs, -1);
        }

        @Override
        public void exposed(long unit, String flag, String variant, int p, String region, String tenant) {
            int a = armIndex.computeIfAbsent(flag + '\u0000' + variant, k -> {
                arms.add(new String[] {flag, variant});
                return arms.size() - 1;
            });
            homeOf.put(unit, p);
            armsOf.computeIfAbsent(unit, u -> new LinkedHashMap<>()).put(flag, a);
            add(EXPOSURE, p, 0, a);
        }

        @Override
        public void converted(long unit, Double value) {
            Map<String, Integer> served = armsOf.get(unit);
            if (served != null) {
                for (int a : served.values()) {
                    add(CONVERSION, homeOf.get(unit), 0, a);
                }
            }
        }

        ShowEventStream stream(String name, int fromSecond, int seconds, CoreConfig config) {
            return new ShowEventStream(name, fromSecond, seconds, config, arms, length, Arrays.copyOf(kind, length),
                    Arrays.copyOf(atMillis, length), Arrays.copyOf(pop, length), Arrays.copyOf(ms, length),
                    Arrays.copyOf(arm, length));
        }
    }
}
