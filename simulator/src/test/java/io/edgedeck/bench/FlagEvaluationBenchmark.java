package io.edgedeck.bench;

import io.edgedeck.engine.flags.Bucketing;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagEvaluator;
import io.edgedeck.engine.flags.Variant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One flag evaluation against the 50 ns budget. Unit ids come from a pre-built array so the
 * measurement is the evaluation, not building ids; the array is larger than a branch predictor
 * can memorise, and the non-ASCII set exercises the multi-byte encoding path.
 *
 * <p>Two floors under it: {@code floorHashBytesInL1} is the same murmur3 chain over the UTF-8 bytes
 * of 16 of the same ids, already encoded and in L1 (no string to read, no memory to wait on), and
 * {@code floorHashBytes} over the bytes of all 16,384 ids, which adds the memory the ids live in.
 * {@code hashUnitId} is the same hash read from the ids' strings, without the bucket and variant pick.
 */
@State(Scope.Thread)
public class FlagEvaluationBenchmark extends ShortRun {
    private static final int UNITS = 1 << 14;

    private FlagEvaluator booleanAt50;
    private FlagEvaluator threeWay;
    private String[] unitIds;
    private String[] nonAsciiUnitIds;
    private byte[][] unitIdBytes;
    private Bucketing booleanBucketing;
    private int next;

    @Setup
    public void setUp() {
        booleanAt50 = FlagEvaluator.of(FlagDefinition.booleanFlag("checkout-button", "", "shop", 5_000,
                io.edgedeck.engine.flags.Scope.GLOBAL, "2026-spring", 1L));
        threeWay = FlagEvaluator.of(new FlagDefinition("stage-layout", "", "ops",
                List.of(new Variant("compact", 1_000), new Variant("wide", 4_000), new Variant("classic", 5_000)),
                "classic", io.edgedeck.engine.flags.Scope.GLOBAL, "s1", 1, false, 1L));
        var random = new SplittableRandom(42);
        unitIds = new String[UNITS];
        nonAsciiUnitIds = new String[UNITS];
        for (int i = 0; i < UNITS; i++) {
            long id = random.nextLong();
            unitIds[i] = "viewer-" + Long.toHexString(id);
            nonAsciiUnitIds[i] = "zuschauer-münchen-" + Long.toHexString(id) + "-視聴者";
        }
        unitIdBytes = new byte[UNITS][];
        for (int i = 0; i < UNITS; i++) {
            unitIdBytes[i] = unitIds[i].getBytes(StandardCharsets.UTF_8);
        }
        booleanBucketing = Bucketing.forFlag("checkout-button", "2026-spring");
    }

    private int nextIndex() {
        next = (next + 1) & (UNITS - 1);
        return next;
    }

    @Benchmark
    public int booleanFlagAt50Percent() {
        return booleanAt50.evaluate(unitIds[nextIndex()], "fra", "eu", "acme");
    }

    @Benchmark
    public int threeVariantSplit10_40_50() {
        return threeWay.evaluate(unitIds[nextIndex()], "fra", "eu", "acme");
    }

    /** The hash alone over the same ids as strings: between the floor and a whole evaluation. */
    @Benchmark
    public int hashUnitId() {
        return booleanBucketing.hash(unitIds[nextIndex()]);
    }

    @Benchmark
    public int floorHashBytesInL1() {
        return booleanBucketing.hashUtf8(unitIdBytes[nextIndex() & 15]);
    }

    @Benchmark
    public int floorHashBytes() {
        return booleanBucketing.hashUtf8(unitIdBytes[nextIndex()]);
    }

    @Benchmark
    public int booleanFlagNonAsciiUnitIds() {
        return booleanAt50.evaluate(nonAsciiUnitIds[nextIndex()], "fra", "eu", "acme");
    }
}
