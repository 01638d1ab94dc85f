package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledSet;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledText;
import io.edgedeck.simulator.chat.ChatTextGenerator;
import io.edgedeck.simulator.chat.PhrasePools;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The blind test set stays blind. Rehearsal chat must never draw a test line; and the test
 * figure the evaluation calls "unseen" must hold no line that is a chat-lexicon entry or a line
 * of a development set. Lines are compared after {@link SentimentEvaluation#normalised
 * normalisation}; failures give counts only: the test set's lines are never printed.
 */
class SentimentLeakageTest {

    /** Every test set's lines: the history set 1 and the blind set 2. */
    private static List<LabelledText> testSet() {
        var lines = new java.util.ArrayList<LabelledText>();
        for (LabelledSet set : LabelledSet.values()) {
            if (!set.file().development()) {
                SentimentEvaluation.readSet(set).ifPresent(lines::addAll);
            }
        }
        assumeTrue(!lines.isEmpty(), "the test sets are not in this checkout");
        return lines;
    }

    private static List<LabelledText> secondTestSet() {
        Optional<List<LabelledText>> set = SentimentEvaluation.readSet(LabelledSet.TEST2);
        assumeTrue(set.isPresent(), "the blind test set 2 is not in this checkout");
        return set.get();
    }

    /** Set 2 was written apart from everything: every line of it is unseen, none is a lexicon entry or development line. */
    @Test
    void everyLineOfTheSecondTestSetIsUnseen() {
        List<LabelledText> test = secondTestSet();
        assertEquals(test.size(), SentimentEvaluation.unseen(test).size(), "test-set-2 lines in the lexicon or a development set");
    }

    /**
     * The training files teach the classifier: none of their lines may be a test line or a near copy of
     * one (two words or more shared, and at least 60% of the words of both together).
     */
    @ParameterizedTest
    @EnumSource(value = LabelledSet.class, names = {"TRAIN", "TRAIN2", "GENERAL_TRAIN"})
    void noTrainingLineIsATestLineOrANearCopyOfOne(LabelledSet training) {
        var tests = testSet().stream().map(l -> wordSet(SentimentEvaluation.normalised(l.text()))).toList();
        long near = SentimentEvaluation.requireSet(training).stream()
                .map(l -> wordSet(SentimentEvaluation.normalised(l.text())))
                .filter(words -> tests.stream().anyMatch(t -> nearCopy(words, t))).count();
        assertEquals(0, near, "training lines that are, or nearly are, test lines");
    }

    /** The rated general-text development lines choose the blend: none may be a test line or a near copy of one. */
    @Test
    void noGeneralDevelopmentLineIsATestLineOrANearCopyOfOne() {
        var tests = testSet().stream().map(l -> wordSet(SentimentEvaluation.normalised(l.text()))).toList();
        long near = SentimentEvaluation.generalDevelopment().stream()
                .map(l -> wordSet(SentimentEvaluation.normalised(l.text())))
                .filter(words -> tests.stream().anyMatch(t -> nearCopy(words, t))).count();
        assertEquals(0, near, "general development lines that are, or nearly are, test lines");
    }

    @Test
    void nearCopiesShareMostWords() {
        assertTrue(nearCopy(wordSet("what chair is that"), wordSet("what mic is that")));
        assertTrue(nearCopy(wordSet("lol"), wordSet("lol")));
        assertTrue(!nearCopy(wordSet("the hoodie is nice"), wordSet("the shipping is slow today")));
    }

    private static java.util.Set<String> wordSet(String normalised) {
        return normalised.isEmpty() ? java.util.Set.of() : new HashSet<>(List.of(normalised.split(" ")));
    }

    private static boolean nearCopy(java.util.Set<String> a, java.util.Set<String> b) {
        if (a.equals(b)) {
            return true;
        }
        long shared = a.stream().filter(b::contains).count();
        long union = a.size() + b.size() - shared;
        return shared >= 2 && shared >= 0.6 * union;
    }

    private static int words(String normalised) {
        return normalised.isEmpty() ? 0 : normalised.split(" ").length;
    }

    /** The pools and the test set were written by the same hand, apart: no line of two words or more is in both. */
    @Test
    void noTestLineIsARehearsalPhrase() {
        var pools = new HashSet<String>();
        for (ChatTextGenerator.Mood mood : ChatTextGenerator.Mood.values()) {
            PhrasePools.heldApart().phrases(mood).forEach(p -> pools.add(SentimentEvaluation.normalised(p)));
        }
        long shared = testSet().stream().map(l -> SentimentEvaluation.normalised(l.text()))
                .filter(n -> words(n) >= 2 && pools.contains(n)).count();
        assertEquals(0, shared, "test-set lines that are rehearsal chat phrases");
    }

    @Test
    void theUnseenTestLinesAreInNoLexiconEntryAndNoDevelopmentSet() {
        var seen = new HashSet<String>();
        Lexicons.chatTerms().forEach(t -> seen.add(SentimentEvaluation.normalised(t)));
        for (LabelledSet set : LabelledSet.values()) {
            if (set.file().development()) {
                SentimentEvaluation.requireSet(set).forEach(l -> seen.add(SentimentEvaluation.normalised(l.text())));
            }
        }
        List<LabelledText> test = testSet();
        List<LabelledText> unseen = SentimentEvaluation.unseen(test);
        long leaked = unseen.stream().filter(l -> seen.contains(SentimentEvaluation.normalised(l.text()))).count();
        assertEquals(0, leaked, "unseen test lines found in the lexicon or a development set");
        assertTrue(unseen.size() >= test.size() / 2, "most of the test set is unseen: " + unseen.size() + " of " + test.size());
    }

    @Test
    void normalisationIgnoresCaseApostrophesPunctuationAndVariationSelectors() {
        assertEquals("lets go 🔥", SentimentEvaluation.normalised("  Let's   GO!! \uD83D\uDD25\uFE0F "));
        assertEquals("huge w", SentimentEvaluation.normalised("huge W."));
        assertEquals("", SentimentEvaluation.normalised("?!"));
        assertEquals(2, words(SentimentEvaluation.normalised("take, my")));
        assertEquals(0, words(SentimentEvaluation.normalised("...")));
    }

    @Test
    void unseenDropsLexiconEntriesAndDevelopmentLines() {
        var lines = List.of(new LabelledText(SentimentEvaluation.Polarity.POS, "Take my money!!"),
                new LabelledText(SentimentEvaluation.Polarity.NEU, "when does the drop start"),
                new LabelledText(SentimentEvaluation.Polarity.NEG, "the stage lights went out and nobody cared"));
        assertEquals(List.of(lines.get(2)), SentimentEvaluation.unseen(lines));
    }
}
