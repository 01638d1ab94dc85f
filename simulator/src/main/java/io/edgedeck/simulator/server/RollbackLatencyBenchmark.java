package io.edgedeck.simulator.server;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * How long a producer waits, over loopback HTTP, from sending a rollback to the first frame that
 * shows it applied at every PoP (the flag's new version acknowledged by all of them, the variant at
 * weight 0). A benchmark, not a test: it prints percentiles and leaves judging them to people.
 *
 * <p>{@code java -cp simulator/target/edgedeck-sim.jar io.edgedeck.simulator.server.RollbackLatencyBenchmark [--rollbacks N] [--speed S]}
 *
 * <p>It starts its own node (steady-show, a fresh data dir) and disarms the scenario's guardrail so
 * only its own rollbacks move the flag. Between rollbacks it re-enables the variant and waits for
 * that to reach every PoP. At speed 1 the scenario's PoP propagation delays (100 to 210 ms of engine
 * time) and the 250 ms frame cadence are part of every figure.
 */
public final class RollbackLatencyBenchmark {
    private static final String FLAG = "checkout-button";
    private static final String VARIANT = "treatment";

    private RollbackLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rollbacks = 50;
        double speed = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rollbacks" -> rollbacks = Integer.parseInt(args[i + 1]);
                case "--speed" -> speed = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --rollbacks N, --speed S");
            }
        }
        Path dir = Files.createTempDirectory("edgedeck-bench");
        ShowDefinition show = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        Histogram millis = new Histogram(60_000, 3);
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(show, speed, InetAddress.getLoopbackAddress(), 0, dir));
             HttpEdgeConnection client = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim())) {
            AtomicReference<CompletableFuture<Long>> waiting = new AtomicReference<>();
            AtomicReference<Predicate<MetricsFrame>> until = new AtomicReference<>(f -> false);
            client.subscribeFrames(frame -> {
                CompletableFuture<Long> w = waiting.get();
                if (w != null && until.get().test(frame)) {
                    w.complete(System.nanoTime());
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!client.status().online() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            client.setArmed("sentiment-guard", false, "bench", "only the benchmark's rollbacks move the flag").join();
            System.out.printf(Locale.ROOT, "rollback to applied-at-every-PoP, over %s, speed %s, %d rollbacks%n",
                    node.baseUri(), speed == 0 ? "max" : speed, rollbacks);
            for (int i = 0; i < rollbacks; i++) {
                FlagView current = flag(client.flags().join());
                List<VariantView> even = List.of(new VariantView("control", 5000), new VariantView(VARIANT, 5000));
                // the show starts at 50/50, and a change to the weights the flag has is refused (nothing to change)
                FlagView enabled = current.variants().equals(even) ? current : client.changeFlag(FLAG, new FlagChange(current.version(),
                        even, null, "bench", "re-enable for the next rollback")).join();
                awaitFrame(waiting, until, f -> everywhere(f, enabled.version()) != null).get(30, TimeUnit.SECONDS);

                CompletableFuture<Long> applied = awaitFrame(waiting, until, f -> {
                    FlagView v = everywhere(f, enabled.version() + 1);
                    return v != null && v.variants().stream().anyMatch(x -> x.name().equals(VARIANT) && x.weight() == 0);
                });
                long start = System.nanoTime();
                client.rollback(FLAG, VARIANT, "bench", "benchmark rollback " + (i + 1)).join();
                long end = applied.get(30, TimeUnit.SECONDS);
                millis.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - start)));
            }
        }
        System.out.printf(Locale.ROOT, "p50 %d ms   p95 %d ms   p99 %d ms   max %d ms   (min %d ms, n=%d)%n",
                millis.getValueAtPercentile(50), millis.getValueAtPercentile(95), millis.getValueAtPercentile(99),
                millis.getMaxValue(), millis.getMinValue(), millis.getTotalCount());
    }

    private static CompletableFuture<Long> awaitFrame(AtomicReference<CompletableFuture<Long>> waiting,
                                                      AtomicReference<Predicate<MetricsFrame>> until, Predicate<MetricsFrame> condition) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        until.set(condition);
        waiting.set(f);
        return f;
    }

    private static FlagView flag(List<FlagView> flags) {
        return flags.stream().filter(f -> f.key().equals(FLAG)).findFirst().orElseThrow();
    }

    /** The flag at {@code version} or later, when every PoP runs it; null otherwise. */
    private static FlagView everywhere(MetricsFrame frame, long version) {
        FlagView v = flag(frame.flags());
        return v.version() >= version && v.popsAcknowledged() == v.popsTotal() ? v : null;
    }
}
