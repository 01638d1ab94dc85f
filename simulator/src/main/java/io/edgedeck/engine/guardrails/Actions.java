package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.experiments.Arm;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * What a firing does: it is recorded (journaled, audited, kept for frames and reports) and it rolls
 * the variant back everywhere or at the PoPs where it breached, pauses it, or only alerts.
 * Owned by the engine thread.
 */
final class Actions {
    private final Experiments experiments;
    private final Journal journal;
    private final List<GuardrailFiring> firings = new ArrayList<>();
    /** Where an automatic rollback everywhere goes: the node's own flags, unless a fleet takes it. */
    Guardrails.Rollbacks rollbacks = this::rollbackIfServing;
    /** Where an automatic rollback at the breached PoPs goes: the node's own flags, unless a fleet takes it. */
    Guardrails.PopRollbacks popRollbacks;
    /** Where an automatic pause goes: the node's own flags, unless a fleet takes it. */
    Guardrails.Pauses pauses;

    Actions(Experiments experiments, Journal journal) {
        this.experiments = experiments;
        this.journal = journal;
        this.popRollbacks = experiments::rollbackAt;
        this.pauses = (flag, variant, actor, reason, now) -> experiments.setPaused(flag, variant, true, actor, reason, now);
    }

    /** An automatic firing of {@code s}, with the judgement that made it. */
    GuardrailFiring fire(GuardrailSpec s, long now, java.util.Map<String, Double> values, String reason, StatusRendering.Judgement j) {
        String actor = "guardrail:" + s.id();
        List<String> pops = s.action() == GuardrailAction.ROLLBACK_BREACHED_POPS ? breachedPops(s, j, now) : experiments.popIds();
        GuardrailFiring firing = new GuardrailFiring(now, s.id(), s.flag(), s.variant(), s.action(), pops, reason, true,
                actor, values);
        record(firing, true);
        String why = "guardrail " + s.id() + ": " + reason;
        switch (s.action()) {
            case ROLLBACK -> rollbacks.rollback(s.flag(), s.variant(), actor, why, now);
            case ROLLBACK_BREACHED_POPS -> popRollbacks.rollbackAt(s.flag(), s.variant(), pops, actor, why, now);
            case PAUSE -> pauses.pause(s.flag(), s.variant(), actor, why, now);
            case ALERT -> {
            }
        }
        return firing;
    }

    /**
     * The PoPs where the rule holds on the point estimates of the sessions homed there, over the
     * period where the rule as a whole established the harm (at most the last
     * {@value Experiments#MAX_WINDOW_SECONDS} s, what the arms keep per PoP). A PoP with too little
     * data to say is left serving. If no single PoP has enough data, every PoP is taken: the harm is
     * real somewhere.
     */
    private List<String> breachedPops(GuardrailSpec s, StatusRendering.Judgement j, long now) {
        FlagDefinition flag = experiments.registry().get(s.flag()).orElseThrow();
        Arm variant = experiments.arm(s.flag(), s.variant(), true);
        Arm control = experiments.arm(s.flag(), flag.controlVariant(), true);
        List<String> popIds = experiments.popIds();
        if (!variant.tracksPerPop() || !control.tracksPerPop()) {
            return popIds;
        }
        long since = j.periodSinceMillis() == null ? now - 1000 : j.periodSinceMillis();
        int seconds = (int) Math.max(1, Math.min(Experiments.MAX_WINDOW_SECONDS, (now - since) / 1000));
        List<String> breached = new ArrayList<>();
        boolean anyDecided = false;
        for (int p = 0; p < popIds.size(); p++) {
            Arm.WindowStats v = variant.windowAt(p, seconds);
            Arm.WindowStats c = control.windowAt(p, seconds);
            boolean all = true;
            boolean any = false;
            boolean decided = true;
            for (GuardrailSpec.Condition cond : s.conditions()) {
                Double estimate = ConditionJudge.pointEstimate(cond.metric(), v, c);
                if (estimate == null) {
                    decided = false;
                    continue;
                }
                all &= cond.holds(estimate);
                any |= cond.holds(estimate);
            }
            anyDecided |= decided;
            if (decided && (s.match() == RuleMatch.ALL ? all : any)) {
                breached.add(popIds.get(p));
            }
        }
        return anyDecided ? breached : popIds;
    }

    /** Moves the variant to control everywhere unless it already serves nobody. */
    void rollbackIfServing(String flag, String variant, String actor, String reason, long now) {
        FlagDefinition d = experiments.registry().get(flag).orElseThrow();
        if (d.weightOf(variant) > 0) {
            experiments.rollback(flag, variant, actor, reason, now);
        }
    }

    /**
     * Journals a firing unless it comes from the journal (first: a failed append changes nothing),
     * then keeps and audits it.
     */
    void record(GuardrailFiring firing, boolean journaled) {
        if (journaled) {
            journal.append(new JournalRecord.GuardrailFired(journal.nextSeq(), firing.atMillis(), firing));
        }
        firings.add(firing);
        // A person's rollback of a variant still served is audited once: as the flag change it makes
        // next (flag.rollback, with their name and reason). Replay decides the same, from the same state.
        if (firing.automatic() || experiments.registry().get(firing.flag()).orElseThrow().weightOf(firing.variant()) == 0) {
            String action = firing.action().wireName();
            experiments.addAudit(firing.atMillis(), firing.actor(), "guardrail." + action,
                    firing.flag() + "/" + firing.variant(), "serving", firing.action() == GuardrailAction.ALERT ? "serving" : action,
                    (firing.automatic() ? "rule " + firing.rule() + " fired: " : "") + firing.reason());
        }
    }

    List<GuardrailFiring> firings() {
        return List.copyOf(firings);
    }
}
