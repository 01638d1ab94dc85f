package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledSet;
import io.edgedeck.engine.sentiment.SentimentEvaluation.Polarity;
import java.util.EnumMap;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Floors on the development sets only: the test sets are measured by {@code sentiment --evaluate}
 * and reported in docs/SENTIMENT.md, never held to a floor a change could be tuned against. The
 * classifier trains on these sets, so what estimates accuracy on new chat is the cross-validation
 * in {@code ChatClassifierTest}, not these floors.
 */
class LiveChatAccuracyTest {

    @ParameterizedTest
    @EnumSource(value = LabelledSet.class, names = {"DEV", "DEV2", "DEV3", "DEV4", "DEV5"})
    void eachDevelopmentSetIsLargeAndCoversEveryClass(LabelledSet set) {
        List<SentimentEvaluation.LabelledText> lines = SentimentEvaluation.requireSet(set);
        var counts = new EnumMap<Polarity, Integer>(Polarity.class);
        lines.forEach(line -> counts.merge(line.label(), 1, Integer::sum));
        assertTrue(lines.size() >= 150, "lines: " + lines.size());
        assertEquals(3, counts.size(), counts.toString());
        counts.values().forEach(count -> assertTrue(count >= 50, counts.toString()));
    }

    @ParameterizedTest
    @EnumSource(value = LabelledSet.class, names = {"DEV", "DEV2", "DEV3", "DEV4"})
    void chatScorerClearlyBeatsPlainVaderOnDevelopmentChat(LabelledSet set) {
        List<SentimentEvaluation.LabelledText> lines = SentimentEvaluation.requireSet(set);
        double ours = SentimentEvaluation.accuracy(new ChatSentimentScorer(), lines);
        double vader = SentimentEvaluation.accuracy(ChatSentimentScorer.plainVader(), lines);
        assertTrue(ours >= 0.85, "chat scorer accuracy " + ours);
        assertTrue(ours >= vader + 0.25, "chat scorer " + ours + " vs plain VADER " + vader);
    }

    /**
     * Set 5 was held out of the lexicon work on set 4 and measured once after it (0.844; 0.792
     * before); the classifier now trains on it, so its figure here is no estimate of anything, only a
     * check that the trained scorer reads the lines it learned from.
     */
    @Test
    void theHeldOutFifthSetIsReadBetterThanByPlainVader() {
        List<SentimentEvaluation.LabelledText> lines = SentimentEvaluation.requireSet(LabelledSet.DEV5);
        double ours = SentimentEvaluation.accuracy(new ChatSentimentScorer(), lines);
        double vader = SentimentEvaluation.accuracy(ChatSentimentScorer.plainVader(), lines);
        assertTrue(ours >= 0.80, "chat scorer accuracy " + ours);
        assertTrue(ours >= vader + 0.10, "chat scorer " + ours + " vs plain VADER " + vader);
    }

    @Test
    void macroF1OfAPerfectAndOfAOneSidedClassifier() {
        assertEquals(1.0, SentimentEvaluation.macroF1(new int[][]{{3, 0, 0}, {0, 2, 0}, {0, 0, 5}}), 1e-12);
        // Everything predicted positive: F1 of pos = 2*3/(10+3), the others 0.
        assertEquals(2.0 * 3 / 13 / 3, SentimentEvaluation.macroF1(new int[][]{{3, 0, 0}, {2, 0, 0}, {5, 0, 0}}), 1e-12);
        assertEquals(0.3, SentimentEvaluation.accuracy(new int[][]{{3, 0, 0}, {2, 0, 0}, {5, 0, 0}}), 1e-12);
    }
}
