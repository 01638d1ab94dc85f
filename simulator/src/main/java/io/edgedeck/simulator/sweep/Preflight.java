package io.edgedeck.simulator.sweep;

import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Before a rule is armed: how soon it would catch a given harm on this show's traffic, and how often
 * it would roll back identical variants. Plays the show's A/A twin and its twin with the harm
 * ({@link ScenarioTwins}) over a range of seeds. Times run from the moment the rule starts watching
 * (its evidence starting, about a second into the show) to its first firing. A twin with the harm
 * ends once every rule that reads the harm's metric has fired; a rule that does not read it is not
 * timed, and when no rule reads it those twins are not played at all.
 */
public final class Preflight {
    private Preflight() {
    }

    /**
     * The estimate for one rule.
     *
     * @param sees whether the rule reads the harm's metric at all; when it does not, {@code caught} is 0
     */
    public record RuleEstimate(String rule, Effect effect, boolean sees, int shows, int caught, Double medianSeconds,
                               Double p90Seconds, int aaShows, int falseRollbacks) {
        /** The fewest catches a "9 in 10 within" time is given for: below ten, nine in ten of them is not a measurement. */
        public static final int MIN_CAUGHT_FOR_P90 = 10;

        /**
         * "would catch -20% conversion in ~4 min 10 s (9 in 10 within 5 min 02 s; caught in 18 of 20 shows); false rollbacks
         * 0 in 20 shows"; under {@link #MIN_CAUGHT_FOR_P90} catches, without the "9 in 10" time.
         */
        public String sentence() {
            String catchPart;
            if (!sees) {
                catchPart = String.format(Locale.ROOT, "would not catch %s: it does not read %s", effect.describe(), effect.reads());
            } else if (caught == 0) {
                catchPart = "would not catch " + effect.describe() + " in any of " + shows + " shows";
            } else if (caught * 2 < shows) {
                catchPart = String.format(Locale.ROOT, "would catch %s in only %d of %d shows", effect.describe(), caught, shows);
            } else if (caught < MIN_CAUGHT_FOR_P90) {
                // Too few catches to say where nine in ten of them fall: the time and the count only.
                catchPart = String.format(Locale.ROOT, "would catch %s in ~%s (caught in %d of %d shows)",
                        effect.describe(), Quantiles.duration(medianSeconds), caught, shows);
            } else {
                catchPart = String.format(Locale.ROOT, "would catch %s in ~%s (9 in 10 within %s; caught in %d of %d shows)",
                        effect.describe(), Quantiles.duration(medianSeconds), Quantiles.duration(p90Seconds), caught, shows);
            }
            return catchPart + String.format(Locale.ROOT, "; false rollbacks %d in %d shows", falseRollbacks, aaShows);
        }
    }

    /**
     * Told, from a worker thread, each time the shows of the first seeds have all been played both
     * ways: the estimates over those seeds alone. The seeds are played in order, so these are the
     * first seeds' results, not whichever shows happened to finish first (those would favour the
     * harms caught early, whose shows end early).
     */
    @FunctionalInterface
    public interface Refinement {
        void estimated(int seeds, List<RuleEstimate> estimates);
    }

    /**
     * @param progress  told from worker threads as shows finish
     * @param cancelled checked every simulated second; true stops with a CancellationException
     */
    public static List<RuleEstimate> run(Scenario scenario, Effect effect, long fromSeed, int seeds, int threads,
                                         SweepProgress progress, BooleanSupplier cancelled) throws InterruptedException {
        return run(scenario, effect, fromSeed, seeds, threads, progress, (k, estimates) -> {
        }, cancelled);
    }

    /**
     * The same, telling {@code refinement} the estimates over the first seeds as they come in: a
     * first estimate after one seed each way, refined seed by seed to the final one.
     */
    public static List<RuleEstimate> run(Scenario scenario, Effect effect, long fromSeed, int seeds, int threads,
                                         SweepProgress progress, Refinement refinement, BooleanSupplier cancelled)
            throws InterruptedException {
        Set<String> seeing = scenario.guardrails().stream().filter(effect::seenBy).map(GuardrailSpec::id)
                .collect(Collectors.toSet());
        List<ShowBatch.Job> jobs = new ArrayList<>();
        jobs.add(new ShowBatch.Job(ScenarioTwins.aa(scenario), fromSeed, seeds, Set.of()));
        if (!seeing.isEmpty()) {
            jobs.add(new ShowBatch.Job(ScenarioTwins.with(scenario, effect), fromSeed, seeds, seeing));
        }
        List<List<Map<String, RuleTrace>>> traces = ShowBatch.play(jobs, threads, progress,
                (k, first) -> refinement.estimated(k, estimates(scenario, effect, seeing, first, k)), cancelled);
        return estimates(scenario, effect, seeing, traces, seeds);
    }

    private static List<RuleEstimate> estimates(Scenario scenario, Effect effect, Set<String> seeing,
                                                List<List<Map<String, RuleTrace>>> traces, int seeds) {
        List<RuleEstimate> out = new ArrayList<>();
        for (GuardrailSpec g : scenario.guardrails()) {
            List<Double> times = new ArrayList<>();
            boolean sees = seeing.contains(g.id());
            if (sees) {
                for (Map<String, RuleTrace> show : traces.get(1)) {
                    RuleTrace t = show.get(g.id());
                    if (!t.firingMillis().isEmpty()) {
                        long from = t.evidenceSinceMillis() == null ? 0 : t.evidenceSinceMillis();
                        times.add((t.firingMillis().getFirst() - from) / 1000.0);
                    }
                }
            }
            int falseRollbacks = (int) traces.get(0).stream().filter(show -> !show.get(g.id()).firingMillis().isEmpty()).count();
            out.add(new RuleEstimate(g.id(), effect, sees, seeds, times.size(), Quantiles.of(times, 0.5), Quantiles.of(times, 0.9),
                    seeds, falseRollbacks));
        }
        return out;
    }
}
