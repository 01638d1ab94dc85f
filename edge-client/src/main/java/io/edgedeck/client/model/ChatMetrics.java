package io.edgedeck.client.model;

import java.util.List;

/**
 * The chat reaction index over the last minute of engine time.
 *
 * @param messages           chat messages since the show started
 * @param messagesPerMinute  messages in the last 60 s
 * @param spikeRatio         that rate over its rolling baseline; 1.0 until a baseline exists
 * @param netSentiment       % positive minus % negative of the scored messages in the window, in [-100, 100]
 * @param meanScore          mean compound sentiment of the scored messages in the window, in [-1, 1]
 * @param topEmotes          up to five emotes or emoji by use in the window, most used first
 * @param scoredMessages     messages in the window the scorer could read (the language it reads, or too
 *                           short to tell): the ones {@code meanScore} is the mean of
 * @param signalShare        share of the window's messages that carried any scored signal (a word, emoji,
 *                           emote or phrase with sentiment), in [0, 1]; 0 for an empty window
 * @param otherLanguageShare share of the window's messages in a language the scorer does not read, in [0, 1]
 * @param meanLow            lower end of the 95% interval on {@code meanScore} (normal approximation over
 *                           the scored messages); null under two scored messages
 * @param meanHigh           upper end of that interval, or null
 * @param learnedEmotes      emotes whose valence the show's channels are learning, most used first (up to eight)
 */
public record ChatMetrics(long messages, double messagesPerMinute, double spikeRatio, double netSentiment,
                          double meanScore, List<String> topEmotes, long scoredMessages, double signalShare,
                          double otherLanguageShare, Double meanLow, Double meanHigh, List<LearnedEmote> learnedEmotes) {
    public static final ChatMetrics EMPTY = new ChatMetrics(0, 0, 1, 0, 0, List.of());

    public ChatMetrics {
        topEmotes = topEmotes == null ? List.of() : List.copyOf(topEmotes);
        learnedEmotes = learnedEmotes == null ? List.of() : List.copyOf(learnedEmotes);
    }

    /** The reaction index alone, as before coverage was measured: every message scored, nothing learned. */
    public ChatMetrics(long messages, double messagesPerMinute, double spikeRatio, double netSentiment,
                       double meanScore, List<String> topEmotes) {
        this(messages, messagesPerMinute, spikeRatio, netSentiment, meanScore, topEmotes, (long) messagesPerMinute,
                messagesPerMinute > 0 ? 1 : 0, 0, null, null, List.of());
    }
}
