package io.edgedeck.client.model;

/**
 * An emote's valence as a channel has learned it from the words it is used with.
 *
 * @param name    the emote, as the platform or the global lexicon spells it
 * @param valence the valence scoring uses now, on VADER's -4..4 scale: the learned one once it counts,
 *                else the global seed
 * @param seed    the global lexicon's valence, or null for an emote it does not know
 * @param uses    messages with sentiment-bearing words it was seen in: the evidence so far
 * @param counts  whether the learned valence is in use (enough evidence), rather than the seed
 */
public record LearnedEmote(String name, double valence, Double seed, long uses, boolean counts) {
}
