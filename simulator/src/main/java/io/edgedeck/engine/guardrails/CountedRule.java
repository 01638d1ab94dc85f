package io.edgedeck.engine.guardrails;

import io.edgedeck.client.guardrails.GuardrailExplanations;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.engine.experiments.Arm;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule judged away from an engine, on its two arms' counts handed in one second at a time: a
 * fleet's aggregator judging a rule on the sum of every node's counts (docs/FLEET.md). The evidence,
 * its periods, the error budget, the tests and the decision are the very ones {@link Guardrails}
 * uses on a node ({@link Guardrails#verdict}); only what feeds them differs. A rule judged so reads
 * only counts: exposures, conversions and scored chat ({@link #judgesOnCounts}).
 *
 * <p>Not thread-safe: its owner serialises the calls.
 */
public final class CountedRule {
    /** What a rule must wait for after a change of who can be in its variant (as on a node). */
    public static final int SETTLE_SECONDS = Guardrails.SETTLE_SECONDS;

    private final GuardrailSpec spec;
    private final Evidence evidence;
    private Long lastFiredAt;
    private GuardrailStatus status;

    /**
     * What one evaluation decided: the rule's status now, and, when it fired, why (its conditions in words, without
     * the period's start, which {@code status} holds) and on what values.
     */
    public record Outcome(GuardrailStatus status, boolean fired, String reason, Map<String, Double> values) {
    }

    /** @throws IllegalArgumentException when the rule reads something other than counts, naming the condition */
    public CountedRule(GuardrailSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        notOnCounts(spec).ifPresent(c -> {
            throw new IllegalArgumentException("guardrail " + spec.id() + ": condition " + c.metric().wireName() + " "
                    + c.op().symbol() + " " + c.value() + " needs more than the arms' counts");
        });
        this.evidence = new Evidence(spec.windowSeconds(), false);
        this.status = Guardrails.verdict(spec, evidence, false, spec.armed(), null, 0, Double.NaN).status();
    }

    /**
     * The first condition of {@code spec} that the arms' counts (exposures, conversions, chat sentiment)
     * cannot judge: latency, error rate and the learned baseline need each arm's requests.
     */
    public static Optional<GuardrailSpec.Condition> notOnCounts(GuardrailSpec spec) {
        return spec.conditions().stream().filter(c -> c.metric() != GuardrailMetric.CONVERSION_LIFT
                && c.metric() != GuardrailMetric.SENTIMENT_CHANGE).findFirst();
    }

    /** Whether a rollback everywhere that reads only counts: what a fleet can decide on the sum of its nodes' counts. */
    public static boolean judgesOnCounts(GuardrailSpec spec) {
        return spec.action() == GuardrailAction.ROLLBACK && notOnCounts(spec).isEmpty();
    }

    public GuardrailSpec spec() {
        return spec;
    }

    /** Starts the evidence afresh from the first whole second at or after {@code atMillis}. */
    public void startAt(long atMillis) {
        evidence.startAt(atMillis);
    }

    /** Whether the evidence has a start (it ignores every second before one is set). */
    public boolean started() {
        return evidence.sinceMillis() != Long.MIN_VALUE;
    }

    /** Adds the second that ended at {@code endMillis}: each arm's counts in it. */
    public void addSecond(long endMillis, Arm.WindowStats variant, Arm.WindowStats control) {
        evidence.addSecond(endMillis, variant, control, null, null);
    }

    /**
     * Judges the evidence at {@code nowMillis} (the end of the last second added). When the rule
     * fires (armed, {@code mayAct}, past its cooldown) its evidence starts again, as on a node.
     */
    public Outcome evaluate(long nowMillis, boolean armed, boolean mayAct) {
        Guardrails.Verdict v = Guardrails.verdict(spec, evidence, armed && mayAct, armed, lastFiredAt, nowMillis, Double.NaN);
        status = v.status();
        if (!v.fires()) {
            return new Outcome(status, false, null, Map.of());
        }
        // Its times are the owner's (epoch ms at an aggregator), not an engine's show clock: the owner says when.
        GuardrailStatus g = status;
        String reason = GuardrailExplanations.rule(new GuardrailStatus(g.id(), g.flag(), g.variant(), g.match(), g.action(), g.armed(),
                g.state(), g.conditions(), g.variantExposures(), g.controlExposures(), g.minExposures(), g.windowSeconds(),
                g.lastFiredAtMillis(), g.evidenceSinceMillis(), null, g.alpha()));
        Map<String, Double> values = StatusRendering.values(v.judgement().conditions());
        lastFiredAt = nowMillis;
        evidence.startAt(nowMillis);
        return new Outcome(status, true, reason, values);
    }

    /**
     * A firing of this rule read back from where it was recorded (a restarted aggregator reading its own
     * rollback on the control topic): its cooldown runs from {@code atMillis}, as if it had just fired.
     */
    public void firedAt(long atMillis) {
        lastFiredAt = lastFiredAt == null ? atMillis : Math.max(lastFiredAt, atMillis);
    }

    /** The status of the last evaluation. */
    public GuardrailStatus status() {
        return status;
    }
}
