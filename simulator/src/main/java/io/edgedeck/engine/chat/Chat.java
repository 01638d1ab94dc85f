package io.edgedeck.engine.chat;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.sentiment.ChatSentiment;
import io.edgedeck.engine.sentiment.ReactionIndex;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The show's chat as the core measures it: every message read by {@link ChatSentiment} (its
 * language, its score when the scorer reads that language, its reactions, the emote valences each
 * channel learns, published through the journal), and the show-wide reaction index, message count
 * and mean score kept. Per-variant chat is kept by the experiments, from the same reading.
 * Owned by the engine thread.
 */
public final class Chat {
    private final ChatSentiment sentiment;
    private final LongSupplier clock;
    private final ReactionIndex reactions = new ReactionIndex();
    private long messages;
    private long scoredMessages;
    private double scoreSum;

    public Chat(Journal journal, LongSupplier clock) {
        this.sentiment = new ChatSentiment(journal);
        this.clock = clock;
    }

    /**
     * Reads one message: the same line in the same channel is read once and kept.
     *
     * @param channel where it was said ({@code twitch:somechannel}); null for the show's own chat
     * @param marked  the emotes the platform marked in it, by name; empty when it marks none
     */
    public ChatSentiment.Reading read(String channel, String text, List<String> marked) {
        return sentiment.read(channel, text, marked);
    }

    /**
     * The language of each of these lines, as {@link io.edgedeck.engine.sentiment.ChatLanguage#of}
     * gives it with no emote marks: for a sender that knows every line it will send. Before the first tick.
     */
    public void knowLanguages(java.util.Map<String, io.edgedeck.engine.sentiment.ChatLanguage.Verdict> verdicts) {
        sentiment.knowLanguages(verdicts);
    }

    /** As {@link #read}, for a message the node took before it restarted and reads again from its own record. */
    public ChatSentiment.Reading reread(String channel, String text, List<String> marked) {
        return sentiment.reread(channel, text, marked);
    }

    /** One message of the show's chat, now. A message in a language the scorer does not read counts, unscored. */
    public void message(ChatSentiment.Reading reading) {
        message(reading, clock.getAsLong());
    }

    /**
     * One message of the show's chat, said at engine time {@code atMillis} (no later than now): a live
     * node's message read back from its ingest log at a restart counts in the window only while it is
     * not older than it.
     */
    public void message(ChatSentiment.Reading reading, long atMillis) {
        reactions.record(atMillis, reading.reactions(), reading.score(), reading.read(), reading.signal());
        if (reading.read()) {
            scoreSum += reading.score();
            scoredMessages++;
        }
        messages++;
    }

    /** Publishes the emote valences learned since the last time, through the journal. Once per tick. */
    public void tick(long nowMillis) {
        sentiment.tick(nowMillis);
    }

    /** Applies a journaled publication of learned valences: on a restart. */
    public void replay(JournalRecord.EmoteValencesLearned record) {
        sentiment.replay(record);
    }

    public long messages() {
        return messages;
    }

    /** Mean compound sentiment of every scored message so far (other languages are not scored). */
    public double meanScore() {
        return scoredMessages == 0 ? 0 : scoreSum / scoredMessages;
    }

    /** The show's reaction index now, with the emotes its channels are learning. */
    public ChatMetrics metrics() {
        return reactions.snapshot(clock.getAsLong()).toMetrics(sentiment.learned());
    }
}
