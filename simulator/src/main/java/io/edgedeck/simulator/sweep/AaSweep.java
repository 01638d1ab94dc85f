package io.edgedeck.simulator.sweep;

import io.edgedeck.client.stats.ClopperPearson;
import io.edgedeck.client.stats.Estimate;
import io.edgedeck.engine.guardrails.Guardrails;
import io.edgedeck.simulator.scenario.Scenario;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code sweep --aa}: the false-rollback rate of every rule of one or more shows, measured on their
 * A/A twins ({@link ScenarioTwins#aa}) over a range of seeds, with an exact 95% interval per rule
 * and pooled over every rule run, set against the error budget each rule states
 * ({@link Guardrails#ALPHA}). Each show is played once per seed to its end.
 */
public final class AaSweep {
    private AaSweep() {
    }

    /** One rule's A/A runs: in how many of {@code runs} shows it fired, and the seeds where it did. */
    public record Rule(String scenario, String id, int runs, int fired, List<String> firings) {
        public Rule {
            firings = List.copyOf(firings);
        }

        public Estimate rate() {
            return ClopperPearson.of(fired, runs, 0.95);
        }
    }

    public record Report(long fromSeed, int seeds, List<Rule> rules) {
        public Report {
            rules = List.copyOf(rules);
        }

        public int runs() {
            return rules.stream().mapToInt(Rule::runs).sum();
        }

        public int fired() {
            return rules.stream().mapToInt(Rule::fired).sum();
        }

        public void print(PrintStream out) {
            out.printf(Locale.ROOT, "A/A twins, seeds %d to %d; each rule's stated alpha %.2f%n", fromSeed, fromSeed + seeds - 1,
                    Guardrails.ALPHA);
            for (Rule r : rules) {
                out.printf(Locale.ROOT, "%s / %s: fired in %d of %d shows (%s)%n", r.scenario(), r.id(), r.fired(), r.runs(),
                        interval(r.rate()));
                r.firings().forEach(f -> out.println("    false: " + f));
            }
            Estimate all = ClopperPearson.of(fired(), runs(), 0.95);
            out.printf(Locale.ROOT, "all rules: %d false rollbacks in %d rule runs (%s); %s%n", fired(), runs(), interval(all),
                    all.upper() <= Guardrails.ALPHA ? "within the stated alpha"
                            : all.lower() > Guardrails.ALPHA ? "ABOVE the stated alpha"
                            : "the interval reaches past the stated alpha: play more seeds to tell");
        }

        private static String interval(Estimate e) {
            return String.format(Locale.ROOT, "%.1f%%, 95%% interval %.1f%% to %.1f%%", e.value() * 100, e.lower() * 100, e.upper() * 100);
        }
    }

    public static Report run(List<Scenario> scenarios, long fromSeed, int seeds, int threads, SweepProgress progress)
            throws InterruptedException {
        List<ShowBatch.Job> jobs = scenarios.stream().map(s -> new ShowBatch.Job(ScenarioTwins.aa(s), fromSeed, seeds, Set.of())).toList();
        List<List<Map<String, RuleTrace>>> traces = ShowBatch.play(jobs, threads, progress, () -> false);
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            Scenario s = scenarios.get(i);
            for (var g : s.guardrails()) {
                int fired = 0;
                List<String> firings = new ArrayList<>();
                for (int k = 0; k < seeds; k++) {
                    RuleTrace t = traces.get(i).get(k).get(g.id());
                    if (!t.firingMillis().isEmpty()) {
                        fired++;
                        firings.add(String.format(Locale.ROOT, "seed %d at %.0f s: %s", fromSeed + k,
                                t.firingMillis().getFirst() / 1000.0, t.firstReason()));
                    }
                }
                rules.add(new Rule(s.name(), g.id(), seeds, fired, firings));
            }
        }
        return new Report(fromSeed, seeds, rules);
    }
}
