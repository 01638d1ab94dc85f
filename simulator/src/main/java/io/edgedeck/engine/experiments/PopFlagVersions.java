package io.edgedeck.engine.experiments;

import io.edgedeck.engine.flags.FlagEvaluator;
import io.edgedeck.engine.flags.FlagRegistry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each PoP runs of each flag right now: a new version reaches a PoP after that PoP's
 * propagation delay. Keeps, per flag and PoP, the evaluator in force and the arm of each of its
 * variant indexes, and publishes an immutable {@link Experiments.FlagSnapshot} for other threads
 * whenever something in it changed. Owned by the engine thread.
 */
final class PopFlagVersions {
    private final FlagRegistry registry;
    private final String[] popIds;
    /** The flags by index and the arms of their variants, numbered by the caller. */
    private final Arms arms;
    /** [flag][pop]: the evaluator each PoP runs now, and the arm of each of its variant indexes. */
    private FlagEvaluator[][] liveAt = new FlagEvaluator[0][];
    private Arm[][][] armsAt = new Arm[0][][];
    private long refreshUntilMillis = -1;
    /** When the last refresh that looked at the PoPs ran. */
    private long refreshedAtMillis = Long.MIN_VALUE;
    /**
     * Set by a change, cleared by the refresh after it: that refresh looks at every PoP even when the
     * change is fully propagated already (one replayed on start, whose time is long past), so a PoP
     * never keeps no version, or an old one, for want of a refresh inside the propagation window.
     */
    private boolean changedSinceRefresh;
    /** Set when a PoP started running a new flag version; taken by whoever publishes frames. */
    private boolean acknowledgementsChanged;
    /** The engine time of the last refresh at which some PoP started running a new flag version. */
    private long takenAtMillis = Long.MIN_VALUE;
    private volatile Experiments.FlagSnapshot snapshot = new Experiments.FlagSnapshot(Map.of(), Map.of(), Map.of(), Map.of(), 0);
    private boolean snapshotDirty;
    /** Paused variants and PoP-local rollbacks, as {@link VariantOverrides} last said; published with the versions. */
    private Map<String, Set<String>> paused = Map.of();
    private Map<String, Set<String>> rolledBackAt = Map.of();

    PopFlagVersions(FlagRegistry registry, String[] popIds, Arms arms) {
        this.registry = registry;
        this.popIds = popIds;
        this.arms = arms;
    }

    /** Makes room for a flag just numbered by the arms. */
    void addFlag() {
        liveAt = Arrays.copyOf(liveAt, arms.flagCount());
        armsAt = Arrays.copyOf(armsAt, arms.flagCount());
        liveAt[liveAt.length - 1] = new FlagEvaluator[popIds.length];
        armsAt[armsAt.length - 1] = new Arm[popIds.length][];
    }

    /** A flag changed: PoPs take the new version as it reaches them. */
    void changed(String key) {
        refreshUntilMillis = Math.max(refreshUntilMillis, registry.fullyPropagatedAtMillis(key));
        changedSinceRefresh = true;
        snapshotDirty = true;
    }

    /**
     * A pause or a PoP-local rollback changed: published at once, not at the next tick, so an
     * evaluation answered after the change was acknowledged serves what the change says.
     */
    void overridesChanged(Map<String, Set<String>> paused, Map<String, Set<String>> rolledBackAt) {
        this.paused = Map.copyOf(paused);
        this.rolledBackAt = Map.copyOf(rolledBackAt);
        publishSnapshot();
    }

    /** The evaluator a PoP runs for a flag, or null before the first version reached it. */
    FlagEvaluator at(int flag, int pop) {
        return liveAt[flag][pop];
    }

    /** The arm of variant index {@code index} of what the PoP runs for the flag. */
    Arm arm(int flag, int pop, int index) {
        return armsAt[flag][pop][index];
    }

    /**
     * How many PoPs run {@code version} of the flag, or a later one, right now: read from the
     * evaluators the PoPs hold, not from when the version was due at each, so a PoP that never took
     * it is never counted as running it.
     */
    int runningAtLeast(int flag, long version) {
        int running = 0;
        for (FlagEvaluator live : liveAt[flag]) {
            if (live != null && live.version() >= version) {
                running++;
            }
        }
        return running;
    }

    /** The PoPs that {@link #runningAtLeast} counts, in the node's order of PoPs. */
    List<String> runningAt(int flag, long version) {
        List<String> running = new java.util.ArrayList<>();
        for (int p = 0; p < popIds.length; p++) {
            FlagEvaluator live = liveAt[flag][p];
            if (live != null && live.version() >= version) {
                running.add(popIds[p]);
            }
        }
        return running;
    }

    /** The engine time of the last refresh at which some PoP started running a new flag version; long's minimum before any. */
    long takenAtMillis() {
        return takenAtMillis;
    }

    boolean takeAcknowledgementChange() {
        boolean changed = acknowledgementsChanged;
        acknowledgementsChanged = false;
        return changed;
    }

    Experiments.FlagSnapshot snapshot() {
        return snapshot;
    }

    /** Brings each PoP's evaluator up to date with what has propagated to it. */
    void refresh(long nowMillis) {
        // Skipped only once a refresh ran at or after the moment the latest change reached its last PoP:
        // refreshes come on tick boundaries, which a PoP's delay need not fall on.
        if (!changedSinceRefresh && refreshedAtMillis >= refreshUntilMillis) {
            if (snapshotDirty) {
                publishSnapshot();
            }
            return;
        }
        changedSinceRefresh = false;
        refreshedAtMillis = nowMillis;
        for (int f = 0; f < arms.flagCount(); f++) {
            String key = arms.flagKey(f);
            for (int p = 0; p < popIds.length; p++) {
                FlagEvaluator ev = registry.evaluatorAt(key, popIds[p], nowMillis);
                if (ev != liveAt[f][p]) {
                    liveAt[f][p] = ev;
                    Arm[] byIndex = new Arm[ev.variantCount()];
                    for (int i = 0; i < byIndex.length; i++) {
                        byIndex[i] = arms.arm(key, ev.variantName(i));
                    }
                    armsAt[f][p] = byIndex;
                    snapshotDirty = true;
                    acknowledgementsChanged = true;
                    takenAtMillis = nowMillis;
                }
            }
        }
        if (snapshotDirty) {
            publishSnapshot();
        }
    }

    private void publishSnapshot() {
        Map<String, FlagEvaluator> latest = new TreeMap<>();
        Map<String, Map<String, FlagEvaluator>> atPop = new TreeMap<>();
        for (int f = 0; f < arms.flagCount(); f++) {
            String key = arms.flagKey(f);
            latest.put(key, FlagEvaluator.of(registry.get(key).orElseThrow()));
            Map<String, FlagEvaluator> byPop = new TreeMap<>();
            for (int p = 0; p < popIds.length; p++) {
                if (liveAt[f][p] != null) {
                    byPop.put(popIds[p], liveAt[f][p]);
                }
            }
            atPop.put(key, Map.copyOf(byPop));
        }
        snapshot = new Experiments.FlagSnapshot(Map.copyOf(latest), Map.copyOf(atPop), paused, rolledBackAt,
                snapshot.stamp() + 1);
        snapshotDirty = false;
    }
}
