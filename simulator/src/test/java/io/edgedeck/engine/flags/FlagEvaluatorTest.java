package io.edgedeck.engine.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagEvaluatorTest {
    private static final int UNITS = 100_000;

    private static FlagEvaluator booleanAt(int onWeight) {
        return FlagEvaluator.of(FlagDefinition.booleanFlag("checkout-button", "", "shop", onWeight, Scope.GLOBAL,
                "2026", 7L).withVersion(1));
    }

    private static String unit(int i) {
        return "viewer-" + i;
    }

    @Test
    void raisingABooleanRolloutOnlyMovesNewUnitsIn() {
        FlagEvaluator at10 = booleanAt(1000);
        FlagEvaluator at20 = booleanAt(2000);
        int on10 = 0;
        int on20 = 0;
        for (int i = 0; i < UNITS; i++) {
            boolean wasOn = at10.variantName(at10.evaluate(unit(i), "fra", "eu", "acme")).equals("on");
            boolean isOn = at20.variantName(at20.evaluate(unit(i), "fra", "eu", "acme")).equals("on");
            assertTrue(!wasOn || isOn, () -> "a unit that was on at 10% is off at 20%");
            on10 += wasOn ? 1 : 0;
            on20 += isOn ? 1 : 0;
        }
        // 100k draws at p = 0.1: one standard deviation is about 95 units.
        assertEquals(10_000, on10, 600);
        assertEquals(10_000, on20 - on10, 600);
    }

    @Test
    void aUnitKeepsItsVariantWhileWeightsAreUnchanged() {
        var definition = new FlagDefinition("stage-layout", "", "ops",
                List.of(new Variant("a", 1000), new Variant("b", 4000), new Variant("control", 5000)),
                "control", Scope.GLOBAL, "s", 3, false, 1L);
        FlagEvaluator first = FlagEvaluator.of(definition);
        // A later version with the same weights (say, a new description) compiles afresh.
        FlagEvaluator later = FlagEvaluator.of(new FlagDefinition("stage-layout", "new copy", "ops",
                definition.variants(), "control", Scope.GLOBAL, "s", 4, false, 1L));
        int[] counts = new int[3];
        for (int i = 0; i < UNITS; i++) {
            int variant = first.evaluate(unit(i), "fra", "eu", "acme");
            assertEquals(variant, first.evaluate(unit(i), "ams", "eu", "other"));
            assertEquals(variant, later.evaluate(unit(i), "fra", "eu", "acme"));
            counts[variant]++;
        }
        assertEquals(10_000, counts[0], 600);
        assertEquals(40_000, counts[1], 1000);
        assertEquals(50_000, counts[2], 1000);
    }

    @ParameterizedTest(name = "bucket {0} -> {1}")
    @CsvSource({"0, 0", "999, 0", "1000, 1", "4999, 1", "5000, 2", "9999, 2"})
    void rangesAreCumulativeInDeclarationOrder(int bucket, int expectedIndex) {
        var evaluator = FlagEvaluator.of(new FlagDefinition("split", "", "ops",
                List.of(new Variant("a", 1000), new Variant("b", 4000), new Variant("c", 5000)),
                "c", Scope.GLOBAL, "", 1, false, 0L));
        assertEquals(expectedIndex, evaluator.variantForBucket(bucket));
    }

    @Test
    void zeroWeightVariantsAreNeverServed() {
        var evaluator = FlagEvaluator.of(new FlagDefinition("split", "", "ops",
                List.of(new Variant("a", 0), new Variant("b", 10_000), new Variant("c", 0)),
                "b", Scope.GLOBAL, "", 1, false, 0L));
        for (int bucket = 0; bucket < Bucketing.BUCKETS; bucket++) {
            assertEquals(1, evaluator.variantForBucket(bucket));
        }
    }

    @Test
    void aKilledFlagServesControlToEveryone() {
        var killed = FlagEvaluator.of(FlagDefinition.booleanFlag("k", "", "ops", 10_000, Scope.GLOBAL, "", 0L)
                .withVersion(2).withKilled(true));
        for (int i = 0; i < 1000; i++) {
            assertEquals("off", killed.variantName(killed.evaluate(unit(i), "fra", "eu", "acme")));
        }
    }

    @ParameterizedTest(name = "{0} at pop={1} region={2} tenant={3} -> {4}")
    @CsvSource({
            "global,     fra, eu, acme, on",
            "region:eu,  fra, eu, acme, on",
            "region:us,  fra, eu, acme, off",
            "pop:fra,    fra, eu, acme, on",
            "pop:iad,    fra, eu, acme, off",
            "tenant:acme, fra, eu, acme, on",
            "tenant:zeta, fra, eu, acme, off"})
    void outOfScopeUnitsGetControl(String scope, String pop, String region, String tenant, String expected) {
        var evaluator = FlagEvaluator.of(FlagDefinition.booleanFlag("scoped", "", "ops", 10_000,
                Scope.parse(scope), "", 0L).withVersion(1));
        assertEquals(expected, evaluator.variantName(evaluator.evaluate("viewer-1", pop, region, tenant)));
    }

    @Test
    void everyBucketGoesToTheVariantWhoseRangeHoldsIt() {
        int[][] weightSets = {
                {10_000}, {5_000, 5_000}, {0, 10_000}, {10_000, 0}, {1, 9_999}, {9_999, 1},
                {1_000, 4_000, 5_000}, {0, 10_000, 0}, {3_333, 3_333, 3_334},
                {2_500, 2_500, 2_500, 2_500}, {100, 200, 300, 400, 9_000}, {0, 0, 0, 0, 10_000},
                {1, 1, 1, 1, 1, 1, 1, 1, 1, 9_991}};
        for (int[] weights : weightSets) {
            var variants = new java.util.ArrayList<Variant>();
            for (int i = 0; i < weights.length; i++) {
                variants.add(new Variant("v" + i, weights[i]));
            }
            var evaluator = FlagEvaluator.of(new FlagDefinition("split", "", "ops", variants,
                    "v0", Scope.GLOBAL, "", 1, false, 0L));
            for (int bucket = 0; bucket < Bucketing.BUCKETS; bucket++) {
                // The reference: walk the ranges in declaration order until one ends past the bucket.
                int expected = 0;
                int end = weights[0];
                while (bucket >= end) {
                    end += weights[++expected];
                }
                assertEquals(expected, evaluator.variantForBucket(bucket),
                        () -> java.util.Arrays.toString(weights));
            }
        }
    }
}
