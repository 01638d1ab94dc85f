package io.edgedeck.simulator.traffic;

import io.edgedeck.engine.experiments.Arm;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.simulator.scenario.ChatMix;
import io.edgedeck.simulator.scenario.FlagSpec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What being in a variant does to a simulated session, as the scenario says: how much likelier it
 * is to check out, and the mood it chats in (its own, or one a cue shifted it to). Looked up per
 * arm once and kept by arm id, since sessions ask on every click and chat. Engine thread.
 */
final class VariantEffects {
    private final Experiments experiments;
    private final ChatMix baseMood;
    private final Map<String, FlagSpec> flagSpecs = new HashMap<>();
    /** The shifts in force per "flag/variant", oldest first. */
    private final Map<String, List<MoodShift>> moodShifts = new HashMap<>();
    private double[] conversionMultiplier = new double[0];
    private ChatMix[] armMood = new ChatMix[0];

    VariantEffects(List<FlagSpec> flags, ChatMix baseMood, Experiments experiments) {
        this.experiments = experiments;
        this.baseMood = baseMood;
        flags.forEach(f -> flagSpecs.put(f.key(), f));
    }

    ChatMix baseMood() {
        return baseMood;
    }

    /**
     * Sessions in {@code variant} of {@code flag} chat in {@code mood} from now on, until the shift ends
     * ({@link #endMoodShift}). Shifts of one variant can overlap (a scenario's and one fired by hand): the
     * latest in force sets the mood, and each ending removes only its own.
     *
     * @return the shift, to end it with
     */
    MoodShift shiftMood(String flag, String variant, ChatMix mood) {
        MoodShift shift = new MoodShift(flag + "/" + variant, mood);
        moodShifts.computeIfAbsent(shift.key(), k -> new java.util.ArrayList<>()).add(shift);
        Arrays.fill(armMood, null);
        return shift;
    }

    /** The latest shift's mood in force for the variant, or null when none is. */
    ChatMix shiftedMood(String flag, String variant) {
        List<MoodShift> inForce = moodShifts.get(flag + "/" + variant);
        return inForce == null ? null : inForce.getLast().mood();
    }

    /** Ends one shift; the variant chats in the latest shift still in force, or its own mood. */
    void endMoodShift(MoodShift shift) {
        List<MoodShift> inForce = moodShifts.get(shift.key());
        // By identity: two shifts to the same mood are two shifts.
        if (inForce != null && inForce.removeIf(s -> s == shift) && inForce.isEmpty()) {
            moodShifts.remove(shift.key());
        }
        Arrays.fill(armMood, null);
    }

    /** How much the arm multiplies a session's chance to check out. */
    double conversionMultiplier(int armId) {
        if (armId >= conversionMultiplier.length) {
            int old = conversionMultiplier.length;
            conversionMultiplier = Arrays.copyOf(conversionMultiplier, armId + 8);
            Arrays.fill(conversionMultiplier, old, conversionMultiplier.length, Double.NaN);
        }
        double m = conversionMultiplier[armId];
        if (Double.isNaN(m)) {
            Arm arm = experiments.arm(armId);
            FlagSpec f = flagSpecs.get(arm.flagKey());
            m = f == null ? 1.0 : f.effectOf(arm.variant()).conversionMultiplier();
            conversionMultiplier[armId] = m;
        }
        return m;
    }

    /** The mood the arm's sessions chat in, or null when it is the audience's own. */
    ChatMix mood(int armId) {
        if (armId >= armMood.length) {
            armMood = Arrays.copyOf(armMood, armId + 8);
        }
        ChatMix m = armMood[armId];
        if (m == null) {
            Arm arm = experiments.arm(armId);
            List<MoodShift> inForce = moodShifts.get(arm.flagKey() + "/" + arm.variant());
            m = inForce == null ? null : inForce.getLast().mood();
            if (m == null) {
                FlagSpec f = flagSpecs.get(arm.flagKey());
                ChatMix effect = f == null ? null : f.effectOf(arm.variant()).chatMood();
                m = effect == null ? baseMood : effect;
            }
            armMood[armId] = m;
        }
        return m == baseMood ? null : m;
    }
}
