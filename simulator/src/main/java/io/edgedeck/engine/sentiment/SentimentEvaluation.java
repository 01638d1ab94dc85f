package io.edgedeck.engine.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures the chat scorer against plain VADER on the labelled live-chat sets shipped in this jar
 * (3-class accuracy and macro-F1) and on the VADER tweet ground truth (Pearson r with the mean
 * human rating, 3-class accuracy and macro-F1). The figures in docs/SENTIMENT.md come from
 * {@link #report}, run by {@code edgedeck-sim sentiment --evaluate}.
 *
 * <p>The sets: five development sets, which the lexicon and rules were tuned on, and one test set,
 * written and labelled by someone who never saw the lexicon, the rules or the chat generator, and
 * never used for tuning. {@code SentimentLeakageTest} fails if a test line reaches the lexicon, the
 * development sets or the generator's phrase pools.
 */
public final class SentimentEvaluation {

    /** Compound scores inside this band are neutral (VADER's own convention). */
    static final double COMPOUND_NEUTRAL = 0.05;
    /** Mean human ratings (-4..4) inside this band are neutral. */
    static final double RATING_NEUTRAL = 0.5;

    private static final String EVAL = "io/edgedeck/engine/sentiment/eval/";

    /**
     * A labelled file on the classpath: what the figures call it, where it is, and whether tuning may look at
     * it (true for the development and training sets; false for a test set, which {@code --development-only}
     * neither reads nor scores).
     */
    public record SetFile(String title, String resource, boolean development) {
        private static SetFile developmentSet(String title, String file) {
            return new SetFile(title, EVAL + file, true);
        }

        private static SetFile testSet(String title, String file) {
            return new SetFile(title, EVAL + file, false);
        }
    }

    /** A labelled English set ({@code label<TAB>text}), and whether it is live chat. */
    public enum LabelledSet {
        DEV(SetFile.developmentSet("development 1", "live-chat-dev.tsv"), true),
        DEV2(SetFile.developmentSet("development 2", "live-chat-dev2.tsv"), true),
        DEV3(SetFile.developmentSet("development 3", "live-chat-dev3.tsv"), true),
        DEV4(SetFile.developmentSet("development 4", "live-chat-dev4.tsv"), true),
        DEV5(SetFile.developmentSet("development 5", "live-chat-dev5.tsv"), true),
        TRAIN(SetFile.developmentSet("training", "live-chat-train.tsv"), true),
        TRAIN2(SetFile.developmentSet("training 2", "live-chat-train2.tsv"), true),
        GENERAL_TRAIN(SetFile.developmentSet("general training", "general-train.tsv"), false),
        TEST(SetFile.testSet("test 1 (history)", "live-chat-test.tsv"), true),
        TEST2(SetFile.testSet("test 2 (blind)", "live-chat-test2.tsv"), true);

        private final SetFile file;
        private final boolean chat;

        LabelledSet(SetFile file, boolean chat) {
            this.file = file;
            this.chat = chat;
        }

        public SetFile file() {
            return file;
        }

        /** True for live chat; false for the general-text training lines (posts, reviews, headlines). */
        public boolean chat() {
            return chat;
        }
    }

    /**
     * The labelled sets of chat lines in Spanish, Portuguese and German ({@code lang<TAB>label<TAB>text}):
     * development set 2, which the language lexicons were tuned on, and the blind test set.
     */
    public static final SetFile LANGUAGE_DEV2 = SetFile.developmentSet("development 2", "other-languages-dev2.tsv");
    /**
     * Chat lines in Spanish, Portuguese, German, French and Italian ({@code lang<TAB>text}, no label), which the
     * language gate's thresholds were chosen on: development lines.
     */
    static final SetFile LANGUAGE_GATE_DEV = SetFile.developmentSet("gate development", "other-languages-dev.tsv");
    static final SetFile LANGUAGE_TEST = SetFile.testSet("test (blind)", "other-languages-test.tsv");
    private static final List<SetFile> LANGUAGE_SETS = List.of(LANGUAGE_DEV2, LANGUAGE_TEST);

    public enum Polarity { POS, NEU, NEG }

    public record RatedText(double rating, String text) {}

    /**
     * General-text development lines rated -4..4 by the labelling guide: never trained on; they choose
     * how the classifier and the lexicon make the score ({@link ClassifierSelection}).
     */
    static final String GENERAL_DEVELOPMENT = EVAL + "general-dev.tsv";

    public record LabelledText(Polarity label, String text) {}

    /** 3-class figures of one scorer on one set. */
    public record ClassFigures(int lines, double accuracy, double macroF1) {}

    public record TweetFigures(int texts, double pearson, double accuracy, double macroF1) {}

    private SentimentEvaluation() {}

    /**
     * Prints every figure: each labelled set present on the classpath (a missing test set is
     * reported as missing), then the tweets when {@code tweets} is given.
     */
    public static void report(PrintStream out, Path tweets) throws IOException {
        report(out, tweets, false);
    }

    /**
     * As {@link #report(PrintStream, Path)}; with {@code developmentOnly} the test set is neither
     * read nor scored, which is the only way to measure while the scorer is being changed.
     */
    public static void report(PrintStream out, Path tweets, boolean developmentOnly) throws IOException {
        var ours = new ChatSentimentScorer();
        var lexicon = ChatSentimentScorer.lexiconOnly();
        var vader = ChatSentimentScorer.plainVader();
        out.println("set                 lines   chat scorer acc / macro-F1   lexicon only acc / macro-F1   plain VADER acc / macro-F1");
        for (LabelledSet labelled : LabelledSet.values()) {
            SetFile set = labelled.file();
            Optional<List<LabelledText>> lines = measured(out, set, developmentOnly, SentimentEvaluation::readLabelled);
            if (lines.isEmpty()) {
                continue;
            }
            ClassFigures o = classify(ours, lines.get());
            ClassFigures l = classify(lexicon, lines.get());
            ClassFigures v = classify(vader, lines.get());
            out.printf(Locale.ROOT, "%-18s  %5d   %.3f / %.3f                %.3f / %.3f                 %.3f / %.3f%n",
                    set.title(), o.lines(), o.accuracy(), o.macroF1(), l.accuracy(), l.macroF1(), v.accuracy(), v.macroF1());
            if (!set.development()) {
                List<LabelledText> unseen = unseen(lines.get());
                ClassFigures ou = classify(ours, unseen);
                ClassFigures lu = classify(lexicon, unseen);
                ClassFigures vu = classify(vader, unseen);
                out.printf(Locale.ROOT, "  of which unseen  %5d   %.3f / %.3f                %.3f / %.3f                 %.3f / %.3f%n",
                        ou.lines(), ou.accuracy(), ou.macroF1(), lu.accuracy(), lu.macroF1(), vu.accuracy(), vu.macroF1());
            }
        }
        printRated(out, "general dev, rated", generalDevelopment(), ours, lexicon, vader);
        reportLanguages(out, developmentOnly);
        reportGate(out);
        if (tweets == null) {
            out.println("tweets: not measured (give --tweets FILE, the VADER tweets ground truth)");
            return;
        }
        printRated(out, "tweets", readTweets(tweets), ours, lexicon, vader);
    }

    /** A labelled line in a language other than English. */
    public record LanguageLine(String language, Polarity label, String text) {}

    /**
     * Per language (es, pt, de) and set: 3-class accuracy and macro-F1 of the scorer reading each line
     * in its labelled language, of the scorer as the engine reads the line (its language detected: a
     * line the gate calls English or too short to tell is read as English), and of plain VADER (the
     * English lexicon on every line). Lines the gate does not read are counted apart ("read").
     */
    static void reportLanguages(PrintStream out, boolean developmentOnly) {
        var ours = new ChatSentimentScorer();
        var vader = ChatSentimentScorer.plainVader();
        var gate = new ChatLanguage();
        out.println("other languages     lines   its language acc / macro-F1   language detected acc / macro-F1   plain VADER acc / macro-F1");
        for (SetFile set : LANGUAGE_SETS) {
            Optional<List<LanguageLine>> lines = measured(out, set, developmentOnly, SentimentEvaluation::readLanguageLines);
            if (lines.isEmpty()) {
                continue;
            }
            for (String language : List.of("es", "pt", "de")) {
                List<LanguageLine> of = lines.get().stream().filter(l -> l.language().equals(language)).toList();
                if (of.isEmpty()) {
                    continue;
                }
                var given = new int[3][3];
                var detected = new int[3][3];
                var plain = new int[3][3];
                int read = 0;
                for (LanguageLine line : of) {
                    int truth = line.label().ordinal();
                    given[truth][ofCompound(ours.compound(line.text(), language)).ordinal()]++;
                    ChatLanguage.Verdict verdict = gate.of(line.text(), java.util.Set.of());
                    ChatSentimentScorer.Scored scored = verdict.readable()
                            ? ours.score(line.text(), EmoteValences.GLOBAL, verdict.language()) : null;
                    if (scored != null && scored.read()) {
                        // A line the gate does not read (French, Italian), or one left out as misnamed English,
                        // is counted, not scored: it is left out here.
                        detected[truth][ofCompound(scored.compound()).ordinal()]++;
                        read++;
                    }
                    plain[truth][ofCompound(vader.compound(line.text())).ordinal()]++;
                }
                out.printf(Locale.ROOT, "%-18s  %5d   %.3f / %.3f                 %.3f / %.3f (%d read)            %.3f / %.3f%n",
                        set.title() + " " + language, of.size(), accuracy(given), macroF1(given), accuracy(detected),
                        macroF1(detected), read, accuracy(plain), macroF1(plain));
            }
        }
    }

    /**
     * What the language gate ({@link ChatLanguage}) makes of development lines only (no test line is read):
     * English chat lines it calls another language (development sets 1 and 2, then every chat development and
     * training line), the gate's own development lines it recognises as another language, and development set
     * 2's Spanish, Portuguese and German lines it tells as their own language. docs/SENTIMENT.md quotes these.
     */
    static void reportGate(PrintStream out) {
        var gate = new ChatLanguage();
        int firstTwo = 0;
        int firstTwoForeign = 0;
        int english = 0;
        int englishForeign = 0;
        for (LabelledSet set : LabelledSet.values()) {
            if (!set.file().development() || !set.chat()) {
                continue;
            }
            boolean early = set == LabelledSet.DEV || set == LabelledSet.DEV2;
            for (LabelledText line : requireSet(set)) {
                boolean foreign = !gate.of(line.text(), java.util.Set.of()).language().equals(ChatLanguage.ENGLISH);
                english++;
                englishForeign += foreign ? 1 : 0;
                firstTwo += early ? 1 : 0;
                firstTwoForeign += early && foreign ? 1 : 0;
            }
        }
        out.printf(Locale.ROOT, "language gate       English lines called another language: %d of %d (development 1 and 2),"
                + " %d of %d (every chat development and training line)%n", firstTwoForeign, firstTwo, englishForeign, english);
        List<String[]> others = readResource(LANGUAGE_GATE_DEV.resource(), (reader, name) -> readTwoColumns(reader, name,
                "language (es, pt, de, fr or it) <TAB> text", (language, text) -> new String[]{language, text}))
                .orElseThrow(() -> new IllegalStateException("missing classpath resource " + LANGUAGE_GATE_DEV.resource()));
        long recognised = others.stream()
                .filter(l -> !gate.of(l[1], java.util.Set.of()).language().equals(ChatLanguage.ENGLISH)).count();
        out.printf(Locale.ROOT, "                    %s (%s): %d of %d recognised as another language%n",
                LANGUAGE_GATE_DEV.title(), LANGUAGE_GATE_DEV.resource().substring(EVAL.length()), recognised, others.size());
        List<LanguageLine> dev2 = readResource(LANGUAGE_DEV2.resource(), SentimentEvaluation::readLanguageLines)
                .orElseThrow(() -> new IllegalStateException("missing classpath resource " + LANGUAGE_DEV2.resource()));
        var told = new StringBuilder();
        for (String language : List.of("es", "pt", "de")) {
            List<LanguageLine> of = dev2.stream().filter(l -> l.language().equals(language)).toList();
            long same = of.stream().filter(l -> gate.of(l.text(), java.util.Set.of()).language().equals(language)).count();
            told.append(told.isEmpty() ? "" : ", ").append(language).append(' ').append(same).append(" of ").append(of.size());
        }
        out.printf(Locale.ROOT, "                    %s: each line told as its own language: %s%n", LANGUAGE_DEV2.title(), told);
    }

    /**
     * A set's lines, or empty after a row saying why not: a test set under {@code developmentOnly} (neither read
     * nor scored), or a file not on the classpath.
     */
    private static <T> Optional<List<T>> measured(PrintStream out, SetFile set, boolean developmentOnly, Reader<T> read) {
        if (developmentOnly && !set.development()) {
            out.printf(Locale.ROOT, "%-18s  not measured (--development-only)%n", set.title());
            return Optional.empty();
        }
        Optional<List<T>> lines = readResource(set.resource(), read);
        if (lines.isEmpty()) {
            out.printf(Locale.ROOT, "%-18s  missing: %s is not on the classpath%n", set.title(), set.resource());
        }
        return lines;
    }

    /** {@code lang<TAB>label<TAB>text} lines (lang es, pt or de; label pos, neu or neg), '#' comments skipped. */
    static List<LanguageLine> readLanguageLines(BufferedReader reader, String name) throws IOException {
        return readTwoColumns(reader, name, "language (es, pt or de) <TAB> label (pos, neu or neg) <TAB> text",
                (language, rest) -> {
                    String[] cols = rest.split("\t", 2);
                    Polarity p = cols.length == 2 ? polarity(cols[0]) : null;
                    return p == null || !LanguageLexicon.LANGUAGES.contains(language) ? null
                            : new LanguageLine(language, p, cols[1]);
                });
    }

    /** One row of rated lines: each scorer's Pearson r with the rating, 3-class accuracy and macro-F1. */
    private static void printRated(PrintStream out, String title, List<RatedText> rated, ChatSentimentScorer... scorers) {
        out.printf(Locale.ROOT, "%-18s  %5d ", title, rated.size());
        for (ChatSentimentScorer scorer : scorers) {
            TweetFigures f = tweetFigures(scorer, rated);
            out.printf(Locale.ROOT, "  r %.3f, %.3f / %.3f      ", f.pearson(), f.accuracy(), f.macroF1());
        }
        out.println();
    }

    /**
     * The lines of {@code test} that are neither a chat-lexicon entry nor a line of a development
     * set, once {@link #normalised normalised}: short common chat ("lets go", "what time is the
     * restock") turns up in several hands' writing, and a line the scorer was tuned on, or that is
     * itself a lexicon entry, is no test of it. Lines are compared, never shown.
     */
    public static List<LabelledText> unseen(List<LabelledText> test) {
        var seen = new java.util.HashSet<String>();
        Lexicons.chatTerms().forEach(t -> seen.add(normalised(t)));
        for (LabelledSet set : LabelledSet.values()) {
            if (set.file().development()) {
                requireSet(set).forEach(l -> seen.add(normalised(l.text())));
            }
        }
        return test.stream().filter(l -> !seen.contains(normalised(l.text()))).toList();
    }

    /** Lower case, NFKC, apostrophes and variation selectors dropped, punctuation and white space as one space. */
    public static String normalised(String text) {
        String s = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
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

    public static Polarity ofCompound(double compound) {
        return compound >= COMPOUND_NEUTRAL ? Polarity.POS : compound <= -COMPOUND_NEUTRAL ? Polarity.NEG : Polarity.NEU;
    }

    public static Polarity ofRating(double rating) {
        return rating >= RATING_NEUTRAL ? Polarity.POS : rating <= -RATING_NEUTRAL ? Polarity.NEG : Polarity.NEU;
    }

    public static TweetFigures tweetFigures(ChatSentimentScorer scorer, List<RatedText> tweets) {
        double[] x = new double[tweets.size()];
        double[] y = new double[tweets.size()];
        var confusion = new int[3][3];
        for (int i = 0; i < tweets.size(); i++) {
            RatedText t = tweets.get(i);
            x[i] = scorer.compound(t.text());
            y[i] = t.rating();
            confusion[ofRating(y[i]).ordinal()][ofCompound(x[i]).ordinal()]++;
        }
        return new TweetFigures(tweets.size(), pearson(x, y), accuracy(confusion), macroF1(confusion));
    }

    public static ClassFigures classify(ChatSentimentScorer scorer, List<LabelledText> set) {
        var confusion = new int[3][3];
        for (LabelledText line : set) {
            confusion[line.label().ordinal()][ofCompound(scorer.compound(line.text())).ordinal()]++;
        }
        return new ClassFigures(set.size(), accuracy(confusion), macroF1(confusion));
    }

    public static double accuracy(ChatSentimentScorer scorer, List<LabelledText> set) {
        return classify(scorer, set).accuracy();
    }

    /** {@code confusion[truth][predicted]}. */
    static double accuracy(int[][] confusion) {
        long total = 0;
        long correct = 0;
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion.length; p++) {
                total += confusion[t][p];
                if (t == p) {
                    correct += confusion[t][p];
                }
            }
        }
        return total == 0 ? 0 : (double) correct / total;
    }

    /** The unweighted mean of the per-class F1 scores; a class never predicted nor present scores 0. */
    static double macroF1(int[][] confusion) {
        int k = confusion.length;
        double sum = 0;
        for (int c = 0; c < k; c++) {
            long truePositive = confusion[c][c];
            long predicted = 0;
            long actual = 0;
            for (int o = 0; o < k; o++) {
                predicted += confusion[o][c];
                actual += confusion[c][o];
            }
            double denominator = predicted + actual;
            sum += denominator == 0 ? 0 : 2.0 * truePositive / denominator;
        }
        return sum / k;
    }

    static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (n == 0) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Columns: id, mean rating, text (the text may itself contain tabs). */
    public static List<RatedText> readTweets(Path file) throws IOException {
        var tweets = new ArrayList<RatedText>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String[] cols = line.split("\t", 3);
            if (cols.length == 3) {
                try {
                    tweets.add(new RatedText(Double.parseDouble(cols[1].strip()), cols[2]));
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + number + ": the mean rating (column 2) is not a number");
                }
            }
        }
        return tweets;
    }

    /**
     * The general-text development lines ({@link #GENERAL_DEVELOPMENT}): {@code rating<TAB>text}, the
     * rating a whole number from -4 to 4; blank lines and lines starting with '#' skipped.
     *
     * @throws IllegalStateException naming the line number when a line is not in that format
     */
    static List<RatedText> generalDevelopment() {
        return readResource(GENERAL_DEVELOPMENT, SentimentEvaluation::readRated)
                .orElseThrow(() -> new IllegalStateException("missing classpath resource " + GENERAL_DEVELOPMENT));
    }

    /** Rated lines ({@code rating<TAB>text}, the rating a whole number from -4 to 4), as {@link #readLabelled}. */
    static List<RatedText> readRated(BufferedReader reader, String name) throws IOException {
        return readTwoColumns(reader, name, "rating (a whole number from -4 to 4) <TAB> text", (rating, text) -> {
            try {
                int r = Integer.parseInt(rating.strip());
                return r >= -4 && r <= 4 ? new RatedText(r, text) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        });
    }

    /** A labelled set from the classpath, or empty when it is not there; columns: label (pos, neu, neg), text. */
    public static Optional<List<LabelledText>> readSet(LabelledSet set) {
        return readResource(set.file().resource(), SentimentEvaluation::readLabelled);
    }

    private interface Reader<T> {
        List<T> read(BufferedReader reader, String name) throws IOException;
    }

    private static <T> Optional<List<T>> readResource(String resource, Reader<T> read) {
        InputStream in = SentimentEvaluation.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            return Optional.empty();
        }
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return Optional.of(read.read(reader, resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Labelled lines in the format of the sets ({@code label<TAB>text}, label pos, neu or neg; blank
     * lines and lines starting with '#' skipped).
     *
     * @param name what to call the source in an error
     * @throws IllegalStateException naming the source and the line number (never the line's text: it
     *                               may belong to a blind test set) when a line is not in that format
     */
    static List<LabelledText> readLabelled(BufferedReader reader, String name) throws IOException {
        return readTwoColumns(reader, name, "label (pos, neu or neg) <TAB> text", (label, text) -> {
            Polarity p = polarity(label);
            return p == null ? null : new LabelledText(p, text);
        });
    }

    /**
     * {@code first<TAB>text} lines, blank lines and '#' comments skipped; {@code parse} gives null for a
     * line not in the format, which fails naming the source, the line number and {@code expected}
     * (never the line's text).
     */
    private static <T> List<T> readTwoColumns(BufferedReader reader, String name, String expected,
                                              java.util.function.BiFunction<String, String, T> parse) throws IOException {
        var lines = new ArrayList<T>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", 2);
            T parsed = cols.length == 2 ? parse.apply(cols[0], cols[1]) : null;
            if (parsed == null) {
                throw new IllegalStateException(name + ":" + number + ": expected " + expected);
            }
            lines.add(parsed);
        }
        return List.copyOf(lines);
    }

    /**
     * Scores a labelled file with the shipped chat scorer, the lexicon alone and plain VADER, and
     * prints each one's 3-class accuracy and macro-F1, and the chat scorer's confusion matrix. The
     * file is only read and scored: nothing is learned from it.
     *
     * @throws IllegalStateException when a line is not {@code label<TAB>text} (file and line number named)
     */
    public static void reportFile(PrintStream out, Path file) throws IOException {
        List<LabelledText> lines;
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines = readLabelled(reader, file.toString());
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException(file + ": no labelled lines");
        }
        var scorers = List.of(new ChatSentimentScorer(), ChatSentimentScorer.lexiconOnly(), ChatSentimentScorer.plainVader());
        var names = List.of("chat scorer", "lexicon and rules alone", "plain VADER");
        out.printf(Locale.ROOT, "%s: %d lines%n", file, lines.size());
        int[][] chat = null;
        for (int s = 0; s < scorers.size(); s++) {
            var confusion = new int[3][3];
            for (LabelledText line : lines) {
                confusion[line.label().ordinal()][ofCompound(scorers.get(s).compound(line.text())).ordinal()]++;
            }
            chat = s == 0 ? confusion : chat;
            out.printf(Locale.ROOT, "%-24s 3-class accuracy %.3f, macro-F1 %.3f%n", names.get(s), accuracy(confusion),
                    macroF1(confusion));
        }
        out.println("chat scorer confusion (rows: label pos, neu, neg; columns: scored pos, neu, neg)");
        for (int t = 0; t < 3; t++) {
            out.printf(Locale.ROOT, "  %-3s %5d %5d %5d%n", Polarity.values()[t].name().toLowerCase(Locale.ROOT),
                    chat[t][0], chat[t][1], chat[t][2]);
        }
    }

    /** A set that must be there (the development sets ship with the jar). */
    public static List<LabelledText> requireSet(LabelledSet set) {
        return readSet(set).orElseThrow(() -> new IllegalStateException("missing classpath resource " + set.file().resource()));
    }

    private static Polarity polarity(String label) {
        return switch (label.strip().toLowerCase(Locale.ROOT)) {
            case "pos" -> Polarity.POS;
            case "neu" -> Polarity.NEU;
            case "neg" -> Polarity.NEG;
            default -> null;
        };
    }
}
