package io.edgedeck.simulator.show;

import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.engine.flags.FlagConflictException;
import io.edgedeck.engine.flags.FlagInUseException;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.journal.JournalRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several changes made as one (a playbook's run, a scheduled change firing): the actions checked
 * and turned into the steps of one {@link JournalRecord.ActionsApplied}, which the core journals in
 * one write and audits as one entry ({@code EdgeCore.applyActions}). On the engine thread, except
 * {@link #validate}, which needs no show.
 */
public final class ShowActions {
    /** The fields each type of action takes besides {@code type} (docs/API.md, "Playbooks"); any other is refused. */
    private static final Map<String, List<String>> FIELDS = Map.of(
            PlaybookAction.KILL, List.of("flag"),
            PlaybookAction.UNKILL, List.of("flag"),
            PlaybookAction.CHANGE, List.of("flag", "variants", "scope"),
            PlaybookAction.ROLLBACK, List.of("flag", "variant", "pops"),
            PlaybookAction.ARM, List.of("guardrail"),
            PlaybookAction.DISARM, List.of("guardrail"));

    private ShowActions() {
    }

    /** The steps that make the actions now, and each change for people; an action that would change nothing is left out. */
    public record Made(List<JournalRecord.Step> steps, List<String> changes) {
    }

    /**
     * Checks the actions' fields for their types, with no show: each has only the fields its type takes,
     * names its target, a flag or guardrail at most once (so the actions apply as one, whatever their
     * order), and a PoP at most once.
     *
     * @param path where the actions are in the caller's input, e.g. {@code actions}
     * @throws FlagValidationException naming the field, e.g. {@code actions[1].variant}
     */
    public static void validate(List<PlaybookAction> actions, String path) {
        if (actions == null || actions.isEmpty()) {
            throw new FlagValidationException(path, "at least one action is required");
        }
        Map<String, Integer> targets = new HashMap<>();
        for (int i = 0; i < actions.size(); i++) {
            validate(actions.get(i), path + "[" + i + "]", targets, i);
        }
    }

    /** One action's fields, e.g. a scheduled change's {@code action}. */
    public static void validate(PlaybookAction a, String at) {
        validate(a, at, new HashMap<>(), 0);
    }

    private static void validate(PlaybookAction a, String at, Map<String, Integer> targets, int index) {
        if (a == null) {
            throw new FlagValidationException(at, "must be an action");
        }
        if (a.type() == null || !PlaybookAction.TYPES.contains(a.type())) {
            throw new FlagValidationException(at + ".type", "must be one of " + String.join(", ", PlaybookAction.TYPES)
                    + (a.type() == null ? "" : ", was '" + a.type() + "'"));
        }
        fieldsOfItsType(a, at);
        boolean guardrail = a.type().equals(PlaybookAction.ARM) || a.type().equals(PlaybookAction.DISARM);
        String field = guardrail ? "guardrail" : "flag";
        String target = guardrail ? a.guardrail() : a.flag();
        if (target == null || target.isBlank()) {
            throw new FlagValidationException(at + "." + field, "a " + a.type() + " action names its " + field);
        }
        Integer first = targets.putIfAbsent(field + ":" + target, index);
        if (first != null) {
            throw new FlagValidationException(at + "." + field, field + " '" + target + "' is already changed by action " + first
                    + "; each flag and guardrail is changed once, so the actions apply as one");
        }
        if (a.type().equals(PlaybookAction.ROLLBACK) && (a.variant() == null || a.variant().isBlank())) {
            throw new FlagValidationException(at + ".variant", "a rollback names the variant it rolls back");
        }
        if (a.type().equals(PlaybookAction.ROLLBACK) && a.pops() != null && a.pops().isEmpty()) {
            throw new FlagValidationException(at + ".pops", "name at least one PoP, or leave pops out to roll back everywhere");
        }
        popsOnce(a, at);
        if (a.type().equals(PlaybookAction.CHANGE) && a.variants() == null && a.scope() == null) {
            throw new FlagValidationException(at + ".variants", "a change gives new weights (variants) or a scope");
        }
        if (a.type().equals(PlaybookAction.CHANGE) && a.variants() != null && a.variants().isEmpty()) {
            throw new FlagValidationException(at + ".variants", "a change's variants are the flag's new weights: name every"
                    + " variant with its weight, or leave variants out to change the scope alone");
        }
    }

    /**
     * Only the fields {@code a}'s type takes (a rollback's {@code guardrail} would be ignored, so it is
     * refused), each PoP named once: the checks a declared playbook's actions get too. {@code a}'s type is known.
     *
     * @throws FlagValidationException naming the field, e.g. {@code actions[1].guardrail}
     */
    public static void fieldsOfItsType(PlaybookAction a, String at) {
        List<String> takes = FIELDS.get(a.type());
        Map<String, Object> sent = new java.util.LinkedHashMap<>();
        sent.put("flag", a.flag());
        sent.put("variant", a.variant());
        sent.put("pops", a.pops());
        sent.put("variants", a.variants());
        sent.put("scope", a.scope());
        sent.put("guardrail", a.guardrail());
        sent.forEach((name, value) -> {
            if (value != null && !takes.contains(name)) {
                throw new FlagValidationException(at + "." + name, "a " + a.type() + " action takes " + String.join(", ", takes)
                        + ", not " + name);
            }
        });
        popsOnce(a, at);
    }

    private static void popsOnce(PlaybookAction a, String at) {
        if (a.type().equals(PlaybookAction.ROLLBACK) && a.pops() != null) {
            Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < a.pops().size(); i++) {
                if (!seen.add(a.pops().get(i))) {
                    throw new FlagValidationException(at + ".pops[" + i + "]", "PoP '" + a.pops().get(i)
                            + "' is named twice; name each PoP once");
                }
            }
        }
    }

    /**
     * The actions as {@code actor} would make them now, with {@code reason}: each checked against
     * the show as it is (an unknown flag, a variant it does not have, weights that do not add up), a
     * change applied to the flag's version now.
     *
     * @throws FlagValidationException (or its kinds) naming the action, e.g. {@code actions[2].variant}
     * @throws FlagConflictException   when an action cannot apply to the flag as it is
     */
    public static Made make(Show s, List<PlaybookAction> actions, String path, String actor, String reason) {
        List<JournalRecord.Step> steps = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            make(s, actions.get(i), path + "[" + i + "]", actor, reason, steps, changes);
        }
        return new Made(steps, changes);
    }

    /** The same for one action, where the input holds one rather than a list (a scheduled change's {@code action}). */
    public static Made make(Show s, PlaybookAction action, String at, String actor, String reason) {
        List<JournalRecord.Step> steps = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        make(s, action, at, actor, reason, steps, changes);
        return new Made(steps, changes);
    }

    private static void make(Show s, PlaybookAction a, String at, String actor, String reason, List<JournalRecord.Step> steps,
                             List<String> changes) {
        try {
            JournalRecord.Step step = step(s, a, actor, reason);
            if (step != null) {
                steps.add(step);
                changes.add(a.describe());
            }
        } catch (FlagNotFoundException e) {
            throw new FlagNotFoundException(at + "." + ShowChanges.apiField(e.field()), e.detail());
        } catch (FlagValidationException e) {
            throw new FlagValidationException(at + "." + ShowChanges.apiField(e.field()), e.detail());
        } catch (FlagInUseException e) {
            throw new FlagInUseException(e.key(), e.currentVersion(), at + "." + ShowChanges.apiField(e.field()), at + ": " + e.getMessage());
        } catch (FlagConflictException e) {
            throw new FlagConflictException(e.key(), e.currentVersion(), at + ": " + e.getMessage());
        }
    }

    /** One action's step, checked; null when it would change nothing (a killed flag killed again). */
    private static JournalRecord.Step step(Show s, PlaybookAction a, String actor, String reason) {
        long now = ShowChanges.now(s);
        var registry = s.core().experiments().registry();
        switch (a.type()) {
            case PlaybookAction.ARM, PlaybookAction.DISARM -> {
                boolean armed = a.type().equals(PlaybookAction.ARM);
                boolean armedNow;
                try {
                    armedNow = s.core().guardrails().status(a.guardrail()).armed();
                } catch (FlagNotFoundException e) {
                    // The engine calls it a rule; the action names it in its field guardrail.
                    throw new FlagNotFoundException("guardrail", e.detail());
                }
                if (armedNow == armed) {
                    return null;
                }
                return new JournalRecord.Step(null, new JournalRecord.ArmStep(a.guardrail(), armed), null);
            }
            default -> {
            }
        }
        FlagDefinition d = flag(s, a.flag());
        if (a.type().equals(PlaybookAction.ROLLBACK) && a.pops() != null) {
            knownPops(s, a.pops());
            s.core().experiments().checkRollbackAtInFleet(a.flag(), a.variant(), a.pops());
            Set<String> already = s.core().experiments().rolledBackAnywhere(a.flag() + "/" + a.variant());
            return already.containsAll(a.pops()) ? null
                    : new JournalRecord.Step(null, null, new JournalRecord.RollbackAtStep(a.flag(), a.variant(), a.pops()));
        }
        FlagCommand command = switch (a.type()) {
            case PlaybookAction.KILL -> d.killed() ? null : new FlagCommand.Kill(a.flag(), actor, reason, now);
            case PlaybookAction.UNKILL -> d.killed() ? new FlagCommand.Unkill(a.flag(), actor, reason, now) : null;
            case PlaybookAction.CHANGE -> unchanged(d, a) ? null
                    : ShowChanges.command(s, a.flag(), new FlagChange(d.version(), a.variants(), a.scope(), actor, reason), actor, reason);
            case PlaybookAction.ROLLBACK -> {
                if (d.variantIndex(a.variant()) < 0) {
                    throw new FlagNotFoundException("variant", "flag " + a.flag() + " has no variant '" + a.variant() + "'");
                }
                yield d.weightOf(a.variant()) == 0 ? null : new FlagCommand.Rollback(a.flag(), a.variant(), actor, reason, now);
            }
            default -> throw new FlagValidationException("type", "not an action type: " + a.type());
        };
        if (command == null) {
            return null;
        }
        registry.check(command);
        return new JournalRecord.Step(command, null, null);
    }

    /**
     * Each PoP of a rollback's {@code pops} is served here or, on a fleet node, by another node of the fleet
     * (its node configuration's {@code fleetPops}); any other is a 400-kind refusal naming it, {@code pops[i]}.
     */
    private static void knownPops(Show s, List<String> pops) {
        List<String> own = s.core().experiments().popIds();
        Set<String> fleet = s.core().experiments().fleetPops();
        for (int i = 0; i < pops.size(); i++) {
            String pop = pops.get(i);
            if (own.contains(pop) || fleet.contains(pop)) {
                continue;
            }
            if (fleet.isEmpty()) {
                throw new FlagValidationException("pops[" + i + "]", "unknown PoP '" + pop + "': this node serves "
                        + String.join(", ", own) + " (a node of a fleet also knows the PoPs its node configuration's fleetPops"
                        + " lists)");
            }
            java.util.TreeSet<String> all = new java.util.TreeSet<>(own);
            all.addAll(fleet);
            throw new FlagValidationException("pops[" + i + "]", "unknown PoP '" + pop + "': no node of the fleet serves it;"
                    + " the fleet's PoPs (this node's and its node configuration's fleetPops): " + String.join(", ", all));
        }
    }

    private static FlagDefinition flag(Show s, String key) {
        return s.core().experiments().registry().get(key)
                .orElseThrow(() -> new FlagNotFoundException("flag", "unknown flag '" + key + "'"));
    }

    /** True when a change asks for the weights and scope the flag has now. */
    private static boolean unchanged(FlagDefinition d, PlaybookAction a) {
        if (a.scope() != null && !a.scope().equals(d.scope().wireName())) {
            return false;
        }
        if (a.variants() == null) {
            return true;
        }
        if (a.variants().size() != d.variants().size()) {
            return false;
        }
        for (VariantView v : a.variants()) {
            if (d.variantIndex(v.name()) < 0 || d.weightOf(v.name()) != v.weight()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The one record of the made steps, numbered next in the show's journal.
     *
     * @param action the audit's action ({@code playbook.run}, {@code schedule.fire}); its target, before and reason likewise
     */
    public static JournalRecord.ActionsApplied record(Show s, Made made, String actor, String action, String target, String before,
                                                      String reason) {
        return new JournalRecord.ActionsApplied(s.core().journal().nextSeq(), ShowChanges.now(s), actor, action, target, before,
                String.join("; ", made.changes()), reason, servedHere(s, made.steps()));
    }

    /**
     * The steps as this node alone makes them: a PoP-local rollback at the PoPs it serves, without those other nodes
     * of its fleet serve (their part is theirs); a rollback left with none is left out. What a fleet node journals
     * when it runs a playbook on its own, the fleet out of reach.
     */
    private static List<JournalRecord.Step> servedHere(Show s, List<JournalRecord.Step> steps) {
        List<String> own = s.core().experiments().popIds();
        List<JournalRecord.Step> here = new ArrayList<>();
        for (JournalRecord.Step step : steps) {
            JournalRecord.RollbackAtStep at = step.rollbackAt();
            if (at == null || own.containsAll(at.pops())) {
                here.add(step);
                continue;
            }
            List<String> served = at.pops().stream().filter(own::contains).toList();
            if (!served.isEmpty()) {
                here.add(new JournalRecord.Step(null, null, new JournalRecord.RollbackAtStep(at.flag(), at.variant(), served)));
            }
        }
        return here;
    }
}
