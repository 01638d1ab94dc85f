package io.edgedeck.simulator.sweep;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What {@code sweep} found, rule by rule: how often it fired, how soon after it could first decide,
 * and how often it fired on the show's A/A twin.
 *
 * @param aaTwin true when the A/A figures come from a separate run of the show's A/A twin; false
 *               when the show as written already is A/A for every rule
 */
public record SweepReport(String scenario, long fromSeed, int seeds, boolean aaTwin, List<Rule> rules) {

    public SweepReport {
        rules = List.copyOf(rules);
    }

    /**
     * One rule's figures.
     *
     * @param effect           what the show does to the watched variant, in words
     * @param fired            shows (as written) in which it fired at least once
     * @param firedBeforeOnset shows in which it fired before the harm began: false firings
     * @param detectSeconds    per show that it caught, seconds from "could first decide" to its first
     *                         firing at or after the harm began
     * @param gateSeconds      per show that it caught, seconds from its gate opening to that firing
     * @param decideRule       how "could first decide" was measured for it, in words
     * @param aaShows          A/A shows played (the show itself when it is A/A)
     * @param aaFired          A/A shows in which it fired: false rollbacks
     * @param falseFirings     "seed N: at T s: reason" for each false firing
     * @param realizedChange   for a conversion harm, per seed in order, the variant's checkouts per
     *                         exposure over control's, less 1, over the whole show played with its
     *                         rules disarmed (null for a seed where it cannot be told); empty otherwise
     */
    public record Rule(String id, String watches, String effect, boolean hasEffect, int shows, int fired,
                       int firedBeforeOnset, List<Double> detectSeconds, List<Double> gateSeconds, String decideRule,
                       int aaShows, int aaFired, List<String> falseFirings, List<Double> realizedChange) {
        public Rule {
            detectSeconds = List.copyOf(detectSeconds);
            gateSeconds = List.copyOf(gateSeconds);
            falseFirings = List.copyOf(falseFirings);
            realizedChange = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(realizedChange));
        }

        Rule withRealized(List<Double> realized) {
            return new Rule(id, watches, effect, hasEffect, shows, fired, firedBeforeOnset, detectSeconds, gateSeconds, decideRule,
                    aaShows, aaFired, falseFirings, realized);
        }

        /** The realized changes that could be told, or empty. */
        public List<Double> toldRealizedChange() {
            return realizedChange.stream().filter(java.util.Objects::nonNull).toList();
        }

        /** Shows it caught within {@code seconds} of when it could first decide. */
        public long caughtWithin(double seconds) {
            return detectSeconds.stream().filter(t -> t <= seconds).count();
        }

        public Double medianDetectSeconds() {
            return Quantiles.of(detectSeconds, 0.5);
        }

        public Double p90DetectSeconds() {
            return Quantiles.of(detectSeconds, 0.9);
        }
    }

    /** -0.171 as "-17.1%"; the sign always shown. */
    private static String percent(double change) {
        return String.format(Locale.ROOT, "%+.1f%%", change * 100);
    }

    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "%s, seeds %d to %d%n", scenario, fromSeed, fromSeed + seeds - 1);
        for (Rule r : rules) {
            out.printf(Locale.ROOT, "%s (%s): %s%n", r.id(), r.watches(), r.effect());
            List<Double> realized = r.toldRealizedChange();
            if (!realized.isEmpty()) {
                out.printf(Locale.ROOT, "  realized: %s checkouts per exposure against control, median of %d shows (from %s to %s), "
                                + "each played to its end with its rules disarmed; per seed: %s%n",
                        percent(Quantiles.of(realized, 0.5)), realized.size(), percent(realized.stream().min(Double::compare).orElseThrow()),
                        percent(realized.stream().max(Double::compare).orElseThrow()),
                        String.join(", ", r.realizedChange().stream().map(x -> x == null ? "n/a" : percent(x)).toList()));
            }
            if (r.hasEffect()) {
                out.printf(Locale.ROOT, "  fired in %d of %d shows (%d of them before the harm began)%n", r.fired(), r.shows(),
                        r.firedBeforeOnset());
                if (r.detectSeconds().isEmpty()) {
                    out.printf(Locale.ROOT, "  caught the harm in none of %d shows%n", r.shows());
                } else {
                    out.printf(Locale.ROOT, "  caught the harm in %d of %d shows; time to detect after it could first decide: "
                                    + "median %s, p90 %s; within 3 min in %d; after its gate opened: median %s, p90 %s%n",
                            r.detectSeconds().size(), r.shows(), Quantiles.duration(r.medianDetectSeconds()),
                            Quantiles.duration(r.p90DetectSeconds()), r.caughtWithin(180),
                            Quantiles.duration(Quantiles.of(r.gateSeconds(), 0.5)), Quantiles.duration(Quantiles.of(r.gateSeconds(), 0.9)));
                }
                out.printf(Locale.ROOT, "  could first decide: %s%n", r.decideRule());
            } else if (aaTwin) {
                out.printf(Locale.ROOT, "  as written: fired in %d of %d shows (false rollbacks: no harm it looks for)%n", r.fired(),
                        r.shows());
            }
            out.printf(Locale.ROOT, "  A/A%s: fired in %d of %d shows (false rollbacks)%n",
                    aaTwin ? " twin (watched variants made identical to control; faults, surges and other flags kept)" : "",
                    r.aaFired(), r.aaShows());
            r.falseFirings().forEach(f -> out.println("    false: " + f));
        }
    }
}
