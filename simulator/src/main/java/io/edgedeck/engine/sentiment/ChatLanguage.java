package io.edgedeck.engine.sentiment;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;

/**
 * Which chat lines the scorer can read. The scorer reads English (and chat's emotes, emoji and
 * slang, which belong to no language), and Spanish, Portuguese and German with EdgeDeck's lexicons
 * for them ({@link LanguageLexicon}); a line in another language (French, Italian, another script)
 * is counted as such, never scored as a neutral English line.
 *
 * <p>The decision, in order:
 * <ol>
 *   <li>Letters mostly of a script other than Latin (Cyrillic, Han, Hangul, Arabic...): another
 *   language, named by its script.</li>
 *   <li>Function words ({@code language-markers.tsv}: articles, pronouns, auxiliaries, prepositions,
 *   question words, each listed for every language it is common in, English chat's "yo", "ya", "da",
 *   "na", "la", "ma", "ton" and "war" among English's): when one language other than English holds the
 *   most different ones, at least {@value #MIN_FUNCTION_WORDS}, the line is that language when at least
 *   {@value #MIN_FUNCTION_WORDS} of its words are its own ({@link #ownWords}: "qual é o preço do frete"),
 *   and with one only when Lingua ranks it above English ("des moines in chat" is English); a short line
 *   (below) only when at least {@value #MIN_FUNCTION_WORDS} of its function words are spelled out (not a
 *   bare "o", "e" or "a") and are not English's too ("isso é caro", but not "o so good"); when several
 *   tie, Lingua decides among them (below), English's doubt rule applying when English is one of them, and
 *   a line without a word of the other language's own staying English ("clan war so hype"); when English
 *   holds the most, a line long enough to tell is English ("we want an encore"). Lingua's low-accuracy
 *   confidences on short lines lie too close together to tell these apart.</li>
 *   <li>Fewer than {@value #MIN_WORDS} words or {@value #MIN_LETTERS} letters once emotes, emoji,
 *   mentions, links and numbers are set aside ("lol", "W", "KEKW 🔥", "gg ez", "love ya no cap"): too
 *   short to tell, and read as the stream's language. Short chat is mostly reactions the scorer knows.</li>
 *   <li>Otherwise Lingua (Peter M. Stahl, Apache License 2.0), restricted to English, Spanish,
 *   Portuguese, German, French and Italian, in low-accuracy mode. A line is another language
 *   only when Lingua ranks that language first and English's relative confidence is below
 *   {@value #ENGLISH_RELATIVE_CONFIDENCE}: a doubtful line stays English, and so does one with English
 *   evidence beyond a loanword and no word of that language's own ("mid stream tbh";
 *   {@link #englishEvidence}).</li>
 * </ol>
 * A line called Spanish, Portuguese or German in which that language's lexicon finds no sentiment
 * while the English scorer does is then counted, not scored, like a French line: it is most often
 * short English the detector misnamed ("THE BUNDLE IS A RIPOFF" as German), and scoring it as a
 * neutral line would pull the mean toward 0 ({@link ChatSentimentScorer#score(String, EmoteValences, String)}).
 * Measured on the development lines (800 English chat lines of development sets 1 and 2, 90
 * Spanish, Portuguese, German, French and Italian lines), with the jar's models: no English line called another
 * language, 6 of the 90 foreign lines read as English or too short (docs/SENTIMENT.md, "Languages";
 * {@code edgedeck-sim sentiment --evaluate --development-only}, section "language gate"). Low-accuracy mode
 * keeps the six languages' models at about 7 MB of heap instead of about 160 MB.
 *
 * <p>Thread-safe. The detector and its models are loaded on first use.
 */
public final class ChatLanguage {

    /** The code of English, the language the classifier reads and a line too short to tell is read as. */
    public static final String ENGLISH = "en";
    static final int MIN_WORDS = 3;
    static final int MIN_LETTERS = 12;
    static final double ENGLISH_RELATIVE_CONFIDENCE = 0.85;
    /** Different function words of one language a line needs before they decide its language. */
    static final int MIN_FUNCTION_WORDS = 2;

    private static final Set<Language> DETECTED = Set.of(
            Language.ENGLISH, Language.SPANISH, Language.PORTUGUESE, Language.GERMAN, Language.FRENCH, Language.ITALIAN);

    private final Lexicons lex = Lexicons.get();

    /**
     * @param language ISO 639-1 code ({@code en}, {@code es}...), or a script's name for a line in a
     *                 script other than Latin ({@code cyrillic}, {@code han}...); {@code en} for a line
     *                 too short to tell
     * @param readable whether the scorer reads it: English, Spanish, Portuguese or German
     * @param detected false when the line was too short to tell and is read as the stream's language
     */
    public record Verdict(String language, boolean readable, boolean detected) {
        static final Verdict SHORT = new Verdict(ENGLISH, true, false);
    }

    private static final class Holder {
        static final LanguageDetector DETECTOR = LanguageDetectorBuilder
                .fromLanguages(DETECTED.toArray(Language[]::new))
                .withLowAccuracyMode()
                .build();
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARMING = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Starts loading the detector's models on a background daemon thread, once per process, so a
     * show does not wait for them at its first long line (about 3 s on a busy machine). The models
     * are the same whoever loads them: results do not depend on it.
     */
    static void warmUp() {
        if (WARMING.compareAndSet(false, true)) {
            Thread.ofVirtual().name("chat-language-models").start(() -> {
                LanguageDetector ignored = Holder.DETECTOR;
            });
        }
    }

    /** @param marked the spellings the chat platform marked as emotes in this line */
    public Verdict of(String text, Set<String> marked) {
        if (text == null || text.isEmpty()) {
            return Verdict.SHORT;
        }
        var words = new StringBuilder(text.length());
        int wordCount = 0;
        int letters = 0;
        var scripts = new int[Character.UnicodeScript.values().length];
        var functionWords = new java.util.HashSet<String>();
        var spelledOut = new java.util.HashSet<String>();
        var tokens = new java.util.ArrayList<String>();
        for (String raw : text.split("[\\s\\p{Cntrl}]+")) {
            String token = strip(raw);
            if (token.isEmpty() || setAside(raw, token, marked)) {
                continue;
            }
            tokens.add(token);
            String key = markerKey(token);
            if (Markers.WORDS.containsKey(key)) {
                functionWords.add(key);
                if (token.length() > 1 || !key.equals(token.toLowerCase(Locale.ROOT))) {
                    // "é" and "à" are words; a bare "o", "e" or "a" may be English chat's ("o so good").
                    spelledOut.add(key);
                }
            }
            int tokenLetters = 0;
            for (int i = 0; i < token.length(); ) {
                int cp = token.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isLetter(cp)) {
                    tokenLetters++;
                    scripts[Character.UnicodeScript.of(cp).ordinal()]++;
                }
            }
            if (tokenLetters >= 2) {
                wordCount++;
                letters += tokenLetters;
                words.append(collapseRuns(token)).append(' ');
            }
        }
        int latin = scripts[Character.UnicodeScript.LATIN.ordinal()];
        int best = Character.UnicodeScript.LATIN.ordinal();
        for (int s = 0; s < scripts.length; s++) {
            if (scripts[s] > scripts[best]) {
                best = s;
            }
        }
        if (scripts[best] > latin) {
            return new Verdict(Character.UnicodeScript.values()[best].name().toLowerCase(Locale.ROOT), false, true);
        }
        Set<String> byWords = languagesByFunctionWords(functionWords);
        boolean tooShort = wordCount < MIN_WORDS || letters < MIN_LETTERS;
        String named = byWords.size() == 1 && !byWords.contains(ENGLISH) ? byWords.iterator().next() : null;
        if (named != null && (tooShort ? notEnglish(spelledOut, named) : ownWords(tokens, functionWords, named)) >= MIN_FUNCTION_WORDS) {
            return verdict(named);
        }
        if (tooShort) {
            return Verdict.SHORT;
        }
        boolean english = byWords.equals(Set.of(ENGLISH));
        if (english) {
            return new Verdict(ENGLISH, true, true);
        }
        SortedMap<Language, Double> confidence = Holder.DETECTOR.computeLanguageConfidenceValues(words.toString());
        if (confidence.isEmpty()) {
            return new Verdict(ENGLISH, true, true);
        }
        double englishConfidence = confidence.getOrDefault(Language.ENGLISH, 0.0);
        if (named != null) {
            // Its lead rests on one word of its own beside words English writes too ("des moines in chat": "des",
            // and "in"): whichever of the two Lingua ranks higher.
            return confidence.getOrDefault(language(named), 0.0) > englishConfidence ? verdict(named) : new Verdict(ENGLISH, true, true);
        }
        boolean englishLikely = englishConfidence >= ENGLISH_RELATIVE_CONFIDENCE;
        if (byWords.contains(ENGLISH)) {
            // English tied with other languages: the one of them Lingua ranks highest; a doubtful line stays English.
            String tied = confidence.keySet().stream().map(ChatLanguage::code).filter(byWords::contains).findFirst().orElse(ENGLISH);
            return tied.equals(ENGLISH) || englishLikely || ownWords(tokens, functionWords, tied) == 0
                    ? new Verdict(ENGLISH, true, true) : verdict(tied);
        }
        Language first = confidence.firstKey();
        String code = code(first);
        if (byWords.contains(code)) {
            return verdict(code);
        }
        if (first == Language.ENGLISH || englishLikely
                || (ownWords(tokens, functionWords, code) == 0 && englishEvidence(tokens, code))) {
            return new Verdict(ENGLISH, true, true);
        }
        return verdict(code);
    }

    /**
     * How many of the line's words are {@code language}'s own: its function words that English does not share,
     * and words of its lexicon ({@link LanguageLexicon}) that are not English words ({@link #english}: "geil", "süß",
     * but not the loans "stream", "down", "show").
     * A line's function words name a language only with two of them ("hihi das war so süß"): "des" alone, beside
     * "in", which English writes too, does not make "des moines in chat" German; and in a tie with English
     * ("war", "so") the line is English without one ("clan war so hype", but "die show war geil" is German).
     */
    private int ownWords(java.util.List<String> tokens, Set<String> functionWords, String language) {
        int own = (int) notEnglish(functionWords, language);
        LanguageLexicon lexicon = LanguageLexicon.of(language);
        if (lexicon == null) {
            return own;
        }
        var words = new java.util.HashSet<String>();
        for (String token : tokens) {
            if (!Markers.WORDS.containsKey(markerKey(token)) && !english(token) && lexicon.knows(token)) {
                words.add(lexicon.key(token));
            }
        }
        return own + words.size();
    }

    /**
     * Whether the line shows English beyond a loanword, when Lingua names {@code language} first: one of English's
     * function words that is not {@code language}'s ("is", "the"), or at least two English words ({@link #english})
     * that are neither {@code language}'s function words nor in its lexicon, and that are either more than half of
     * the line's words with one of them English chat's own ("mid stream tbh", which Lingua calls Spanish), or all of
     * them ("HYPE HYPE HYPE"). Common words and loans beside other words are not enough: French and Italian write
     * "super", "top", "wow", "ok", "audio" too ("audio pessimo, super lento" stays Italian).
     */
    private boolean englishEvidence(java.util.List<String> tokens, String language) {
        LanguageLexicon lexicon = LanguageLexicon.of(language);
        int englishOnly = 0;
        boolean chat = false;
        for (String token : tokens) {
            Set<String> marks = Markers.WORDS.get(markerKey(token));
            if (marks != null) {
                if (marks.contains(ENGLISH) && !marks.contains(language)) {
                    return true;
                }
            } else if (english(token) && (lexicon == null || !lexicon.knows(token))) {
                englishOnly++;
                chat |= EnglishWords.CHAT.contains(englishKey(token));
            }
        }
        return englishOnly >= 2 && (chat ? 2 * englishOnly > tokens.size() : englishOnly == tokens.size());
    }

    /**
     * Whether English writes the word: the English scorer's lexicons (VADER's, the chat lexicon) or
     * {@code english-words.txt} (common English words from SCOWL, and chat English such as "tbh", "mega").
     */
    private boolean english(String token) {
        return englishKnows(token) || EnglishWords.WORDS.contains(englishKey(token));
    }

    private static String englishKey(String token) {
        return collapseRuns(token).toLowerCase(Locale.ROOT);
    }

    /** Whether the English scorer's lexicons (VADER's, the chat lexicon) hold the word. */
    private boolean englishKnows(String token) {
        String key = englishKey(token);
        return lex.vader.containsKey(key) || lex.chatWords.containsKey(key) || lex.boosters.containsKey(key)
                || lex.chatBoosters.containsKey(key) || lex.afterBoosters.containsKey(key) || lex.negators.contains(key)
                || lex.acks.contains(key);
    }

    private static Language language(String code) {
        return DETECTED.stream().filter(l -> code(l).equals(code)).findFirst().orElseThrow();
    }

    private static String code(Language language) {
        return language.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
    }

    private static Verdict verdict(String code) {
        return new Verdict(code, ChatSentimentScorer.reads(code), true);
    }

    /**
     * The languages whose function words the line holds most of, when that is at least
     * {@value #MIN_FUNCTION_WORDS} different words: one language decides the line; several (Spanish and
     * Portuguese share "que", "como", "este"; English chat shares "la", "ya", "da") leave it to Lingua
     * among them. Empty when the function words say nothing.
     */
    private static Set<String> languagesByFunctionWords(Set<String> functionWords) {
        if (functionWords.size() < MIN_FUNCTION_WORDS) {
            return Set.of();
        }
        var counts = new java.util.HashMap<String, Integer>();
        for (String word : functionWords) {
            for (String language : Markers.WORDS.get(word)) {
                counts.merge(language, 1, Integer::sum);
            }
        }
        int best = counts.values().stream().max(Integer::compare).orElse(0);
        if (best < MIN_FUNCTION_WORDS) {
            return Set.of();
        }
        var languages = new java.util.TreeSet<String>();
        counts.forEach((language, count) -> {
            if (count == best) {
                languages.add(language);
            }
        });
        return languages;
    }

    /** How many of the line's function words mark {@code language} and are not English's too. */
    private static long notEnglish(Set<String> functionWords, String language) {
        return functionWords.stream()
                .map(Markers.WORDS::get)
                .filter(languages -> languages.contains(language) && !languages.contains(ENGLISH))
                .count();
    }

    /** Lower case without accents: "Está" and "esta" are one key. */
    private static String markerKey(String word) {
        String decomposed = java.text.Normalizer.normalize(word.toLowerCase(Locale.ROOT), java.text.Normalizer.Form.NFD);
        var out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.append(c);
            }
        }
        return out.toString().replace("\u2019", "'");
    }

    /** {@code language-markers.tsv}: each function word (as {@link #markerKey}) and the languages it marks. */
    private static final class Markers {
        static final java.util.Map<String, Set<String>> WORDS = load();

        private static java.util.Map<String, Set<String>> load() {
            var words = new java.util.HashMap<String, Set<String>>();
            for (String line : lines("io/edgedeck/engine/sentiment/language-markers.tsv")) {
                String[] cols = line.split("\t", 2);
                for (String word : cols[1].strip().split(" +")) {
                    words.computeIfAbsent(markerKey(word), w -> new java.util.TreeSet<>()).add(cols[0]);
                }
            }
            var frozen = new java.util.HashMap<String, Set<String>>();
            words.forEach((w, l) -> frozen.put(w, Set.copyOf(l)));
            return java.util.Map.copyOf(frozen);
        }
    }

    /** {@code english-words.txt}: the words English writes, and those of them that are English chat's own. */
    private static final class EnglishWords {
        static final Set<String> WORDS = load(false);
        static final Set<String> CHAT = load(true);

        private static Set<String> load(boolean chatOnly) {
            var words = new java.util.HashSet<String>();
            for (String line : lines("io/edgedeck/engine/sentiment/english-words.txt")) {
                String[] cols = line.split("\t", 2);
                if (!chatOnly || cols[0].equals("chat")) {
                    words.addAll(java.util.Arrays.asList(cols[1].strip().split(" +")));
                }
            }
            return Set.copyOf(words);
        }
    }

    /** A classpath resource's lines, less blank lines and {@code #} comments. */
    private static java.util.List<String> lines(String resource) {
        try (var in = ChatLanguage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Emotes, mentions, links, numbers and chat-only words say nothing about the language. */
    private boolean setAside(String raw, String token, Set<String> marked) {
        if (raw.startsWith("@") || raw.startsWith("!") || raw.contains("://") || raw.startsWith("www.")) {
            return true;
        }
        String key = token.toLowerCase(Locale.ROOT);
        if (marked.contains(token) || lex.emotes.containsKey(key) || lex.laughterMarkers.contains(key)) {
            return true;
        }
        for (int i = 0; i < token.length(); i++) {
            if (Character.isDigit(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String raw) {
        int from = 0;
        int to = raw.length();
        while (from < to && !Character.isLetterOrDigit(raw.codePointAt(from))) {
            from += Character.charCount(raw.codePointAt(from));
        }
        while (to > from && !Character.isLetterOrDigit(raw.codePointBefore(to))) {
            to -= Character.charCount(raw.codePointBefore(to));
        }
        return raw.substring(from, to);
    }

    /** "thisss" as "this": elongation is chat, not a language's spelling. */
    private static String collapseRuns(String token) {
        var out = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int len = out.length();
            if (len >= 1 && out.charAt(len - 1) == c && i >= 2 && token.charAt(i - 2) == c) {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
