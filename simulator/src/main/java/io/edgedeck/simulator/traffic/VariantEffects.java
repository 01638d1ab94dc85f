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
    private final Map<String, ChatMix> moodShifts = new HashMap<>();
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
     * Sessions in {@code variant} of {@code flag} chat in {@code mood} from now on; null returns
     * them to the variant's own mood.
     */
    void shiftMood(String flag, String variant, ChatMix mood) {
        String key = flag + "/" + variant;
        if (mood == null) {
            moodShifts.remove(key);
        } else {
            moodShifts.put(key, mood);
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
            m = moodShifts.get(arm.flagKey() + "/" + arm.variant());
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
