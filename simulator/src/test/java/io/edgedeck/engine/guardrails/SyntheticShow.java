package io.edgedeck.engine.guardrails;

import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.edge.Rng;

import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * An engine with one 50/50 flag and one rule, fed directly with observations, a second at a time:
 * sessions arrive, are split at random, and convert at a random moment of their dwell, so
 * conversions lag exposures as they do in a show; requests carry latency from a distribution that
 * can change for both arms at once (a blip) or for the variant alone.
 */
final class SyntheticShow {
    final EdgeCore engine;
    final Experiments experiments;
    private final SplittableRandom random;
    private final int control;
    private final int treatment;
    private final PriorityQueue<long[]> conversions = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    /** Arrivals per second, chance a session converts, and the variant's factor on that chance. */
    double arrivals = 40;
    double conversion = 0.1;
    double treatmentConversion = 1;
    double meanDwellSeconds = 240;
    /** Latency in ms: lognormal around {@code latencyMs}, times the factors. */
    double latencyMs = 30;
    double bothArmsLatencyFactor = 1;
    double treatmentLatencyFactor = 1;
    double requestsPerSecond = 200;
    /** Whether requests are also served at the PoPs (round robin), so the PoPs learn a baseline. */
    boolean feedPops;
    /** Chat messages per second, their mean score per arm. */
    double chatPerSecond = 0;
    double controlChatMean = 0.2;
    double treatmentChatMean = 0.2;

    SyntheticShow(GuardrailSpec rule, long seed) {
        this(rule, seed, TestShows.threePops(seed));
    }

    /** The same on PoPs of one's own (their flag propagation delays decide when a rule's evidence may start). */
    SyntheticShow(GuardrailSpec rule, long seed, io.edgedeck.engine.CoreConfig pops) {
        engine = new EdgeCore(pops.withGuardrails(List.of(rule)), new MemoryJournal());
        experiments = engine.experiments();
        experiments.create(new FlagDefinition(rule.flag(), "test flag", "qa",
                List.of(new Variant("control", 5000), new Variant(rule.variant(), 5000)), "control", Scope.GLOBAL, rule.flag(),
                0, false, seed), "qa", "A/B", 0);
        engine.guardrails().prepare();
        control = experiments.arm(rule.flag(), "control", true).id();
        treatment = experiments.arm(rule.flag(), rule.variant(), true).id();
        random = Rng.forPurpose(seed, "synthetic");
    }

    /** Plays {@code seconds} more seconds. */
    void play(int seconds) {
        for (int s = 0; s < seconds; s++) {
            long now = engine.nowMillis();
            long arriving = Rng.poisson(random, arrivals);
            for (long i = 0; i < arriving; i++) {
                boolean t = random.nextBoolean();
                int pop = random.nextInt(3);
                experiments.expose(t ? treatment : control, pop, now);
                double dwell = -meanDwellSeconds * Math.log(1 - random.nextDouble());
                if (random.nextDouble() < conversion * (t ? treatmentConversion : 1)) {
                    conversions.add(new long[]{now + (long) (random.nextDouble() * dwell * 1000), t ? treatment : control, pop});
                }
            }
            while (!conversions.isEmpty() && conversions.peek()[0] < now + 1000) {
                long[] c = conversions.poll();
                experiments.convert((int) c[1], (int) c[2]);
            }
            long requests = Rng.poisson(random, requestsPerSecond);
            for (long i = 0; i < requests; i++) {
                boolean t = random.nextBoolean();
                double ms = latencyMs * Math.exp(0.3 * gaussian()) * bothArmsLatencyFactor * (t ? treatmentLatencyFactor : 1);
                experiments.request(t ? treatment : control, ms, false);
                if (feedPops) {
                    engine.pops().served((int) (i % 3), ms);
                }
            }
            long messages = Rng.poisson(random, chatPerSecond);
            for (long i = 0; i < messages; i++) {
                boolean t = random.nextBoolean();
                double mean = t ? treatmentChatMean : controlChatMean;
                experiments.chat(t ? treatment : control, random.nextInt(3), Math.max(-1, Math.min(1, mean + 0.45 * gaussian())));
            }
            for (int tick = 0; tick < engine.ticksPerSecond(); tick++) {
                engine.advance();
            }
        }
    }

    private double gaussian() {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
