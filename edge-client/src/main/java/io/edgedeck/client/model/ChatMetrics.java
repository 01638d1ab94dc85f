package io.edgedeck.client.model;

import java.util.List;

/**
 * The chat reaction index over the last minute of engine time.
 *
 * @param messages          chat messages since the show started
 * @param messagesPerMinute messages in the last 60 s
 * @param spikeRatio        that rate over its rolling baseline; 1.0 until a baseline exists
 * @param netSentiment      % positive minus % negative messages in the window, in [-100, 100]
 * @param meanScore         mean compound sentiment in the window, in [-1, 1]
 * @param topEmotes         up to five emotes or emoji by use in the window, most used first
 */
public record ChatMetrics(long messages, double messagesPerMinute, double spikeRatio, double netSentiment,
                          double meanScore, List<String> topEmotes) {
    public static final ChatMetrics EMPTY = new ChatMetrics(0, 0, 1, 0, 0, List.of());

    public ChatMetrics {
        topEmotes = topEmotes == null ? List.of() : List.copyOf(topEmotes);
    }
}
