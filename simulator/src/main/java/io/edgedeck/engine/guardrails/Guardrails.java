package io.edgedeck.engine.guardrails;

import io.edgedeck.client.guardrails.GuardrailExplanations;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.client.stats.AlphaSpending;
import io.edgedeck.engine.experiments.Arm;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule book: guardrails that compare a variant with its flag's control, judged at the end of
 * every engine second, and the rollbacks, pauses and alerts they fire, automatically or by hand.
 *
 * <h2>When a rule fires (docs/GUARDRAILS.md states the same)</h2>
 * A rule's evidence starts when its flag's current version is live at every PoP (plus
 * {@value #SETTLE_SECONDS} s when the version changed during the show, so that sessions have been
 * re-bucketed), and again after each of its firings. It judges the evidence since then and since
 * every {@code windowSeconds} after that; the k-th period gets the share
 * {@link AlphaSpending#share} of the rule's error budget alpha = {@value #ALPHA}, split evenly over the
 * rule's conditions. Over each period every condition gets an interval whose two ends are each
 * an anytime-valid one-sided bound at that level ({@link ConditionJudge}). The rule fires when
 * <ol>
 *   <li>each arm has at least {@code minExposures} exposures since the evidence started;</li>
 *   <li>in some period, one condition establishes harm: its estimate is past its threshold and its
 *   whole interval is clear of no harm (no worse than control, or not past an absolute threshold);</li>
 *   <li>for an all-of rule, every other condition is still possible over that same period: past
 *   its threshold or not ruled out by its interval.</li>
 * </ol>
 * Guarantee: when the variant is in truth no worse than control on every metric the rule reads
 * (and on the safe side of its absolute thresholds), the chance that the rule ever fires during one
 * run of its evidence is at most alpha, however long the show. Step 3 reads a clause such as
 * "conversion lift under 3%" the way a producer means it: roll back unless the variant is clearly
 * earning its keep.
 *
 * <p>Over 350 lines, on purpose: one job, each rule's life (arming, evidence restarts, firing, the
 * journal records they make, replay); statistics, evidence, condition judging and actions are
 * classes of their own.
 *
 * <p>Owned by the engine thread.
 */
public final class Guardrails {
    /** Each rule's error budget. */
    public static final double ALPHA = 0.02;
    /** The rule a producer's rollback by hand is recorded as firing. */
    public static final String MANUAL = "manual";
    /** Settling time after a flag change during the show, for sessions to pick up the new version. */
    static final int SETTLE_SECONDS = 30;

    private final Experiments experiments;
    private final Journal journal;
    private final List<Rule> rules = new ArrayList<>();
    private final Actions actions;
    private final List<GuardrailFiring> dryRunFirings = new ArrayList<>();
    /** The fleet's learned normal p95 in ms, NaN while unknown: what {@code p95VsBaseline} divides by. */
    private java.util.function.DoubleSupplier baseline = () -> Double.NaN;
    /** The last second's latency of each arm, as {@link Arm#window} fills it. */
    private final Histogram variantSecond = new Histogram(1, 120_000_000L, 2);
    private final Histogram controlSecond = new Histogram(1, 120_000_000L, 2);
    private boolean replaying;
    /** Rules this engine judges and shows but never fires by itself: another place decides them. */
    private java.util.function.Predicate<GuardrailSpec> decidedElsewhere = s -> false;

    /**
     * No rule's evidence includes an engine second that began before this: the second a live node's
     * restart read its ingest log back into, all of it at once ({@link #replayedInto}).
     */
    private long evidenceFloorMillis = Long.MIN_VALUE;

    /** What, if it changed, makes a rule's evidence start again: who can be in the variant. */
    private record Population(long version, boolean paused, Set<String> rolledBackAt) {
    }

    private static final class Rule {
        final GuardrailSpec spec;
        /** A dry-run rule is evaluated like any other but never acts and is neither journaled nor audited. */
        final boolean dryRun;
        final Evidence evidence;
        boolean armed;
        /** The number of its newest arming (1 for its first), 0 while it was never armed but by the show's configuration. */
        long armings;
        Long lastFiredAt;
        Population population;
        GuardrailStatus status;

        Rule(GuardrailSpec spec, boolean dryRun) {
            this.spec = spec;
            this.dryRun = dryRun;
            this.armed = dryRun || spec.armed();
            this.evidence = new Evidence(spec.windowSeconds(), spec.watchesLatency());
            this.status = StatusRendering.status(spec, armed, armed ? GuardrailState.WAITING : GuardrailState.DISARMED,
                    StatusRendering.nothingYet(spec), evidence, false, null, ALPHA);
        }
    }

    public Guardrails(List<GuardrailSpec> specs, Experiments experiments, Journal journal) {
        this.experiments = experiments;
        this.journal = journal;
        this.actions = new Actions(experiments, journal);
        specs.forEach(s -> rules.add(new Rule(s, false)));
        experiments.registry().guardedBy(this::refuseOrphaning);
    }

    /**
     * The rules that watch nothing as the flags are now: each as "guardrail ID watches ..." saying why
     * (its flag gone, its variant gone or made the control). The flag API refuses changes that would
     * make one; a show's configuration edited after such a change (a rule put back for a variant the
     * journal's changes removed) is how a node can start with one, and a rule there would show armed
     * and watch nothing.
     */
    public List<String> orphaned() {
        List<String> said = new ArrayList<>();
        for (Rule r : rules) {
            GuardrailSpec s = r.spec;
            var flag = experiments.registry().get(s.flag());
            if (flag.isEmpty()) {
                said.add("guardrail " + s.id() + " watches flag " + s.flag() + ", which the show does not have");
            } else if (flag.get().variantIndex(s.variant()) < 0) {
                said.add("guardrail " + s.id() + " watches variant '" + s.variant() + "' of flag " + s.flag()
                        + ", which its version " + flag.get().version() + " does not have (variants "
                        + flag.get().variants().stream().map(v -> "'" + v.name() + "'").collect(java.util.stream.Collectors.joining(", "))
                        + ")");
            } else if (s.variant().equals(flag.get().controlVariant())) {
                said.add("guardrail " + s.id() + " watches variant '" + s.variant() + "' of flag " + s.flag()
                        + ", which its version " + flag.get().version() + " makes the control");
            }
        }
        return said;
    }

    /**
     * Refuses a flag change that would leave a rule watching nothing: one that removes or renames the
     * variant a rule watches, makes it the control, or changes the control the rule compares it with.
     * The rule would otherwise go on showing "armed, waiting" over a variant nobody is served. Lowering
     * the variant's weight to 0 stops serving it and keeps the rule honest; a rule is taken out of the
     * show's configuration, not by a flag change. Dry-run rules count too: they watch the same way.
     */
    private void refuseOrphaning(FlagDefinition before, FlagDefinition after) {
        List<String> names = after.variants().stream().map(v -> v.name()).toList();
        boolean controlMoved = !java.util.Objects.equals(before.controlVariant(), after.controlVariant());
        boolean controlGone = !names.contains(before.controlVariant());
        Map<String, List<String>> byProblem = new java.util.LinkedHashMap<>();
        for (Rule r : rules) {
            GuardrailSpec s = r.spec;
            // a rule this flag left orphaned before (a change journaled before such changes were
            // refused, or one a fleet node took from the topic) does not block every later change
            if (!s.flag().equals(before.key()) || before.variantIndex(s.variant()) < 0) {
                continue;
            }
            String problem;
            if (!names.contains(s.variant())) {
                problem = "watches variant '" + s.variant() + "', which the change removes";
            } else if (s.variant().equals(after.controlVariant())) {
                problem = "watches variant '" + s.variant() + "', which the change makes the control";
            } else if (controlMoved || controlGone) {
                problem = "compares variant '" + s.variant() + "' with the control '" + before.controlVariant()
                        + "', which the change " + (controlGone ? "removes" : "replaces with '" + after.controlVariant() + "'");
            } else {
                continue;
            }
            byProblem.computeIfAbsent(problem, k -> new ArrayList<>()).add(s.id());
        }
        if (byProblem.isEmpty()) {
            return;
        }
        List<String> said = new ArrayList<>();
        byProblem.forEach((problem, ids) -> said.add((ids.size() == 1 ? "guardrail " : "guardrails ")
                + String.join(", ", ids) + " " + problem));
        throw new io.edgedeck.engine.flags.FlagInUseException(before.key(), before.version(),
                controlMoved && !controlGone ? "controlVariant" : "variants",
                "flag " + before.key() + ": " + String.join("; ", said) + ". A rule left without its variant or its"
                        + " control would show armed and watch nothing: keep both (weight 0 stops serving a variant), or take"
                        + " the rule out of the show's configuration first; nothing changed");
    }

    /**
     * Where a rule's automatic rollback of its variant everywhere goes. Called on the engine thread
     * right after the firing is journaled and audited; the rollback is the callee's to make.
     */
    @FunctionalInterface
    public interface Rollbacks {
        void rollback(String flag, String variant, String actor, String reason, long nowMillis);
    }

    /**
     * Where a rule's automatic rollback of its variant at the PoPs where it breached goes. Called on
     * the engine thread right after the firing is journaled and audited; the rollback is the callee's.
     */
    @FunctionalInterface
    public interface PopRollbacks {
        void rollbackAt(String flag, String variant, List<String> pops, String actor, String reason, long nowMillis);
    }

    /**
     * Where a rule's automatic pause of its variant goes. Called on the engine thread right after the
     * firing is journaled and audited; the pause is the callee's to make.
     */
    @FunctionalInterface
    public interface Pauses {
        void pause(String flag, String variant, String actor, String reason, long nowMillis);
    }

    /**
     * Leaves the rules {@code fleetDecides} picks to be decided elsewhere (a fleet's aggregator, on the
     * whole fleet's evidence: docs/FLEET.md): this node still judges them on its own evidence and shows
     * them, breached when they hold, but never fires them by itself. Call before the engine runs.
     */
    public void decideElsewhere(java.util.function.Predicate<GuardrailSpec> fleetDecides) {
        this.decidedElsewhere = java.util.Objects.requireNonNull(fleetDecides, "fleetDecides");
        for (Rule r : rules) {
            if (fleetDecides.test(r.spec)) {
                r.status = r.status.withDecidedBy(GuardrailStatus.DECIDED_BY_FLEET);
            }
        }
    }

    /**
     * Sends the rules' automatic rollbacks everywhere to {@code rollbacks} (a fleet node's control
     * topic) instead of making them on this node's flags. Call before the engine runs.
     */
    public void rollbackThrough(Rollbacks rollbacks) {
        actions.rollbacks = java.util.Objects.requireNonNull(rollbacks, "rollbacks");
    }

    /**
     * Sends the rules' automatic rollbacks at the PoPs where they breached to {@code rollbacks} (a fleet
     * node's control topic, so every node serving those PoPs rolls back there) instead of making them on
     * this node's flags. Call before the engine runs.
     */
    public void rollbackAtThrough(PopRollbacks rollbacks) {
        actions.popRollbacks = java.util.Objects.requireNonNull(rollbacks, "rollbacks");
    }

    /**
     * Sends the rules' automatic pauses to {@code pauses} (a fleet node's control topic, so the variant
     * is paused on every node) instead of making them on this node's flags. Call before the engine runs.
     */
    public void pauseThrough(Pauses pauses) {
        actions.pauses = java.util.Objects.requireNonNull(pauses, "pauses");
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
        rules.add(r);
        prepare(r);
    }

    /** When the dry-run rules would have fired, oldest first. */
    public List<GuardrailFiring> dryRunFirings() {
        return List.copyOf(dryRunFirings);
    }

    /** Where {@code p95VsBaseline} reads the fleet's normal p95 (docs/BASELINES.md); NaN while none is learned. */
    public void baselines(java.util.function.DoubleSupplier fleetNormalP95Ms) {
        this.baseline = fleetNormalP95Ms;
    }

    /** Starts per-variant latency recording for flags whose rules watch latency. Call after flags exist. */
    public void prepare() {
        rules.forEach(this::prepare);
    }

    private void prepare(Rule r) {
        experiments.arm(r.spec.flag(), r.spec.variant(), true);
        if (r.spec.action() == GuardrailAction.ROLLBACK_BREACHED_POPS) {
            experiments.trackPerPop(r.spec.flag());
        }
        if (r.spec.watchesLatency()) {
            experiments.trackLatency(r.spec.flag());
        }
    }

    /**
     * Judges every rule at the end of an engine second, before the arms' windows move on, and fires
     * the armed ones that hold.
     */
    public void evaluate(long nowMillis) {
        for (Rule r : rules) {
            evaluate(r, nowMillis);
        }
    }

    private void evaluate(Rule r, long now) {
        GuardrailSpec s = r.spec;
        FlagDefinition flag = experiments.registry().get(s.flag()).orElse(null);
        if (flag == null) {
            return;
        }
        Arm variant = experiments.arm(s.flag(), s.variant(), true);
        Arm control = experiments.arm(s.flag(), flag.controlVariant(), true);
        restartIfPopulationChanged(r, flag, now);
        boolean latency = s.watchesLatency();
        Arm.WindowStats v = variant.window(1, latency ? variantSecond : null);
        Arm.WindowStats c = control.window(1, latency ? controlSecond : null);
        r.evidence.addSecond(now, v, c, latency ? variantSecond : null, latency ? controlSecond : null);

        Verdict verdict = verdict(s, r.evidence, r.armed && (r.dryRun || !decidedElsewhere.test(s)), r.armed, r.lastFiredAt, now,
                baseline.getAsDouble());
        r.status = decidedElsewhere.test(s) ? verdict.status().withDecidedBy(GuardrailStatus.DECIDED_BY_FLEET) : verdict.status();
        if (verdict.fires()) {
            StatusRendering.Judgement j = verdict.judgement();
            String reason = GuardrailExplanations.rule(r.status);
            Map<String, Double> values = StatusRendering.values(j.conditions());
            if (r.dryRun) {
                r.lastFiredAt = now;
                dryRunFirings.add(new GuardrailFiring(now, s.id(), s.flag(), s.variant(), s.action(),
                        experiments.popIds(), reason, true, "dry-run:" + s.id(), values));
            } else {
                r.lastFiredAt = now;
                actions.fire(s, now, values, reason, j);
            }
            // what happens next is new evidence; an action that changes the flag restarts it again
            r.evidence.startAt(now);
        }
    }

    /** A rule's judgement at one evaluation: its status, and whether it fires now. */
    record Verdict(GuardrailStatus status, StatusRendering.Judgement judgement, boolean fires) {
    }

    /**
     * The decision of one evaluation (the same wherever a rule is judged: an engine, a fleet's
     * aggregator): waiting for {@code minExposures}, watching, breached (it holds while it may not act:
     * disarmed, cooling down, or decided elsewhere) or fired.
     *
     * @param mayAct whether the rule acts when it holds: armed, and not decided elsewhere
     * @param armed  whether the rule is armed, as shown
     */
    static Verdict verdict(GuardrailSpec s, Evidence evidence, boolean mayAct, boolean armed, Long lastFiredAt, long now,
                           double baselineP95Ms) {
        boolean begun = evidence.begunBy(now);
        StatusRendering.Judgement j = begun ? judge(s, evidence, baselineP95Ms) : StatusRendering.nothingYet(s);
        ArmTotals vt = evidence.variant();
        ArmTotals ct = evidence.control();
        boolean enough = begun && vt.exposures() >= Math.max(1, s.minExposures()) && ct.exposures() >= Math.max(1, s.minExposures());
        boolean cooling = lastFiredAt != null && now - lastFiredAt < s.cooldownSeconds() * 1000L;
        GuardrailState state;
        if (!enough) {
            state = GuardrailState.WAITING;
        } else if (!j.holds()) {
            state = GuardrailState.WATCHING;
        } else if (!mayAct || cooling) {
            state = GuardrailState.BREACHED;
        } else {
            state = GuardrailState.FIRED;
        }
        // A disarmed rule still says when it holds; otherwise it just says it is disarmed.
        GuardrailState shown = armed || state == GuardrailState.BREACHED ? state : GuardrailState.DISARMED;
        return new Verdict(StatusRendering.status(s, armed, shown, j, evidence, begun, lastFiredAt, ALPHA), j,
                state == GuardrailState.FIRED);
    }

    /**
     * A new flag version, a pause or a PoP-local rollback changes who can be in the variant: the
     * evidence starts again once the version is live everywhere, after {@value #SETTLE_SECONDS} s more
     * for a change made during the show, while sessions pick the new version up.
     */
    private void restartIfPopulationChanged(Rule r, FlagDefinition flag, long now) {
        Population current = new Population(flag.version(),
                experiments.paused().getOrDefault(flag.key(), Set.of()).contains(r.spec.variant()),
                experiments.rolledBackAt().getOrDefault(flag.key() + "/" + r.spec.variant(), Set.of()));
        if (current.equals(r.population)) {
            return;
        }
        boolean first = r.population == null;
        r.population = current;
        long live = experiments.registry().fullyPropagatedAtMillis(flag.key());
        // A rule judged for the first time has watched this population all through the second that just
        // ended (it is the one being added); a change found now happened during that second, so the
        // evidence can only start after it.
        long from = first ? now - 1000 : now;
        r.evidence.startAt(Math.max(evidenceFloorMillis, Math.max(from, live + (first ? 0 : SETTLE_SECONDS * 1000L))));
    }

    /**
     * A live node's restart read its ingest log back into the engine second in progress at
     * {@code nowMillis}: every exposure and conversion of the show before the stop, counted in that
     * one second. Those are the aggregates, not news: judged as that second's evidence they would
     * show any harm of the show's past again, all at once, and fire a rule long after it acted. Each
     * rule's evidence starts again after that second, as it does on a new flag version; the evidence
     * gathered before the stop is not kept, so a rule needs {@code minExposures} per arm afresh.
     */
    public void replayedInto(long nowMillis) {
        evidenceFloorMillis = Math.max(evidenceFloorMillis, (Math.floorDiv(nowMillis, 1000L) + 1) * 1000L);
        for (Rule r : rules) {
            if (r.population != null && r.evidence.sinceMillis() < evidenceFloorMillis) {
                r.evidence.startAt(evidenceFloorMillis);
            }
        }
    }

    /**
     * Every kept period with every condition at that period's level: the first period where the rule
     * holds, else the first period (the longest).
     */
    private static StatusRendering.Judgement judge(GuardrailSpec s, Evidence evidence, double baselineP95Ms) {
        ArmTotals vt = evidence.variant();
        ArmTotals ct = evidence.control();
        StatusRendering.Judgement first = null;
        for (Evidence.Period p : evidence.periods()) {
            double alpha = ALPHA * AlphaSpending.share(p.index) / s.conditions().size();
            ConditionJudge.PeriodData data = new ConditionJudge.PeriodData(p.variant(), p.control(), vt.exposures(),
                    ct.exposures(), p.variantLatency, p.controlLatency, baselineP95Ms);
            // a later period where no condition is past its threshold cannot hold: its intervals,
            // most of the cost of judging, would change nothing (the first period is shown, so judged)
            if (first != null && s.conditions().stream().noneMatch(c -> ConditionJudge.mayEstablish(c, data))) {
                continue;
            }
            List<ConditionStatus> conditions = s.conditions().stream().map(c -> ConditionJudge.judge(c, data, alpha)).toList();
            StatusRendering.Judgement j = new StatusRendering.Judgement(conditions, p.sinceMillis, holds(s.match(), conditions));
            if (j.holds()) {
                return j;
            }
            if (first == null) {
                first = j;
            }
        }
        return first;
    }

    /** Step 2 and 3 of the rule: harm established by one condition, and for all-of, the rest still possible. */
    static boolean holds(RuleMatch match, List<ConditionStatus> conditions) {
        boolean established = conditions.stream().anyMatch(c -> c.state() == ConditionState.HARM_ESTABLISHED);
        return switch (match) {
            case ANY -> established;
            case ALL -> established && conditions.stream().allMatch(c -> c.state().possible());
        };
    }

    /**
     * The firing a producer's rollback by hand of {@code flag}'s {@code variant} is recorded as: rule
     * {@link #MANUAL}, the operator's name, and the figures of every rule watching the variant now. Made
     * here, and by a fleet node for the rollback it took through the control topic; replayed, it starts the
     * cooldown of every rule watching the variant. Changes nothing.
     */
    public GuardrailFiring manualFiring(String flag, String variant, String operator, String reason, long now) {
        Map<String, Double> values = new java.util.LinkedHashMap<>();
        rules.stream().filter(r -> watches(r, flag, variant)).forEach(r -> values.putAll(StatusRendering.values(r.status.conditions())));
        return new GuardrailFiring(now, MANUAL, flag, variant, GuardrailAction.ROLLBACK, experiments.popIds(), reason, false,
                operator, values);
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
        List<Rule> watching = rules.stream().filter(r -> watches(r, flag, variant)).toList();
        GuardrailFiring firing = manualFiring(flag, variant, operator, reason, now);
        if (replaying) {
            // the rollback it made is a journal record of its own, replayed next
            actions.record(firing, false);
            watching.forEach(r -> r.lastFiredAt = now);
            actions.rollbackIfServing(flag, variant, operator, "manual rollback: " + reason, now);
            return firing;
        }
        // The firing and the flag change it makes are one change: journaled in one write, then both applied.
        List<JournalRecord> records = new java.util.ArrayList<>();
        records.add(new JournalRecord.GuardrailFired(journal.nextSeq(), now, firing));
        if (d.weightOf(variant) > 0) {
            records.add(new JournalRecord.FlagChanged(journal.nextSeq() + 1, now,
                    new FlagCommand.Rollback(flag, variant, operator, "manual rollback: " + reason, now)));
        }
        experiments.registry().check(records.size() > 1 ? ((JournalRecord.FlagChanged) records.get(1)).command() : null);
        journal.appendAll(records);
        actions.record(firing, false);
        watching.forEach(r -> r.lastFiredAt = now);
        if (records.size() > 1) {
            experiments.replay(records.get(1));
        }
        return firing;
    }

    private static boolean watches(Rule r, String flag, String variant) {
        return r.spec.flag().equals(flag) && r.spec.variant().equals(variant);
    }

    /** Arms or disarms a rule. Its evidence carries on: arming does not hand out a fresh error budget. */
    public void setArmed(String ruleId, boolean armed, String operator, String reason, long now) {
        Rule r = armable(ruleId);
        if (operator == null || operator.isBlank()) throw new FlagValidationException("operator", "must name who changes the guardrail");
        if (reason == null || reason.isBlank()) throw new FlagValidationException("reason", "must say why");
        if (r.armed == armed) {
            return;
        }
        if (!replaying) {
            journal.append(new JournalRecord.GuardrailArmed(journal.nextSeq(), now, ruleId, armed, operator, reason));
        }
        r.armed = armed;
        if (armed) {
            r.armings++;
        }
        // The status is what the API and frames show; without this a restarted node (or the answer
        // to an arm/disarm) reported the old armed flag until the next evaluation, up to a second later.
        // The next evaluation recomputes the state from the evidence, so only the read-out changes here.
        GuardrailState was = r.status.state();
        GuardrailState state = armed ? (was == GuardrailState.DISARMED ? GuardrailState.WAITING : was)
                : (was == GuardrailState.BREACHED ? GuardrailState.BREACHED : GuardrailState.DISARMED);
        r.status = r.status.withArmed(armed, state);
        experiments.addAudit(now, operator, armed ? "guardrail.arm" : "guardrail.disarm", ruleId,
                armed ? "disarmed" : "armed", armed ? "armed" : "disarmed", reason);
    }

    /** Whether {@code ruleId} is armed now; a 404-kind refusal naming {@code rule} unless it is a rule that can be armed. */
    public boolean armed(String ruleId) {
        return armable(ruleId).armed;
    }

    /**
     * The number of {@code ruleId}'s newest arming (1 for its first, counted in the journal's order), 0 while it
     * was never armed but by the show's configuration: what a disarm request lifts. A 404-kind refusal naming
     * {@code rule} unless it is a rule that can be armed.
     */
    public long armings(String ruleId) {
        return armable(ruleId).armings;
    }

    /** A rule that can be armed or disarmed (a dry-run rule cannot). */
    private Rule armable(String ruleId) {
        return rules.stream().filter(x -> !x.dryRun && x.spec.id().equals(ruleId)).findFirst()
                .orElseThrow(() -> new FlagNotFoundException("rule", "unknown guardrail '" + ruleId + "'"));
    }

    /** Applies a journaled guardrail record again, without journaling it or acting on it twice. */
    public void replay(JournalRecord record) {
        replaying = true;
        try {
            switch (record) {
                case JournalRecord.GuardrailArmed a -> setArmed(a.rule(), a.armed(), a.operator(), a.reason(), a.atMillis());
                case JournalRecord.GuardrailFired f -> {
                    actions.record(f.firing(), false);
                    // as when it was made: a manual rollback is the last firing of every rule watching its variant
                    GuardrailFiring g = f.firing();
                    boolean manual = g.rule().equals(MANUAL);
                    rules.stream().filter(x -> manual ? watches(x, g.flag(), g.variant()) : x.spec.id().equals(g.rule()))
                            .forEach(x -> x.lastFiredAt = f.atMillis());
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
        return actions.firings();
    }

    /** Armed state per rule id. */
    public Map<String, Boolean> armed() {
        Map<String, Boolean> out = new java.util.TreeMap<>();
        rules.stream().filter(r -> !r.dryRun).forEach(r -> out.put(r.spec.id(), r.armed));
        return out;
    }
}
