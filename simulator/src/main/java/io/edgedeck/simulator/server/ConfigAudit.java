package io.edgedeck.simulator.server;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.PlaybookSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.TriggerSpec;
import io.edgedeck.simulator.show.Show;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parts of a node's configuration that decide who may change what and when rules act: its
 * approval lanes, guardrails, micro-metric triggers, playbooks and tenants. Editing them and starting
 * the node again is an operator's change like a call of the API, so a start that runs them otherwise
 * than the node ran them before is audited, by {@code config}: one entry per lane set, rule, playbook
 * or tenant list that changed, before and after in words. A start that changes nothing adds none.
 *
 * <p>What the node ran before is read from the trail itself (the last such entry of each target),
 * so the entries are the record. A data directory whose trail holds no entry of a kind at all, on
 * its first start, compares with {@code none}; on a later start (a trail kept before these parts
 * were audited) its before reads {@code not recorded}, since what the node ran then is unknown.
 */
final class ConfigAudit {
    static final String APPROVALS_SET = "approvals.set";
    static final String GUARDRAIL_SET = "guardrail.set";
    static final String TRIGGER_SET = "trigger.set";
    static final String PLAYBOOK_SET = "playbook.set";
    static final String TENANTS_SET = "tenants.set";
    static final String NONE = "none";
    static final String NOT_RECORDED = "not recorded";

    private ConfigAudit() {
    }

    /**
     * Audits each part of {@code scenario} that differs from what the trail says the node ran.
     * Runs before the engine thread starts, which then owns the show.
     *
     * @param restored true when the data directory held a journal before this start
     */
    static void audit(Show show, Scenario scenario, boolean restored) {
        List<AuditEntry> trail = show.core().experiments().audit();
        section(show, trail, restored, APPROVALS_SET, Map.of("approvals", approvals(scenario.approvals())), "approval lanes");
        section(show, trail, restored, GUARDRAIL_SET, keyed(scenario.guardrails(), GuardrailSpec::id, ConfigAudit::guardrail),
                "guardrail");
        section(show, trail, restored, TRIGGER_SET, keyed(scenario.triggers(), TriggerSpec::id, ConfigAudit::trigger), "trigger");
        section(show, trail, restored, PLAYBOOK_SET, keyed(scenario.playbooks(), PlaybookSpec::id,
                p -> p.toPlaybook().describe()), "playbook");
        List<String> tenants = scenario.audience().tenants();
        section(show, trail, restored, TENANTS_SET, Map.of("tenants", tenants.isEmpty() ? NONE : String.join(", ", tenants)),
                "tenants");
    }

    private static void section(Show show, List<AuditEntry> trail, boolean restored, String action, Map<String, String> now,
                                String what) {
        Map<String, String> before = new LinkedHashMap<>();
        boolean recorded = false;
        for (AuditEntry e : trail) {
            if (e.action().equals(action) && e.actor().equals(EdgeNode.CONFIG_ACTOR)) {
                before.put(e.target(), e.after());
                recorded = true;
            }
        }
        String unknown = restored && !recorded ? NOT_RECORDED : NONE;
        Set<String> targets = new LinkedHashSet<>(before.keySet());
        targets.addAll(now.keySet());
        for (String target : targets) {
            String was = before.getOrDefault(target, unknown);
            String is = now.getOrDefault(target, NONE);
            if (!was.equals(is) && !(was.equals(NOT_RECORDED) && is.equals(NONE))) {
                show.core().experiments().audited(show.core().nowMillis(), EdgeNode.CONFIG_ACTOR, action, target, was, is,
                        "the node started with the " + what + " of its configuration");
            }
        }
    }

    private static <T> Map<String, String> keyed(List<T> items, java.util.function.Function<T, String> id,
                                                 java.util.function.Function<T, String> words) {
        Map<String, String> out = new LinkedHashMap<>();
        items.forEach(i -> out.put(id.apply(i), words.apply(i)));
        return out;
    }

    /** The lanes in words, e.g. {@code variant above 60%, unkill, disarm}, or {@code none}. */
    static String approvals(Approvals a) {
        if (!a.any()) {
            return NONE;
        }
        List<String> lanes = new java.util.ArrayList<>();
        if (a.variantAbovePercent() != null) {
            lanes.add("variant above " + number(a.variantAbovePercent()) + "%");
        }
        if (a.unkill()) {
            lanes.add("unkill");
        }
        if (a.disarm()) {
            lanes.add("disarm");
        }
        if (a.beforeDrop() != null) {
            Approvals.BeforeDrop d = a.beforeDrop();
            lanes.add("every change " + d.minutes() + " min before " + d.cue() + " ("
                    + (d.at() != null ? d.at() : "show second " + d.atSeconds()) + ")");
        }
        return String.join(", ", lanes);
    }

    /**
     * A rule in words, e.g. {@code checkout-button/treatment: all of sentimentChange < -0.15,
     * conversionLift < 0.03 over 120s; minExposures 300; cooldownSeconds 120; rollback; armed}.
     */
    static String guardrail(GuardrailSpec g) {
        String conditions = g.conditions().stream()
                .map(c -> c.metric().wireName() + " " + c.op().symbol() + " " + number(c.value()))
                .collect(Collectors.joining(", "));
        return g.flag() + "/" + g.variant() + ": " + g.match().name().toLowerCase(Locale.ROOT) + " of " + conditions
                + " over " + g.windowSeconds() + "s; minExposures " + g.minExposures() + "; cooldownSeconds "
                + g.cooldownSeconds() + "; " + g.action().wireName() + "; " + (g.armed() ? "armed" : "disarmed") + " at start";
    }

    /** A trigger in words, e.g. {@code 3 of click, click, click within 20s, any order: surface-checkout}. */
    static String trigger(TriggerSpec t) {
        return t.count() + " of " + t.kinds().stream().map(ConfigAudit::word).collect(Collectors.joining(", ")) + " within "
                + t.withinSeconds() + "s, " + (t.ordered() ? "in order" : "any order") + ": " + word(t.action());
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
