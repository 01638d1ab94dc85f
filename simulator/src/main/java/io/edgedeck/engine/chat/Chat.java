package io.edgedeck.engine.chat;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.engine.sentiment.ChatSentimentScorer;
import io.edgedeck.engine.sentiment.ReactionIndex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The show's chat as the core measures it: every message scored with the
 * {@link ChatSentimentScorer}, its reactions (emotes and emoji) read, and the show-wide reaction
 * index, message count and mean score kept. Per-variant chat is kept by the experiments, from the
 * same scored line.
 *
 * <p>Chat repeats itself (emote spam, "W", "take my money") and the scorer is pure, so each distinct
 * line is scored once: a bounded cache of {@value #SCORED_LINES_KEPT} lines, cleared when full. A
 * line already scored costs a map lookup and allocates nothing. Owned by the engine thread.
 */
public final class Chat {
    static final int SCORED_LINES_KEPT = 65_536;

    /**
     * A chat line as the core scored it.
     *
     * @param score     compound sentiment in [-1, 1]
     * @param reactions the emotes and emoji in it, by name
     */
    public record ScoredLine(double score, List<String> reactions) {
        public ScoredLine {
            reactions = List.copyOf(reactions);
        }
    }

    private final ChatSentimentScorer scorer;
    private final LongSupplier clock;
    private final ReactionIndex reactions = new ReactionIndex();
    private final Map<String, ScoredLine> scoredLines = new HashMap<>();
    private long messages;
    private double scoreSum;

    public Chat(ChatSentimentScorer scorer, LongSupplier clock) {
        this.scorer = scorer;
        this.clock = clock;
    }

    /** Scores a line of chat text, reading its emotes and emoji from the text. */
    public ScoredLine score(String text) {
        ScoredLine scored = scoredLines.get(text);
        if (scored == null) {
            if (scoredLines.size() >= SCORED_LINES_KEPT) {
                scoredLines.clear();
            }
            scored = new ScoredLine(scorer.compound(text), ReactionIndex.reactionsIn(text));
            scoredLines.put(text, scored);
        }
        return scored;
    }

    /** Scores a line whose emotes the chat platform marked itself (names, e.g. {@code PogChamp}). */
    public ScoredLine score(String text, List<String> platformEmotes) {
        return new ScoredLine(score(text).score(), platformEmotes);
    }

    /** One message of the show's chat, now. */
    public void message(ScoredLine line) {
        reactions.recordReactions(clock.getAsLong(), line.reactions(), line.score());
        scoreSum += line.score();
        messages++;
    }

    public long messages() {
        return messages;
    }

    /** Mean compound sentiment of every message so far. */
    public double meanScore() {
        return messages == 0 ? 0 : scoreSum / messages;
    }

    /** The show's reaction index now. */
    public ChatMetrics metrics() {
        return metricsOf(reactions, clock.getAsLong());
    }

    /** A reaction index as the wire carries it, at {@code nowMillis}. */
    public static ChatMetrics metricsOf(ReactionIndex index, long nowMillis) {
        ReactionIndex.ReactionSnapshot s = index.snapshot(nowMillis);
        return new ChatMetrics(s.messages(), s.messagesPerMinute(), s.spikeRatio(), s.netSentiment(), s.meanScore(),
                s.topEmotes());
    }
}
