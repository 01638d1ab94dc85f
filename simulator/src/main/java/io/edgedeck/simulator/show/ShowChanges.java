package io.edgedeck.simulator.show;

import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagRestore;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.simulator.scenario.Suggestions;

import java.util.List;

/**
 * The operator's changes of flags and guardrails as the engine takes them, on the engine thread:
 * one place for the rules the console's rehearsal and the node's API share (and the node's approval
 * lanes, which check a change before they hold it back and apply it later).
 */
public final class ShowChanges {
    private ShowChanges() {
    }

    /** Engine time now. */
    public static long now(Show s) {
        return s.core().nowMillis();
    }

    public static FlagView view(Show s, String key) {
        return s.core().experiments().view(key, now(s));
    }

    /** The flag called {@code key}, or a 404-kind refusal. */
    public static FlagDefinition flag(Show s, String key) {
        return s.core().experiments().registry().get(key)
                .orElseThrow(() -> new FlagNotFoundException("key", "unknown flag '" + key + "'"));
    }

    /**
     * The API's name for a field the engine names otherwise, so a problem names what the caller sent: a
     * scope is one string on the wire ({@code region:eu}), so the engine's {@code scope.id} is the
     * {@code scope}; a guardrail is a rule to the engine and {@code {id}} in the API's paths.
     */
    public static String apiField(String engineField) {
        if (engineField == null) {
            return null;
        }
        return switch (engineField) {
            case "scope.id" -> "scope";
            case "rule" -> "id";
            default -> engineField;
        };
    }

    /**
     * {@code change} as the flag command it is, made by {@code operator} with {@code reason}; its
     * scope is checked here, its weights and version when it is checked or applied.
     */
    public static FlagCommand.Change command(Show s, String key, FlagChange change, String operator, String reason) {
        if (change == null) throw new FlagValidationException("body", "a change is required");
        List<Variant> variants = change.variants() == null ? null
                : change.variants().stream().map(v -> new Variant(v.name(), v.weight())).toList();
        Scope scope = null;
        if (change.scope() != null) {
            try {
                scope = Scope.parse(change.scope());
            } catch (IllegalArgumentException e) {
                throw new FlagValidationException("scope", e.getMessage());
            }
            if (scope instanceof Scope.Tenant(String tenant)) {
                List<String> tenants = tenants(s);
                if (!tenants.contains(tenant)) {
                    throw new FlagValidationException("scope.id", "unknown tenant '" + tenant + "'"
                            + Suggestions.closest(tenant, tenants).map(c -> "; did you mean '" + c + "'?")
                                    .orElse("; known tenants: " + String.join(", ", tenants)));
                }
            }
        }
        return new FlagCommand.Change(key, change.expectedVersion(), new FlagUpdate(variants, null, scope, null, null),
                operator, reason, now(s));
    }

    /** The tenants a flag's scope may name: the show's, or {@code main} where it names none, as its audience takes them. */
    public static List<String> tenants(Show s) {
        List<String> tenants = s.definition().scenario().audience().tenants();
        return tenants.isEmpty() ? List.of("main") : tenants;
    }

    public static FlagView changeFlag(Show s, String key, FlagChange change) {
        FlagCommand.Change c = command(s, key, change, change == null ? null : change.operator(), change == null ? null : change.reason());
        s.core().experiments().change(key, c.expectedVersion(), c.update(), c.operator(), c.reason(), c.atMillis());
        return view(s, key);
    }

    /**
     * The flag change a restore of {@code restore.version()} is: that version's weights and scope, based on
     * {@code restore.expectedVersion()}, its reason {@code restore vN: } before the operator's. A version the flag
     * never had is a 404-kind refusal naming {@code version}.
     */
    public static FlagChange restoring(Show s, String key, FlagRestore restore, String operator) {
        flag(s, key);
        FlagVersion old = s.core().experiments().registry().history(key).stream()
                .filter(v -> v.version() == restore.version()).findFirst()
                .orElseThrow(() -> new FlagNotFoundException("version", key + " has no version " + restore.version()));
        return new FlagChange(restore.expectedVersion(), old.variants(), old.scope(), operator,
                "restore v" + restore.version() + ": " + restore.reason());
    }

    /**
     * Kills or brings back a flag; a flag already so changes nothing and is not audited, but a blank reason is
     * refused (naming {@code reason}) all the same.
     */
    public static FlagView setKilled(Show s, String key, boolean killed, String operator, String reason) {
        FlagDefinition d = flag(s, key);
        reasonGiven(reason, "must not be blank");
        if (d.killed() != killed) {
            if (killed) {
                s.core().experiments().kill(key, operator, reason, now(s));
            } else {
                s.core().experiments().unkill(key, operator, reason, now(s));
            }
        }
        return view(s, key);
    }

    /**
     * A 400-kind refusal naming {@code reason}, saying {@code message}, when it is missing or blank: checked
     * before a change that would change nothing returns, as its change would check it.
     */
    public static void reasonGiven(String reason, String message) {
        if (reason == null || reason.isBlank()) {
            throw new FlagValidationException("reason", message);
        }
    }

    /**
     * Serves {@code variant} again at {@code pops} (every PoP where it is rolled back when empty) after a
     * PoP-local rollback, journaled and audited ({@code variant.rollback-cleared}); a variant rolled back at
     * none of them changes nothing and is not audited. An unknown flag is a 404-kind refusal naming
     * {@code key}, an unknown PoP one naming {@code pops}, the control or an unknown variant a 400-kind one
     * naming {@code variant}, a missing reason one naming {@code reason}.
     */
    public static FlagView clearRollbackAt(Show s, String key, String variant, List<String> pops, String operator,
                                           String reason) {
        flag(s, key);
        if (variant == null || variant.isBlank()) {
            throw new FlagValidationException("variant", "name the variant to serve again");
        }
        if (reason == null || reason.isBlank()) {
            throw new FlagValidationException("reason", "must say why");
        }
        s.core().experiments().clearRollbackAt(key, variant, pops, operator, reason, now(s));
        return view(s, key);
    }

    /**
     * Lets a paused variant take new exposures again, journaled and audited ({@code variant.resume}); a
     * variant that is not paused changes nothing and is not audited. An unknown variant is a 404-kind
     * refusal naming {@code variant}, the control a 400-kind one.
     */
    public static FlagView resume(Show s, String key, String variant, String operator, String reason) {
        flag(s, key);
        if (reason == null || reason.isBlank()) {
            throw new FlagValidationException("reason", "must say why");
        }
        s.core().experiments().setPaused(key, variant, false, operator, reason, now(s));
        return view(s, key);
    }

    /** True when {@code variant} of {@code key} is paused for new exposures. */
    public static boolean paused(Show s, String key, String variant) {
        return s.core().experiments().paused().getOrDefault(key, java.util.Set.of()).contains(variant);
    }

    /**
     * A rollback of {@code variant} to control everywhere as a flag command, checked as a rollback by
     * hand is: an unknown flag or variant is a 404-kind refusal naming {@code flag} or {@code variant},
     * the control variant a 400-kind one.
     */
    public static FlagCommand.Rollback rollingBack(Show s, String flagKey, String variant, String operator, String reason) {
        FlagDefinition d = s.core().experiments().registry().get(flagKey)
                .orElseThrow(() -> new FlagNotFoundException("flag", "unknown flag '" + flagKey + "'"));
        if (d.variantIndex(variant) < 0) {
            throw new FlagNotFoundException("variant", "flag " + flagKey + " has no variant '" + variant + "'");
        }
        if (variant.equals(d.controlVariant())) {
            throw new FlagValidationException("variant", "'" + variant + "' is the control: there is nothing to roll back to");
        }
        return new FlagCommand.Rollback(flagKey, variant, operator, reason, now(s));
    }

    public static GuardrailStatus setArmed(Show s, String guardrailId, boolean armed, String operator, String reason) {
        s.core().guardrails().setArmed(guardrailId, armed, operator, reason, now(s));
        return s.core().guardrails().status(guardrailId);
    }
}
