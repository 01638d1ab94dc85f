package io.edgedeck.simulator.scenario;

import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.edge.RegionSpec;
import io.edgedeck.simulator.show.ShowActions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules a schema cannot state: uniqueness of ids, references between parts of the scenario,
 * shares and weights that must add up, and cues that must fall inside the show. Paths are those
 * of the file, so errors land on the line that needs fixing.
 */
final class ScenarioChecks {
    private static final double SHARE_TOLERANCE = 0.001;

    private final Scenario scenario;
    private final ErrorCollector errors;
    private final Set<String> popIds;
    private final Set<String> regionIds;
    private final Map<String, FlagSpec> flags = new HashMap<>();
    /** The PoPs other nodes of this node's fleet serve, where its playbooks may roll back too. */
    private final Set<String> fleetPops = new LinkedHashSet<>();

    private ScenarioChecks(Scenario scenario, ErrorCollector errors) {
        this.scenario = scenario;
        this.errors = errors;
        this.popIds = scenario.pops().stream().map(PopSpec::id).collect(Collectors.toCollection(LinkedHashSet::new));
        this.regionIds = scenario.regions().stream().map(RegionSpec::id).collect(Collectors.toCollection(LinkedHashSet::new));
        scenario.flags().forEach(f -> flags.putIfAbsent(f.key(), f));
    }

    static void check(Scenario scenario, ErrorCollector errors) {
        check(scenario, List.of(), errors);
    }

    /**
     * The same for a node of a fleet: its playbooks may roll back at {@code fleetPops} too, the PoPs other nodes
     * of the fleet serve (a node configuration's {@code fleetPops}).
     */
    static void check(Scenario scenario, List<String> fleetPops, ErrorCollector errors) {
        ScenarioChecks checks = new ScenarioChecks(scenario, errors);
        checks.fleetPops.addAll(fleetPops);
        checks.all();
    }

    private void all() {
        unique(scenario.pops(), PopSpec::id, "$.pops", "id", "PoP id");
        unique(scenario.regions(), RegionSpec::id, "$.regions", "id", "region id");
        unique(scenario.flags(), FlagSpec::key, "$.flags", "key", "flag key");
        unique(scenario.triggers(), TriggerSpec::id, "$.triggers", "id", "trigger id");
        unique(scenario.guardrails(), GuardrailSpec::id, "$.guardrails", "id", "guardrail id");
        pops();
        regions();
        mix(scenario.audience().chat(), "$.audience.chat");
        Audience.OrderValue value = scenario.audience().orderValue();
        if (value != null && value.p90() < value.median()) {
            errors.add("$.audience.orderValue.p90", "must be at least the median (" + value.median() + "), was " + value.p90());
        }
        for (int i = 0; i < scenario.flags().size(); i++) flag(scenario.flags().get(i), "$.flags[" + i + "]");
        for (int i = 0; i < scenario.triggers().size(); i++) trigger(scenario.triggers().get(i), "$.triggers[" + i + "]");
        for (int i = 0; i < scenario.guardrails().size(); i++) guardrail(scenario.guardrails().get(i), "$.guardrails[" + i + "]");
        for (int i = 0; i < scenario.cues().size(); i++) cue(scenario.cues().get(i), "$.cues[" + i + "]");
        Approvals.BeforeDrop drop = scenario.approvals().beforeDrop();
        if (drop != null && drop.problem() != null) {
            errors.add("$.approvals.beforeDrop", drop.problem());
        }
        unique(scenario.playbooks(), PlaybookSpec::id, "$.playbooks", "id", "playbook id");
        for (int i = 0; i < scenario.playbooks().size(); i++) playbook(scenario.playbooks().get(i), "$.playbooks[" + i + "]");
    }

    /**
     * A declared playbook's references (flags, their variants, PoPs, guardrails) and each action's
     * fields for its type; a flag or guardrail at most once per playbook, so its actions apply as one.
     */
    private void playbook(PlaybookSpec playbook, String path) {
        Set<String> guardrailIds = scenario.guardrails().stream().map(GuardrailSpec::id).collect(Collectors.toCollection(LinkedHashSet::new));
        if (playbook.onGuardrail() != null) {
            reference(playbook.onGuardrail(), guardrailIds, "guardrail", path + ".onGuardrail");
        }
        Map<String, Integer> targets = new HashMap<>();
        for (int j = 0; j < playbook.actions().size(); j++) {
            PlaybookSpec.Action a = playbook.actions().get(j);
            String at = path + ".actions[" + j + "]";
            if (PlaybookAction.TYPES.contains(a.type())) {
                // As the API checks a playbook it is sent: a field of another type (a rollback's guardrail) would be ignored.
                try {
                    ShowActions.fieldsOfItsType(a.toAction(), at);
                } catch (FlagValidationException e) {
                    errors.add(e.field(), e.detail());
                    continue;
                }
            }
            boolean onGuardrail = "arm".equals(a.type()) || "disarm".equals(a.type());
            String target = onGuardrail ? a.guardrail() : a.flag();
            String field = onGuardrail ? "guardrail" : "flag";
            if (target == null) {
                errors.add(at + "." + field, "a " + a.type() + " action names its " + field);
                continue;
            }
            Integer first = targets.putIfAbsent(field + ":" + target, j);
            if (first != null) {
                errors.add(at + "." + field, field + " '" + target + "' is already changed by " + path + ".actions[" + first
                        + "]; a playbook changes each flag and guardrail once");
            }
            if (onGuardrail) {
                reference(target, guardrailIds, "guardrail", at + ".guardrail");
                continue;
            }
            FlagSpec flag = flags.get(target);
            if (flag == null) {
                reference(target, flags.keySet(), "flag", at + ".flag");
                continue;
            }
            switch (a.type()) {
                case "rollback" -> {
                    if (a.variant() == null) {
                        errors.add(at + ".variant", "a rollback names the variant it rolls back");
                    } else if (variantOf(flag, a.variant(), at + ".variant") && a.variant().equals(flag.control())) {
                        errors.add(at + ".variant", "'" + a.variant() + "' is the control of flag '" + flag.key()
                                + "'; a rollback moves a treatment's units to it");
                    }
                    if (a.pops() != null) {
                        Set<String> known = new LinkedHashSet<>(popIds);
                        known.addAll(fleetPops);
                        for (int k = 0; k < a.pops().size(); k++) reference(a.pops().get(k), known, "PoP", at + ".pops[" + k + "]");
                    }
                }
                case "change" -> {
                    if (a.variants() == null) {
                        errors.add(at + ".variants", "a change gives the flag's new weights");
                        continue;
                    }
                    int points = 0;
                    for (int k = 0; k < a.variants().size(); k++) {
                        variantOf(flag, a.variants().get(k).name(), at + ".variants[" + k + "].name");
                        points += a.variants().get(k).basisPoints();
                    }
                    if (points != 10_000) {
                        errors.add(at + ".variants", "variant weights must sum to 100, they sum to " + round(points / 100.0));
                    }
                    List<String> names = a.variants().stream().map(FlagSpec.Variant::name).toList();
                    keepsWatchedVariants(flag, names, at + ".variants");
                    keepsType(flag, names, at + ".variants");
                }
                default -> { }
            }
        }
    }

    private <T> void unique(List<T> items, Function<T, String> id, String path, String field, String what) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Integer first = seen.putIfAbsent(id.apply(items.get(i)), i);
            if (first != null) {
                errors.add(path + "[" + i + "]." + field, "duplicate " + what + " '" + id.apply(items.get(i))
                        + "' (also " + path + "[" + first + "])");
            }
        }
    }

    private void pops() {
        for (int i = 0; i < scenario.pops().size(); i++) {
            reference(scenario.pops().get(i).region(), regionIds, "region", "$.pops[" + i + "].region");
        }
        // every PoP a cost, or none: a PoP left out would look free, and pay for itself (docs/COST.md)
        List<String> costed = scenario.pops().stream().filter(p -> p.cost() != null).map(PopSpec::id).toList();
        if (!costed.isEmpty() && costed.size() < scenario.pops().size()) {
            for (int i = 0; i < scenario.pops().size(); i++) {
                PopSpec p = scenario.pops().get(i);
                if (p.cost() == null) {
                    errors.add("$.pops[" + i + "].cost", "PoP '" + p.id() + "' has no cost, but " + String.join(", ", costed)
                            + " do; give every PoP a cost (perHour, perMillionRequests; 0 where it is free) or none");
                }
            }
        }
    }

    private void regions() {
        double sum = 0;
        for (int i = 0; i < scenario.regions().size(); i++) {
            RegionSpec region = scenario.regions().get(i);
            sum += region.share();
            for (int j = 0; j < region.pops().size(); j++) {
                reference(region.pops().get(j), popIds, "PoP", "$.regions[" + i + "].pops[" + j + "]");
            }
        }
        if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
            errors.add("$.regions", "region shares must sum to 1, they sum to " + round(sum));
        }
    }

    private void flag(FlagSpec flag, String path) {
        if (flag.owner() == null || flag.owner().isBlank()) {
            // The engine refuses a flag nobody owns; said here, with the others, rather than when the show starts.
            errors.add(path, "owner is required: the audit trail names who owns each flag");
        }
        List<String> names = new ArrayList<>();
        int points = 0;
        for (int j = 0; j < flag.variants().size(); j++) {
            FlagSpec.Variant variant = flag.variants().get(j);
            if (names.contains(variant.name())) {
                errors.add(path + ".variants[" + j + "].name", "duplicate variant name '" + variant.name() + "'");
            }
            names.add(variant.name());
            points += variant.basisPoints();
        }
        if (points != 10_000) {
            errors.add(path + ".variants", "variant weights must sum to 100, they sum to " + round(points / 100.0));
        }
        reference(flag.control(), names, "variant", path + ".control");
        switch (flag.scope()) {
            case FlagScope.Global g -> { }
            case FlagScope.Region r -> reference(r.id(), regionIds, "region", path + ".scope");
            case FlagScope.Pop p -> reference(p.id(), popIds, "PoP", path + ".scope");
            case FlagScope.Tenant t -> reference(t.id(), scenario.audience().tenants(), "tenant", path + ".scope");
        }
        flag.effects().forEach((variant, effect) -> {
            String effectPath = JsonPaths.field(path + ".effects", variant);
            reference(variant, names, "variant", effectPath);
            if (effect.chatMood() != null) mix(effect.chatMood(), effectPath + ".chatMood");
        });
    }

    private void trigger(TriggerSpec trigger, String path) {
        if (trigger.ordered() && trigger.count() != trigger.kinds().size()) {
            errors.add(path + ".count", "an ordered trigger fires on its whole sequence, so count must be "
                    + trigger.kinds().size() + " (the number of kinds), was " + trigger.count());
        }
    }

    private void guardrail(GuardrailSpec guardrail, String path) {
        FlagSpec flag = flags.get(guardrail.flag());
        if (flag == null) {
            reference(guardrail.flag(), flags.keySet(), "flag", path + ".flag");
            return;
        }
        if (variantOf(flag, guardrail.variant(), path + ".variant") && guardrail.variant().equals(flag.control())) {
            errors.add(path + ".variant", "'" + guardrail.variant() + "' is the control of flag '" + flag.key()
                    + "'; a guardrail watches another variant against it");
        }
        for (int i = 0; i < guardrail.conditions().size(); i++) {
            String problem = thresholdProblem(guardrail.conditions().get(i));
            if (problem != null) {
                errors.add(path + ".conditions[" + i + "].value", problem);
            }
        }
    }

    /** What is wrong with a condition's threshold for its metric's unit, or null. */
    private static String thresholdProblem(GuardrailSpec.Condition c) {
        double v = c.value();
        String name = c.metric().wireName();
        return switch (c.metric().kind()) {
            case RATIO -> v > 0 ? null : name + " is a ratio to control (1.2 = 20% slower), so its threshold must be above 0, was " + round(v);
            // conversions per exposure cannot fall by more than all of them; sentiment, around zero, can
            case RELATIVE_CHANGE -> c.metric() != GuardrailMetric.CONVERSION_LIFT || v > -1 ? null
                    : name + " is a change relative to control (-0.15 = 15% fewer), so its threshold must be above -1, was " + round(v);
            case ABSOLUTE_SHARE -> v >= 0 && v <= 1 ? null
                    : name + " is a share of requests, so its threshold must be between 0 and 1, was " + round(v);
            case ABSOLUTE_MS -> v >= 0 ? null : name + " is in ms, so its threshold must be at least 0, was " + round(v);
            // at or under the normal p95 would hold on an ordinary second, half of the time
            case BASELINE_RATIO -> v > 1 ? null : name + " is the p95 over the PoPs' normal p95 (1.5 = half as slow again),"
                    + " so its threshold must be above 1, was " + round(v);
        };
    }

    private void cue(Cue cue, String path) {
        if (cue.atSeconds() >= scenario.durationSeconds()) {
            errors.add(path + ".atSeconds", "starts at " + cue.atSeconds() + " s, after the show ends at "
                    + scenario.durationSeconds() + " s");
        }
        switch (cue) {
            case Cue.PopOutage c -> reference(c.pop(), popIds, "PoP", path + ".pop");
            case Cue.Partition c -> reference(c.pop(), popIds, "PoP", path + ".pop");
            case Cue.LatencyShift c -> reference(c.pop(), popIds, "PoP", path + ".pop");
            case Cue.Loss c -> reference(c.pop(), popIds, "PoP", path + ".pop");
            case Cue.JitterStorm c -> pops(c.pops(), path);
            case Cue.AcquirerSlowdown c -> pops(c.pops(), path);
            case Cue.SentimentShift c -> {
                FlagSpec flag = flags.get(c.flag());
                if (flag == null) reference(c.flag(), flags.keySet(), "flag", path + ".flag");
                else variantOf(flag, c.variant(), path + ".variant");
                mix(c.chatMood(), path + ".chatMood");
            }
            case Cue.TrafficSurge c -> { }
            case Cue.EncoderDrop c -> { }
            case Cue.EncoderBitrate c -> {
                double healthy = scenario.encoder().bitrateKbps();
                if (c.bitrateKbps() >= healthy) {
                    errors.add(path + ".bitrateKbps", "must be under the encoder's healthy " + kbps(healthy)
                            + " kb/s (encoder.bitrateKbps), was " + kbps(c.bitrateKbps()));
                }
            }
            case Cue.EncoderFrameDrop c -> { }
            case Cue.EncoderEncodingLag c -> { }
            case Cue.EncoderRenderingLag c -> { }
        }
    }

    /** A bitrate as a file writes it: 4500, not 4500.0. */
    private static String kbps(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private void pops(List<String> ids, String path) {
        for (int j = 0; j < ids.size(); j++) reference(ids.get(j), popIds, "PoP", path + ".pops[" + j + "]");
    }

    /**
     * A playbook's change of {@code flag} to {@code names} keeps every variant a guardrail watches, and
     * the control it compares them with: the
     * node refuses at run time a change that leaves a rule watching nothing (docs/GUARDRAILS.md), so a
     * playbook that would make one is refused here, when the show is loaded.
     */
    private void keepsWatchedVariants(FlagSpec flag, List<String> names, String path) {
        for (GuardrailSpec g : scenario.guardrails()) {
            if (!g.flag().equals(flag.key())) {
                continue;
            }
            if (!names.contains(g.variant())) {
                errors.add(path, "leaves out variant '" + g.variant() + "' of flag '" + flag.key() + "', which guardrail "
                        + g.id() + " watches; give it weight 0 to stop serving it");
            } else if (flag.control() != null && !names.contains(flag.control())) {
                errors.add(path, "leaves out the control '" + flag.control() + "' of flag '" + flag.key() + "', which guardrail "
                        + g.id() + " compares variant '" + g.variant() + "' with; give it weight 0 instead");
            }
        }
    }

    /**
     * A playbook's change of {@code flag} to {@code names} keeps the flag's type: the node refuses at run
     * time a change that makes a boolean flag (variants on and off) a string flag or the other way round
     * (docs/API.md), so a playbook that would make one is refused here, when the show is loaded.
     */
    private void keepsType(FlagSpec flag, List<String> names, String path) {
        boolean declared = FlagDefinition.booleanVariants(flag.variants().stream().map(FlagSpec.Variant::name).toList());
        if (declared != FlagDefinition.booleanVariants(names)) {
            errors.add(path, "flag '" + flag.key() + "' is a " + (declared ? "boolean flag (variants on and off)" : "string flag")
                    + "; variants " + names + " would make it a " + (declared ? "string" : "boolean") + " flag, and OpenFeature"
                    + " clients asking for its value by its type would get their default; a flag keeps its type");
        }
    }

    private boolean variantOf(FlagSpec flag, String variant, String path) {
        List<String> names = flag.variants().stream().map(FlagSpec.Variant::name).toList();
        if (names.contains(variant)) return true;
        errors.add(path, "flag '" + flag.key() + "' has no variant '" + variant + "'; its variants are "
                + String.join(", ", names) + Suggestions.didYouMean(variant, names));
        return false;
    }

    private void mix(ChatMix mix, String path) {
        if (Math.abs(mix.sum() - 1) > ChatMix.SUM_TOLERANCE) {
            errors.add(path, "positive, neutral and negative must sum to 1, they sum to " + round(mix.sum()));
        }
    }

    private void reference(String id, Collection<String> known, String what, String path) {
        if (known.contains(id)) return;
        String listed = known.isEmpty() ? "there are none" : "known: " + String.join(", ", known);
        errors.add(path, "unknown " + what + " '" + id + "'" + Suggestions.didYouMean(id, known)
                + (Suggestions.closest(id, known).isPresent() ? "" : "; " + listed));
    }

    private static String round(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString();
    }
}
