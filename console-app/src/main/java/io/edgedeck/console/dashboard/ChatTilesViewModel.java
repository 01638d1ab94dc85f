package io.edgedeck.console.dashboard;

import io.edgedeck.client.guardrails.GuardrailExplanations;
import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.Together;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * The chat tiles: the sentiment gauge (net sentiment, its mean with interval, how much chat it
 * stands on, its 30 s trend) and the reaction index (messages a minute, spike, top emotes). FX
 * thread; knows nothing of nodes.
 */
public final class ChatTilesViewModel {
    /** How far back the sentiment trend looks, in engine time. */
    static final long TREND_MILLIS = 30_000;
    /** A change in mean score smaller than this is "steady", not a trend. */
    static final double TREND_DEADBAND = 0.03;
    /** Net sentiment within this many points of zero is neutral (amber); beyond it, positive (green) or negative (red). */
    public static final double NEUTRAL_NET = 10;
    /** What the "not scored" share holds, for the tile's tooltip: the frame's {@code otherLanguageShare}. */
    public static final String NOT_SCORED_MEANING = "not scored: messages in a language the scorer does not read (it reads"
            + " English, Spanish, Portuguese and German), and messages named Spanish, Portuguese or German in which only"
            + " English finds a feeling (mostly English the language detector misnamed); counted, never scored as neutral";

    /** [engine millis, mean score] over the trend's span. */
    private final ArrayDeque<double[]> sentimentHistory = new ArrayDeque<>();
    // Before the first frame nothing is known: no number (NaN shows a dash) and grey, never a green zero.
    private final ReadOnlyDoubleWrapper netSentiment = new ReadOnlyDoubleWrapper(this, "netSentiment", Double.NaN);
    private final ReadOnlyStringWrapper sentimentDetail = new ReadOnlyStringWrapper(this, "sentimentDetail", "");
    private final ReadOnlyStringWrapper sentimentCoverage = new ReadOnlyStringWrapper(this, "sentimentCoverage", "");
    private final ReadOnlyStringWrapper sentimentTitle = new ReadOnlyStringWrapper(this, "sentimentTitle", "Chat sentiment");
    private final ReadOnlyObjectWrapper<List<String>> sentimentShorterTitles = new ReadOnlyObjectWrapper<>(this, "sentimentShorterTitles",
            List.of());
    private final ReadOnlyStringWrapper sentimentTrend = new ReadOnlyStringWrapper(this, "sentimentTrend", "steady");
    private final ReadOnlyObjectWrapper<Status> sentimentStatus = new ReadOnlyObjectWrapper<>(this, "sentimentStatus", Status.STALE);
    private final ReadOnlyDoubleWrapper messagesPerMinute = new ReadOnlyDoubleWrapper(this, "messagesPerMinute", Double.NaN);
    private final ReadOnlyStringWrapper reactionDetail = new ReadOnlyStringWrapper(this, "reactionDetail", "");
    private final ReadOnlyObjectWrapper<Status> reactionStatus = new ReadOnlyObjectWrapper<>(this, "reactionStatus", Status.STALE);

    ChatTilesViewModel() {
    }

    /** What a net sentiment means, the colour the gauge gives it: negative red, neutral amber, positive green. */
    public static Status sentimentBand(double netPercent) {
        return netPercent <= -NEUTRAL_NET ? Status.BAD : netPercent < NEUTRAL_NET ? Status.WARN : Status.OK;
    }

    void apply(long engineMillis, ChatMetrics chat) {
        // No message the scorer read in the window: the net and the mean are of nobody, so there is
        // no number to show (a 0 would read as neutral chat), and no point for the trend either.
        boolean scored = chat.messagesPerMinute() > 0 && chat.scoredMessages() > 0;
        netSentiment.set(scored ? chat.netSentiment() : Double.NaN);
        if (scored) {
            sentimentHistory.addLast(new double[]{engineMillis, chat.meanScore()});
        }
        while (sentimentHistory.size() > 1 && sentimentHistory.peekFirst()[0] < engineMillis - TREND_MILLIS) {
            sentimentHistory.removeFirst();
        }
        if (!scored) {
            sentimentTrend.set("steady");
            String none = chat.messagesPerMinute() == 0 ? "no chat in the last minute"
                    : String.format(Locale.ROOT, "none of the last minute's messages scored: other languages %.0f%%",
                    chat.otherLanguageShare() * 100);
            sentimentDetail.set(none);
            sentimentTitle.set(chat.messagesPerMinute() == 0 ? "Chat sentiment · no chat" : "Chat sentiment · none scored");
            sentimentShorterTitles.set(List.of());
            sentimentCoverage.set(none);
            sentimentStatus.set(Status.STALE);
        } else {
            double past = sentimentHistory.peekFirst()[1];
            double delta = chat.meanScore() - past;
            sentimentTrend.set(delta > TREND_DEADBAND ? "rising" : delta < -TREND_DEADBAND ? "falling" : "steady");
            boolean interval = chat.meanLow() != null && chat.meanHigh() != null;
            // The mean and its interval's ends by one rule, a guardrail's evidence's: a figure near zero keeps its side
            // ("-0.004", "just below 0"), so the mean never reads outside its own interval ("mean 0.00" beside an
            // interval wholly below zero). Zero itself reads "0.00". The titles keep theirs: no sign where it rounds to zero.
            sentimentDetail.set(!interval
                    ? String.format(Locale.ROOT, "mean %s · %s over 30 s", GuardrailExplanations.signed(chat.meanScore()),
                            sentimentTrend.get())
                    : String.format(Locale.ROOT, "mean %s (95%% %s to %s) · %s", GuardrailExplanations.signed(chat.meanScore()),
                            GuardrailExplanations.signed(chat.meanLow()), GuardrailExplanations.signed(chat.meanHigh()),
                            sentimentTrend.get()));
            // The share not scored before the share with a signal: a narrow tile's title drops its last parts (the
            // tooltip keeps them), and how much of the chat the number leaves out is the one to keep.
            String notScored = chat.otherLanguageShare() >= 0.005
                    ? String.format(Locale.ROOT, " · %.0f%% not scored", chat.otherLanguageShare() * 100) : "";
            String signal = String.format(Locale.ROOT, " · %.0f%% signal", chat.signalShare() * 100);
            sentimentTitle.set(String.format(Locale.ROOT, "Chat %s%s", signed(chat.meanScore(), 2),
                    !interval ? "" : String.format(Locale.ROOT, "±%.2f", (chat.meanHigh() - chat.meanLow()) / 2)) + notScored + signal);
            String mean = "Chat " + signed(chat.meanScore(), 2);
            sentimentShorterTitles.set(notScored.isEmpty() ? List.of(mean + signal) : List.of(mean + notScored + signal, mean + notScored,
                    "Chat " + signed(chat.meanScore(), 1) + notScored));
            sentimentCoverage.set(String.format(Locale.ROOT, "%,d scored · signal in %.0f%% · not scored: other languages %.0f%%",
                    chat.scoredMessages(), chat.signalShare() * 100, chat.otherLanguageShare() * 100));
            sentimentStatus.set(sentimentBand(chat.netSentiment()));
        }

        messagesPerMinute.set(chat.messagesPerMinute());
        List<String> emotes = chat.topEmotes().stream().limit(3).map(Emotes::asText).toList();
        // The spike with its figure, the top emotes as one part: a wrapped footer breaks between the two.
        reactionDetail.set(Together.words(String.format(Locale.ROOT, "spike ×%.1f", chat.spikeRatio())) + " · "
                + Together.words(emotes.isEmpty() ? "no emotes yet" : "top " + String.join(" ", emotes)));
        // No chat in the last minute is no news, not good news: grey, like a stale tile.
        reactionStatus.set(chat.messagesPerMinute() == 0 ? Status.STALE : chat.spikeRatio() >= 3 ? Status.WARN : Status.OK);
    }

    /**
     * A mean score to {@code decimals} places with its sign ("+0.21", "-0.3"), and none where it rounds to zero: "0.0",
     * not "-0.0" for a mean of -0.04, which would read as a (tiny) fall.
     */
    static String signed(double v, int decimals) {
        String unsigned = String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v));
        return unsigned.matches("[0.]*") ? unsigned : (v < 0 ? "-" : "+") + unsigned;
    }

    void markStale() {
        sentimentStatus.set(Status.STALE);
        reactionStatus.set(Status.STALE);
    }

    void reset() {
        sentimentHistory.clear();
    }

    /**
     * % positive minus % negative chat messages over the last minute, in [-100, 100]; NaN when the
     * scorer read no message in that minute (no number, not a neutral 0).
     */
    public ReadOnlyDoubleProperty netSentimentProperty() {
        return netSentiment.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sentimentDetailProperty() {
        return sentimentDetail.getReadOnlyProperty();
    }

    /**
     * How much of the last minute's chat the number stands on: "812 scored · signal in 64% · not
     * scored: other languages 3%" (scored: messages the scorer read; signal: messages with any
     * sentiment-bearing word, emoji or emote; not scored: messages left out, {@link #NOT_SCORED_MEANING}).
     */
    public ReadOnlyStringProperty sentimentCoverageProperty() {
        return sentimentCoverage.getReadOnlyProperty();
    }

    /**
     * The sentiment tile's title, which its gauge always shows: the mean with the half-width of its
     * 95% interval, the share not scored (other languages, misnamed lines) when there is any, and the
     * share of messages with any sentiment signal: "Chat +0.21±0.03 · 3% not scored · 64% signal". A tile
     * too narrow for it all shows one of {@link #sentimentShorterTitlesProperty()}.
     */
    public ReadOnlyStringProperty sentimentTitleProperty() {
        return sentimentTitle.getReadOnlyProperty();
    }

    /**
     * Shorter titles, longest first, for a tile too narrow for the whole title: without the interval ("Chat +0.21 · 3% not
     * scored · 64% signal", a 1,000 px window's), then without the signal share ("Chat +0.21 · 3% not scored"), then the
     * mean to one decimal ("Chat +0.2 · 3% not scored", a tile at its narrowest): the share not scored is the last to go.
     * With none not scored, the title without the interval only. Empty while there is no mean.
     */
    public ReadOnlyObjectProperty<List<String>> sentimentShorterTitlesProperty() {
        return sentimentShorterTitles.getReadOnlyProperty();
    }

    /** rising, falling or steady. */
    public ReadOnlyStringProperty sentimentTrendProperty() {
        return sentimentTrend.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> sentimentStatusProperty() {
        return sentimentStatus.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty messagesPerMinuteProperty() {
        return messagesPerMinute.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty reactionDetailProperty() {
        return reactionDetail.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> reactionStatusProperty() {
        return reactionStatus.getReadOnlyProperty();
    }
}
