package io.edgedeck.engine.experiments;

import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagRegistry;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.journal.JournalRecord;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What overrides a flag's own assignment without a new flag version: variants paused for new
 * exposures, and variants rolled back to control at some PoPs only. Each change is checked,
 * journaled and audited through the {@link AuditTrail}. Owned by the engine thread.
 */
final class VariantOverrides {
    private final FlagRegistry registry;
    private final AuditTrail trail;
    private final Arms arms;
    private final List<String> popIds;
    private final Map<String, Set<String>> paused = new LinkedHashMap<>();
    /** Per "flag/variant", the PoPs where a guardrail rolled it back locally. */
    private final Map<String, Set<String>> rolledBackAt = new TreeMap<>();
    /** Per "flag/variant", how many times it was paused: the number of its newest pause. */
    private final Map<String, Long> pauses = new java.util.HashMap<>();
    /** Per "flag/variant", how many times it was rolled back at some PoPs: the number of its newest rollback. */
    private final Map<String, Long> rollbacks = new java.util.HashMap<>();
    /** Per "flag/variant" and PoP, the number of the rollback that last sent it to control there. */
    private final Map<String, Map<String, Long>> rolledBackBy = new java.util.HashMap<>();
    /** Per "flag/variant" and PoP, when (engine ms) the rollback that last sent it to control there was made. */
    private final Map<String, Map<String, Long>> rolledBackWhen = new java.util.HashMap<>();
    /** Per flag, a count of PoP-local changes: part of the stamp sessions compare to re-evaluate. */
    private int[] localChanges = new int[0];

    VariantOverrides(FlagRegistry registry, AuditTrail trail, Arms arms, List<String> popIds) {
        this.registry = registry;
        this.trail = trail;
        this.arms = arms;
        this.popIds = popIds;
    }

    boolean isPaused(Arm a) {
        Set<String> variants = paused.get(a.flagKey);
        return variants != null && variants.contains(a.variant);
    }

    boolean isRolledBackAt(Arm a, String pop) {
        if (rolledBackAt.isEmpty()) {
            return false;
        }
        Set<String> at = rolledBackAt.get(a.flagKey + "/" + a.variant);
        return at != null && at.contains(pop);
    }

    /** How many PoP-local changes a flag has had. */
    int localChanges(int flag) {
        return flag < localChanges.length ? localChanges[flag] : 0;
    }

    /** Stops (or resumes) new exposures to a variant; sessions already in it stay. */
    void setPaused(String flagKey, String variant, boolean pause, String operator, String reason, long nowMillis) {
        checkPause(flagKey, variant);
        boolean isPaused = paused.getOrDefault(flagKey, Set.of()).contains(variant);
        if (isPaused == pause) {
            return;
        }
        trail.writeAhead(seq -> new JournalRecord.VariantPaused(seq, nowMillis, flagKey, variant, pause, operator, reason));
        Set<String> set = paused.computeIfAbsent(flagKey, k -> new TreeSet<>());
        if (pause) {
            set.add(variant);
            pauses.merge(flagKey + "/" + variant, 1L, Long::sum);
        } else {
            set.remove(variant);
        }
        trail.add(nowMillis, operator, pause ? "variant.pause" : "variant.resume", flagKey + "/" + variant,
                pause ? "serving" : "paused", pause ? "paused" : "serving", reason);
    }

    /** What {@link #setPaused} refuses: an unknown flag or variant, or the control variant. */
    void checkPause(String flagKey, String variant) {
        FlagDefinition d = flag(flagKey);
        if (d.variantIndex(variant) < 0) {
            throw new FlagNotFoundException("variant", "flag " + flagKey + " has no variant '" + variant + "'");
        }
        if (variant.equals(d.controlVariant())) {
            throw new FlagValidationException("variant", "control cannot be paused: it is where paused units go");
        }
    }

    /** Rolls a variant back to control at some PoPs only; the PoPs apply it at once. */
    void rollbackAt(String flagKey, String variant, List<String> pops, String operator, String reason, long nowMillis) {
        checkRollbackAt(flagKey, variant, pops);
        Set<String> already = rolledBackAt.getOrDefault(flagKey + "/" + variant, Set.of());
        if (already.containsAll(pops)) {
            return;
        }
        trail.writeAhead(seq -> new JournalRecord.VariantRolledBackAt(seq, nowMillis, flagKey, variant, List.copyOf(pops),
                operator, reason));
        Set<String> at = rolledBackAt.computeIfAbsent(flagKey + "/" + variant, k -> new TreeSet<>());
        long number = rollbacks.merge(flagKey + "/" + variant, 1L, Long::sum);
        Map<String, Long> by = rolledBackBy.computeIfAbsent(flagKey + "/" + variant, k -> new java.util.HashMap<>());
        Map<String, Long> when = rolledBackWhen.computeIfAbsent(flagKey + "/" + variant, k -> new java.util.HashMap<>());
        for (String pop : pops) {
            if (!at.contains(pop)) {
                by.put(pop, number);
                when.put(pop, nowMillis);
            }
        }
        at.addAll(pops);
        int f = arms.flagIndexOf(flagKey);
        if (localChanges.length <= f) {
            localChanges = Arrays.copyOf(localChanges, f + 1);
        }
        localChanges[f]++;
        trail.add(nowMillis, operator, "variant.rollback-at", flagKey + "/" + variant, "serving",
                "control at " + String.join(",", at), reason);
    }

    /**
     * Lifts the variant's rollback at {@code pops}, or at every PoP where it is when {@code pops} is
     * empty. Journaled first, then audited; nothing is written when it is rolled back at none of them.
     *
     * @return the PoPs where the variant is still rolled back
     */
    Set<String> clearRollbackAt(String flagKey, String variant, List<String> pops, String operator, String reason,
                                long nowMillis) {
        checkRollbackAt(flagKey, variant, pops);
        String key = flagKey + "/" + variant;
        Set<String> at = rolledBackAt.getOrDefault(key, Set.of());
        List<String> lifted = (pops.isEmpty() ? List.copyOf(at) : pops).stream().filter(at::contains).distinct().sorted().toList();
        if (lifted.isEmpty()) {
            return Set.copyOf(at);
        }
        trail.writeAhead(seq -> new JournalRecord.VariantRollbackCleared(seq, nowMillis, flagKey, variant, lifted, operator,
                reason));
        String before = "control at " + String.join(",", at);
        at.removeAll(lifted);
        if (at.isEmpty()) {
            rolledBackAt.remove(key);
        }
        localChanges[arms.flagIndexOf(flagKey)]++;
        trail.add(nowMillis, operator, "variant.rollback-cleared", key, before,
                at.isEmpty() ? "serving" : "control at " + String.join(",", at), reason);
        return Set.copyOf(at);
    }

    /** What {@link #rollbackAt} refuses: an unknown flag, a variant that is not a treatment of it, an unknown PoP. */
    void checkRollbackAt(String flagKey, String variant, List<String> pops) {
        FlagDefinition d = flag(flagKey);
        if (d.variantIndex(variant) < 0 || variant.equals(d.controlVariant())) {
            throw new FlagValidationException("variant", "flag " + flagKey + " has no non-control variant '" + variant + "'");
        }
        for (String pop : pops) {
            if (!popIds.contains(pop)) {
                throw new FlagNotFoundException("pops", "unknown PoP '" + pop + "'");
            }
        }
    }

    private FlagDefinition flag(String flagKey) {
        return registry.get(flagKey).orElseThrow(() -> new FlagNotFoundException("flag", "unknown flag '" + flagKey + "'"));
    }

    /** Paused variants per flag. */
    Map<String, Set<String>> paused() {
        Map<String, Set<String>> out = new TreeMap<>();
        paused.forEach((k, v) -> {
            if (!v.isEmpty()) out.put(k, Set.copyOf(v));
        });
        return out;
    }

    /** The number of the newest pause of "flag/variant" (1 for its first), 0 if it was never paused. */
    long pauses(String flagAndVariant) {
        return pauses.getOrDefault(flagAndVariant, 0L);
    }

    /** The number of the newest PoP-local rollback of "flag/variant" (1 for its first), 0 if there was none. */
    long rollbacks(String flagAndVariant) {
        return rollbacks.getOrDefault(flagAndVariant, 0L);
    }

    /** The PoPs where "flag/variant" is rolled back by a rollback numbered above {@code number}, sorted. */
    List<String> rolledBackSince(String flagAndVariant, long number) {
        Set<String> at = rolledBackAt.getOrDefault(flagAndVariant, Set.of());
        Map<String, Long> by = rolledBackBy.getOrDefault(flagAndVariant, Map.of());
        return at.stream().filter(pop -> by.getOrDefault(pop, 0L) > number).sorted().toList();
    }

    /**
     * The PoPs where "flag/variant" is rolled back by a rollback made at {@code millis} (engine time) or later,
     * sorted: for a numbering the engine does not keep alone (a fleet's), whose own rollbacks are told apart by time.
     */
    List<String> rolledBackSinceMillis(String flagAndVariant, long millis) {
        Set<String> at = rolledBackAt.getOrDefault(flagAndVariant, Set.of());
        Map<String, Long> when = rolledBackWhen.getOrDefault(flagAndVariant, Map.of());
        return at.stream().filter(pop -> when.getOrDefault(pop, Long.MIN_VALUE) >= millis).sorted().toList();
    }

    /** PoP-local rollbacks in force, by "flag/variant". */
    Map<String, Set<String>> rolledBackAt() {
        Map<String, Set<String>> out = new TreeMap<>();
        rolledBackAt.forEach((k, v) -> out.put(k, Set.copyOf(v)));
        return out;
    }
}
