package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.engine.experiments.Arm;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Guardrails: rules over windowed metrics that compare a variant with its flag's control, checked
 * every engine second, and the rollbacks, pauses and alerts they fire, automatically or by hand.
 *
 * <h2>When a rule fires</h2>
 * Each condition has a point estimate over the rule's window and an anytime-valid confidence
 * interval ({@link AnytimeBound}, alpha {@value #ALPHA}). A condition is <em>established</em> when
 * its whole interval lies past its threshold, and <em>plausible</em> when some of it does. A rule
 * fires when
 * <ol>
 *   <li>both arms have at least {@code minExposures} exposures in the window;</li>
 *   <li>the harm is established: at least one condition is; and</li>
 *   <li>for an all-of rule, every other condition is at least plausible: nothing the data says
 *   contradicts it.</li>
 * </ol>
 * The second step is what keeps noise from rolling a variant back: on an A/B test whose arms are
 * identical, a sentiment interval that excludes a 15% drop essentially never happens. The third
 * reads a clause such as "conversion lift under 3%" the way a producer means it: roll back unless
 * the variant is clearly earning its keep. Proving a small lift absent would take far more
 * checkouts than a show has, and waiting for it would leave a bad variant on air.
 *
 * <h2>Metrics</h2>
 * sentimentChange is (mean chat sentiment of the variant - control) / |control|, with |control|
 * floored at {@value #SENTIMENT_FLOOR} so a neutral chat does not turn a wobble into a huge relative
 * change; conversionLift is (conversion rate of the variant - control) / control; p95LatencyMs and
 * p99LatencyMs are percentiles of the variant's requests; errorRate is the share of its requests lost.
 *
 * <p>Owned by the engine thread.
 */
public final class Guardrails {
    static final double ALPHA = 0.05;
    static final double SENTIMENT_FLOOR = 0.1;
    /** Scored chat messages per arm before a sentiment estimate means anything. */
    static final long MIN_CHAT = 30;

    private final Experiments experiments;
    private final Journal journal;
    private final List<Rule> rules = new ArrayList<>();
    private final List<GuardrailFiring> firings = new ArrayList<>();
    private final List<GuardrailFiring> dryRunFirings = new ArrayList<>();
    private final Histogram latencyScratch = new Histogram(1, 120_000_000L, 2);
    private boolean replaying;

    private static final class Rule {
        final GuardrailSpec spec;
        /** A dry-run rule is evaluated like any other but never acts and is neither journaled nor audited. */
        final boolean dryRun;
        boolean armed;
        Long lastFiredAt;
        GuardrailStatus status;

        Rule(GuardrailSpec spec, boolean dryRun) {
            this.spec = spec;
            this.dryRun = dryRun;
            this.armed = dryRun || spec.armed();
        }
    }

    public Guardrails(List<GuardrailSpec> specs, Experiments experiments, Journal journal) {
        this.experiments = experiments;
        this.journal = journal;
        for (GuardrailSpec s : specs) {
            Rule r = new Rule(s, false);
            r.status = status(r, null, null, List.of(), "waiting");
            rules.add(r);
        }
    }

    /**
     * Adds a rule that is evaluated every second like the others but never acts: each time it
     * would have fired is listed by {@link #dryRunFirings()}. For trying a rule against a recorded
     * show before arming it on a live one.
     */
    public void addDryRun(GuardrailSpec spec) {
        if (rules.stream().anyMatch(r -> r.spec.id().equals(spec.id()))) {
            throw new FlagValidationException("id", "a guardrail called '" + spec.id() + "' exists already");
        }
        FlagDefinition flag = experiments.registry().get(spec.flag())
                .orElseThrow(() -> new FlagNotFoundException("flag", "unknown flag '" + spec.flag() + "'"));
        if (flag.variantIndex(spec.variant()) < 0) {
            throw new FlagNotFoundException("variant", "flag " + spec.flag() + " has no variant '" + spec.variant() + "'");
        }
        Rule r = new Rule(spec, true);
        r.status = status(r, null, null, List.of(), "waiting");
        rules.add(r);
        prepare(r);
    }

    /** When the dry-run rules would have fired, oldest first. */
    public List<GuardrailFiring> dryRunFirings() {
        return List.copyOf(dryRunFirings);
    }

    /** Starts per-variant latency recording for flags whose rules watch latency. Call after flags exist. */
    public void prepare() {
        rules.forEach(this::prepare);
    }

    private void prepare(Rule r) {
        experiments.arm(r.spec.flag(), r.spec.variant(), true);
        if (r.spec.action() == GuardrailSpec.Action.ROLLBACK_BREACHED_POPS) {
            experiments.trackPerPop(r.spec.flag());
        }
        if (needsLatency(r.spec)) {
            experiments.trackLatency(r.spec.flag());
        }
    }

    /** Evaluates every rule at the end of an engine second and fires the armed ones that hold. */
    public void evaluate(long nowMillis) {
        for (Rule r : rules) {
            evaluate(r, nowMillis);
        }
    }

    private void evaluate(Rule r, long now) {
        GuardrailSpec s = r.spec;
        FlagDefinition flag = experiments.registry().get(s.flag()).orElse(null);
        if (flag == null) {
            r.status = status(r, null, null, List.of(), "waiting");
            return;
        }
        Arm variant = experiments.arm(s.flag(), s.variant(), true);
        Arm control = experiments.arm(s.flag(), flag.controlVariant(), true);
        Arm.WindowStats v = variant.window(s.windowSeconds(), needsLatency(s) ? latencyScratch : null);
        Histogram variantLatency = needsLatency(s) ? latencyScratch.copy() : null;
        Arm.WindowStats c = control.window(s.windowSeconds(), null);
        List<ConditionStatus> conditions = new ArrayList<>();
        boolean established = false;
        boolean allPlausible = true;
        for (GuardrailSpec.Condition cond : s.conditions()) {
            ConditionStatus cs = condition(cond, v, c, variantLatency, s.minExposures());
            conditions.add(cs);
            established |= confidentlyPast(cond, cs);
            allPlausible &= plausiblyPast(cond, cs);
        }
        boolean enough = v.exposures() >= s.minExposures() && c.exposures() >= s.minExposures();
        boolean ruleHolds = enough && established && (s.match() == GuardrailSpec.Match.ANY || allPlausible);
        boolean cooling = r.lastFiredAt != null && now - r.lastFiredAt < s.cooldownSeconds() * 1000L;
        String state;
        if (!enough) {
            state = "waiting";
        } else if (!ruleHolds) {
            state = "watching";
        } else if (!r.armed || cooling) {
            state = "breached";
        } else {
            state = "fired";
        }
        // A disarmed rule still says when it holds; otherwise it just says it is disarmed.
        r.status = status(r, v, c, conditions, r.armed || state.equals("breached") ? state : "disarmed");
        if (state.equals("fired")) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (ConditionStatus cs : conditions) {
                values.put(cs.metric(), cs.estimate());
            }
            if (r.dryRun) {
                r.lastFiredAt = now;
                dryRunFirings.add(new GuardrailFiring(now, s.id(), s.flag(), s.variant(), actionName(s.action()),
                        experiments.popIds(), describe(conditions), true, "dry-run:" + s.id(), values));
            } else {
                fire(r, now, values, describe(conditions), true, "guardrail:" + s.id());
            }
        }
    }

    private static boolean needsLatency(GuardrailSpec s) {
        return s.conditions().stream().anyMatch(c -> c.metric() == GuardrailSpec.Metric.P95_LATENCY_MS
                || c.metric() == GuardrailSpec.Metric.P99_LATENCY_MS);
    }

    /** True when the condition's whole interval is past the threshold. */
    private static boolean confidentlyPast(GuardrailSpec.Condition cond, ConditionStatus cs) {
        if (cs.lower() == null || cs.upper() == null) {
            return false;
        }
        return cond.holds(cs.lower()) && cond.holds(cs.upper());
    }

    /** True when some of the condition's interval is past the threshold. */
    private static boolean plausiblyPast(GuardrailSpec.Condition cond, ConditionStatus cs) {
        if (cs.lower() == null || cs.upper() == null) {
            return false;
        }
        return cond.holds(cs.lower()) || cond.holds(cs.upper());
    }

    private static ConditionStatus condition(GuardrailSpec.Condition cond, Arm.WindowStats v, Arm.WindowStats c,
                                             Histogram variantLatency, long minExposures) {
        double[] est = switch (cond.metric()) {
            case SENTIMENT_CHANGE -> sentimentChange(v, c, minExposures);
            case CONVERSION_LIFT -> conversionLift(v, c, minExposures);
            case ERROR_RATE -> errorRate(v, minExposures);
            case P95_LATENCY_MS -> percentile(variantLatency, 95);
            case P99_LATENCY_MS -> percentile(variantLatency, 99);
        };
        String metric = wireName(cond.metric());
        String op = opName(cond.op());
        if (est == null) {
            return new ConditionStatus(metric, op, cond.value(), null, null, null, false);
        }
        return new ConditionStatus(metric, op, cond.value(), est[0], est[1], est[2], cond.holds(est[0]));
    }

    static String wireName(GuardrailSpec.Metric m) {
        return switch (m) {
            case SENTIMENT_CHANGE -> "sentimentChange";
            case CONVERSION_LIFT -> "conversionLift";
            case P95_LATENCY_MS -> "p95LatencyMs";
            case P99_LATENCY_MS -> "p99LatencyMs";
            case ERROR_RATE -> "errorRate";
        };
    }

    /** {estimate, lower, upper}, or null when there is too little chat to say. */
    static double[] sentimentChange(Arm.WindowStats v, Arm.WindowStats c, long tightestAt) {
        if (v.scoredChatMessages() < MIN_CHAT || c.scoredChatMessages() < MIN_CHAT) {
            return null;
        }
        double mv = v.chatMean();
        double mc = c.chatMean();
        // Compound scores live in [-1, 1]; a floor on the spread keeps a few identical lines from
        // looking like certainty.
        double rv = AnytimeBound.radius(v.chatMessages(), Math.max(0.1, v.chatStdDev()), ALPHA, tightestAt);
        double rc = AnytimeBound.radius(c.chatMessages(), Math.max(0.1, c.chatStdDev()), ALPHA, tightestAt);
        double diff = mv - mc;
        double denominator = Math.max(Math.abs(mc), SENTIMENT_FLOOR);
        double denLow = Math.max(Math.abs(mc) - rc, SENTIMENT_FLOOR);
        double denHigh = Math.max(Math.abs(mc) + rc, SENTIMENT_FLOOR);
        return ratioInterval(diff, rv + rc, denominator, denLow, denHigh);
    }

    /** {estimate, lower, upper} of the relative lift, or null while control has no conversions. */
    static double[] conversionLift(Arm.WindowStats v, Arm.WindowStats c, long tightestAt) {
        if (v.exposures() == 0 || c.exposures() == 0 || c.conversions() == 0) {
            return null;
        }
        double pv = Math.min(1, (double) v.conversions() / v.exposures());
        double pc = Math.min(1, (double) c.conversions() / c.exposures());
        double rv = AnytimeBound.radius(v.exposures(), Math.max(0.05, Math.sqrt(pv * (1 - pv))), ALPHA, tightestAt);
        double rc = AnytimeBound.radius(c.exposures(), Math.max(0.05, Math.sqrt(pc * (1 - pc))), ALPHA, tightestAt);
        double floor = 1e-6;
        return ratioInterval(pv - pc, rv + rc, pc, Math.max(pc - rc, floor), pc + rc);
    }

    static double[] errorRate(Arm.WindowStats v, long tightestAt) {
        if (v.requests() == 0) {
            return null;
        }
        double p = (double) v.errors() / v.requests();
        double r = AnytimeBound.radius(v.requests(), Math.max(0.05, Math.sqrt(p * (1 - p))), ALPHA, tightestAt);
        return new double[]{p, Math.max(0, p - r), Math.min(1, p + r)};
    }

    /**
     * A percentile has no simple mean-style interval; it is reported as it is, with its interval
     * collapsed to the estimate, after at least 100 requests.
     */
    static double[] percentile(Histogram h, double percentile) {
        if (h == null || h.getTotalCount() < 100) {
            return null;
        }
        double ms = h.getValueAtPercentile(percentile) / 1000.0;
        return new double[]{ms, ms, ms};
    }

    /** The interval of (diff ± r) / den, taking the denominator's extremes that widen it. */
    private static double[] ratioInterval(double diff, double r, double den, double denLow, double denHigh) {
        double lowNum = diff - r;
        double highNum = diff + r;
        double lower = lowNum < 0 ? lowNum / denLow : lowNum / denHigh;
        double upper = highNum < 0 ? highNum / denHigh : highNum / denLow;
        return new double[]{diff / den, lower, upper};
    }

    private static String describe(List<ConditionStatus> conditions) {
        List<String> parts = new ArrayList<>();
        for (ConditionStatus cs : conditions) {
            parts.add(String.format(Locale.ROOT, "%s %s (%s %s)", cs.metric(), fmt(cs.estimate()), cs.op(), fmt(cs.threshold())));
        }
        return String.join(" and ", parts);
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private GuardrailStatus status(Rule r, Arm.WindowStats v, Arm.WindowStats c, List<ConditionStatus> conditions, String state) {
        GuardrailSpec s = r.spec;
        List<ConditionStatus> cs = conditions.isEmpty()
                ? s.conditions().stream().map(cond -> new ConditionStatus(wireName(cond.metric()), opName(cond.op()),
                cond.value(), null, null, null, false)).toList()
                : conditions;
        return new GuardrailStatus(s.id(), s.flag(), s.variant(), s.match().name().toLowerCase(Locale.ROOT), actionName(s.action()),
                r.armed, state, cs, v == null ? 0 : v.exposures(), c == null ? 0 : c.exposures(), s.minExposures(),
                s.windowSeconds(), r.lastFiredAt);
    }

    static String opName(GuardrailSpec.Op op) {
        return switch (op) {
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
        };
    }

    static String actionName(GuardrailSpec.Action a) {
        return switch (a) {
            case ROLLBACK -> "rollback";
            case ROLLBACK_BREACHED_POPS -> "rollback-breached-pops";
            case PAUSE -> "pause";
            case ALERT -> "alert";
        };
    }

    private void fire(Rule r, long now, Map<String, Double> values, String reason, boolean automatic, String actor) {
        GuardrailSpec s = r.spec;
        r.lastFiredAt = now;
        String action = actionName(s.action());
        List<String> pops = s.action() == GuardrailSpec.Action.ROLLBACK_BREACHED_POPS ? breachedPops(s) : experiments.popIds();
        GuardrailFiring firing = new GuardrailFiring(now, s.id(), s.flag(), s.variant(), action, pops, reason, automatic,
                actor, values);
        record(firing);
        String why = "guardrail " + s.id() + ": " + reason;
        switch (s.action()) {
            case ROLLBACK -> rollbackIfServing(s.flag(), s.variant(), actor, why, now);
            case ROLLBACK_BREACHED_POPS -> experiments.rollbackAt(s.flag(), s.variant(), pops, actor, why, now);
            case PAUSE -> experiments.setPaused(s.flag(), s.variant(), true, actor, why, now);
            case ALERT -> {
            }
        }
    }

    /**
     * The PoPs where the rule holds on the point estimates of the sessions homed there. The rule
     * as a whole has already established the harm; a PoP with too little data to say is left
     * serving. If no single PoP has enough data, every PoP is taken: the harm is real somewhere.
     */
    private List<String> breachedPops(GuardrailSpec s) {
        FlagDefinition flag = experiments.registry().get(s.flag()).orElseThrow();
        Arm variant = experiments.arm(s.flag(), s.variant(), true);
        Arm control = experiments.arm(s.flag(), flag.controlVariant(), true);
        List<String> popIds = experiments.popIds();
        if (!variant.tracksPerPop() || !control.tracksPerPop()) {
            return popIds;
        }
        List<String> breached = new ArrayList<>();
        boolean anyDecided = false;
        for (int p = 0; p < popIds.size(); p++) {
            Arm.WindowStats v = variant.windowAt(p, s.windowSeconds());
            Arm.WindowStats c = control.windowAt(p, s.windowSeconds());
            boolean all = true;
            boolean any = false;
            boolean decided = true;
            for (GuardrailSpec.Condition cond : s.conditions()) {
                ConditionStatus cs = condition(cond, v, c, null, s.minExposures());
                if (cs.estimate() == null) {
                    decided = false;
                    continue;
                }
                all &= cs.holds();
                any |= cs.holds();
            }
            anyDecided |= decided;
            if (decided && (s.match() == GuardrailSpec.Match.ALL ? all : any)) {
                breached.add(popIds.get(p));
            }
        }
        return anyDecided ? breached : popIds;
    }

    private void rollbackIfServing(String flag, String variant, String actor, String reason, long now) {
        FlagDefinition d = experiments.registry().get(flag).orElseThrow();
        if (d.weightOf(variant) > 0) {
            experiments.rollback(flag, variant, actor, reason, now);
        }
    }

    private void record(GuardrailFiring firing) {
        if (!replaying) {
            journal.append(new JournalRecord.GuardrailFired(journal.nextSeq(), firing.atMillis(), firing));
        }
        firings.add(firing);
        // A person's rollback of a variant still served is audited once: as the flag change it makes
        // next (flag.rollback, with their name and reason). Replay decides the same, from the same state.
        if (firing.automatic() || experiments.registry().get(firing.flag()).orElseThrow().weightOf(firing.variant()) == 0) {
            experiments.addAudit(firing.atMillis(), firing.actor(), "guardrail." + firing.action(),
                    firing.flag() + "/" + firing.variant(), "serving", firing.action().equals("alert") ? "serving" : firing.action(),
                    (firing.automatic() ? "rule " + firing.rule() + " fired: " : "") + firing.reason());
        }
    }

    /**
     * A producer's rollback by hand: the variant goes back to control everywhere, now, whatever any
     * rule says; recorded as a firing with the operator's name.
     */
    public GuardrailFiring fireRollback(String flag, String variant, String operator, String reason, long now) {
        if (operator == null || operator.isBlank()) throw new FlagValidationException("operator", "must name who rolls back");
        if (reason == null || reason.isBlank()) throw new FlagValidationException("reason", "must say why");
        FlagDefinition d = experiments.registry().get(flag)
                .orElseThrow(() -> new FlagNotFoundException("flag", "unknown flag '" + flag + "'"));
        if (d.variantIndex(variant) < 0) {
            throw new FlagNotFoundException("variant", "flag " + flag + " has no variant '" + variant + "'");
        }
        if (variant.equals(d.controlVariant())) {
            throw new FlagValidationException("variant", "'" + variant + "' is the control: there is nothing to roll back to");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        List<Rule> watching = rules.stream().filter(r -> r.spec.flag().equals(flag) && r.spec.variant().equals(variant)).toList();
        watching.forEach(r -> r.status.conditions().forEach(cs -> values.put(cs.metric(), cs.estimate())));
        GuardrailFiring firing = new GuardrailFiring(now, "manual", flag, variant, "rollback", experiments.popIds(),
                reason, false, operator, values);
        record(firing);
        watching.forEach(r -> r.lastFiredAt = now);
        rollbackIfServing(flag, variant, operator, "manual rollback: " + reason, now);
        return firing;
    }

    /** Arms or disarms a rule. */
    public void setArmed(String ruleId, boolean armed, String operator, String reason, long now) {
        Rule r = rules.stream().filter(x -> !x.dryRun && x.spec.id().equals(ruleId)).findFirst()
                .orElseThrow(() -> new FlagNotFoundException("rule", "unknown guardrail '" + ruleId + "'"));
        if (operator == null || operator.isBlank()) throw new FlagValidationException("operator", "must name who changes the guardrail");
        if (reason == null || reason.isBlank()) throw new FlagValidationException("reason", "must say why");
        if (r.armed == armed) {
            return;
        }
        if (!replaying) {
            journal.append(new JournalRecord.GuardrailArmed(journal.nextSeq(), now, ruleId, armed, operator, reason));
        }
        r.armed = armed;
        // The status is what the API and frames show; without this a restarted node (or the answer
        // to an arm/disarm) reported the old armed flag until the next evaluation, up to a second later.
        // The next evaluation recomputes the state from the window, so only the read-out changes here.
        GuardrailStatus was = r.status;
        String state = armed ? (was.state().equals("disarmed") ? "waiting" : was.state())
                : (was.state().equals("breached") ? "breached" : "disarmed");
        r.status = new GuardrailStatus(was.id(), was.flag(), was.variant(), was.match(), was.action(), armed, state,
                was.conditions(), was.variantExposures(), was.controlExposures(), was.minExposures(), was.windowSeconds(),
                was.lastFiredAtMillis());
        experiments.addAudit(now, operator, armed ? "guardrail.arm" : "guardrail.disarm", ruleId,
                armed ? "disarmed" : "armed", armed ? "armed" : "disarmed", reason);
    }

    /** Applies a journaled guardrail record again, without journaling it or acting on it twice. */
    public void replay(JournalRecord record) {
        replaying = true;
        try {
            switch (record) {
                case JournalRecord.GuardrailArmed a -> setArmed(a.rule(), a.armed(), a.operator(), a.reason(), a.atMillis());
                case JournalRecord.GuardrailFired f -> {
                    record(f.firing());
                    rules.stream().filter(x -> x.spec.id().equals(f.firing().rule())).forEach(x -> x.lastFiredAt = f.atMillis());
                }
                default -> throw new IllegalArgumentException("not a guardrail record: " + record);
            }
        } finally {
            replaying = false;
        }
    }

    /** The status of one rule. */
    public GuardrailStatus status(String ruleId) {
        return rules.stream().filter(x -> x.spec.id().equals(ruleId)).findFirst()
                .orElseThrow(() -> new FlagNotFoundException("rule", "unknown guardrail '" + ruleId + "'")).status;
    }

    public List<GuardrailStatus> statuses() {
        return rules.stream().filter(r -> !r.dryRun).map(r -> r.status).toList();
    }

    public List<GuardrailFiring> firings() {
        return List.copyOf(firings);
    }

    /** Armed state per rule id. */
    public Map<String, Boolean> armed() {
        Map<String, Boolean> out = new java.util.TreeMap<>();
        rules.stream().filter(r -> !r.dryRun).forEach(r -> out.put(r.spec.id(), r.armed));
        return out;
    }
}
