package io.edgedeck.simulator.chat;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Rehearsal chat: each line a phrase drawn from the held-apart pool of its mood ({@link
 * PhrasePools}), sometimes typed in caps, as hype and rage are. It composes nothing from the
 * scorer's own vocabulary. All randomness comes from the generator handed in, so the same
 * generator state gives the same text (the engine's determinism depends on it). Not thread-safe:
 * one instance per engine thread.
 */
public final class ChatTextGenerator {

    public enum Mood { POSITIVE, NEUTRAL, NEGATIVE }

    private final RandomGenerator random;
    private final PhrasePools pools;

    /** Draws from the held-apart pools. */
    public ChatTextGenerator(RandomGenerator random) {
        this(random, PhrasePools.heldApart());
    }

    public ChatTextGenerator(RandomGenerator random, PhrasePools pools) {
        this.random = Objects.requireNonNull(random, "random");
        this.pools = Objects.requireNonNull(pools, "pools");
    }

    public String next(Mood mood) {
        List<String> phrases = pools.phrases(Objects.requireNonNull(mood, "mood"));
        String phrase = phrases.get(random.nextInt(phrases.size()));
        // Hype and rage get typed in caps; questions and small talk rarely are.
        if (mood != Mood.NEUTRAL && random.nextInt(6) == 0) {
            return phrase.toUpperCase(Locale.ROOT);
        }
        return phrase;
    }
}
