package io.edgedeck.engine.experiments;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.VariantMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The numbering the fast path runs on: every flag by a dense index in the order it was first seen,
 * and one {@link Arm} per flag variant by a dense id, with the read-out of all arms' counts. Owned
 * by the engine thread.
 */
final class Arms {
    private final List<String> flagKeys = new ArrayList<>();
    private final Map<String, Integer> flagIndex = new HashMap<>();
    private final List<Arm> arms = new ArrayList<>();
    private final Map<String, Map<String, Arm>> byFlag = new HashMap<>();

    /** Numbers a flag seen for the first time; false when it already has its index. */
    boolean addFlag(String key) {
        if (flagIndex.containsKey(key)) {
            return false;
        }
        flagIndex.put(key, flagKeys.size());
        flagKeys.add(key);
        return true;
    }

    int flagCount() {
        return flagKeys.size();
    }

    String flagKey(int flag) {
        return flagKeys.get(flag);
    }

    /** The index of a flag by key, or -1. */
    int flagIndexOf(String key) {
        Integer f = flagIndex.get(key);
        return f == null ? -1 : f;
    }

    Arm arm(int id) {
        return arms.get(id);
    }

    /** The arm of a numbered flag's variant, made if new. */
    Arm arm(String flagKey, String variant) {
        Map<String, Arm> byVariant = byFlag.computeIfAbsent(flagKey, k -> new LinkedHashMap<>());
        Arm a = byVariant.get(variant);
        if (a == null) {
            a = new Arm(arms.size(), flagIndex.get(flagKey), flagKey, variant, false);
            arms.add(a);
            byVariant.put(variant, a);
        }
        return a;
    }

    /** The arm of a flag's variant if it has one, or null. */
    Arm find(String flagKey, String variant) {
        Map<String, Arm> byVariant = byFlag.get(flagKey);
        return byVariant == null ? null : byVariant.get(variant);
    }

    /** Starts keeping per-PoP windows for a flag's arms. */
    void trackPerPop(String flagKey, int popCount) {
        Map<String, Arm> byVariant = byFlag.get(flagKey);
        if (byVariant != null) {
            byVariant.values().forEach(a -> a.trackPerPop(popCount));
        }
    }

    /** Starts recording per-variant latency for a flag's arms. */
    void trackLatency(String flagKey) {
        Map<String, Arm> byVariant = byFlag.get(flagKey);
        if (byVariant != null) {
            byVariant.values().forEach(Arm::trackLatency);
        }
    }

    /** Closes an engine second in every arm's windows. */
    void rollSecond() {
        for (Arm a : arms) {
            a.rollSecond();
        }
    }

    /**
     * The counts of every arm, flag by flag, and its chat reaction index at {@code nowMillis}, but
     * for a variant its flag no longer has ({@code current} says which it has) that never counted
     * anything: a removed variant with exposures stays, as the show's report needs its numbers.
     */
    List<VariantMetrics> metrics(long nowMillis, BiPredicate<String, String> current) {
        List<VariantMetrics> out = new ArrayList<>();
        for (String key : flagKeys) {
            for (Arm a : byFlag.getOrDefault(key, Map.of()).values()) {
                if (!a.countedAnything() && !current.test(key, a.variant)) {
                    continue;
                }
                ChatMetrics chat = ChatMetrics.EMPTY;
                if (a.chatMessages + a.otherLanguageChat > 0) {
                    chat = a.reactions.snapshot(nowMillis).toMetrics(List.of());
                }
                out.add(new VariantMetrics(a.flagKey, a.variant, a.control, a.exposures, a.conversions, a.chatMessages,
                        a.chatMessages == 0 ? 0 : a.chatSum / a.chatMessages, chat, a.conversionValue, a.movedIn,
                        a.movedConversions, a.lastExposureMillis < 0 ? null : a.lastExposureMillis));
            }
        }
        return out;
    }
}
