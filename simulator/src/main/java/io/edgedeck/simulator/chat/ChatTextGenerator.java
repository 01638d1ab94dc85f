package io.edgedeck.simulator.chat;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Rehearsal chat: each line a phrase drawn from the held-apart pool of its mood ({@link
 * PhrasePools}), sometimes typed in caps, as hype and rage are. It composes nothing from the
 * scorer's own vocabulary. All randomness comes from the generator handed in, so the same
 * generator state gives the same text (the engine's determinism depends on it). Each phrase's
 * capitalised form is made once, when the generator is built. Not thread-safe: one instance per
 * engine thread.
 */
public final class ChatTextGenerator {

    public enum Mood { POSITIVE, NEUTRAL, NEGATIVE }

    private final RandomGenerator random;
    private final PhrasePools pools;
    /** Per mood (by ordinal), its phrases, and the same in caps. */
    private final String[][] phrases = new String[Mood.values().length][];
    private final String[][] capitalised = new String[Mood.values().length][];

    /** Draws from the held-apart pools. */
    public ChatTextGenerator(RandomGenerator random) {
        this(random, PhrasePools.heldApart());
    }

    public ChatTextGenerator(RandomGenerator random, PhrasePools pools) {
        this.random = Objects.requireNonNull(random, "random");
        this.pools = Objects.requireNonNull(pools, "pools");
        for (Mood mood : Mood.values()) {
            List<String> pool = pools.phrases(mood);
            phrases[mood.ordinal()] = pool.toArray(String[]::new);
            capitalised[mood.ordinal()] = pool.stream().map(ChatTextGenerator::inCaps).toArray(String[]::new);
        }
    }

    public String next(Mood mood) {
        int m = Objects.requireNonNull(mood, "mood").ordinal();
        int i = random.nextInt(phrases[m].length);
        // Hype and rage get typed in caps; questions and small talk rarely are.
        if (mood != Mood.NEUTRAL && random.nextInt(6) == 0) {
            return capitalised[m][i];
        }
        return phrases[m][i];
    }

    /** The pools this generator draws from. */
    public PhrasePools pools() {
        return pools;
    }

    /** A phrase as typed in caps. */
    static String inCaps(String phrase) {
        return phrase.toUpperCase(Locale.ROOT);
    }

    /** Every line {@link #next} can give for {@code pools}: each phrase, and in caps where its mood is typed in caps. */
    public static List<String> lines(PhrasePools pools) {
        var lines = new java.util.LinkedHashSet<String>();
        for (Mood mood : Mood.values()) {
            for (String phrase : pools.phrases(mood)) {
                lines.add(phrase);
                if (mood != Mood.NEUTRAL) {
                    lines.add(inCaps(phrase));
                }
            }
        }
        return List.copyOf(lines);
    }
}
