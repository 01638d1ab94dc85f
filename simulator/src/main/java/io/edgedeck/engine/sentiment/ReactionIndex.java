package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatTokenizer.Kind;
import io.edgedeck.engine.sentiment.ChatTokenizer.Token;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat reaction over the last minute of simulated time: velocity, spike against the usual
 * velocity, net sentiment and the emotes people reach for. Memory is bounded: sixty per-second
 * buckets in a ring, whatever the message rate.
 *
 * <p>Owned by the engine thread; not thread-safe. Times are the engine's virtual clock in
 * milliseconds and are expected to move forward; a message older than the window is counted in
 * {@code messages} but not in the window figures.
 */
public final class ReactionIndex {

    /**
     * @param messagesPerMinute messages in the last 60 s
     * @param spikeRatio        messagesPerMinute over the baseline (an EWMA of earlier whole minutes,
     *                          floored at 1 message a minute); 1.0 until a first minute has completed
     * @param netSentiment      % positive minus % negative of the scored messages in the window, in [-100, 100]
     * @param meanScore         mean compound score of the scored messages in the window; 0 when there are none
     * @param messages          every message recorded since the index was created
     * @param topEmotes         up to five emotes or emoji by count in the window, most used first
     * @param scoredMessages    messages in the window the scorer read
     * @param signalShare       share of the window's messages that carried any scored signal; 0 when empty
     * @param otherLanguageShare share of the window's messages in a language the scorer does not read
     * @param meanLow           lower end of the 95% interval on meanScore, NaN under two scored messages
     * @param meanHigh          upper end of that interval
     */
    public record ReactionSnapshot(double messagesPerMinute, double spikeRatio, double netSentiment,
                                   double meanScore, long messages, List<String> topEmotes, long scoredMessages,
                                   double signalShare, double otherLanguageShare, double meanLow, double meanHigh) {

        /** As the wire model's chat section, with the emotes being learned. */
        public io.edgedeck.client.model.ChatMetrics toMetrics(List<io.edgedeck.client.model.LearnedEmote> learned) {
            return new io.edgedeck.client.model.ChatMetrics((long) messages, messagesPerMinute, spikeRatio, netSentiment,
                    meanScore, topEmotes, scoredMessages, signalShare, otherLanguageShare,
                    Double.isNaN(meanLow) ? null : meanLow, Double.isNaN(meanHigh) ? null : meanHigh, learned);
        }
    }

    /**
     * z for a two-sided 95% interval. The interval is the central-limit one, mean +- z s / sqrt(n),
     * over the scored messages of the window: valid for one look at a window of independent
     * messages, not under continuous monitoring (the guardrails' decisions use an anytime-valid
     * bound for that). Compound scores are bounded, so the approximation is good from a few dozen
     * messages; under two it is not given.
     */
    static final double Z_95 = 1.959963984540054;

    static final int WINDOW_SECONDS = 60;
    /** Weight of the newest completed minute in the baseline: about the last three minutes dominate. */
    static final double BASELINE_WEIGHT = 0.3;
    static final double NEUTRAL_BAND = 0.05;
    private static final int TOP = 5;
    /** After this many silent minutes the baseline is ~0 anyway; stop folding zeros. */
    private static final int MAX_FOLDED_GAP = 64;

    private final long[] second = new long[WINDOW_SECONDS];
    private final int[] count = new int[WINDOW_SECONDS];
    private final int[] positive = new int[WINDOW_SECONDS];
    private final int[] negative = new int[WINDOW_SECONDS];
    private final double[] scoreSum = new double[WINDOW_SECONDS];
    private final double[] scoreSumSq = new double[WINDOW_SECONDS];
    private final int[] scored = new int[WINDOW_SECONDS];
    private final int[] signal = new int[WINDOW_SECONDS];
    private final int[] otherLanguage = new int[WINDOW_SECONDS];
    @SuppressWarnings("unchecked")
    private final Map<String, int[]>[] reactions = new Map[WINDOW_SECONDS];

    private static final Lexicons LEXICONS = Lexicons.get();
    private long messages;
    private long minute = Long.MIN_VALUE;
    private int minuteCount;
    private double baseline = Double.NaN;

    public ReactionIndex() {
        Arrays.fill(second, Long.MIN_VALUE);
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            reactions[i] = new HashMap<>();
        }
    }

    /** Records one chat message with the score the scorer gave it. */
    public void record(long timeMillis, String text, double score) {
        recordReactions(timeMillis, reactionsIn(text), score);
    }

    /** The emotes and emoji a message uses, in order, as the index counts them. */
    public static List<String> reactionsIn(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(2);
        for (Token token : ChatTokenizer.tokenize(text, true, LEXICONS)) {
            String name = reactionName(token);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Records one chat message given its reactions ({@link #reactionsIn}) and score: for callers
     * that score the same lines again and again and keep both.
     */
    public void recordReactions(long timeMillis, List<String> reactionNames, double score) {
        record(timeMillis, reactionNames, score, true, score != 0);
    }

    /**
     * Records one chat message.
     *
     * @param score  its compound score; ignored when it was not scored
     * @param read   whether the scorer read it (false: a language it does not read; counted, never scored)
     * @param signal whether anything in it carried sentiment
     */
    public void record(long timeMillis, List<String> reactionNames, double score, boolean read, boolean signal) {
        messages++;
        long msgMinute = Math.floorDiv(timeMillis, 60_000L);
        if (minute == Long.MIN_VALUE) {
            minute = msgMinute;
        } else if (msgMinute > minute) {
            baseline = folded(baseline, minuteCount, msgMinute - minute);
            minute = msgMinute;
            minuteCount = 0;
        }
        if (msgMinute == minute) {
            minuteCount++;
        }
        long sec = Math.floorDiv(timeMillis, 1000L);
        int slot = (int) Math.floorMod(sec, (long) WINDOW_SECONDS);
        if (second[slot] > sec) {
            return;
        }
        if (second[slot] < sec) {
            second[slot] = sec;
            count[slot] = 0;
            positive[slot] = 0;
            negative[slot] = 0;
            scoreSum[slot] = 0;
            scoreSumSq[slot] = 0;
            scored[slot] = 0;
            this.signal[slot] = 0;
            otherLanguage[slot] = 0;
            reactions[slot].clear();
        }
        count[slot]++;
        if (read) {
            double s = Double.isFinite(score) ? Math.max(-1, Math.min(1, score)) : 0.0;
            scored[slot]++;
            scoreSum[slot] += s;
            scoreSumSq[slot] += s * s;
            if (s >= NEUTRAL_BAND) {
                positive[slot]++;
            } else if (s <= -NEUTRAL_BAND) {
                negative[slot]++;
            }
        } else {
            otherLanguage[slot]++;
        }
        if (signal) {
            this.signal[slot]++;
        }
        for (String name : reactionNames) {
            reactions[slot].computeIfAbsent(name, k -> new int[1])[0]++;
        }
    }

    /**
     * The window (nowMillis - 60 s, nowMillis], second by second. Does not change the index.
     * {@code nowMillis} is the engine's current time: seconds older than the newest minute
     * recorded are already reused by the ring.
     */
    public ReactionSnapshot snapshot(long nowMillis) {
        long nowSec = Math.floorDiv(nowMillis, 1000L);
        int total = 0;
        int pos = 0;
        int neg = 0;
        double sum = 0;
        double sumSq = 0;
        long read = 0;
        long withSignal = 0;
        long other = 0;
        var emoteCounts = new HashMap<String, Integer>();
        for (int slot = 0; slot < WINDOW_SECONDS; slot++) {
            if (second[slot] > nowSec - WINDOW_SECONDS && second[slot] <= nowSec) {
                total += count[slot];
                pos += positive[slot];
                neg += negative[slot];
                sum += scoreSum[slot];
                sumSq += scoreSumSq[slot];
                read += scored[slot];
                withSignal += signal[slot];
                other += otherLanguage[slot];
                reactions[slot].forEach((name, n) -> emoteCounts.merge(name, n[0], Integer::sum));
            }
        }
        double base = baseline;
        long nowMinute = Math.floorDiv(nowMillis, 60_000L);
        if (minute != Long.MIN_VALUE && nowMinute > minute) {
            base = folded(base, minuteCount, nowMinute - minute);
        }
        double spike = Double.isNaN(base) ? 1.0 : total / Math.max(1.0, base);
        double net = read == 0 ? 0.0 : 100.0 * (pos - neg) / read;
        double mean = read == 0 ? 0.0 : sum / read;
        double low = Double.NaN;
        double high = Double.NaN;
        if (read >= 2) {
            double variance = Math.max(0, (sumSq - read * mean * mean) / (read - 1));
            double radius = Z_95 * Math.sqrt(variance / read);
            low = Math.max(-1, mean - radius);
            high = Math.min(1, mean + radius);
        }
        return new ReactionSnapshot(total, spike, net, mean, messages, top(emoteCounts), read,
                total == 0 ? 0 : (double) withSignal / total, total == 0 ? 0 : (double) other / total, low, high);
    }

    /** The baseline after the minute that held {@code lastCount} messages and {@code minutes - 1} silent ones. */
    private static double folded(double base, int lastCount, long minutes) {
        double b = Double.isNaN(base) ? lastCount : base + BASELINE_WEIGHT * (lastCount - base);
        for (long k = 1; k < Math.min(minutes, MAX_FOLDED_GAP); k++) {
            b -= BASELINE_WEIGHT * b;
        }
        return b;
    }

    private static String reactionName(Token token) {
        if (token.kind() == Kind.EMOJI) {
            return token.key();
        }
        if (token.kind() == Kind.EMOTE) {
            return LEXICONS.emoteSpelling.get(token.key());
        }
        return null;
    }

    private static List<String> top(Map<String, Integer> counts) {
        var entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        var names = new ArrayList<String>(TOP);
        for (int i = 0; i < Math.min(TOP, entries.size()); i++) {
            names.add(entries.get(i).getKey());
        }
        return List.copyOf(names);
    }
}
