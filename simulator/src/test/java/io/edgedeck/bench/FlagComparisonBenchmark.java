package io.edgedeck.bench;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagEvaluator;
import io.edgedeck.engine.flags.Variant;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One flag evaluation in EdgeDeck, the Unleash Java client and the OpenFeature flagd in-process
 * provider, on the same two flags (a boolean on at 50%, three variants split 10/40/50), the same
 * unit ids and in the same run, so the ratios compare like with like on one machine at one load.
 *
 * <p>Both other evaluators run locally with nothing to talk to: Unleash is bootstrapped from a JSON
 * string with polling and metrics off and its API set to a closed local port; flagd reads an offline
 * flag file. Their per-request contexts are built once per unit id in setup, so what is timed is
 * the evaluation alone, which flatters them slightly: a real caller builds a context per request.
 *
 * <p>Setup checks that each evaluator splits the ids in the configured proportions, so a provider
 * that silently serves its default (not ready, flag not found) fails the run instead of looking fast.
 */
@State(Scope.Benchmark)
public class FlagComparisonBenchmark extends ShortRun {
    private static final int UNITS = 1 << 14;
    private static final String BOOLEAN_FLAG = "checkout-button";
    private static final String VARIANT_FLAG = "stage-layout";

    /** Unleash client-features format: gradual rollout at 50% sticky on userId; variants 10/40/50 (of 1000). */
    private static final String UNLEASH_FEATURES = """
            {"version": 2, "features": [
              {"name": "checkout-button", "enabled": true, "strategies": [
                {"name": "flexibleRollout",
                 "parameters": {"rollout": "50", "stickiness": "userId", "groupId": "checkout-button"}}]},
              {"name": "stage-layout", "enabled": true, "strategies": [
                {"name": "flexibleRollout",
                 "parameters": {"rollout": "100", "stickiness": "userId", "groupId": "stage-layout"},
                 "variants": [
                   {"name": "compact", "weight": 100, "weightType": "variable", "stickiness": "userId"},
                   {"name": "wide", "weight": 400, "weightType": "variable", "stickiness": "userId"},
                   {"name": "classic", "weight": 500, "weightType": "variable", "stickiness": "userId"}]}]}
            ]}
            """;

    /** flagd flag definitions: the fractional operator buckets on the targeting key. */
    private static final String FLAGD_FLAGS = """
            {"flags": {
              "checkout-button": {"state": "ENABLED", "variants": {"on": true, "off": false},
                "defaultVariant": "off",
                "targeting": {"fractional": [["on", 50], ["off", 50]]}},
              "stage-layout": {"state": "ENABLED",
                "variants": {"compact": "compact", "wide": "wide", "classic": "classic"},
                "defaultVariant": "classic",
                "targeting": {"fractional": [["compact", 10], ["wide", 40], ["classic", 50]]}}
            }}
            """;

    private FlagEvaluator edgedeckBoolean;
    private FlagEvaluator edgedeckVariants;
    private Unleash unleash;
    private FlagdProvider flagdProvider;
    private Client flagdClient;
    private Path scratch;

    private String[] unitIds;
    private UnleashContext[] unleashContexts;
    private EvaluationContext[] flagdContexts;

    /** Per-thread cursor over the ids, so evaluators share ids but not a contended counter. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        int nextIndex() {
            next = (next + 1) & (UNITS - 1);
            return next;
        }
    }

    @Setup
    public void setUp() throws Exception {
        var random = new SplittableRandom(42);
        unitIds = new String[UNITS];
        unleashContexts = new UnleashContext[UNITS];
        flagdContexts = new EvaluationContext[UNITS];
        for (int i = 0; i < UNITS; i++) {
            unitIds[i] = "viewer-" + Long.toHexString(random.nextLong());
            unleashContexts[i] = UnleashContext.builder().userId(unitIds[i]).build();
            flagdContexts[i] = new ImmutableContext(unitIds[i]);
        }

        edgedeckBoolean = FlagEvaluator.of(FlagDefinition.booleanFlag(BOOLEAN_FLAG, "", "shop", 5_000,
                io.edgedeck.engine.flags.Scope.GLOBAL, "2026-spring", 1L));
        edgedeckVariants = FlagEvaluator.of(new FlagDefinition(VARIANT_FLAG, "", "ops",
                List.of(new Variant("compact", 1_000), new Variant("wide", 4_000), new Variant("classic", 5_000)),
                "classic", io.edgedeck.engine.flags.Scope.GLOBAL, "s1", 1, false, 1L));

        scratch = Files.createTempDirectory("flag-comparison");
        unleash = new DefaultUnleash(UnleashConfig.builder()
                .appName("edgedeck-bench")
                .instanceId("bench")
                // A closed local port: should anything try to reach a server, it stays on this machine.
                .unleashAPI("http://127.0.0.1:9/api/")
                .toggleBootstrapProvider(() -> Optional.of(UNLEASH_FEATURES))
                // A backup file, if present, wins over the bootstrap; a fresh path rules out a stale one.
                .backupFile(scratch.resolve("unleash-repo.json").toString())
                .synchronousFetchOnInitialisation(false)
                .fetchTogglesInterval(0)
                .disablePolling()
                .disableMetrics()
                .build());

        Path flagFile = scratch.resolve("flags.flagd.json");
        Files.writeString(flagFile, FLAGD_FLAGS);
        flagdProvider = new FlagdProvider(FlagdOptions.builder()
                .resolverType(Config.Resolver.FILE)
                .offlineFlagSourcePath(flagFile.toString())
                // The default 1 s to read the file and become ready is too short on a loaded machine.
                .deadline(30_000)
                .build());
        OpenFeatureAPI.getInstance().setProviderAndWait(flagdProvider);
        flagdClient = OpenFeatureAPI.getInstance().getClient();

        checkSplit("edgedeck boolean", i -> edgedeckBoolean.evaluate(unitIds[i], "fra", "eu", "acme") == 0 ? "on" : "off",
                Map.of("on", 0.5, "off", 0.5));
        checkSplit("edgedeck variants", i -> edgedeckVariants.variantName(
                edgedeckVariants.evaluate(unitIds[i], "fra", "eu", "acme")), Map.of("compact", 0.1, "wide", 0.4, "classic", 0.5));
        checkSplit("unleash boolean", i -> unleash.isEnabled(BOOLEAN_FLAG, unleashContexts[i]) ? "on" : "off",
                Map.of("on", 0.5, "off", 0.5));
        checkSplit("unleash variants", i -> unleash.getVariant(VARIANT_FLAG, unleashContexts[i]).getName(),
                Map.of("compact", 0.1, "wide", 0.4, "classic", 0.5));
        checkSplit("flagd boolean", i -> flagdClient.getBooleanValue(BOOLEAN_FLAG, false, flagdContexts[i]) ? "on" : "off",
                Map.of("on", 0.5, "off", 0.5));
        checkSplit("flagd variants", i -> flagdClient.getStringValue(VARIANT_FLAG, "none", flagdContexts[i]),
                Map.of("compact", 0.1, "wide", 0.4, "classic", 0.5));
    }

    private void checkSplit(String what, IntFunction<String> evaluate, Map<String, Double> expected) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < UNITS; i++) {
            counts.merge(evaluate.apply(i), 1, Integer::sum);
        }
        for (var entry : counts.entrySet()) {
            double share = entry.getValue() / (double) UNITS;
            Double want = expected.get(entry.getKey());
            // 16 384 ids: one standard deviation of a 50% share is 0.4%, so 2% is far outside chance.
            if (want == null || Math.abs(share - want) > 0.02) {
                throw new IllegalStateException(what + " splits " + counts + ", expected shares " + expected);
            }
        }
        System.err.println("# split " + what + ": " + counts);
    }

    @TearDown
    public void tearDown() throws IOException {
        unleash.shutdown();
        OpenFeatureAPI.getInstance().shutdown();
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public int edgedeckBoolean50(Cursor c) {
        return edgedeckBoolean.evaluate(unitIds[c.nextIndex()], "fra", "eu", "acme");
    }

    @Benchmark
    public int edgedeckVariants10_40_50(Cursor c) {
        return edgedeckVariants.evaluate(unitIds[c.nextIndex()], "fra", "eu", "acme");
    }

    @Benchmark
    public boolean unleashBoolean50(Cursor c) {
        return unleash.isEnabled(BOOLEAN_FLAG, unleashContexts[c.nextIndex()]);
    }

    @Benchmark
    public io.getunleash.variant.Variant unleashVariants10_40_50(Cursor c) {
        return unleash.getVariant(VARIANT_FLAG, unleashContexts[c.nextIndex()]);
    }

    @Benchmark
    public boolean flagdBoolean50(Cursor c) {
        return flagdClient.getBooleanValue(BOOLEAN_FLAG, false, flagdContexts[c.nextIndex()]);
    }

    @Benchmark
    public String flagdVariants10_40_50(Cursor c) {
        return flagdClient.getStringValue(VARIANT_FLAG, "none", flagdContexts[c.nextIndex()]);
    }
}
