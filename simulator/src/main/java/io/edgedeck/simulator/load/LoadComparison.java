package io.edgedeck.simulator.load;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.edgedeck.simulator.report.RunReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A live node's report after {@code load} drove it, beside the same show's in-process report: the
 * figures the two must agree on, each within a tolerance (docs/LIVE.md says why each is what it is),
 * and the guardrail verdicts, which must be the same. Network order and the node's wall clock move
 * a firing by a little and with it the exposures around it; they never change what fired.
 *
 * @param scenario      the show
 * @param seed          its seed
 * @param speed         engine seconds per wall second it was sent at, 0 for as fast as the node took it
 * @param figures       every compared figure
 * @param verdicts      every guardrail firing of either side, matched by rule, flag, variant and action
 * @param wire          what went over the wire, and how fast
 * @param inProcessEventsPerSecond the same show in-process alone (nothing sent), events per wall second
 * @param sameStream    true when the show that fed the wire reported exactly what the show alone reports:
 *                      the tap changed nothing
 * @param holds         every figure within its tolerance, the same verdicts, the same stream
 */
@JsonPropertyOrder({"scenario", "seed", "speed", "holds", "sameStream", "verdicts", "figures", "wire", "inProcessEventsPerSecond"})
public record LoadComparison(String scenario, long seed, double speed, List<Figure> figures, List<Verdict> verdicts,
                             LoadRun.Wire wire, double inProcessEventsPerSecond, boolean sameStream, boolean holds) {

    /** Counts of a variant: within this share of the in-process count, or {@link #COUNT_FLOOR}, whichever is more. */
    static final double COUNT_SHARE = 0.03;
    /** Small counts differ by a few units on their own (a session's last tick); this many are always within. */
    static final long COUNT_FLOOR = 25;
    /** Per-PoP latency percentiles (the same latencies, cut at the node's seconds): within this share. */
    static final double LATENCY_SHARE = 0.02;
    /** Chat: messages within this share; the mean sentiment within {@link #SENTIMENT_ABS}. */
    static final double CHAT_SHARE = 0.005;
    static final double SENTIMENT_ABS = 0.01;
    /**
     * Trigger firings are judged when no stretch of the stream reached the node later than this, in
     * seconds of the show: a trigger counts a unit's steps within seconds of each other on the node's
     * clock, so a stream that fell behind and caught up squeezes them together (as one sent at full
     * speed does: there they are never judged).
     */
    static final double TRIGGER_LAG_SHOW_SECONDS = 5;

    /**
     * One compared figure.
     *
     * @param servedOtherwise what the node's count is expected to differ by, as the node's own answers explain
     *                        it (a variant's counts: {@link LoadRun.Wire#servedOtherwise}); the node is judged
     *                        against {@code inProcess + servedOtherwise}, within {@code tolerance}
     * @param unjudged        why it is shown and not judged (within is then true), or null
     */
    public record Figure(String name, double node, double inProcess, double tolerance, boolean within, double servedOtherwise,
                         String unjudged) {
        Figure(String name, double node, double inProcess, double tolerance, boolean within) {
            this(name, node, inProcess, tolerance, within, 0, null);
        }

        /** The same figure, shown and not judged, for {@code reason}. */
        Figure unjudged(String reason) {
            return new Figure(name, node, inProcess, tolerance, true, servedOtherwise, reason);
        }
    }

    /**
     * One guardrail verdict: what fired, and when on each side in seconds of the show (for the node,
     * how far the stream had got when it fired; null where it did not fire).
     *
     * @param unjudged why a verdict that is not the same on both sides is shown and not judged, or null:
     *                 the stream fell more than the rule's evidence period of the show behind, so the
     *                 node, which judges each period by what arrived in it, judged none of the show's
     *                 periods
     */
    public record Verdict(String rule, String flag, String variant, String action, Double nodeAtSeconds, Double inProcessAtSeconds,
                          String unjudged) {
        public boolean matches() {
            return nodeAtSeconds != null && inProcessAtSeconds != null;
        }

        /** The same on both sides, or not judged. */
        public boolean holds() {
            return matches() || unjudged != null;
        }
    }

    static LoadComparison of(LoadRun.Result result, RunReport alone, double speed) {
        RunReport node = result.node();
        RunReport local = result.inProcess();
        List<Figure> figures = new ArrayList<>();
        double lagShowSeconds = result.wire().maxLagMillis() / 1000.0 * speed;
        List<Verdict> verdicts = verdicts(node, local, result.nodeFiringShowSeconds(), result.ruleWindowSeconds(), lagShowSeconds);
        for (RunReport.Variant v : local.variants()) {
            // A flag's counts follow its verdicts: a rollback one side made and the other did not moves every later session.
            String followed = verdicts.stream().filter(x -> !x.matches() && x.unjudged() != null && x.flag().equals(v.flag()))
                    .findFirst().map(x -> "they follow " + x.rule() + "'s verdict, not judged").orElse(null);
            RunReport.Variant n = node.variants().stream().filter(x -> x.flag().equals(v.flag()) && x.variant().equals(v.variant()))
                    .findFirst().orElse(new RunReport.Variant(v.flag(), v.variant(), 0, 0, 0, 0));
            String name = v.flag() + "/" + v.variant();
            Map<String, Long> otherwise = result.wire().servedOtherwise();
            for (Figure f : List.of(variantCount(name + " exposures", n.exposures(), v.exposures(), otherwise),
                    variantCount(name + " conversions", n.conversions(), v.conversions(), otherwise),
                    variantCount(name + " moved in", n.movedIn(), v.movedIn(), otherwise),
                    variantCount(name + " moved conversions", n.movedConversions(), v.movedConversions(), otherwise))) {
                figures.add(followed == null ? f : f.unjudged(followed));
            }
        }
        for (RunReport.Pop p : local.pops()) {
            RunReport.Pop n = node.pops().stream().filter(x -> x.id().equals(p.id())).findFirst()
                    .orElse(new RunReport.Pop(p.id(), p.region(), 0, 0, 0, 0, 0, 0, 0, 0, 0, null));
            figures.add(count(p.id() + " requests", n.requests(), p.requests(), LATENCY_SHARE, 0));
            figures.add(share(p.id() + " p50 ms", n.p50Ms(), p.p50Ms(), LATENCY_SHARE));
            figures.add(share(p.id() + " p95 ms", n.p95Ms(), p.p95Ms(), LATENCY_SHARE));
            figures.add(share(p.id() + " p99 ms", n.p99Ms(), p.p99Ms(), LATENCY_SHARE));
        }
        String unjudged = speed <= 0 ? "at full speed the node's clock sees each unit's steps squeezed together"
                : lagShowSeconds > TRIGGER_LAG_SHOW_SECONDS
                ? String.format(Locale.ROOT, "the stream fell %.0f s of the show behind", lagShowSeconds) : null;
        result.triggers().forEach((rule, n) -> {
            Figure f = count("trigger " + rule + " firings", n[0], n[1], COUNT_SHARE, COUNT_FLOOR);
            figures.add(unjudged == null ? f : f.unjudged(unjudged));
        });
        figures.add(count("checkouts attempted", node.checkouts().attempted(), local.checkouts().attempted(), CHAT_SHARE, 0));
        if (local.costs() != null && local.costs().revenue() > 0) {
            // what the checkouts were worth: each conversion carries the value the show drew for it
            figures.add(share("revenue", node.costs() == null ? 0 : node.costs().revenue(), local.costs().revenue(), CHAT_SHARE));
        }
        figures.add(count("chat messages", node.sentiment().messages(), local.sentiment().messages(), CHAT_SHARE, 0));
        figures.add(new Figure("chat mean sentiment", node.sentiment().mean(), local.sentiment().mean(), SENTIMENT_ABS,
                Math.abs(node.sentiment().mean() - local.sentiment().mean()) <= SENTIMENT_ABS));
        boolean sameStream = Objects.equals(alone.withoutRun(), local.withoutRun());
        boolean holds = sameStream && figures.stream().allMatch(Figure::within) && verdicts.stream().allMatch(Verdict::holds);
        return new LoadComparison(local.scenario(), local.seed(), speed, figures, verdicts, result.wire(),
                alone.run().eventsPerSecond(), sameStream, holds);
    }

    /** A count: within {@code share} of the in-process count rounded up, or {@code floor}, whichever is more. */
    private static Figure count(String name, long node, long inProcess, double share, long floor) {
        double tolerance = Math.max(floor, Math.ceil(share * inProcess));
        return new Figure(name, node, inProcess, tolerance, Math.abs(node - inProcess) <= tolerance);
    }

    /**
     * A variant's count: within {@link #COUNT_SHARE} or {@link #COUNT_FLOOR} of the in-process count
     * moved by what the node's answers explain (a session the node served another variant than the
     * show counts where the node had it, the show's where the show had it).
     */
    private static Figure variantCount(String name, long node, long inProcess, Map<String, Long> servedOtherwise) {
        long otherwise = servedOtherwise == null ? 0 : servedOtherwise.getOrDefault(name, 0L);
        double tolerance = Math.max(COUNT_FLOOR, Math.ceil(COUNT_SHARE * inProcess));
        return new Figure(name, node, inProcess, tolerance, Math.abs(node - (inProcess + otherwise)) <= tolerance, otherwise, null);
    }

    private static Figure share(String name, double node, double inProcess, double share) {
        double tolerance = share * Math.abs(inProcess);
        return new Figure(name, node, inProcess, tolerance, Math.abs(node - inProcess) <= tolerance + 1e-9);
    }

    /**
     * The firings of both sides, paired by what fired, in order; {@code nodeAt} is each node firing's
     * second of the show. One found on one side only is not judged when the stream fell more than its
     * rule's evidence period behind ({@code lagShowSeconds}, in seconds of the show).
     */
    private static List<Verdict> verdicts(RunReport node, RunReport local, List<Double> nodeAt, Map<String, Integer> windows,
                                          double lagShowSeconds) {
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < node.guardrailFirings().size(); i++) {
            left.add(i);
        }
        List<Verdict> out = new ArrayList<>();
        for (RunReport.GuardrailFiring f : local.guardrailFirings()) {
            Integer match = left.stream().filter(i -> same(node.guardrailFirings().get(i), f)).findFirst().orElse(null);
            if (match != null) {
                left.remove(match);
            }
            out.add(new Verdict(f.rule(), f.flag(), f.variant(), f.action(), match == null ? null : nodeAt.get(match), f.atSeconds(),
                    match == null ? fellBehind(f.rule(), windows, lagShowSeconds) : null));
        }
        for (int i : left) {
            RunReport.GuardrailFiring n = node.guardrailFirings().get(i);
            out.add(new Verdict(n.rule(), n.flag(), n.variant(), n.action(), nodeAt.get(i), null,
                    fellBehind(n.rule(), windows, lagShowSeconds)));
        }
        return out;
    }

    /** Why a rule's verdict is not judged when the stream fell more than its evidence period behind, or null. */
    private static String fellBehind(String rule, Map<String, Integer> windows, double lagShowSeconds) {
        Integer window = windows.get(rule);
        return window != null && lagShowSeconds > window ? String.format(Locale.ROOT, "the stream fell %.0f s of the show behind,"
                + " more than %s's %d s evidence period, so the node judged none of the periods the show did", lagShowSeconds, rule, window)
                : null;
    }

    private static boolean same(RunReport.GuardrailFiring a, RunReport.GuardrailFiring b) {
        return a.rule().equals(b.rule()) && a.flag().equals(b.flag()) && a.variant().equals(b.variant()) && a.action().equals(b.action());
    }

    /** The comparison as a person reads it. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s, seed %d, sent at %s%n", scenario, seed, speed > 0 ? trim(speed) + "x" : "full speed"));
        b.append(String.format(Locale.ROOT, "wire       %,d OFREP evaluations (and %,d again, where the node served another variant)"
                        + " and %,d ingest events in %,d batches in %.1f s: %,.0f events/s to the node%s%n", wire.evaluations(),
                wire.reevaluations(), wire.events(), wire.batches(), wire.wallMillis() / 1000.0, wire.eventsPerSecond(),
                speed > 0 ? String.format(Locale.ROOT, " against the show's %,.0f/s at %sx, at most %.1f s behind it",
                        wire.demandPerSecond(), trim(speed), wire.maxLagMillis() / 1000.0) : ", as fast as the node took them"));
        if (wire.reevaluations() > 0) {
            b.append(String.format(Locale.ROOT, "           %,d units the node still served another variant than the show when load stopped"
                    + " evaluating them again%n", wire.unsettled()));
        }
        b.append(String.format(Locale.ROOT, "           %,d events refused; %,d batches answered 429 and sent after Retry-After, %,d answered"
                + " 503 and sent again%n", wire.refused(), wire.rateLimited(), wire.resent()));
        b.append(String.format(Locale.ROOT, "in-process the same show alone: %,.0f events/s%s%n", inProcessEventsPerSecond,
                sameStream ? "; it reports exactly what the show that fed the wire reported"
                        : "; it DIFFERS from the show that fed the wire (the tap changed the show)"));
        b.append(String.format(Locale.ROOT, "%-46s %12s %12s %10s%n", "figure", "node", "in-process", "tolerance"));
        for (Figure f : figures) {
            b.append(String.format(Locale.ROOT, "%-46s %12s %12s %10s %s%s%n", f.name(), num(f.node()), num(f.inProcess()),
                    "±" + num(f.tolerance()), f.unjudged() != null ? "not judged: " + f.unjudged() : f.within() ? "ok" : "OUTSIDE",
                    f.servedOtherwise() == 0 ? "" : String.format(Locale.ROOT, " (judged against in-process %+,d: the node served"
                            + " those sessions another variant than the show)", (long) f.servedOtherwise())));
        }
        if (verdicts.isEmpty()) {
            b.append("guardrails no firings on either side\n");
        }
        for (Verdict v : verdicts) {
            b.append(String.format(Locale.ROOT, "guardrail  %s %s %s/%s: node %s, in-process %s %s%n", v.rule(), v.action(), v.flag(),
                    v.variant(), at(v.nodeAtSeconds()), at(v.inProcessAtSeconds()), v.matches() ? "same verdict"
                            : v.unjudged() != null ? "not judged: " + v.unjudged() : "DIFFERENT VERDICT"));
        }
        if (!verdicts.stream().allMatch(Verdict::matches)) {
            b.append(speed > 0 ? String.format(Locale.ROOT, "note       the node judges each rule's evidence periods (windowSeconds) by what"
                    + " arrived in them on its own clock; the stream was up to %.0f s of the show late, so each of the node's periods"
                    + " held that much of the show's previous one%n", wire.maxLagMillis() / 1000.0 * speed)
                    : "note       at full speed the node's evidence periods (windowSeconds, on its own clock) see the show squeezed"
                    + " into whatever wall time it took: send it at --speed N to a node started with --speed N\n");
        }
        long unjudged = figures.stream().filter(f -> f.unjudged() != null).count() + verdicts.stream().filter(v -> !v.matches()).count();
        b.append(!holds ? "differs    the node does not agree with the in-process show (see above)\n"
                : unjudged == 0 ? "holds      the node agrees with the in-process show\n"
                : String.format(Locale.ROOT, "holds      the node agrees with the in-process show on every figure and verdict judged;"
                        + " %d not judged (see above)%n", unjudged));
        return b.toString();
    }

    private static String at(Double seconds) {
        return seconds == null ? "did not fire" : String.format(Locale.ROOT, "at %.1f s", seconds);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
