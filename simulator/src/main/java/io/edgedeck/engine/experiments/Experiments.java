package io.edgedeck.engine.experiments;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagEvaluator;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagRegistry;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.pops.PopSite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flags as the edge runs them: the registry of versions, what each PoP is serving right now
 * ({@link PopFlagVersions}), pauses and PoP-local rollbacks, the audience's exposures, conversions
 * and chat per variant ({@link Arm}), and the one audit trail of every change.
 *
 * <p>Every mutation goes through the registry's command path and is journaled as it takes effect;
 * {@link #replay} applies journaled records again without journaling them twice. Owned by the
 * engine thread.
 *
 * <p>About 400 lines, on purpose: this is where flag commands, arms, pauses and PoP-local rollbacks
 * meet, and each mutation is checked, journaled and audited in one place.
 */
public final class Experiments {
    /** The longest window a guardrail may watch. */
    public static final int MAX_WINDOW_SECONDS = 600;

    private final FlagRegistry registry;
    private final Journal journal;
    private final String[] popIds;
    private final List<String> flagKeys = new ArrayList<>();
    private final Map<String, Integer> flagIndex = new HashMap<>();
    private final List<Arm> arms = new ArrayList<>();
    private final Map<String, Map<String, Arm>> armsByFlag = new HashMap<>();
    private final List<AuditEntry> audit = new ArrayList<>();
    private final Map<String, Set<String>> paused = new LinkedHashMap<>();
    /** Per "flag/variant", the PoPs where a guardrail rolled it back locally. */
    private final Map<String, Set<String>> rolledBackAt = new java.util.TreeMap<>();
    /** Per flag, a count of PoP-local changes: part of the stamp sessions compare to re-evaluate. */
    private int[] localChanges = new int[0];
    private final PopFlagVersions versions;
    private boolean replaying;

    /** @param regions the region ids a flag's scope may name */
    public Experiments(List<PopSite> pops, List<String> regions, Journal journal) {
        this.journal = journal;
        this.popIds = pops.stream().map(PopSite::id).toArray(String[]::new);
        Map<String, Long> delays = new LinkedHashMap<>();
        pops.forEach(p -> delays.put(p.id(), p.propagationDelayMillis()));
        this.registry = new FlagRegistry(Set.copyOf(regions), delays);
        this.versions = new PopFlagVersions(registry, popIds, flagKeys, this::arm);
        registry.writeAheadTo(command -> {
            if (!replaying) {
                journal.append(new JournalRecord.FlagChanged(journal.nextSeq(), command.atMillis(), command));
            }
        });
        registry.subscribe(this::onFlagChange);
    }

    private void onFlagChange(FlagCommand command, AuditEntry entry) {
        addAudit(entry.atMillis(), entry.actor(), entry.action(), entry.target(), entry.before(), entry.after(), entry.reason());
        String key = entry.target();
        if (!flagIndex.containsKey(key)) {
            flagIndex.put(key, flagKeys.size());
            flagKeys.add(key);
            versions.addFlag();
        }
        FlagDefinition latest = registry.get(key).orElseThrow();
        for (Variant v : latest.variants()) {
            arm(key, v.name()).control = v.name().equals(latest.controlVariant());
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
        journal.append(new JournalRecord.Audited(journal.nextSeq(), nowMillis, actor, action, target, before, after, reason));
        return addAudit(nowMillis, actor, action, target, before, after, reason);
    }

    /** Adds an audit entry for something that is not a flag command (a guardrail firing, a pause). */
    public AuditEntry addAudit(long atMillis, String actor, String action, String target, String before, String after,
                               String reason) {
        AuditEntry e = new AuditEntry(audit.size() + 1L, atMillis, actor, action, target, before, after, reason);
        audit.add(e);
        return e;
    }

    private Arm arm(String flagKey, String variant) {
        Map<String, Arm> byVariant = armsByFlag.computeIfAbsent(flagKey, k -> new LinkedHashMap<>());
        Arm a = byVariant.get(variant);
        if (a == null) {
            a = new Arm(arms.size(), flagIndex.get(flagKey), flagKey, variant, false);
            arms.add(a);
            byVariant.put(variant, a);
        }
        return a;
    }

    /**
     * Flags as other threads may evaluate them (an OFREP endpoint): the latest version of each
     * flag, and the version each PoP runs. Immutable; replaced as versions change.
     *
     * @param stamp changes whenever anything in the snapshot does
     */
    public record FlagSnapshot(Map<String, FlagEvaluator> latest, Map<String, Map<String, FlagEvaluator>> atPop, long stamp) {
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

    /** Brings each PoP's evaluator up to date with what has propagated to it. Called every tick. */
    public void refresh(long nowMillis) {
        versions.refresh(nowMillis);
    }

    // ------------------------------------------------------------------ the audience's side

    public int flagCount() {
        return flagKeys.size();
    }

    /** The index of a flag by key, or -1. */
    public int flagIndexOf(String key) {
        Integer f = flagIndex.get(key);
        return f == null ? -1 : f;
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
        return liveVersion(flag, pop) << 20 | (flag < localChanges.length ? localChanges[flag] : 0);
    }

    /**
     * What a unit's reported exposure to a flag at a PoP is counted once under: the assignment
     * stamp of the version the PoP runs, or the latest version before any has reached the PoP.
     */
    public long exposureStamp(int flag, int pop) {
        return liveVersion(flag, pop) == 0 ? registry.get(flagKeys.get(flag)).orElseThrow().version() << 20
                : assignmentStamp(flag, pop);
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
        if (a.id != currentArm && isPaused(a) || isRolledBackAt(a, popIds[pop])) {
            a = versions.arm(flag, pop, ev.controlIndex());
        }
        return a.id;
    }

    private boolean isRolledBackAt(Arm a, String pop) {
        if (rolledBackAt.isEmpty()) {
            return false;
        }
        Set<String> at = rolledBackAt.get(a.flagKey + "/" + a.variant);
        return at != null && at.contains(pop);
    }

    /**
     * Rolls a variant back to control at some PoPs only, where a guardrail found it breaching; the
     * PoP applies it at once, and its sessions in the variant move to control. Journaled and audited.
     */
    public void rollbackAt(String flagKey, String variant, List<String> pops, String operator, String reason, long nowMillis) {
        FlagDefinition d = registry.get(flagKey).orElseThrow(() -> new FlagNotFoundException("flag", "unknown flag '" + flagKey + "'"));
        if (d.variantIndex(variant) < 0 || variant.equals(d.controlVariant())) {
            throw new FlagValidationException("variant", "flag " + flagKey + " has no non-control variant '" + variant + "'");
        }
        for (String pop : pops) {
            if (!List.of(popIds).contains(pop)) {
                throw new FlagNotFoundException("pops", "unknown PoP '" + pop + "'");
            }
        }
        Set<String> already = rolledBackAt.getOrDefault(flagKey + "/" + variant, Set.of());
        if (already.containsAll(pops)) {
            return;
        }
        if (!replaying) {
            journal.append(new JournalRecord.VariantRolledBackAt(journal.nextSeq(), nowMillis, flagKey, variant, List.copyOf(pops),
                    operator, reason));
        }
        Set<String> at = rolledBackAt.computeIfAbsent(flagKey + "/" + variant, k -> new java.util.TreeSet<>());
        at.addAll(pops);
        int f = flagIndex.get(flagKey);
        if (localChanges.length <= f) {
            localChanges = java.util.Arrays.copyOf(localChanges, f + 1);
        }
        localChanges[f]++;
        addAudit(nowMillis, operator, "variant.rollback-at", flagKey + "/" + variant, "serving",
                "control at " + String.join(",", at), reason);
    }

    /** PoP-local rollbacks in force, by "flag/variant". */
    public Map<String, Set<String>> rolledBackAt() {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        rolledBackAt.forEach((k, v) -> out.put(k, Set.copyOf(v)));
        return out;
    }

    /** Starts keeping per-PoP windows for a flag's arms. */
    public void trackPerPop(String flagKey) {
        Map<String, Arm> byVariant = armsByFlag.get(flagKey);
        if (byVariant != null) {
            byVariant.values().forEach(a -> a.trackPerPop(popIds.length));
        }
    }

    private boolean isPaused(Arm a) {
        Set<String> variants = paused.get(a.flagKey);
        return variants != null && variants.contains(a.variant);
    }

    public Arm arm(int id) {
        return arms.get(id);
    }

    /** A session homed at {@code pop} entered the arm. */
    public void expose(int arm, int pop) {
        arms.get(arm).expose(pop);
    }

    public void convert(int arm, int pop) {
        arms.get(arm).convert(pop);
    }

    /**
     * A session already in another arm of the same flag was moved into this one by a flag change
     * (rollback, ramp, kill, PoP-local rollback). It joins the arm's moved cohort, not its exposures:
     * it has spent part of its dwell elsewhere, so counting it as a new exposure would dip the arm's
     * conversion rate after every rollback.
     */
    public void moveIn(int arm) {
        arms.get(arm).moveIn();
    }

    /** A checkout by a session of the arm's moved cohort ({@link #moveIn}). */
    public void convertMoved(int arm) {
        arms.get(arm).convertMoved();
    }

    /** The value (revenue) a conversion in the arm carried. */
    public void addConversionValue(int arm, double value) {
        arms.get(arm).conversionValue += value;
    }

    public void chat(int arm, int pop, double score) {
        arms.get(arm).chat(pop, score);
    }

    /**
     * A chat message from a session in the arm, as the engine read it: for the arm's reaction
     * index, and, when the scorer read its language, for its sentiment windows. A message in a
     * language the scorer does not read is counted, never scored as neutral.
     */
    public void chat(int arm, int pop, io.edgedeck.engine.sentiment.ChatSentiment.Reading reading, long nowMillis) {
        Arm a = arms.get(arm);
        if (reading.read()) {
            a.chat(pop, reading.score());
        } else {
            a.otherLanguageChat++;
        }
        a.reactions.record(nowMillis, reading.reactions(), reading.score(), reading.read(), reading.signal());
    }

    public void request(int arm, double latencyMs, boolean lost) {
        arms.get(arm).request(latencyMs, lost);
    }

    /** Closes an engine second in every arm's windows. */
    public void rollSecond() {
        for (Arm a : arms) {
            a.rollSecond();
        }
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
        FlagDefinition d = registry.get(flagKey).orElseThrow(() -> new FlagNotFoundException("flag", "unknown flag '" + flagKey + "'"));
        if (d.variantIndex(variant) < 0) {
            throw new FlagNotFoundException("variant", "flag " + flagKey + " has no variant '" + variant + "'");
        }
        if (variant.equals(d.controlVariant())) {
            throw new FlagValidationException("variant", "control cannot be paused: it is where paused units go");
        }
        boolean isPaused = paused.getOrDefault(flagKey, Set.of()).contains(variant);
        if (isPaused == pause) {
            return;
        }
        if (!replaying) {
            journal.append(new JournalRecord.VariantPaused(journal.nextSeq(), nowMillis, flagKey, variant, pause, operator, reason));
        }
        Set<String> set = paused.computeIfAbsent(flagKey, k -> new java.util.TreeSet<>());
        if (pause) {
            set.add(variant);
        } else {
            set.remove(variant);
        }
        addAudit(nowMillis, operator, pause ? "variant.pause" : "variant.resume", flagKey + "/" + variant,
                pause ? "serving" : "paused", pause ? "paused" : "serving", reason);
    }

    /** Applies a journaled flag or pause record again, without journaling it. */
    public void replay(JournalRecord record) {
        replaying = true;
        try {
            switch (record) {
                case JournalRecord.FlagChanged f -> registry.apply(f.command());
                case JournalRecord.VariantPaused p -> setPaused(p.flag(), p.variant(), p.paused(), p.operator(), p.reason(), p.atMillis());
                case JournalRecord.VariantRolledBackAt r -> rollbackAt(r.flag(), r.variant(), r.pops(), r.operator(), r.reason(), r.atMillis());
                case JournalRecord.Audited a -> addAudit(a.atMillis(), a.actor(), a.action(), a.target(), a.before(), a.after(), a.reason());
                default -> throw new IllegalArgumentException("not an experiments record: " + record);
            }
        } finally {
            replaying = false;
        }
    }

    // ------------------------------------------------------------------ read-out

    public List<AuditEntry> audit() {
        return List.copyOf(audit);
    }

    public List<FlagView> views(long nowMillis) {
        return registry.views(nowMillis);
    }

    /** Paused variants per flag. */
    public Map<String, Set<String>> paused() {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        paused.forEach((k, v) -> {
            if (!v.isEmpty()) out.put(k, Set.copyOf(v));
        });
        return out;
    }

    /**
     * The arm of a flag's variant, made if {@code create} and the flag exists; null when there is
     * none (a guardrail may name a flag an operator creates later).
     */
    public Arm arm(String flagKey, String variant, boolean create) {
        if (create && flagIndex.containsKey(flagKey)) {
            return arm(flagKey, variant);
        }
        Map<String, Arm> byVariant = armsByFlag.get(flagKey);
        return byVariant == null ? null : byVariant.get(variant);
    }

    /** Starts recording per-variant latency for a flag's arms (a guardrail watches it). */
    public void trackLatency(String flagKey) {
        Map<String, Arm> byVariant = armsByFlag.get(flagKey);
        if (byVariant != null) {
            byVariant.values().forEach(Arm::trackLatency);
        }
    }

    /** Every arm's counts, and its chat reaction index at {@code nowMillis}. */
    public List<VariantMetrics> variantMetrics(long nowMillis) {
        List<VariantMetrics> out = new ArrayList<>();
        for (String key : flagKeys) {
            for (Arm a : armsByFlag.getOrDefault(key, Map.of()).values()) {
                io.edgedeck.client.model.ChatMetrics chat = io.edgedeck.client.model.ChatMetrics.EMPTY;
                if (a.chatMessages + a.otherLanguageChat > 0) {
                    chat = a.reactions.snapshot(nowMillis).toMetrics(List.of());
                }
                out.add(new VariantMetrics(a.flagKey, a.variant, a.control, a.exposures, a.conversions, a.chatMessages,
                        a.chatMessages == 0 ? 0 : a.chatSum / a.chatMessages, chat, a.conversionValue, a.movedIn,
                        a.movedConversions));
            }
        }
        return out;
    }

    public List<String> popIds() {
        return List.of(popIds);
    }
}
