package io.edgedeck.engine.sentiment;

import java.util.Set;

/**
 * What the scorer needs to know about one message's emotes beyond the global lexicon: which
 * tokens the chat platform marked as emotes, and the valences the channel has learned.
 */
public interface EmoteValences {

    /** No marks, nothing learned: emotes score as the global lexicon says. */
    EmoteValences GLOBAL = of(Set.of(), LearnedValences.NONE);

    /** The exact spellings the platform marked as emotes in this message. */
    Set<String> marked();

    /** The learned valence of an emote (VADER's -4..4 scale), or NaN when nothing counts yet. */
    double learned(String emote);

    /** The learned valence if any, else the global lexicon's {@code seed}, else NaN (an emote with no known feeling). */
    default double valence(String emote, Double seed) {
        double learned = learned(emote);
        if (!Double.isNaN(learned)) {
            return learned;
        }
        return seed == null ? Double.NaN : seed;
    }

    /** A channel's learned valences, by emote name. */
    @FunctionalInterface
    interface LearnedValences {
        LearnedValences NONE = emote -> Double.NaN;

        double of(String emote);
    }

    static EmoteValences of(Set<String> marked, LearnedValences learned) {
        Set<String> marks = Set.copyOf(marked);
        return new EmoteValences() {
            @Override
            public Set<String> marked() {
                return marks;
            }

            @Override
            public double learned(String emote) {
                return learned.of(emote);
            }
        };
    }
}
