package io.edgedeck.engine.experiments;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * One variant of one flag, as the audience experiences it: counters since the show started and
 * per-second rings of the same counts, from which a guardrail reads any window up to
 * {@link Experiments#MAX_WINDOW_SECONDS}. Owned by the engine thread.
 */
public final class Arm {
    private static final int RING = Experiments.MAX_WINDOW_SECONDS + 1;

    final int id;
    final int flag;
    final String flagKey;
    final String variant;
    boolean control;

    /** Sessions the flag's randomisation put in this arm, and their checkouts. */
    long exposures;
    /** The show time of the newest exposure, or -1 before the first. */
    long lastExposureMillis = -1;
    long conversions;
    /**
     * Sessions a flag change (a rollback, a ramp, a kill) moved into this arm mid-session, and their
     * checkouts while here: their own cohort, kept apart so that a rollback neither counts as a wave
     * of new exposures nor dilutes the arm's conversion rate or a guardrail's evidence.
     */
    long movedIn;
    long movedConversions;
    /** The value (revenue) its conversions carried, when they carried one. */
    double conversionValue;
    /** Chat messages the scorer read; those in other languages are {@link #otherLanguageChat}. */
    long chatMessages;
    long otherLanguageChat;
    double chatSum;
    /** Messages per minute, spike, net sentiment and top emotes of this arm's chat; bounded memory. */
    final io.edgedeck.engine.sentiment.ReactionIndex reactions = new io.edgedeck.engine.sentiment.ReactionIndex();

    private final long[] exposuresPerSecond = new long[RING];
    private final long[] conversionsPerSecond = new long[RING];
    private final long[] chatPerSecond = new long[RING];
    private final double[] chatSumPerSecond = new double[RING];
    private final double[] chatSumSqPerSecond = new double[RING];
    private final long[] requestsPerSecond = new long[RING];
    private final long[] errorsPerSecond = new long[RING];
    /** Allocated only when a guardrail on this flag watches latency. */
    private IntCountsHistogram[] latencyPerSecond;
    private int current;
    private long completedSeconds;
    /** Per PoP and second, [pop * RING + slot]; allocated only when a rule may roll back per PoP. */
    private long[] popExposures;
    private long[] popConversions;
    private long[] popChat;
    private double[] popChatSum;
    private double[] popChatSumSq;
    private int pops;

    Arm(int id, int flag, String flagKey, String variant, boolean control) {
        this.id = id;
        this.flag = flag;
        this.flagKey = flagKey;
        this.variant = variant;
        this.control = control;
    }

    public int id() {
        return id;
    }

    /** Whether any session was exposed to, moved into, converted in or chatted in this arm. */
    boolean countedAnything() {
        return exposures > 0 || movedIn > 0 || conversions > 0 || movedConversions > 0 || chatMessages > 0
                || otherLanguageChat > 0;
    }

    public String flagKey() {
        return flagKey;
    }

    public String variant() {
        return variant;
    }

    public boolean control() {
        return control;
    }

    void trackLatency() {
        if (latencyPerSecond == null) {
            latencyPerSecond = new IntCountsHistogram[RING];
            for (int i = 0; i < RING; i++) {
                latencyPerSecond[i] = new IntCountsHistogram(1, 120_000_000L, 2);
            }
        }
    }

    void trackPerPop(int popCount) {
        if (popExposures == null) {
            pops = popCount;
            popExposures = new long[popCount * RING];
            popConversions = new long[popCount * RING];
            popChat = new long[popCount * RING];
            popChatSum = new double[popCount * RING];
            popChatSumSq = new double[popCount * RING];
        }
    }

    /** @param nowMillis the show time it came at */
    void expose(int pop, long nowMillis) {
        exposures++;
        lastExposureMillis = nowMillis;
        exposuresPerSecond[current]++;
        if (popExposures != null) popExposures[pop * RING + current]++;
    }

    void moveIn() {
        movedIn++;
    }

    void convertMoved() {
        movedConversions++;
    }

    void convert(int pop) {
        conversions++;
        conversionsPerSecond[current]++;
        if (popConversions != null) popConversions[pop * RING + current]++;
    }

    void chat(int pop, double score) {
        chatMessages++;
        chatSum += score;
        chatPerSecond[current]++;
        chatSumPerSecond[current] += score;
        chatSumSqPerSecond[current] += score * score;
        if (popChat != null) {
            int i = pop * RING + current;
            popChat[i]++;
            popChatSum[i] += score;
            popChatSumSq[i] += score * score;
        }
    }

    /**
     * A chat message as the engine read it: for the reaction index, and, when the scorer read its
     * language, for the sentiment windows. A message in a language the scorer does not read is
     * counted, never scored as neutral.
     */
    void chat(int pop, io.edgedeck.engine.sentiment.ChatSentiment.Reading reading, long nowMillis) {
        if (reading.read()) {
            chat(pop, reading.score());
        } else {
            otherLanguageChat++;
        }
        reactions.record(nowMillis, reading.reactions(), reading.score(), reading.read(), reading.signal());
    }

    void request(double latencyMs, boolean lost) {
        requestsPerSecond[current]++;
        if (lost) {
            errorsPerSecond[current]++;
        } else if (latencyPerSecond != null) {
            latencyPerSecond[current].recordValue(Math.max(1, Math.min(120_000_000L, (long) (latencyMs * 1000))));
        }
    }

    void rollSecond() {
        completedSeconds++;
        current = (int) (completedSeconds % RING);
        exposuresPerSecond[current] = 0;
        conversionsPerSecond[current] = 0;
        chatPerSecond[current] = 0;
        chatSumPerSecond[current] = 0;
        chatSumSqPerSecond[current] = 0;
        requestsPerSecond[current] = 0;
        errorsPerSecond[current] = 0;
        if (latencyPerSecond != null) {
            latencyPerSecond[current].reset();
        }
        if (popExposures != null) {
            for (int p = 0; p < pops; p++) {
                int i = p * RING + current;
                popExposures[i] = 0;
                popConversions[i] = 0;
                popChat[i] = 0;
                popChatSum[i] = 0;
                popChatSumSq[i] = 0;
            }
        }
    }

    /** Whether per-PoP windows are kept ({@link #windowAt}). */
    public boolean tracksPerPop() {
        return popExposures != null;
    }

    /**
     * Exposures, conversions and chat of the sessions homed at one PoP over the last
     * {@code seconds}; requests and errors are not kept per PoP.
     */
    public WindowStats windowAt(int pop, int seconds) {
        long exp = 0;
        long conv = 0;
        long chat = 0;
        double sum = 0;
        double sumSq = 0;
        long from = Math.max(0, completedSeconds - seconds + 1);
        for (long k = from; k <= completedSeconds; k++) {
            int i = pop * RING + (int) (k % RING);
            exp += popExposures[i];
            conv += popConversions[i];
            chat += popChat[i];
            sum += popChatSum[i];
            sumSq += popChatSumSq[i];
        }
        return new WindowStats(exp, conv, chat, sum, sumSq, 0, 0);
    }

    /**
     * Sums over the last {@code seconds} engine seconds: the completed ones and the current,
     * partial one.
     */
    public WindowStats window(int seconds, Histogram latencyScratch) {
        long exp = 0;
        long conv = 0;
        long chat = 0;
        double sum = 0;
        double sumSq = 0;
        long req = 0;
        long err = 0;
        if (latencyScratch != null) {
            latencyScratch.reset();
        }
        long from = Math.max(0, completedSeconds - seconds + 1);
        for (long k = from; k <= completedSeconds; k++) {
            int i = (int) (k % RING);
            exp += exposuresPerSecond[i];
            conv += conversionsPerSecond[i];
            chat += chatPerSecond[i];
            sum += chatSumPerSecond[i];
            sumSq += chatSumSqPerSecond[i];
            req += requestsPerSecond[i];
            err += errorsPerSecond[i];
            if (latencyScratch != null && latencyPerSecond != null) {
                latencyScratch.add(latencyPerSecond[i]);
            }
        }
        return new WindowStats(exp, conv, chat, sum, sumSq, req, err);
    }

    /**
     * Counts over one window of one arm. {@code chatMessages} counts only the messages the chat
     * scorer read (its language, or too short to tell); messages in other languages never enter
     * the chat mean.
     */
    public record WindowStats(long exposures, long conversions, long chatMessages, double chatSum, double chatSumSq,
                              long requests, long errors) {
        /** Messages whose sentiment was scored: what a sentiment rule must wait for, not messages. */
        public long scoredChatMessages() {
            return chatMessages;
        }

        public double chatMean() {
            return chatMessages == 0 ? 0 : chatSum / chatMessages;
        }

        public double chatStdDev() {
            if (chatMessages < 2) {
                return 0;
            }
            double mean = chatMean();
            return Math.sqrt(Math.max(0, (chatSumSq - chatMessages * mean * mean) / (chatMessages - 1)));
        }
    }
}
