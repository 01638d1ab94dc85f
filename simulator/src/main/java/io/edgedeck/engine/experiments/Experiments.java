package io.edgedeck.engine.experiments;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagEvaluator;
import io.edgedeck.engine.flags.FlagRegistry;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.sentiment.ChatSentiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flags as the edge runs them, and which variant each unit is served. A facade over parts with
 * one job each: the registry of versions ({@link FlagRegistry}), what each PoP runs right now
 * ({@link PopFlagVersions}), the dense numbering of flags and arms the fast path counts on
 * ({@link Arms}, {@link Arm}), pauses and PoP-local rollbacks ({@link VariantOverrides}), and the
 * journal-first audit trail ({@link AuditTrail}).
 *
 * <p>Every mutation goes through the registry's command path or the overrides and is journaled as
 * it takes effect; {@link #replay} applies journaled records again without journaling them twice.
 * Owned by the engine thread.
 */
public final class Experiments {
    /** The longest window a guardrail may watch. */
    public static final int MAX_WINDOW_SECONDS = 600;

    private final FlagRegistry registry;
    private final String[] popIds;
    private final String[] popRegions;
    private final AuditTrail trail;
    private final Arms arms = new Arms();
    private final PopFlagVersions versions;
    private final VariantOverrides overrides;

    /** @param regions the region ids a flag's scope may name */
    public Experiments(List<PopSite> pops, List<String> regions, Journal journal) {
        this.popIds = pops.stream().map(PopSite::id).toArray(String[]::new);
        this.popRegions = pops.stream().map(PopSite::region).toArray(String[]::new);
        Map<String, Long> delays = new LinkedHashMap<>();
        pops.forEach(p -> delays.put(p.id(), p.propagationDelayMillis()));
        this.registry = new FlagRegistry(Set.copyOf(regions), delays);
        this.trail = new AuditTrail(journal);
        this.versions = new PopFlagVersions(registry, popIds, arms);
        this.overrides = new VariantOverrides(registry, trail, arms, List.of(popIds));
        registry.writeAheadTo(command -> trail.writeAhead(seq -> new JournalRecord.FlagChanged(seq, command.atMillis(), command)));
        registry.subscribe(this::onFlagChange);
    }

    private void onFlagChange(FlagCommand command, AuditEntry entry) {
        trail.add(entry.atMillis(), entry.actor(), entry.action(), entry.target(), entry.before(), entry.after(), entry.reason());
        String key = entry.target();
        if (arms.addFlag(key)) {
            versions.addFlag();
        }
        FlagDefinition latest = registry.get(key).orElseThrow();
        for (Variant v : latest.variants()) {
            arms.arm(key, v.name()).control = v.name().equals(latest.controlVariant());
        }
        versions.changed(key);
    }

    /**
     * Journals and audits an operator's action whose effect the journal keeps nowhere else (show
     * control, a cue fired by hand): journaled first, so an entry that could not be written is not
     * in the trail either.
     */
    public AuditEntry audited(long nowMillis, String actor, String action, String target, String before, String after,
                              String reason) {
        return trail.audited(nowMillis, actor, action, target, before, after, reason);
    }

    /** Adds an audit entry for something that is not a flag command (a guardrail firing, a pause). */
    public AuditEntry addAudit(long atMillis, String actor, String action, String target, String before, String after,
                               String reason) {
        return trail.add(atMillis, actor, action, target, before, after, reason);
    }

    /**
     * Adds the one audit entry of several changes made as one (a playbook's run): {@code touched} names
     * the flags and guardrails they changed, so a reader asking for one flag's entries finds it.
     */
    public AuditEntry addAudit(long atMillis, String actor, String action, String target, String before, String after,
                               String reason, List<String> touched) {
        return trail.add(atMillis, actor, action, target, before, after, reason, touched);
    }

    /**
     * Flags as other threads may evaluate them (an OFREP endpoint): the latest version of each
     * flag, the version each PoP runs, and what overrides a flag's own assignment without a new
     * version (paused variants, PoP-local rollbacks). Immutable; replaced as any of them changes.
     *
     * @param paused       per flag, its variants paused for new exposures
     * @param rolledBackAt per "flag/variant", the PoPs where it is rolled back to control
     * @param stamp        changes whenever anything in the snapshot does
     */
    public record FlagSnapshot(Map<String, FlagEvaluator> latest, Map<String, Map<String, FlagEvaluator>> atPop,
                               Map<String, Set<String>> paused, Map<String, Set<String>> rolledBackAt, long stamp) {
        /** Whether {@code variant} of {@code flag} is paused for new exposures. */
        public boolean isPaused(String flag, String variant) {
            return paused.getOrDefault(flag, Set.of()).contains(variant);
        }

        /** Whether {@code variant} of {@code flag} is rolled back to control at {@code pop}. */
        public boolean isRolledBackAt(String flag, String variant, String pop) {
            return rolledBackAt.getOrDefault(flag + "/" + variant, Set.of()).contains(pop);
        }
    }

    /**
     * True once after any PoP started running a new flag version: a change worth a frame now rather
     * than at the next cadence, so "live at 5 of 6 PoPs" moves as the PoPs acknowledge.
     */
    public boolean takeAcknowledgementChange() {
        return versions.takeAcknowledgementChange();
    }

    /** The newest snapshot. Any thread. */
    public FlagSnapshot snapshot() {
        return versions.snapshot();
    }

    /**
     * The engine time (a tick's start) at which some PoP last started running a new flag version, as
     * {@link #refresh} found it; long's minimum before any.
     */
    public long versionTakenAtMillis() {
        return versions.takenAtMillis();
    }

    /** Brings each PoP's evaluator up to date with what has propagated to it. Called every tick. */
    public void refresh(long nowMillis) {
        versions.refresh(nowMillis);
    }

    // ------------------------------------------------------------------ assignment

    public int flagCount() {
        return arms.flagCount();
    }

    /** The index of a flag by key, or -1. */
    public int flagIndexOf(String key) {
        return arms.flagIndexOf(key);
    }

    /** The version PoP {@code pop} runs of flag {@code flag}; 0 before the first arrives. */
    public long liveVersion(int flag, int pop) {
        FlagEvaluator ev = versions.at(flag, pop);
        return ev == null ? 0 : ev.version();
    }

    /**
     * Changes whenever what a PoP serves for a flag may have changed: a new version reached it, or
     * a PoP-local rollback. A session whose stamp differs is evaluated again.
     */
    public long assignmentStamp(int flag, int pop) {
        return liveVersion(flag, pop) << 20 | overrides.localChanges(flag);
    }

    /**
     * What a unit's reported exposure to a flag at a PoP is counted once under, with its arm: the
     * version the PoP runs, or the latest version before any has reached the PoP. A PoP-local
     * rollback or pause is not in it: it changes no version, and a unit it moves is served another
     * arm, which counts as a move; a unit it leaves in its arm (at another PoP, or in control) is
     * not counted again (docs/LIVE.md, "Exposures from OpenFeature").
     */
    public long exposureStamp(int flag, int pop) {
        long version = liveVersion(flag, pop);
        return (version == 0 ? registry.get(arms.flagKey(flag)).orElseThrow().version() : version) << 20;
    }

    /**
     * The arm a unit is served at a PoP, or -1 when the flag has not reached the PoP yet. A unit
     * that would newly enter a paused variant is served control instead; one already in it stays.
     *
     * @param currentArm the arm the unit is in now, or -1
     */
    public int assign(int flag, int pop, String unitId, String regionId, String tenantId, int currentArm) {
        FlagEvaluator ev = versions.at(flag, pop);
        if (ev == null || ev.version() == 0) {
            return -1;
        }
        int index = ev.evaluate(unitId, popIds[pop], regionId, tenantId);
        Arm a = versions.arm(flag, pop, index);
        if (a.id != currentArm && overrides.isPaused(a) || overrides.isRolledBackAt(a, popIds[pop])) {
            a = versions.arm(flag, pop, ev.controlIndex());
        }
        return a.id;
    }

    /**
     * Whether a unit served at a PoP is in the flag's experiment: false when the flag's scope (a
     * region, a PoP, a tenant) leaves it out, or the flag has not reached the PoP. A unit out of
     * scope is served control ({@link #assign}) but is in neither arm: its exposure, checkouts,
     * chat and requests count for no arm, since control's counts are those of the audience the
     * variant was randomised against, and a guardrail compares the two.
     */
    public boolean inExperiment(int flag, int pop, String regionId, String tenantId) {
        FlagEvaluator ev = versions.at(flag, pop);
        return ev != null && ev.version() != 0 && ev.inScope(popIds[pop], regionId, tenantId);
    }

    /**
     * Whether the flag's scope leaves out every unit served at a PoP: a region scope and a PoP in
     * another region, or a PoP scope and another PoP. An exposure reported from such a PoP is not
     * in the experiment. A tenant scope cannot be told from the PoP alone: false.
     */
    public boolean scopeExcludesPop(int flag, int pop) {
        FlagEvaluator ev = versions.at(flag, pop);
        FlagDefinition d = ev != null ? ev.definition() : registry.get(arms.flagKey(flag)).orElseThrow();
        return switch (d.scope()) {
            case Scope.Region(String id) -> !id.equals(popRegions[pop]);
            case Scope.Pop(String id) -> !id.equals(popIds[pop]);
            default -> false;
        };
    }

    // ------------------------------------------------------------------ the audience's side (the fast path)

    public Arm arm(int id) {
        return arms.arm(id);
    }

    /** A session homed at {@code pop} entered the arm at show time {@code nowMillis}. */
    public void expose(int arm, int pop, long nowMillis) {
        arms.arm(arm).expose(pop, nowMillis);
    }

    public void convert(int arm, int pop) {
        arms.arm(arm).convert(pop);
    }

    /**
     * A session already in another arm of the same flag was moved into this one by a flag change
     * (rollback, ramp, kill, PoP-local rollback). It joins the arm's moved cohort, not its exposures:
     * it has spent part of its dwell elsewhere, so counting it as a new exposure would dip the arm's
     * conversion rate after every rollback.
     */
    public void moveIn(int arm) {
        arms.arm(arm).moveIn();
    }

    /** A checkout by a session of the arm's moved cohort ({@link #moveIn}). */
    public void convertMoved(int arm) {
        arms.arm(arm).convertMoved();
    }

    /** The value (revenue) a conversion in the arm carried. */
    public void addConversionValue(int arm, double value) {
        arms.arm(arm).conversionValue += value;
    }

    public void chat(int arm, int pop, double score) {
        arms.arm(arm).chat(pop, score);
    }

    /** A chat message from a session in the arm, as the engine read it ({@link Arm}). */
    public void chat(int arm, int pop, ChatSentiment.Reading reading, long nowMillis) {
        arms.arm(arm).chat(pop, reading, nowMillis);
    }

    public void request(int arm, double latencyMs, boolean lost) {
        arms.arm(arm).request(latencyMs, lost);
    }

    /** Closes an engine second in every arm's windows. */
    public void rollSecond() {
        arms.rollSecond();
    }

    // ------------------------------------------------------------------ mutations (journaled)

    public FlagRegistry registry() {
        return registry;
    }

    public FlagDefinition create(FlagDefinition definition, String operator, String reason, long nowMillis) {
        return registry.create(definition, operator, reason, nowMillis);
    }

    public FlagDefinition change(String key, long expectedVersion, FlagUpdate update, String operator, String reason,
                                 long nowMillis) {
        return registry.change(key, expectedVersion, update, operator, reason, nowMillis);
    }

    public FlagDefinition kill(String key, String operator, String reason, long nowMillis) {
        return registry.kill(key, operator, reason, nowMillis);
    }

    public FlagDefinition unkill(String key, String operator, String reason, long nowMillis) {
        return registry.unkill(key, operator, reason, nowMillis);
    }

    public FlagDefinition rollback(String key, String variant, String operator, String reason, long nowMillis) {
        return registry.rollback(key, variant, operator, reason, nowMillis);
    }

    /** Stops (or resumes) new exposures to a variant; sessions already in it stay. */
    public void setPaused(String flagKey, String variant, boolean pause, String operator, String reason, long nowMillis) {
        overrides.setPaused(flagKey, variant, pause, operator, reason, nowMillis);
        versions.overridesChanged(overrides.paused(), overrides.rolledBackAt());
    }

    /**
     * Rolls a variant back to control at some PoPs only, where a guardrail found it breaching; the
     * PoP applies it at once, and its sessions in the variant move to control. Journaled and audited.
     */
    public void rollbackAt(String flagKey, String variant, List<String> pops, String operator, String reason, long nowMillis) {
        overrides.rollbackAt(flagKey, variant, pops, operator, reason, nowMillis);
        versions.overridesChanged(overrides.paused(), overrides.rolledBackAt());
    }

    /**
     * Lifts a variant's PoP-local rollback at {@code pops} (every PoP where it is rolled back when
     * empty): units the split puts in the variant there are served it again. Journaled and audited;
     * a variant not rolled back at any of them changes nothing and is not audited.
     *
     * @return the PoPs where the variant is still rolled back
     */
    public Set<String> clearRollbackAt(String flagKey, String variant, List<String> pops, String operator, String reason,
                                       long nowMillis) {
        Set<String> left = overrides.clearRollbackAt(flagKey, variant, pops, operator, reason, nowMillis);
        versions.overridesChanged(overrides.paused(), overrides.rolledBackAt());
        return left;
    }

    /**
     * Runs {@code apply} as part of a change journaled and audited as a whole by its caller
     * ({@code EdgeCore.applyActions}): nothing it changes is journaled or audited on its own.
     */
    public void quietly(Runnable apply) {
        trail.replaying(() -> trail.muted(apply));
    }

    /** Checks a pause or resume as {@link #setPaused} would make it, changing nothing. */
    public void checkPause(String flagKey, String variant) {
        overrides.checkPause(flagKey, variant);
    }

    /** Checks a PoP-local rollback as {@link #rollbackAt} would make it, changing nothing. */
    public void checkRollbackAt(String flagKey, String variant, List<String> pops) {
        overrides.checkRollbackAt(flagKey, variant, pops);
    }

    /**
     * On a node of a fleet, the PoPs other nodes serve (a node configuration's {@code fleetPops}, less this
     * engine's own): a run made here may roll back there too, each node at the PoPs it serves. Set once, before
     * the engine runs; none on a node in no fleet.
     */
    public void fleetPops(java.util.Collection<String> pops) {
        Set<String> others = new java.util.TreeSet<>(pops);
        others.removeAll(List.of(popIds));
        this.fleetPops = Set.copyOf(others);
    }

    /** The PoPs other nodes of this node's fleet serve, as {@link #fleetPops(java.util.Collection)} set them. */
    public Set<String> fleetPops() {
        return fleetPops;
    }

    private volatile Set<String> fleetPops = Set.of();

    /**
     * Checks a PoP-local rollback a run on a fleet node would write for every node: {@code pops} this engine
     * serves as {@link #checkRollbackAt} does, those other nodes serve ({@link #fleetPops()}) taken as known.
     */
    public void checkRollbackAtInFleet(String flagKey, String variant, List<String> pops) {
        overrides.checkRollbackAt(flagKey, variant, pops.stream().filter(p -> !fleetPops.contains(p)).toList());
    }

    /** Where {@code flagAndVariant} ("flag/variant") is rolled back: by this engine, and what it shows of its fleet's list. */
    public Set<String> rolledBackAnywhere(String flagAndVariant) {
        Set<String> at = new java.util.TreeSet<>(overrides.rolledBackAt().getOrDefault(flagAndVariant, Set.of()));
        at.addAll(rolledBackElsewhere.apply(flagAndVariant));
        return at;
    }

    /** Applies a journaled flag or pause record again, without journaling it. */
    public void replay(JournalRecord record) {
        trail.replaying(() -> {
            switch (record) {
                case JournalRecord.FlagChanged f -> registry.apply(f.command());
                case JournalRecord.VariantPaused p -> setPaused(p.flag(), p.variant(), p.paused(), p.operator(), p.reason(), p.atMillis());
                case JournalRecord.VariantRolledBackAt r -> rollbackAt(r.flag(), r.variant(), r.pops(), r.operator(), r.reason(), r.atMillis());
                case JournalRecord.VariantRollbackCleared r -> clearRollbackAt(r.flag(), r.variant(), r.pops(), r.operator(), r.reason(),
                        r.atMillis());
                case JournalRecord.Audited a -> addAudit(a.atMillis(), a.actor(), a.action(), a.target(), a.before(), a.after(), a.reason());
                default -> throw new IllegalArgumentException("not an experiments record: " + record);
            }
        });
    }

    // ------------------------------------------------------------------ read-out

    public List<AuditEntry> audit() {
        return trail.entries();
    }

    /** Every flag, ordered by key, as {@link #view} shows it. */
    public List<FlagView> views(long nowMillis) {
        return registry.views(nowMillis).stream().map(this::asRun).toList();
    }

    /**
     * The flag as the API and the console show it. Its PoPs acknowledged are those that run its
     * latest version now, as the engine evaluates it, not those the version was due at by now: the
     * two differ for the rest of the tick a change was made in, and whenever a PoP failed to take a
     * version, which the count then shows instead of hiding.
     */
    public FlagView view(String key, long nowMillis) {
        return asRun(registry.view(key, nowMillis));
    }

    /**
     * Per flag, the PoPs that run its latest version now: those {@link #view}'s {@code popsAcknowledged} counts. A
     * fleet's aggregator needs which they are, not how many, to count a PoP two nodes serve once.
     */
    public Map<String, List<String>> acknowledgedAt(long nowMillis) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (FlagView due : registry.views(nowMillis)) {
            int flag = arms.flagIndexOf(due.key());
            out.put(due.key(), flag < 0 ? List.of() : List.copyOf(versions.runningAt(flag, due.version())));
        }
        return out;
    }

    private FlagView asRun(FlagView due) {
        int flag = arms.flagIndexOf(due.key());
        int running = flag < 0 ? 0 : versions.runningAtLeast(flag, due.version());
        FlagView view = running == due.popsAcknowledged() ? due : due.withAcknowledged(running, due.popsTotal());
        return withOverrides(view);
    }

    /**
     * Shows, with this engine's own PoP-local rollbacks, those {@code where} knows of at PoPs it does not serve (a
     * fleet's list, by "flag/variant"): a view then says where the variant is rolled back, not only where this
     * engine rolled it back. What the engine serves does not change. Engine thread.
     */
    public void showRolledBackElsewhere(java.util.function.Function<String, Set<String>> where) {
        this.rolledBackElsewhere = java.util.Objects.requireNonNull(where, "where");
    }

    private java.util.function.Function<String, Set<String>> rolledBackElsewhere = flagAndVariant -> Set.of();

    /** The view with the variants paused and rolled back at some PoPs, which its weights do not show. */
    private FlagView withOverrides(FlagView view) {
        Set<String> paused = overrides.paused().getOrDefault(view.key(), Set.of());
        Map<String, List<String>> rolledBack = new java.util.TreeMap<>();
        String prefix = view.key() + "/";
        Map<String, Set<String>> own = overrides.rolledBackAt();
        for (var variant : view.variants()) {
            Set<String> at = new java.util.TreeSet<>(own.getOrDefault(prefix + variant.name(), Set.of()));
            at.addAll(rolledBackElsewhere.apply(prefix + variant.name()));
            if (!at.isEmpty()) {
                rolledBack.put(variant.name(), List.copyOf(at));
            }
        }
        return paused.isEmpty() && rolledBack.isEmpty() ? view : view.withOverrides(paused.stream().sorted().toList(), rolledBack);
    }

    /** Paused variants per flag. */
    public Map<String, Set<String>> paused() {
        return overrides.paused();
    }

    /**
     * The number of the newest pause of {@code flagAndVariant} ("flag/variant"; 1 for its first, 0 if never
     * paused): the same after a restart, as the journal replays every pause.
     */
    public long pauses(String flagAndVariant) {
        return overrides.pauses(flagAndVariant);
    }

    /** The number of the newest PoP-local rollback of {@code flagAndVariant} (1 for its first, 0 if none); as {@link #pauses}. */
    public long rollbacks(String flagAndVariant) {
        return overrides.rollbacks(flagAndVariant);
    }

    /** The PoPs where {@code flagAndVariant} is rolled back now by a rollback numbered above {@code number}, sorted. */
    public List<String> rolledBackSince(String flagAndVariant, long number) {
        return overrides.rolledBackSince(flagAndVariant, number);
    }

    /** The PoPs where {@code flagAndVariant} is rolled back now by a rollback made at {@code millis} (engine time) or later, sorted. */
    public List<String> rolledBackSinceMillis(String flagAndVariant, long millis) {
        return overrides.rolledBackSinceMillis(flagAndVariant, millis);
    }

    /** PoP-local rollbacks in force, by "flag/variant". */
    public Map<String, Set<String>> rolledBackAt() {
        return overrides.rolledBackAt();
    }

    /**
     * The arm of a flag's variant, made if {@code create} and the flag exists; null when there is
     * none (a guardrail may name a flag an operator creates later).
     */
    public Arm arm(String flagKey, String variant, boolean create) {
        if (create && arms.flagIndexOf(flagKey) >= 0) {
            return arms.arm(flagKey, variant);
        }
        return arms.find(flagKey, variant);
    }

    /** Whether arm {@code arm}'s variant is paused for new exposures now. Engine thread. */
    public boolean isPaused(int arm) {
        return overrides.isPaused(arms.arm(arm));
    }

    /** Starts keeping per-PoP windows for a flag's arms. */
    public void trackPerPop(String flagKey) {
        arms.trackPerPop(flagKey, popIds.length);
    }

    /** Starts recording per-variant latency for a flag's arms (a guardrail watches it). */
    public void trackLatency(String flagKey) {
        arms.trackLatency(flagKey);
    }

    /**
     * Every arm's counts, and its chat reaction index at {@code nowMillis}; a variant a change took
     * away is left out unless it counted something.
     */
    public List<VariantMetrics> variantMetrics(long nowMillis) {
        return arms.metrics(nowMillis, (flag, variant) -> registry.get(flag).map(d -> d.variantIndex(variant) >= 0).orElse(true));
    }

    public List<String> popIds() {
        return List.of(popIds);
    }
}
