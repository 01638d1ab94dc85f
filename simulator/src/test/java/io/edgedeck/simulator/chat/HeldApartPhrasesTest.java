package io.edgedeck.simulator.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The blind test set and the held-apart phrase pools keep the shape docs/SENTIMENT-LABELLING.md
 * describes, and the pools share no line with the test set: a pool line that is also a test line
 * would let rehearsal chat, or anyone tuning on it, see the test.
 */
class HeldApartPhrasesTest {

    private static final String TEST_SET = "/io/edgedeck/engine/sentiment/eval/live-chat-test.tsv";
    private static final String TEST_SET_2 = "/io/edgedeck/engine/sentiment/eval/live-chat-test2.tsv";
    private static final String POOLS = "/io/edgedeck/simulator/chat/";
    private static final List<String> MOODS = List.of("positive", "neutral", "negative");
    private static final Set<String> LABELS = Set.of("pos", "neu", "neg");
    /** Test set 1 (history) has at least 600 lines, the blind set 2 at least 300. */
    private static int minimumLines(String testSet) {
        return TEST_SET.equals(testSet) ? 600 : 300;
    }
    private static final int MIN_POOL_PHRASES = 250;

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern ASCII_PUNCTUATION = Pattern.compile("\\p{Punct}");
    private static final Pattern STRETCHED = Pattern.compile("(\\X)\\1+");

    private record Labelled(int lineNumber, String label, String text) {}

    /** A resource read as strict UTF-8 and split into lines: a malformed byte fails the test. */
    private static List<String> lines(String resource) throws IOException {
        byte[] bytes;
        try (InputStream in = HeldApartPhrasesTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing resource " + resource);
            }
            bytes = in.readAllBytes();
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.lines().toList();
        } catch (CharacterCodingException e) {
            throw new AssertionError(resource + " is not valid UTF-8", e);
        }
    }

    /** The leading '#' lines of a file; every file must open with at least one. */
    private static List<String> header(String resource, List<String> lines) {
        List<String> header = lines.stream().takeWhile(line -> line.startsWith("#")).toList();
        assertFalse(header.isEmpty(), resource + " must open with a '#' header");
        return header;
    }

    /** Lower case, whitespace runs collapsed to one space, trimmed. */
    static String normalised(String text) {
        return WHITESPACE.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /**
     * The normalised text without ASCII punctuation, with stretched characters squeezed ("sooo" as
     * "so") and a word repeated back to back kept once ("W W W" as "W"): two lines with the same key
     * read as the same chat message. A line that is all punctuation keys as its normalised self.
     */
    static String nearDuplicateKey(String text) {
        String normal = normalised(text);
        String squeezed = STRETCHED.matcher(ASCII_PUNCTUATION.matcher(normal).replaceAll("")).replaceAll("$1");
        List<String> words = new ArrayList<>();
        for (String word : WHITESPACE.split(squeezed.strip())) {
            if (!word.isEmpty() && (words.isEmpty() || !words.getLast().equals(word))) {
                words.add(word);
            }
        }
        return words.isEmpty() ? normal : String.join(" ", words);
    }

    private static List<Labelled> testSet(String testSet) throws IOException {
        List<String> lines = lines(testSet);
        int first = header(testSet, lines).size();
        List<Labelled> rows = new ArrayList<>();
        for (int i = first; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            if (line.startsWith("#")) {
                fail(testSet + ":" + lineNumber + ": comment lines belong in the header only");
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != 2) {
                fail(testSet + ":" + lineNumber + ": expected label<TAB>text, found " + fields.length + " field(s): " + line);
            }
            rows.add(new Labelled(lineNumber, fields[0], fields[1]));
        }
        return rows;
    }

    private static List<String> pool(String mood) throws IOException {
        String resource = POOLS + "phrases-" + mood + ".tsv";
        List<String> lines = lines(resource);
        return lines.subList(header(resource, lines).size(), lines.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {TEST_SET, TEST_SET_2})
    void testSetHeaderSaysItIsBlindAndNamesTheGuide(String testSet) throws IOException {
        String header = String.join("\n", header(testSet, lines(testSet)));
        assertTrue(header.contains("BLIND TEST SET"), header);
        assertTrue(header.contains("docs/SENTIMENT-LABELLING.md"), header);
        assertTrue(header.toLowerCase(Locale.ROOT).contains("never use it for tuning"), header);
    }

    @ParameterizedTest
    @ValueSource(strings = {TEST_SET, TEST_SET_2})
    void testSetRowsAreLabelledTextWithoutRepeats(String testSet) throws IOException {
        List<Labelled> rows = testSet(testSet);
        assertTrue(rows.size() >= minimumLines(testSet), "test set has " + rows.size() + " lines, needs " + minimumLines(testSet));
        Map<String, Labelled> seen = new HashMap<>();
        for (Labelled row : rows) {
            String where = testSet + ":" + row.lineNumber() + ": ";
            assertTrue(LABELS.contains(row.label()), where + "label must be pos, neu or neg, was '" + row.label() + "'");
            assertFalse(row.text().isBlank(), where + "empty text");
            assertEquals(row.text().strip(), row.text(), where + "text has leading or trailing whitespace");
            Labelled earlier = seen.putIfAbsent(normalised(row.text()), row);
            if (earlier != null) {
                fail(where + "'" + row.text() + "' repeats line " + earlier.lineNumber());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TEST_SET, TEST_SET_2})
    void testSetIsRoughlyBalancedWithAFairShareOfNeutral(String testSet) throws IOException {
        List<Labelled> rows = testSet(testSet);
        Map<String, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.merge(row.label(), 1, Integer::sum));
        for (String label : LABELS) {
            double share = counts.getOrDefault(label, 0) / (double) rows.size();
            assertTrue(share >= 0.25 && share <= 0.45, label + " is " + Math.round(share * 100) + "% of the set " + counts);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"positive", "neutral", "negative"})
    void poolHasItsHeaderEnoughPhrasesAndNoEmptyOrRepeatedLine(String mood) throws IOException {
        String resource = POOLS + "phrases-" + mood + ".tsv";
        String header = String.join("\n", header(resource, lines(resource)));
        assertTrue(header.contains("HELD APART"), resource + " header must say the pool is held apart");
        assertTrue(header.contains("never used to tune"), resource + " header must say it never tunes the scorer");

        List<String> phrases = pool(mood);
        assertTrue(phrases.size() >= MIN_POOL_PHRASES, resource + " has " + phrases.size() + " phrases, needs " + MIN_POOL_PHRASES);
        Map<String, String> seen = new HashMap<>();
        for (String phrase : phrases) {
            assertFalse(phrase.isBlank(), resource + ": empty line");
            assertFalse(phrase.startsWith("#"), resource + ": comment line after the header: " + phrase);
            assertFalse(phrase.contains("\t"), resource + ": a phrase has no tab: " + phrase);
            assertEquals(phrase.strip(), phrase, resource + ": leading or trailing whitespace: '" + phrase + "'");
            String earlier = seen.putIfAbsent(normalised(phrase), phrase);
            if (earlier != null) {
                fail(resource + ": '" + phrase + "' repeats '" + earlier + "'");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TEST_SET, TEST_SET_2})
    void noPhraseIsATestLineOrANearCopyOfOne(String testSet) throws IOException {
        Map<String, String> testByNormal = new HashMap<>();
        Map<String, String> testByKey = new HashMap<>();
        for (Labelled row : testSet(testSet)) {
            testByNormal.put(normalised(row.text()), row.text());
            testByKey.put(nearDuplicateKey(row.text()), row.text());
        }
        List<String> problems = new ArrayList<>();
        for (String mood : MOODS) {
            for (String phrase : pool(mood)) {
                String same = testByNormal.get(normalised(phrase));
                String near = testByKey.get(nearDuplicateKey(phrase));
                if (same != null) {
                    problems.add(mood + ": '" + phrase + "' is test line '" + same + "'");
                } else if (near != null) {
                    problems.add(mood + ": '" + phrase + "' nearly copies test line '" + near + "'");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void noPhraseSitsInTwoMoods() throws IOException {
        Map<String, String> moodByKey = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (String mood : MOODS) {
            for (String phrase : pool(mood)) {
                String other = moodByKey.putIfAbsent(nearDuplicateKey(phrase), mood);
                if (other != null && !other.equals(mood)) {
                    problems.add("'" + phrase + "' is in both " + other + " and " + mood);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void nearDuplicateKeyFoldsStretchingRepeatsAndPunctuationOnly() {
        assertEquals(nearDuplicateKey("so good"), nearDuplicateKey("SOOO   good!!"));
        assertEquals(nearDuplicateKey("W"), nearDuplicateKey("W W W W"));
        assertEquals(nearDuplicateKey("link?"), nearDuplicateKey("link"));
        assertEquals("??", nearDuplicateKey("??"));
        assertFalse(nearDuplicateKey("not worth it").equals(nearDuplicateKey("worth it")));
        assertFalse(nearDuplicateKey("L").equals(nearDuplicateKey("W")));
    }
}
