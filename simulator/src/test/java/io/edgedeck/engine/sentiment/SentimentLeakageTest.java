package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledSet;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The blind test set stays blind: none of its lines may reach the chat lexicon or the development
 * sets. Lines are compared after {@link #normalised normalisation}. Failures give counts only:
 * the test set's lines are never printed, so running this test does not unblind anyone.
 */
class SentimentLeakageTest {

    /** Lower case, NFKC, apostrophes dropped, punctuation and white space collapsed to one space. */
    static String normalised(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replace("'", "").replace("\u2019", "");
        var out = new StringBuilder(s.length());
        boolean space = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0xFE0F || cp == 0xFE0E) {
                continue;
            }
            if (Character.isWhitespace(cp) || ChatTokenizer.isPunctuation(cp)) {
                if (!space) {
                    out.append(' ');
                    space = true;
                }
            } else {
                out.appendCodePoint(cp);
                space = false;
            }
        }
        int end = out.length();
        return space && end > 0 ? out.substring(0, end - 1) : out.toString();
    }

    static int words(String normalised) {
        return normalised.isEmpty() ? 0 : normalised.split(" ").length;
    }

    /** The normalised test lines of at least {@code minWords} words, or a skipped test while the set is absent. */
    static List<String> testLines(int minWords) {
        Optional<List<LabelledText>> set = SentimentEvaluation.readSet(LabelledSet.TEST);
        assumeTrue(set.isPresent(), "the blind test set is not in this checkout yet");
        var lines = new ArrayList<String>();
        for (LabelledText line : set.get()) {
            String n = normalised(line.text());
            if (words(n) >= minWords) {
                lines.add(n);
            }
        }
        return lines;
    }

    /** How many of {@code lines} are in {@code others}. */
    static long shared(List<String> lines, Set<String> others) {
        return lines.stream().filter(others::contains).count();
    }

    static Set<String> lexiconTerms() throws IOException {
        var terms = new HashSet<String>();
        var in = SentimentLeakageTest.class.getClassLoader().getResourceAsStream(Lexicons.CHAT_RESOURCE);
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] cols = line.split("\t");
                if (!line.startsWith("#") && cols.length >= 2) {
                    terms.add(normalised(cols[1]));
                }
            }
        }
        return terms;
    }

    /**
     * A multi-word lexicon entry equal to a whole test line is a line copied into the lexicon. One
     * word lines ("W", "mid") are vocabulary, which any chat lexicon must have.
     */
    @Test
    void noTestLineIsALexiconEntry() throws IOException {
        List<String> lines = testLines(2);
        assertEquals(0, shared(lines, lexiconTerms()),
                "test-set lines (of " + lines.size() + " with two words or more) that are chat-lexicon entries");
    }

    /** Three words or more: short chat ("huge W", "lets go") recurs anywhere by chance. */
    @Test
    void noTestLineIsInADevelopmentSet() {
        List<String> lines = testLines(3);
        var dev = new HashSet<String>();
        for (LabelledSet set : LabelledSet.values()) {
            if (set.development()) {
                SentimentEvaluation.requireSet(set).forEach(l -> dev.add(normalised(l.text())));
            }
        }
        assertEquals(0, shared(lines, dev),
                "test-set lines (of " + lines.size() + " with three words or more) found in a development set");
    }

    @Test
    void normalisationIgnoresCaseApostrophesPunctuationAndVariationSelectors() {
        assertEquals("lets go 🔥", normalised("  Let's   GO!! \uD83D\uDD25\uFE0F "));
        assertEquals("huge w", normalised("huge W."));
        assertEquals("", normalised("?!"));
        assertEquals(2, words(normalised("take, my")));
        assertEquals(0, words(normalised("...")));
    }
}
