package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveChatAccuracyTest {

    private final List<SentimentEvaluation.LabelledText> set = SentimentEvaluation.readChatSet();

    @Test
    void theSetIsLargeAndCoversEveryClass() {
        var counts = new EnumMap<SentimentEvaluation.Polarity, Integer>(SentimentEvaluation.Polarity.class);
        set.forEach(line -> counts.merge(line.label(), 1, Integer::sum));
        assertTrue(set.size() >= 200, "lines: " + set.size());
        counts.values().forEach(count -> assertTrue(count >= 50, counts.toString()));
    }

    @Test
    void chatScorerClearlyBeatsPlainVaderOnLiveChat() {
        double ours = SentimentEvaluation.accuracy(new ChatSentimentScorer(), set);
        double vader = SentimentEvaluation.accuracy(ChatSentimentScorer.plainVader(), set);
        assertTrue(ours >= 0.85, "chat scorer accuracy " + ours);
        assertTrue(ours >= vader + 0.25, "chat scorer " + ours + " vs plain VADER " + vader);
    }
}
