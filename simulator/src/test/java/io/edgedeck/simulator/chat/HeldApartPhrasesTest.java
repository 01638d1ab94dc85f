package io.edgedeck.simulator.chat;

import io.edgedeck.engine.sentiment.ChatLanguage;
import io.edgedeck.engine.sentiment.SentimentEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The blind test sets and the held-apart phrase pools keep the shape docs/SENTIMENT-LABELLING.md
 * describes, and the pools share no line with a test set: a pool line that is also a test line
 * would let rehearsal chat, or anyone tuning on it, see the test. The Spanish, Portuguese and German
 * test set also shares no line with a lexicon or a development set. A failure names lines by file and line
 * number, never by their text: whoever runs the tests must not be shown a blind line.
 */
class HeldApartPhrasesTest {

    private static final String TEST_SET = "/io/edgedeck/engine/sentiment/eval/live-chat-test.tsv";
    private static final String TEST_SET_2 = "/io/edgedeck/engine/sentiment/eval/live-chat-test2.tsv";
    private static final String OTHER_LANGUAGES = "/io/edgedeck/engine/sentiment/eval/other-languages-test.tsv";
    private static final String POOLS = "/io/edgedeck/simulator/chat/";
    private static final String SENTIMENT = "/io/edgedeck/engine/sentiment/";
    private static final Pattern LEXICON_FILE = Pattern.compile("chat-lexicon\\.tsv|lexicon-.+\\.tsv");
    private static final Set<String> LANGUAGES = Set.of("es", "pt", "de");
    /** Each language of the other-languages set has at least this many lines. */
    private static final int MIN_LINES_PER_LANGUAGE = 200;
    /** The language gate, whose length rule a line of the other-languages set must pass (docs/SENTIMENT.md "Languages"). */
    private static final ChatLanguage LANGUAGE_GATE = new ChatLanguage();
    /** The other-languages development sets, on which the gate's thresholds are tuned. */
    private static final Pattern OTHER_LANGUAGES_DEV = Pattern.compile("other-languages-dev.*\\.tsv");
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

    private record LanguageLabelled(int lineNumber, String language, String label, String text) {}

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

    /** The tab-separated rows after a test set's header, each with its line number and exactly {@code format}'s fields. */
    private static List<Map.Entry<Integer, String[]>> rows(String testSet, String format) throws IOException {
        int columns = format.split("<TAB>", -1).length;
        List<String> lines = lines(testSet);
        int first = header(testSet, lines).size();
        List<Map.Entry<Integer, String[]>> rows = new ArrayList<>();
        for (int i = first; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            if (line.startsWith("#")) {
                fail(testSet + ":" + lineNumber + ": comment lines belong in the header only");
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != columns) {
                // The line itself is not shown: it is a blind test line.
                fail(testSet + ":" + lineNumber + ": expected " + format + ", found " + fields.length + " field(s)");
            }
            rows.add(Map.entry(lineNumber, fields));
        }
        return rows;
    }

    private static List<Labelled> testSet(String testSet) throws IOException {
        return rows(testSet, "label<TAB>text").stream()
                .map(row -> new Labelled(row.getKey(), row.getValue()[0], row.getValue()[1])).toList();
    }

    /** The other-languages set: lang<TAB>label<TAB>text after its header. */
    private static List<LanguageLabelled> otherLanguages() throws IOException {
        return rows(OTHER_LANGUAGES, "lang<TAB>label<TAB>text").stream()
                .map(row -> new LanguageLabelled(row.getKey(), row.getValue()[0], row.getValue()[1], row.getValue()[2])).toList();
    }

    /** A line of a file, named by the file and its line number: what a failure about a blind line may print. */
    private record Place(String file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    private static String fileName(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /** The lines of any test set, whichever its format, with their file and line numbers. */
    private static List<Place> testPlaces(String testSet) throws IOException {
        String file = fileName(testSet);
        return OTHER_LANGUAGES.equals(testSet)
                ? otherLanguages().stream().map(row -> new Place(file, row.lineNumber(), row.text())).toList()
                : testSet(testSet).stream().map(row -> new Place(file, row.lineNumber(), row.text())).toList();
    }

    /** A mood's phrase pool, each phrase with its file and line number. */
    private static List<Place> poolPlaces(String mood) throws IOException {
        String resource = POOLS + "phrases-" + mood + ".tsv";
        List<String> lines = lines(resource);
        List<Place> places = new ArrayList<>();
        for (int i = header(resource, lines).size(); i < lines.size(); i++) {
            places.add(new Place(fileName(resource), i + 1, lines.get(i)));
        }
        return places;
    }

    /**
     * Each phrase that is, or nearly copies, one of {@code tests}, as "phrases-positive.tsv:4 is live-chat-test2.tsv:12"
     * or "... nearly copies ...": by file and line, never the text of either.
     */
    private static List<String> phrasesThatAreTestLines(List<Place> phrases, List<Place> tests) {
        Map<String, Place> testByNormal = new HashMap<>();
        Map<String, Place> testByKey = new HashMap<>();
        for (Place test : tests) {
            testByNormal.putIfAbsent(normalised(test.text()), test);
            testByKey.putIfAbsent(nearDuplicateKey(test.text()), test);
        }
        List<String> problems = new ArrayList<>();
        for (Place phrase : phrases) {
            Place same = testByNormal.get(normalised(phrase.text()));
            Place near = testByKey.get(nearDuplicateKey(phrase.text()));
            if (same != null) {
                problems.add(phrase + " is " + same);
            } else if (near != null) {
                problems.add(phrase + " nearly copies " + near);
            }
        }
        return problems;
    }

    /** The texts of any test set, whichever its format. */
    private static List<String> testTexts(String testSet) throws IOException {
        return testPlaces(testSet).stream().map(Place::text).toList();
    }

    /**
     * Whether the language gate itself ({@link ChatLanguage}) finds {@code text} too short to tell its language, and
     * reads it as the stream's: the verdict says the language only, never the sentiment, so asking it spends nothing
     * of a blind set.
     */
    static boolean tooShortToTell(String text) {
        return !LANGUAGE_GATE.of(text, Set.of()).detected();
    }

    /**
     * The lines of the other-languages development sets ({@code other-languages-dev*.tsv} in {@code directory}) that
     * are, or nearly copy, a line of {@code testLines}: each as file:line, never the line itself.
     */
    static List<String> developmentLinesThatAreTestLines(Path directory, List<String> testLines) throws IOException {
        Set<String> tests = new HashSet<>();
        for (String text : testLines) {
            tests.add(normalised(text));
            tests.add(nearDuplicateKey(text));
        }
        List<Path> sets;
        try (Stream<Path> files = Files.list(directory)) {
            sets = files.filter(f -> Files.isRegularFile(f) && OTHER_LANGUAGES_DEV.matcher(f.getFileName().toString()).matches())
                    .sorted().toList();
        }
        assertFalse(sets.isEmpty(), "no other-languages development set in " + directory);
        List<String> problems = new ArrayList<>();
        for (Path set : sets) {
            List<String> lines = Files.readAllLines(set, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("#") || lines.get(i).isBlank()) {
                    continue;
                }
                String[] fields = lines.get(i).split("\t", -1);
                String text = fields[fields.length - 1];
                if (tests.contains(normalised(text)) || tests.contains(nearDuplicateKey(text))) {
                    problems.add(set.getFileName() + ":" + (i + 1));
                }
            }
        }
        return problems;
    }

    /** Each field of each entry line of the lexicon files in or under {@code directory}, against the test lines: the places where they meet. */
    static List<String> lexiconEntriesThatAreTestLines(Path directory, List<String> testLines) throws IOException {
        Set<String> tests = new HashSet<>();
        for (String text : testLines) {
            String normal = SentimentEvaluation.normalised(text);
            tests.add(normal);
            tests.add(nearDuplicateKey(normal));
        }
        List<Path> lexicons;
        try (Stream<Path> files = Files.walk(directory)) {
            lexicons = files.filter(f -> Files.isRegularFile(f) && LEXICON_FILE.matcher(f.getFileName().toString()).matches())
                    .sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        for (Path lexicon : lexicons) {
            List<String> lines = Files.readAllLines(lexicon, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("#")) {
                    continue;
                }
                for (String field : lines.get(i).split("\t")) {
                    String normal = SentimentEvaluation.normalised(field);
                    if (!normal.isEmpty() && (tests.contains(normal) || tests.contains(nearDuplicateKey(normal)))) {
                        problems.add(directory.relativize(lexicon) + ":" + (i + 1));
                        break;
                    }
                }
            }
        }
        return problems;
    }

    private static List<String> pool(String mood) throws IOException {
        String resource = POOLS + "phrases-" + mood + ".tsv";
        List<String> lines = lines(resource);
        return lines.subList(header(resource, lines).size(), lines.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {TEST_SET, TEST_SET_2, OTHER_LANGUAGES})
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
                fail(where + "repeats line " + earlier.lineNumber());
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

    @Test
    void otherLanguagesRowsAreLabelledTextLongEnoughToTellWithoutRepeats() throws IOException {
        Map<String, LanguageLabelled> seen = new HashMap<>();
        for (LanguageLabelled row : otherLanguages()) {
            String where = OTHER_LANGUAGES + ":" + row.lineNumber() + ": ";
            assertTrue(LANGUAGES.contains(row.language()), where + "language must be es, pt or de, was '" + row.language() + "'");
            assertTrue(LABELS.contains(row.label()), where + "label must be pos, neu or neg, was '" + row.label() + "'");
            assertFalse(row.text().isBlank(), where + "empty text");
            assertEquals(row.text().strip(), row.text(), where + "text has leading or trailing whitespace");
            assertFalse(tooShortToTell(row.text()), where + "too short for the language gate to tell its language");
            LanguageLabelled earlier = seen.putIfAbsent(normalised(row.text()), row);
            if (earlier != null) {
                fail(where + "repeats line " + earlier.lineNumber());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"es", "pt", "de"})
    void eachLanguageHasEnoughLinesAndABalanceOfLabels(String language) throws IOException {
        List<LanguageLabelled> rows = otherLanguages().stream().filter(row -> row.language().equals(language)).toList();
        assertTrue(rows.size() >= MIN_LINES_PER_LANGUAGE, language + " has " + rows.size() + " lines, needs " + MIN_LINES_PER_LANGUAGE);
        Map<String, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.merge(row.label(), 1, Integer::sum));
        for (String label : LABELS) {
            double share = counts.getOrDefault(label, 0) / (double) rows.size();
            assertTrue(share >= 0.25 && share <= 0.45, language + ": " + label + " is " + Math.round(share * 100) + "% " + counts);
        }
    }

    @Test
    void noOtherLanguagesTestLineIsALexiconEntry() throws IOException, URISyntaxException {
        // Found through the chat lexicon: the test classes have a directory of the same package name.
        URL chatLexicon = HeldApartPhrasesTest.class.getResource(SENTIMENT + "chat-lexicon.tsv");
        assertTrue(chatLexicon != null && "file".equals(chatLexicon.getProtocol()), "the sentiment resources are not a directory: " + chatLexicon);
        List<String> problems = lexiconEntriesThatAreTestLines(Path.of(chatLexicon.toURI()).getParent(), testTexts(OTHER_LANGUAGES));
        assertTrue(problems.isEmpty(), "lexicon entries that are lines of the blind other-languages test set: " + problems);
    }

    @Test
    void noOtherLanguagesTestLineIsADevelopmentLine() throws IOException, URISyntaxException {
        // The development sets sit beside the blind set; a failure names the development line, never the test line.
        URL blind = HeldApartPhrasesTest.class.getResource(OTHER_LANGUAGES);
        assertTrue(blind != null && "file".equals(blind.getProtocol()), "the evaluation sets are not a directory: " + blind);
        List<String> problems = developmentLinesThatAreTestLines(Path.of(blind.toURI()).getParent(), testTexts(OTHER_LANGUAGES));
        assertTrue(problems.isEmpty(), "development lines that are lines of the blind other-languages test set: " + problems);
    }

    @Test
    void aDevelopmentLineThatIsATestLineIsFoundInEveryDevelopmentSet(@TempDir Path directory) throws IOException {
        List<String> test = List.of("qué pasada de directo, de verdad", "das ist einfach nur schlecht");
        Files.writeString(directory.resolve("other-languages-dev.tsv"), "# header\nes\tQué pasada de directo de verdad\nde\tgut\n");
        Files.writeString(directory.resolve("other-languages-dev2.tsv"), "# header\nde\tDas ist einfach nuuur schlecht!\n");
        Files.writeString(directory.resolve("other-languages-test.tsv"), "# header\nde\tneg\tdas ist einfach nur schlecht\n");
        Files.writeString(directory.resolve("live-chat-dev.tsv"), "# header\nneg\tdas ist einfach nur schlecht\n");
        assertEquals(List.of("other-languages-dev.tsv:2", "other-languages-dev2.tsv:2"), developmentLinesThatAreTestLines(directory, test));
    }

    @Test
    void aLexiconEntryThatIsATestLineIsFoundInAnyLexiconFile(@TempDir Path directory) throws IOException {
        List<String> test = List.of("qué pasada de directo, de verdad", "das ist einfach nur schlecht");
        Files.writeString(directory.resolve("lexicon-xx.tsv"), "# header\nphrase\tQué pasada de directo de verdad\t2.5\nword\tpasada\t1.0\n");
        Files.writeString(directory.resolve("chat-lexicon.tsv"), "# header\nphrase\tDas ist einfach nuuur schlecht!\t-2\n");
        Files.createDirectory(directory.resolve("de"));
        Files.writeString(directory.resolve("de").resolve("lexicon-de.tsv"), "phrase\tdas ist einfach nur schlecht\t-2\n");
        Files.writeString(directory.resolve("notes.tsv"), "phrase\tdas ist einfach nur schlecht\t-2\n");
        assertEquals(List.of("chat-lexicon.tsv:2", "de/lexicon-de.tsv:1", "lexicon-xx.tsv:2"), lexiconEntriesThatAreTestLines(directory, test));
    }

    @Test
    void theLengthCheckIsTheLanguageGatesOwn() {
        // Laughter markers, tokens with a digit and www. addresses say nothing of the language: the gate sets them aside.
        assertTrue(tooShortToTell("haha ps5 endlich da"));
        assertTrue(tooShortToTell("lol 2x www.shop.de super gut"));
        assertTrue(tooShortToTell("KEKW @mira_k 100 🔥 a gente!!"));
        assertFalse(tooShortToTell("das war richtig gut"));
        assertFalse(tooShortToTell("haha das war richtig gut"));
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
    @ValueSource(strings = {TEST_SET, TEST_SET_2, OTHER_LANGUAGES})
    void noPhraseIsATestLineOrANearCopyOfOne(String testSet) throws IOException {
        List<Place> phrases = new ArrayList<>();
        for (String mood : MOODS) {
            phrases.addAll(poolPlaces(mood));
        }
        // By file and line only: the phrase is, or nearly is, the blind line, so quoting either would show it.
        List<String> problems = phrasesThatAreTestLines(phrases, testPlaces(testSet));
        assertTrue(problems.isEmpty(), "rehearsal phrases that are, or nearly copy, a line of the blind test set:\n"
                + String.join("\n", problems));
    }

    @Test
    void aPhraseThatIsATestLineIsNamedByFileAndLineOnly() {
        List<Place> phrases = List.of(new Place("phrases-positive.tsv", 4, "this drop is fire"),
                new Place("phrases-positive.tsv", 5, "what a set"),
                new Place("phrases-negative.tsv", 9, "LAG AGAIN!!!"));
        List<Place> tests = List.of(new Place("live-chat-test2.tsv", 7, "lag again"),
                new Place("live-chat-test2.tsv", 12, "This drop is   FIRE"));
        List<String> problems = phrasesThatAreTestLines(phrases, tests);
        assertEquals(List.of("phrases-positive.tsv:4 is live-chat-test2.tsv:12",
                "phrases-negative.tsv:9 nearly copies live-chat-test2.tsv:7"), problems);
        for (String problem : problems) {
            assertFalse(problem.toLowerCase(Locale.ROOT).contains("fire") || problem.toLowerCase(Locale.ROOT).contains("lag"),
                    "no line's text in the message: " + problem);
        }
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
