package io.edgedeck.bench;

import io.edgedeck.simulator.edge.Rng;
import java.util.SplittableRandom;
import org.HdrHistogram.IntCountsHistogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor under the engine's cost per event: what one audience action cannot do without, and
 * nothing else. The engine's audience model, for each action, draws which session acts and what it
 * does from its random stream; the session's PoP draws the request's latency (two normal draws: the
 * value and the correlated jitter) and whether it was lost; the session's columns are read and
 * written where it sits among all the sessions (its route, unit, cart, next event id, and for each of
 * the show's two flags its arm, the variant it is served, the version it was assigned at and whether
 * it moved); and the latency is recorded for its PoP and for its arm. This benchmark does exactly
 * that, with the engine's own generator ({@link SplittableRandom}, {@link Rng#gaussian}) and the
 * engine's layout (one array per column, as {@code Sessions} kept them until it kept one record
 * per session; an {@link IntCountsHistogram} per PoP and per arm of the engine's range and
 * precision), and none of the rest: no trigger engine, no chat, no frames, no conversion
 * attribution, no per-second windows.
 *
 * <p>So its time per operation is a lower bound for the engine's time per event at the same number
 * of concurrent sessions and PoPs: the random draws plus the cache misses of touching one session
 * chosen at random among them. docs/BENCHMARKS.md sets the engine's figures against it.
 *
 * <p>{@link #oneEventInterleaved} does the same with every column of a session in one 64-byte
 * record of one array (eight longs: route and cart, unit, next event id, and per flag its arm,
 * served variant, moved mark and assignment version), so one action touches one cache line of
 * session state instead of one per column: the floor the engine would have with that layout.
 */
@State(Scope.Thread)
public class EventFloorBenchmark extends ShortRun {
    private static final int FLAGS = 2;
    private static final int ARMS_PER_FLAG = 2;
    private static final long HIGHEST_MICROS = 120_000_000L;

    /** Concurrent sessions, as in the scaling shows. */
    @Param({"10000", "100000", "1000000"})
    int sessions;

    /** PoPs the sessions are spread over. */
    @Param({"12", "48"})
    int pops;

    private SplittableRandom audience;
    private SplittableRandom latency;
    private int[] route;
    private long[] unit;
    private byte[] cart;
    private long[] nextEventId;
    private int[][] armOf;
    private int[][] servedOf;
    private long[][] versionOf;
    private boolean[][] movedOf;
    /** Eight longs a session: [route | cart << 32, unit, next event id, (arm | served << 16 | moved << 31) per flag, version per flag, padding]. */
    private long[] interleaved;
    private IntCountsHistogram[] perPop;
    private IntCountsHistogram[] perArm;
    private double jitterState;

    @Setup
    public void setUp() {
        SplittableRandom setup = new SplittableRandom(7);
        audience = new SplittableRandom(11);
        latency = new SplittableRandom(13);
        route = new int[sessions];
        unit = new long[sessions];
        cart = new byte[sessions];
        nextEventId = new long[sessions];
        armOf = new int[FLAGS][sessions];
        servedOf = new int[FLAGS][sessions];
        versionOf = new long[FLAGS][sessions];
        movedOf = new boolean[FLAGS][sessions];
        for (int i = 0; i < sessions; i++) {
            route[i] = setup.nextInt(pops);
            unit[i] = i;
            for (int f = 0; f < FLAGS; f++) {
                int arm = f * ARMS_PER_FLAG + setup.nextInt(ARMS_PER_FLAG);
                armOf[f][i] = arm;
                servedOf[f][i] = arm;
                versionOf[f][i] = 1;
            }
        }
        interleaved = new long[sessions * 8];
        for (int i = 0; i < sessions; i++) {
            int at = i * 8;
            interleaved[at] = route[i];
            interleaved[at + 1] = unit[i];
            for (int f = 0; f < FLAGS; f++) {
                interleaved[at + 3 + f] = armOf[f][i] | (long) servedOf[f][i] << 16;
                interleaved[at + 5 + f] = versionOf[f][i];
            }
        }
        perPop = new IntCountsHistogram[pops];
        for (int p = 0; p < pops; p++) {
            perPop[p] = new IntCountsHistogram(1, HIGHEST_MICROS, 2);
        }
        perArm = new IntCountsHistogram[FLAGS * ARMS_PER_FLAG];
        for (int a = 0; a < perArm.length; a++) {
            perArm[a] = new IntCountsHistogram(1, HIGHEST_MICROS, 2);
        }
    }

    /** One audience action: choose, draw, touch the session, record. */
    @Benchmark
    public long oneEvent() {
        int slot = audience.nextInt(sessions);
        double kind = audience.nextDouble();
        int r = route[slot];
        long version = 0;
        for (int f = 0; f < FLAGS; f++) {
            // the assignment check the engine makes for every flag before an action
            version += versionOf[f][slot] + servedOf[f][slot] + (movedOf[f][slot] ? 1 : 0);
        }
        if (kind < 0.05) {
            cart[slot] ^= 1;
        }
        long value = latencyMicros();
        if (value > 0) {
            perPop[r].recordValue(value);
            for (int f = 0; f < FLAGS; f++) {
                perArm[armOf[f][slot]].recordValue(value);
            }
        }
        return version + unit[slot] + nextEventId[slot]++;
    }

    /** The same action with the session's columns in one cache line. */
    @Benchmark
    public long oneEventInterleaved() {
        int slot = audience.nextInt(sessions);
        double kind = audience.nextDouble();
        long[] s = interleaved;
        int at = slot * 8;
        long head = s[at];
        int r = (int) head;
        long version = 0;
        for (int f = 0; f < FLAGS; f++) {
            long arms = s[at + 3 + f];
            version += s[at + 5 + f] + (arms >>> 16 & 0x7fff) + (arms >>> 31 & 1);
        }
        if (kind < 0.05) {
            s[at] = head ^ 1L << 32;
        }
        long value = latencyMicros();
        if (value > 0) {
            perPop[r].recordValue(value);
            for (int f = 0; f < FLAGS; f++) {
                perArm[(int) (s[at + 3 + f] & 0xffff)].recordValue(value);
            }
        }
        return version + s[at + 1] + s[at + 2]++;
    }

    /** The PoP's draws for one request: its latency in µs (two normal draws), or 0 when it was lost. */
    private long latencyMicros() {
        double z = Rng.gaussian(latency);
        jitterState = 0.9 * jitterState + 0.436 * Rng.gaussian(latency);
        boolean lost = latency.nextDouble() < 0.001;
        long micros = (long) ((30 + 8 * z + 3 * jitterState) * 1000);
        return lost ? 0 : Math.max(1, Math.min(HIGHEST_MICROS, micros));
    }
}
