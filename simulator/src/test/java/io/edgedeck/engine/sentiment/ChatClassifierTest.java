package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledSet;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledText;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classifier on top of the lexicon: trained on development lines only, deterministically, and
 * worth its place on the lines nothing was tuned on (cross-validated, never a test set).
 */
class ChatClassifierTest {

    private final ChatSentimentScorer chat = new ChatSentimentScorer();

    /**
     * No line the test figures count as unseen is trained on: all of test set 2, and the part of
     * test set 1 that is not also a development line or lexicon entry (its "unseen" row).
     */
    @Test
    void itIsTrainedOnDevelopmentLinesAndNoUnseenTestLine() {
        var trained = new HashSet<String>();
        ChatClassifier.developmentLines().forEach(l -> trained.add(SentimentEvaluation.normalised(l.text())));
        for (LabelledSet set : LabelledSet.values()) {
            if (!set.file().development()) {
                long shared = SentimentEvaluation.unseen(SentimentEvaluation.readSet(set).orElse(List.of())).stream()
                        .filter(l -> trained.contains(SentimentEvaluation.normalised(l.text()))).count();
                assertEquals(0, shared, set.file().title() + " unseen lines among the training lines");
            }
        }
        assertEquals(ChatClassifier.developmentLines().size(), java.util.Arrays.stream(LabelledSet.values())
                .filter(s -> s.file().development() && (s.chat() || ChatClassifier.CHOSEN.generalText()))
                .mapToInt(s -> SentimentEvaluation.requireSet(s).size()).sum());
    }

    /** The rated general-text lines choose the blend; a line trained on would choose it on itself. */
    @Test
    void noGeneralDevelopmentLineIsTrainedOn() {
        var trained = new HashSet<String>();
        ChatClassifier.developmentLines().forEach(l -> trained.add(SentimentEvaluation.normalised(l.text())));
        List<SentimentEvaluation.RatedText> rated = SentimentEvaluation.generalDevelopment();
        assertTrue(rated.size() >= 100, "rated general-text lines " + rated.size());
        assertEquals(0, rated.stream().filter(r -> trained.contains(SentimentEvaluation.normalised(r.text()))).count());
        var dev = ClassifierSelection.Development.read();
        assertEquals(dev.lines().size() + (ChatClassifier.CHOSEN.generalText() ? dev.general().size() : 0),
                ChatClassifier.developmentLines().size(), "the chat figures count chat lines only");
    }

    /**
     * The shipped blend and the choice of training on the general-text lines are what the rules of
     * {@link ClassifierSelection#generalReport} give on the development lines (no test set, no tweet).
     */
    @Test
    void theShippedBlendAndGeneralTextChoiceAreWhatTheDevelopmentLinesChoose() {
        ClassifierSelection.GeneralFigures chosen = ClassifierSelection.chooseGeneral(ClassifierSelection.general());
        assertEquals(ChatClassifier.CHOSEN.blend(), chosen.blend(), 0.0);
        assertEquals(ChatClassifier.CHOSEN.generalText(), chosen.general());
        assertEquals(ChatClassifier.CHOSEN.sure(), ClassifierSelection.chooseSure(ClassifierSelection.sure()).sure(), 0.0);
    }

    @Test
    void anUnsureModelLeavesTheLexiconsClassAlone() {
        var settings = ChatClassifier.CHOSEN.withBlend(0).withSure(0.6);
        assertEquals(-0.4, ChatClassifier.compound(new double[]{0.5, 0.3, 0.2}, -0.4, settings), 1e-12, "0.5 < 0.6: the lexicon stands");
        assertEquals(0.05, ChatClassifier.compound(new double[]{0.7, 0.2, 0.1}, -0.4, settings), 1e-12, "sure enough: the model's side");
        assertEquals(0.3, ChatClassifier.compound(new double[]{0.5, 0.3, 0.2}, 0.3, settings), 1e-12, "no disagreement: as before");
        assertEquals(0.05, ChatClassifier.compound(new double[]{0.5, 0.3, 0.2}, -0.4, settings.withSure(0)), 1e-12, "0: always");
    }

    @Test
    void aRatedLineOutsideMinusFourToFourIsRefusedByItsLineNumber() throws java.io.IOException {
        String file = "# rated\n2\tfine\n\n-4\tawful\n7\tway too much\n";
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> SentimentEvaluation.readRated(
                new java.io.BufferedReader(new java.io.StringReader(file)), "x.tsv"));
        assertEquals("x.tsv:5: expected rating (a whole number from -4 to 4) <TAB> text", error.getMessage());
        assertEquals(List.of(new SentimentEvaluation.RatedText(2, "fine"), new SentimentEvaluation.RatedText(-4, "awful")),
                SentimentEvaluation.readRated(new java.io.BufferedReader(new java.io.StringReader("2\tfine\n-4\tawful\n")), "y.tsv"));
    }

    @Test
    void trainingTheSameLinesGivesTheSameModel() {
        List<LabelledText> lines = ChatClassifier.developmentLines().subList(0, 300);
        var examples = ChatClassifier.examples(lines, ChatClassifier.CHOSEN.families());
        ChatClassifier a = ChatClassifier.train(examples, ChatClassifier.CHOSEN);
        ChatClassifier b = ChatClassifier.train(ChatClassifier.examples(lines, ChatClassifier.CHOSEN.families()),
                ChatClassifier.CHOSEN);
        for (ChatClassifier.Example e : examples) {
            if (e.x() != null) {
                assertArrayEquals(a.probabilities(e.x()), b.probabilities(e.x()), 0.0);
            }
        }
    }

    /**
     * Cross-validated on the lines the lexicon was never tuned on (development 5 and the training
     * files; every fold also trains on the general-text lines when the chosen setting does), the
     * chosen setting is clearly better than the lexicon and rules alone: measured 0.876 against 0.800
     * (docs/SENTIMENT.md); the floor leaves room for the noise of a changed fold.
     */
    @Test
    void crossValidatedItBeatsTheLexiconAloneOnLinesNothingWasTunedOn() {
        var dev = ClassifierSelection.Development.read();
        double model = dev.crossValidated(ChatClassifier.CHOSEN,
                ChatClassifier.examples(dev.lines(), ChatClassifier.CHOSEN.families())).untouched();
        double alone = dev.lexiconAlone().untouched();
        assertTrue(model >= 0.85, "cross-validated accuracy on untouched lines " + model);
        assertTrue(model >= alone + 0.05, "classifier " + model + " vs lexicon alone " + alone);
    }

    @Test
    void theFoldsSplitEveryLineOnceAndEvenly() {
        int[] fold = ClassifierSelection.folds(1003);
        var sizes = new int[ClassifierSelection.FOLDS];
        for (int f : fold) {
            sizes[f]++;
        }
        for (int size : sizes) {
            assertTrue(size == 100 || size == 101, "fold size " + size);
        }
        assertArrayEquals(fold, ClassifierSelection.folds(1003));
    }

    @Test
    void theClassDecidesTheSideAndTheLexiconTheStrength() {
        assertEquals(0.05, ChatClassifier.compound(new double[]{0.5, 0.3, 0.2}, -0.6, 1, 0.5), 1e-12, "positive, at least the band");
        assertEquals((0.7 - 0.1 + 0.9) / 2, ChatClassifier.compound(new double[]{0.7, 0.2, 0.1}, 0.9, 1, 0.5), 1e-12);
        assertEquals(-0.05, ChatClassifier.compound(new double[]{0.2, 0.3, 0.5}, 0.6, 1, 0.5), 1e-12, "negative, at most minus the band");
        assertEquals(0.9, ChatClassifier.compound(new double[]{0.7, 0.2, 0.1}, 0.9, 1, 0), 1e-12, "blend 0: the lexicon's strength");
        assertEquals(0.25 * 0.6 + 0.75 * 0.9, ChatClassifier.compound(new double[]{0.7, 0.2, 0.1}, 0.9, 1, 0.25), 1e-12);
        assertEquals(0.05, ChatClassifier.compound(new double[]{0.7, 0.2, 0.1}, -0.9, 1, 0), 1e-12, "the side stays the model's");
    }

    @Test
    void aNeutralCallShrinksTheLexiconsCompoundByTheModelsConfidence() {
        double[] unsure = {0.3, 0.4, 0.3};
        assertEquals(0.0, ChatClassifier.compound(unsure, 0.8, 0, 0.5), 0.0, "gate 0: neutral is exactly 0");
        assertEquals(0.8 * 0.6, ChatClassifier.compound(unsure, 0.8, 1, 0.5), 1e-12, "gate 1: times 1 - P(neu)");
        assertEquals(0.8, ChatClassifier.compound(unsure, 0.8, 2, 0.5), 1e-12, "never more than the lexicon's compound");
        assertEquals(-0.8, ChatClassifier.compound(unsure, -0.8, Double.POSITIVE_INFINITY, 0.5), 1e-12, "infinite gate: all of it");
        assertEquals(0.3, ChatClassifier.compound(new double[]{0, 1, 0}, 0.3, Double.POSITIVE_INFINITY, 0.5), 1e-12);
        assertEquals(0.0, ChatClassifier.compound(new double[]{0, 1, 0}, 0.3, 4, 0.5), 0.0, "a sure neutral call keeps nothing");
        assertTrue(ChatClassifier.compound(new double[]{0.2, 0.6, 0.2}, 0.5, 1, 0.5) < ChatClassifier.compound(new double[]{0.2, 0.6, 0.2}, 0.9, 1, 0.5),
                "graded: a stronger lexicon reading scores higher");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\u0000\u0001", "\uD800 lonely surrogate", "🔥", "ok", "W", "????", "@a_b"})
    void anyStringGivesAFiniteCompoundInRange(String text) {
        double c = chat.compound(text);
        assertFalse(Double.isNaN(c));
        assertTrue(c >= -1 && c <= 1, text + " " + c);
    }

    @Test
    void aLongLineIsScoredAndNullIsNeutral() {
        double c = chat.compound("so good ".repeat(12_500));
        assertTrue(c > 0 && c <= 1, "100 KB of praise: " + c);
        assertEquals(0.0, chat.compound(null), 0.0);
    }
}
