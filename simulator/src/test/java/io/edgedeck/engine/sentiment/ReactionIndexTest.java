package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgedeck.engine.sentiment.ReactionIndex.ReactionSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReactionIndexTest {

    private final ReactionIndex index = new ReactionIndex();

    @Test
    void emptyIndex() {
        ReactionSnapshot s = index.snapshot(0);
        assertEquals(new ReactionSnapshot(0, 1.0, 0, 0, 0, List.of(), 0, 0, 0, Double.NaN, Double.NaN), s);
    }

    @Test
    void netSentimentAndMeanOverTheWindow() {
        index.record(1_000, "great", 0.6);
        index.record(2_000, "ok", 0.05);   // on the band edge: positive
        index.record(3_000, "meh", -0.05); // on the band edge: negative
        index.record(4_000, "hi", 0.0);
        ReactionSnapshot s = index.snapshot(10_000);
        assertEquals(4, s.messagesPerMinute());
        assertEquals(25.0, s.netSentiment(), 1e-9);   // (2 - 1) / 4
        assertEquals(0.15, s.meanScore(), 1e-9);      // 0.6 / 4
        assertEquals(4, s.messages());
    }

    @Test
    void coverageOtherLanguagesAndTheIntervalOnTheMean() {
        index.record(1_000, List.of(), 0.6, true, true);
        index.record(2_000, List.of(), -0.2, true, true);
        index.record(3_000, List.of(), 0.0, true, false);
        index.record(4_000, List.of("🔥"), 0.0, false, false);
        ReactionSnapshot s = index.snapshot(10_000);
        assertEquals(4, s.messagesPerMinute());
        assertEquals(3, s.scoredMessages());
        assertEquals(0.5, s.signalShare(), 1e-12);
        assertEquals(0.25, s.otherLanguageShare(), 1e-12);
        double mean = 0.4 / 3;
        assertEquals(mean, s.meanScore(), 1e-12, "the message in another language is not a neutral one");
        double sd = Math.sqrt(((0.6 - mean) * (0.6 - mean) + (-0.2 - mean) * (-0.2 - mean) + mean * mean) / 2);
        double radius = ReactionIndex.Z_95 * sd / Math.sqrt(3);
        assertEquals(Math.max(-1, mean - radius), s.meanLow(), 1e-12);
        assertEquals(Math.min(1, mean + radius), s.meanHigh(), 1e-12);
        assertEquals(List.of("🔥"), s.topEmotes(), "reactions count whatever the language");
        var wire = s.toMetrics(List.of());
        assertEquals(3, wire.scoredMessages());
        assertEquals(s.meanLow(), wire.meanLow(), 1e-12);
    }

    @Test
    void noIntervalUnderTwoScoredMessages() {
        index.record(1_000, List.of(), 0.6, true, true);
        assertEquals(Double.NaN, index.snapshot(2_000).meanLow());
        assertEquals(null, index.snapshot(2_000).toMetrics(List.of()).meanLow());
    }

    @Test
    void theWindowIsTheLastSixtySeconds() {
        index.record(0, "a", 0.5);
        index.record(30_500, "b", -0.5);
        assertEquals(2, index.snapshot(59_999).messagesPerMinute());
        assertEquals(1, index.snapshot(60_000).messagesPerMinute());
        ReactionSnapshot late = index.snapshot(91_000);
        assertEquals(0, late.messagesPerMinute());
        assertEquals(0.0, late.netSentiment());
        assertEquals(2, late.messages(), "the total keeps every message");
    }

    @Test
    void spikeRatioAgainstAnEwmaOfEarlierMinutes() {
        // Minute 0 and minute 1: one message a second.
        for (int sec = 0; sec < 60; sec++) {
            index.record(sec * 1_000L, "msg", 0.0);
        }
        assertEquals(60, index.snapshot(59_999).messagesPerMinute());
        assertEquals(1.0, index.snapshot(59_999).spikeRatio(), 1e-9, "no completed minute yet");
        for (int sec = 60; sec < 120; sec++) {
            index.record(sec * 1_000L, "msg", 0.0);
        }
        assertEquals(1.0, index.snapshot(119_999).spikeRatio(), 1e-9); // baseline 60, rate 60
        // Minute 2: three a second. Baseline after minute 1: 60 + 0.3 * (60 - 60) = 60.
        for (int sec = 120; sec < 180; sec++) {
            for (int k = 0; k < 3; k++) {
                index.record(sec * 1_000L + k, "msg", 0.0);
            }
        }
        ReactionSnapshot burst = index.snapshot(179_999);
        assertEquals(180, burst.messagesPerMinute());
        assertEquals(3.0, burst.spikeRatio(), 1e-9);
        // Minute 4, nothing since minute 2: 60 + 0.3 * (180 - 60) = 96, then a silent minute 3: 96 * 0.7.
        ReactionSnapshot quiet = index.snapshot(240_500);
        assertEquals(0, quiet.messagesPerMinute());
        assertEquals(0.0, quiet.spikeRatio(), 1e-9);
        index.record(240_600, "back", 0.0);
        assertEquals(1 / 67.2, index.snapshot(240_700).spikeRatio(), 1e-9);
    }

    @Test
    void baselineIsFlooredAtOneMessageAMinute() {
        index.record(0, "a", 0);
        index.record(61 * 60_000L, "after an hour", 0); // baseline folds down to ~0
        index.record(61 * 60_000L + 1, "b", 0);
        assertEquals(2.0, index.snapshot(61 * 60_000L + 2).spikeRatio(), 1e-9);
    }

    @Test
    void topEmotesByCountInTheWindow() {
        index.record(1_000, "Pog Pog 🔥", 0.8);
        index.record(2_000, "kekw that was funny", 0.5);
        index.record(3_000, "🔥 lag", -0.2);
        index.record(4_000, "❤️ 👀 Sadge LUL", 0.1);
        ReactionSnapshot s = index.snapshot(5_000);
        // Pog 2 and 🔥 2, then the singles by name; "kekw" is reported in its usual spelling.
        assertEquals(List.of("Pog", "🔥", "KEKW", "LUL", "Sadge"), s.topEmotes());
        assertEquals(List.of(), index.snapshot(70_000).topEmotes());
    }

    @Test
    void memoryStaysBoundedUnderAFlood() {
        for (long t = 0; t < 600_000; t += 2) {
            index.record(t, "Pog", 0.9);
        }
        ReactionSnapshot s = index.snapshot(599_999);
        assertEquals(30_000, s.messagesPerMinute());
        assertEquals(300_000, s.messages());
        assertEquals(100.0, s.netSentiment());
        assertEquals(1.0, s.spikeRatio(), 1e-9);
    }

    @Test
    void oddScoresAndTextDoNotBreakTheIndex() {
        index.record(1_000, null, Double.NaN);
        index.record(1_000, "", 5.0);
        ReactionSnapshot s = index.snapshot(1_000);
        assertEquals(2, s.messagesPerMinute());
        assertEquals(0.5, s.meanScore(), 1e-9);   // NaN counts as 0, 5.0 is clamped to 1
        assertEquals(50.0, s.netSentiment(), 1e-9);
    }
}
