package io.edgedeck.engine.flags;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantView;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The engine's store of flags: versions every change, audits it, and models how each version
 * reaches the PoPs. What makes a definition valid is {@link FlagRules}'; the versions of one flag a
 * PoP may still run are {@link FlagVersions}.
 *
 * <h2>Determinism</h2>
 * Single-threaded, owned by the engine thread. Every mutation is a {@link FlagCommand} carrying its
 * own virtual time, and its effect depends only on that command and the current state: no clock,
 * no randomness. Applying the same commands in the same order to a registry built with the same
 * PoPs and regions gives the same {@link #all()}, {@link #audit()} and per-PoP state. A command
 * that throws changes nothing, so it is neither audited nor passed to listeners. A valid command is
 * recorded ({@link #writeAheadTo}) before it changes anything; if it cannot be recorded, it throws
 * and changes nothing.
 * Command times must not go backwards.
 *
 * <h2>Propagation</h2>
 * A version published at time {@code t} is live at PoP {@code p} from {@code t + delay(p)}; until
 * then the PoP keeps running the version it had (or, for a new flag, serves control to everyone).
 * A PoP has acknowledged a version once it is live there. Versions are kept until a newer one is
 * live everywhere, so {@link #evaluatorAt} answers for any time at or after the latest command.
 *
 * <p>Kills propagate like any other change, by each PoP's delay. A PoP cannot stop serving a
 * variant before the kill reaches it; making the kill instant here would make exposure counts claim
 * control while the PoPs were still serving the bad variant, and the acknowledgement count would
 * hide the window the producer needs to see. The in-process rehearsal meets the "rollback at every
 * PoP within one tick" budget by configuring delays no longer than a tick.
 */
public final class FlagRegistry {
    private static final String NONE = "none";

    private final Map<String, Long> popDelayMillis;
    private final FlagRules rules;
    private final long maxDelayMillis;
    private final Map<String, FlagVersions> flags = new TreeMap<>();
    private final List<AuditEntry> audit = new ArrayList<>();
    /** Every version of each flag, oldest first: what a restore picks from. */
    private final Map<String, List<FlagVersion>> history = new TreeMap<>();
    private final List<FlagChangeListener> listeners = new ArrayList<>();
    /** Per flag, whether it was declared a boolean flag (variants on and off): the type a change keeps. */
    private final Map<String, Boolean> declaredBoolean = new java.util.HashMap<>();
    private java.util.function.Consumer<FlagCommand> writeAhead = command -> { };
    private FlagGuard guard = (before, after) -> { };
    private long lastCommandMillis = Long.MIN_VALUE;

    /**
     * @param regionIds      the regions a scope may name
     * @param popDelayMillis every PoP a scope may name, with how long a new version takes to reach it
     */
    public FlagRegistry(Set<String> regionIds, Map<String, Long> popDelayMillis) {
        this.popDelayMillis = new TreeMap<>(popDelayMillis);
        this.rules = new FlagRules(new TreeSet<>(regionIds), this.popDelayMillis.keySet());
        long max = 0;
        for (var entry : this.popDelayMillis.entrySet()) {
            if (entry.getValue() < 0) {
                throw new IllegalArgumentException("PoP " + entry.getKey() + " has a negative propagation delay");
            }
            max = Math.max(max, entry.getValue());
        }
        this.maxDelayMillis = max;
    }

    /** Removes its listener when closed. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Sets where a command is recorded once it is valid and before it changes anything (the
     * journal). If recording throws, the command changes nothing and throws that.
     */
    public void writeAheadTo(java.util.function.Consumer<FlagCommand> recorder) {
        this.writeAhead = recorder;
    }

    /**
     * What a new change of a flag's definition must also satisfy (the guardrails watching its
     * variants): asked by {@link #change}, {@link #check} and {@link #preview}, never by {@link #apply},
     * which replays what was journaled or agreed in the fleet and must take it as it was.
     */
    @FunctionalInterface
    public interface FlagGuard {
        /**
         * @param before the flag as it is
         * @param after  the flag as the change would leave it: its variants checked (present, named,
         *               distinct, weights that add up), the rest not yet validated
         * @throws FlagInUseException to refuse the change
         */
        void check(FlagDefinition before, FlagDefinition after);
    }

    /** Sets the {@link FlagGuard} every new change of a flag's definition is checked against. */
    public void guardedBy(FlagGuard flagGuard) {
        this.guard = java.util.Objects.requireNonNull(flagGuard, "flagGuard");
    }

    public Subscription subscribe(FlagChangeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Records the type the show's configuration declares a flag with, before the journal is replayed:
     * a flag created otherwise takes the type it is created with.
     */
    public void declare(FlagDefinition declared) {
        declaredBoolean.put(declared.key(), declared.booleanValued());
    }

    /** Adds a flag at version 1; the definition's own version is ignored. */
    public FlagDefinition create(FlagDefinition definition, String operator, String reason, long nowMillis) {
        return apply(new FlagCommand.Create(definition, operator, reason, nowMillis));
    }

    /**
     * Edits a flag if nobody changed it since {@code expectedVersion}, and if the {@link FlagGuard} lets it.
     *
     * @throws FlagConflictException   if the flag has moved past {@code expectedVersion}, or (a
     *                                 {@link FlagInUseException}) the guard refuses it
     * @throws FlagValidationException if the result would be invalid, naming the field
     */
    public FlagDefinition change(String key, long expectedVersion, FlagUpdate update, String operator,
                                 String reason, long nowMillis) {
        return apply(new FlagCommand.Change(key, expectedVersion, update, operator, reason, nowMillis), true);
    }

    public FlagDefinition change(String key, long expectedVersion, List<Variant> newWeights, String operator,
                                 String reason, long nowMillis) {
        return change(key, expectedVersion, FlagUpdate.weights(newWeights), operator, reason, nowMillis);
    }

    /** Serves control everywhere, whatever the weights; no version check, since it is the emergency exit. */
    public FlagDefinition kill(String key, String operator, String reason, long nowMillis) {
        return apply(new FlagCommand.Kill(key, operator, reason, nowMillis));
    }

    public FlagDefinition unkill(String key, String operator, String reason, long nowMillis) {
        return apply(new FlagCommand.Unkill(key, operator, reason, nowMillis));
    }

    /** Moves all of {@code variantName}'s weight to control; no version check, like {@link #kill}. */
    public FlagDefinition rollback(String key, String variantName, String operator, String reason, long nowMillis) {
        return apply(new FlagCommand.Rollback(key, variantName, operator, reason, nowMillis));
    }

    /**
     * Checks a new command as {@link #change} would, the {@link FlagGuard} included, changing nothing.
     *
     * @throws FlagConflictException   if it conflicts with the flag as it is
     * @throws FlagValidationException if it is invalid, naming the field
     */
    public void check(FlagCommand command) {
        if (command != null) {
            next(command, true);
        }
    }

    /**
     * Checks a recorded command (journaled, or agreed in the fleet) as {@link #apply} would, without
     * the {@link FlagGuard}, changing nothing.
     */
    public void checkRecorded(FlagCommand command) {
        if (command != null) {
            next(command, false);
        }
    }

    /**
     * The flag as {@code command} would leave it, at its next version, changing nothing.
     *
     * @throws FlagConflictException   if it conflicts with the flag as it is
     * @throws FlagValidationException if it is invalid, naming the field
     */
    public FlagDefinition preview(FlagCommand command) {
        return next(command, true);
    }

    /**
     * Applies one command as it was recorded: the path of journal replay and of the fleet's agreed
     * changes, so the {@link FlagGuard} is not asked (the command took effect already, or on every node).
     */
    public FlagDefinition apply(FlagCommand command) {
        return apply(command, false);
    }

    /** Applies one command: the single path for live calls and for journal replay. */
    private FlagDefinition apply(FlagCommand command, boolean guarded) {
        FlagDefinition after = next(command, guarded);
        FlagVersions state = command instanceof FlagCommand.Create ? null : existing(command.key());
        FlagDefinition before = state == null ? null : state.latest().definition();
        writeAhead.accept(command);
        if (state == null) {
            state = new FlagVersions(FlagEvaluator.notYetLive(after));
            flags.put(after.key(), state);
            declaredBoolean.putIfAbsent(after.key(), after.booleanValued());
        }
        state.publish(FlagEvaluator.of(after), command.atMillis(), maxDelayMillis);
        lastCommandMillis = command.atMillis();
        var entry = new AuditEntry(audit.size() + 1L, command.atMillis(), command.operator(), action(command),
                after.key(), before == null ? NONE : before.summary(), after.summary(), command.reason());
        audit.add(entry);
        history.computeIfAbsent(after.key(), k -> new ArrayList<>()).add(new FlagVersion(after.version(),
                after.variants().stream().map(v -> new VariantView(v.name(), v.weight())).toList(), after.scope().wireName(),
                after.killed(), command.atMillis(), command.operator(), entry.action(), command.reason()));
        for (FlagChangeListener listener : List.copyOf(listeners)) {
            listener.onFlagChange(command, entry);
        }
        return after;
    }

    /** The flag as a valid command leaves it, at its next version; throws for an invalid one. Changes nothing. */
    private FlagDefinition next(FlagCommand command, boolean guarded) {
        FlagRules.requireText("operator", command.operator());
        FlagRules.requireText("reason", command.reason());
        if (command.atMillis() < lastCommandMillis) {
            throw new FlagValidationException("atMillis", "command at " + command.atMillis()
                    + " ms is before the previous change at " + lastCommandMillis + " ms");
        }
        if (command instanceof FlagCommand.Create create && create.definition() == null) {
            throw new FlagValidationException("definition", "must be present");
        }
        FlagVersions state = command instanceof FlagCommand.Create ? null : existing(command.key());
        FlagDefinition before = state == null ? null : state.latest().definition();
        FlagDefinition after = switch (command) {
            case FlagCommand.Create create -> created(create.definition());
            case FlagCommand.Change change -> {
                if (change.expectedVersion() != before.version()) {
                    throw new FlagConflictException(before.key(), before.version(), "flag " + before.key()
                            + " is at version " + before.version() + ", the change was based on version "
                            + change.expectedVersion());
                }
                if (change.update() == null) {
                    throw new FlagValidationException("update", "must be present");
                }
                FlagDefinition updated = change.update().applyTo(before);
                if (guarded) {
                    // malformed variants first (400 naming the field); then the flag's type and the guard, before
                    // the rest of validation, so a change that drops the control is refused naming the rules
                    FlagRules.boundedVariants(updated);
                    FlagRules.validateVariants(updated);
                    FlagRules.keepsType(declaredBoolean.getOrDefault(before.key(), before.booleanValued()), before, updated);
                    guard.check(before, updated);
                }
                FlagDefinition valid = rules.validated(updated);
                if (guarded && valid.equals(before)) {
                    // a recorded one is replayed as it was: journals written before this refusal hold some
                    throw new FlagUnchangedException(before.key(), before.version(), "flag " + before.key()
                            + " already has these weights and this scope (version " + before.version() + "); nothing changed");
                }
                yield valid;
            }
            case FlagCommand.Kill kill -> {
                if (before.killed()) {
                    throw new FlagConflictException(before.key(), before.version(),
                            "flag " + before.key() + " is already killed (version " + before.version() + ")");
                }
                yield before.withKilled(true);
            }
            case FlagCommand.Unkill unkill -> {
                if (!before.killed()) {
                    throw new FlagConflictException(before.key(), before.version(),
                            "flag " + before.key() + " is not killed (version " + before.version() + ")");
                }
                yield before.withKilled(false);
            }
            case FlagCommand.Rollback rollback -> rolledBack(before, rollback.variantName());
        };
        return after.withVersion(before == null ? 1 : before.version() + 1);
    }

    /** The latest version, whether or not it has reached every PoP. */
    public Optional<FlagDefinition> get(String key) {
        FlagVersions state = flags.get(key);
        return state == null ? Optional.empty() : Optional.of(state.latest().definition());
    }

    /** Latest versions, ordered by key. */
    public List<FlagDefinition> all() {
        return flags.values().stream().map(state -> state.latest().definition()).toList();
    }

    /** Every audit entry, oldest first. */
    public List<AuditEntry> audit() {
        return List.copyOf(audit);
    }

    /**
     * The compiled version a PoP runs at {@code nowMillis}; before the flag first reaches the PoP,
     * an evaluator that serves control with {@link FlagEvaluator#version()} 0. Callers on the hot
     * path keep the result until the flag changes or {@link #fullyPropagatedAtMillis} passes.
     */
    public FlagEvaluator evaluatorAt(String key, String popId, long nowMillis) {
        return existing(key).liveAt(nowMillis, delayOf(popId));
    }

    /** The version a PoP runs (and has acknowledged) at {@code nowMillis}; 0 before the first arrives. */
    public long versionLiveAt(String key, String popId, long nowMillis) {
        return evaluatorAt(key, popId, nowMillis).version();
    }

    /** The definition in force at a PoP; empty before the first version arrives there. */
    public Optional<FlagDefinition> definitionAt(String key, String popId, long nowMillis) {
        FlagEvaluator evaluator = evaluatorAt(key, popId, nowMillis);
        return evaluator.version() == 0 ? Optional.empty() : Optional.of(evaluator.definition());
    }

    /** How many PoPs run the latest version at {@code nowMillis}. */
    public int acknowledgedCount(String key, long nowMillis) {
        long publishedAt = existing(key).latest().publishedAtMillis();
        int count = 0;
        for (long delay : popDelayMillis.values()) {
            if (publishedAt + delay <= nowMillis) {
                count++;
            }
        }
        return count;
    }

    public int popCount() {
        return popDelayMillis.size();
    }

    /** When the latest version will be (or was) live at every PoP. */
    public long fullyPropagatedAtMillis(String key) {
        return existing(key).latest().publishedAtMillis() + maxDelayMillis;
    }

    /** How long the latest version took to reach every PoP; empty while it is still propagating. */
    public OptionalLong fullPropagationMillis(String key, long nowMillis) {
        return fullyPropagatedAtMillis(key) <= nowMillis ? OptionalLong.of(maxDelayMillis) : OptionalLong.empty();
    }

    public FlagView view(String key, long nowMillis) {
        FlagDefinition flag = existing(key).latest().definition();
        OptionalLong full = fullPropagationMillis(key, nowMillis);
        return new FlagView(flag.key(), flag.description(), flag.owner(),
                flag.variants().stream().map(v -> new VariantView(v.name(), v.weight())).toList(),
                flag.controlVariant(), flag.scope().wireName(), flag.version(), flag.killed(),
                acknowledgedCount(key, nowMillis), popCount(), full.isPresent() ? full.getAsLong() : null);
    }

    /** Every version of the flag, oldest first; a 404-kind refusal for an unknown flag. */
    public List<FlagVersion> history(String key) {
        existing(key);
        return List.copyOf(history.get(key));
    }

    /** Views of every flag, ordered by key. */
    public List<FlagView> views(long nowMillis) {
        return flags.keySet().stream().map(key -> view(key, nowMillis)).toList();
    }

    private FlagVersions existing(String key) {
        FlagVersions state = key == null ? null : flags.get(key);
        if (state == null) {
            throw new FlagNotFoundException("key", "unknown flag '" + key + "'");
        }
        return state;
    }

    private long delayOf(String popId) {
        Long delay = popDelayMillis.get(popId);
        if (delay == null) {
            throw new FlagValidationException("popId", "unknown PoP '" + popId + "'");
        }
        return delay;
    }

    private FlagDefinition created(FlagDefinition definition) {
        FlagVersions existing = definition.key() == null ? null : flags.get(definition.key());
        if (existing != null) {
            long version = existing.latest().definition().version();
            throw new FlagConflictException(definition.key(), version,
                    "flag " + definition.key() + " already exists (version " + version + ")");
        }
        return rules.validated(definition);
    }

    private FlagDefinition rolledBack(FlagDefinition flag, String variantName) {
        int index = flag.variantIndex(variantName);
        if (index < 0) {
            throw new FlagValidationException("variantName",
                    "flag " + flag.key() + " has no variant '" + variantName + "'");
        }
        int control = flag.variantIndex(flag.controlVariant());
        if (index == control) {
            throw new FlagValidationException("variantName", "'" + variantName
                    + "' is the control variant of " + flag.key() + "; roll back a treatment variant");
        }
        var variants = new ArrayList<>(flag.variants());
        Variant rolledBack = variants.get(index);
        Variant controlVariant = variants.get(control);
        variants.set(index, new Variant(rolledBack.name(), 0));
        variants.set(control, new Variant(controlVariant.name(), controlVariant.weight() + rolledBack.weight()));
        return flag.withVariants(variants);
    }

    /** The audit action of a command: {@code flag.create}, {@code flag.change}, {@code flag.kill}, ... */
    public static String action(FlagCommand command) {
        return switch (command) {
            case FlagCommand.Create c -> "flag.create";
            case FlagCommand.Change c -> "flag.change";
            case FlagCommand.Kill k -> "flag.kill";
            case FlagCommand.Unkill u -> "flag.unkill";
            case FlagCommand.Rollback r -> "flag.rollback";
        };
    }
}
