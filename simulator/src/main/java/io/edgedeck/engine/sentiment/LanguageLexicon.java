package io.edgedeck.engine.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * EdgeDeck's own chat lexicon for one language other than English ({@code lexicon-es.tsv},
 * {@code lexicon-pt.tsv}, {@code lexicon-de.tsv} beside {@code chat-lexicon.tsv}; their header
 * documents the format): words and phrases on VADER's -4..+4 scale, the language's negators,
 * boosters and dampeners, contrast words ("pero", "mas", "aber"), failure verbs and the syllables of
 * its typed-out laughter. {@link LanguageReading} scores with it.
 *
 * <p>Keys are lower case with stretched letters collapsed and, in Spanish and Portuguese, accents and
 * cedillas dropped ("increíble" = "increible", "não" = "nao"), since chat often types without them; in
 * German an umlaut is its chat spelling ("schön" = "schoen") and ß is "ss", so "schon" stays apart
 * from "schön".
 *
 * <p>Immutable; the three lexicons are loaded together, once, on first use.
 */
final class LanguageLexicon {

    /** The languages other than English that have a lexicon: ISO 639-1 codes. */
    static final Set<String> LANGUAGES = Set.of("es", "pt", "de");

    final String language;
    final Map<String, Double> words = new HashMap<>();
    final Map<String, Double> phrases = new HashMap<>();
    final Map<String, Double> boosters = new HashMap<>();
    final Map<String, Double> negatedOnly = new HashMap<>();
    final Set<String> negators = new HashSet<>();
    final Set<String> postNegators = new HashSet<>();
    final Set<String> contrasts = new HashSet<>();
    final Map<String, Double> afterBoosters = new HashMap<>();
    final Set<String> questionWords = new HashSet<>();
    final Set<String> leadIns = new HashSet<>();
    final List<String> laughter = new ArrayList<>();
    /** Multi-word entries (phrases, multi-word boosters) by their first key, longest first. */
    final Map<String, List<String[]>> multiByFirst = new HashMap<>();

    private LanguageLexicon(String language) {
        this.language = language;
    }

    private static final class Holder {
        static final Map<String, LanguageLexicon> LEXICONS = loadAll();
    }

    /** The lexicon of {@code language} (ISO 639-1), or null when there is none. */
    static LanguageLexicon of(String language) {
        return language != null && LANGUAGES.contains(language) ? Holder.LEXICONS.get(language) : null;
    }

    private static Map<String, LanguageLexicon> loadAll() {
        var all = new HashMap<String, LanguageLexicon>();
        for (String language : LANGUAGES) {
            String resource = "io/edgedeck/engine/sentiment/lexicon-" + language + ".tsv";
            InputStream in = LanguageLexicon.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                all.put(language, read(language, reader, resource));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return Map.copyOf(all);
    }

    /**
     * Reads a lexicon file.
     *
     * @throws IllegalStateException naming the file and line when a line is malformed or repeats an entry
     */
    static LanguageLexicon read(String language, BufferedReader reader, String name) throws IOException {
        var lex = new LanguageLexicon(language);
        String line;
        int number = 0;
        var seen = new HashSet<String>();
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 2 || f[1].isBlank()) {
                throw new IllegalStateException(name + ":" + number + ": expected kind <TAB> term [<TAB> value]");
            }
            String kind = f[0];
            String key = lex.key(f[1]);
            if (!seen.add(kind + "\t" + key)) {
                throw new IllegalStateException(name + ":" + number + ": " + kind + " '" + f[1] + "' is listed twice");
            }
            double value;
            try {
                value = f.length > 2 ? Double.parseDouble(f[2]) : Double.NaN;
            } catch (NumberFormatException e) {
                throw new IllegalStateException(name + ":" + number + ": the value is not a number");
            }
            boolean valued = kind.equals("word") || kind.equals("phrase") || kind.equals("booster") || kind.equals("negonly")
                    || kind.equals("after");
            if (valued && (Double.isNaN(value) || Math.abs(value) > 4)) {
                throw new IllegalStateException(name + ":" + number + ": " + kind + " needs a value in -4..4");
            }
            switch (kind) {
                case "word" -> {
                    if (key.indexOf(' ') >= 0) {
                        throw new IllegalStateException(name + ":" + number + ": a word is one word; use phrase");
                    }
                    lex.words.put(key, value);
                }
                case "phrase" -> lex.phrases.put(key, value);
                case "booster" -> lex.boosters.put(key, value);
                case "negonly" -> lex.negatedOnly.put(key, value);
                case "negator" -> lex.negators.add(key);
                case "postnegator" -> lex.postNegators.add(key);
                case "contrast" -> lex.contrasts.add(key);
                case "after" -> lex.afterBoosters.put(key, value);
                case "question" -> lex.questionWords.add(key);
                case "leadin" -> lex.leadIns.add(key);
                case "laughter" -> lex.laughter.add(key);
                default -> throw new IllegalStateException(name + ":" + number + ": unknown kind '" + kind + "'");
            }
            if ((kind.equals("phrase") || kind.equals("booster")) && key.indexOf(' ') > 0) {
                String[] parts = key.split(" ");
                lex.multiByFirst.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts);
            }
        }
        for (List<String[]> candidates : lex.multiByFirst.values()) {
            candidates.sort((a, b) -> Integer.compare(b.length, a.length));
        }
        lex.laughter.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return lex;
    }

    /**
     * The lexicon's key for an inflected form it does not list: German adjective endings ("cooles",
     * "schrecklicher" as "coole", "schrecklich"), Spanish and Portuguese plurals ("fallos" as
     * "fallo"); a stem shorter than four letters is never tried ("mehr" is not "meh"). Null when none.
     */
    String stem(String key) {
        int cuts = language.equals("de") ? 2 : 1;
        for (int cut = 1; cut <= cuts; cut++) {
            if (key.length() - cut < 4) {
                break;
            }
            char last = key.charAt(key.length() - 1);
            boolean ending = language.equals("de") ? "esnrm".indexOf(last) >= 0 : last == 's';
            String stem = key.substring(0, key.length() - cut);
            if (ending && (words.containsKey(stem) || negatedOnly.containsKey(stem))) {
                return stem;
            }
        }
        return null;
    }

    /** Whether a word negates what follows it (German "nicht" also negates what precedes it). */
    boolean negates(String key) {
        return negators.contains(key) || postNegators.contains(key);
    }

    /** Whether {@code key} is typed-out laughter: one of the language's syllables again and again ("jajaja", "kkkk", "rsrs"). */
    boolean laughs(String key) {
        for (String syllable : laughter) {
            int min = syllable.length() == 1 ? 3 : 4;
            if (key.length() >= min && key.contains(syllable) && onlyLettersOf(key, syllable)) {
                return true;
            }
        }
        return false;
    }

    private static boolean onlyLettersOf(String key, String syllable) {
        for (int i = 0; i < key.length(); i++) {
            if (syllable.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The lookup key of a word as chat types it: lower case, stretched letters collapsed to two
     * ("buenooo" as "buenoo"), accents folded as the language's lexicon does.
     */
    String key(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String folded = language.equals("de") ? germanFold(lower) : stripAccents(lower);
        return collapse(folded, 2);
    }

    /** Whether the lexicon holds the word, as written or inflected ({@link #stem}): a word, booster, negator or contrast. */
    boolean knows(String word) {
        String key = key(word);
        return words.containsKey(key) || boosters.containsKey(key) || negators.contains(key) || negatedOnly.containsKey(key)
                || contrasts.contains(key) || stem(key) != null;
    }

    /** {@link #key} with runs cut to one letter: "buenoo" as "bueno". */
    static String single(String key) {
        return collapse(key, 1);
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String stripAccents(String s) {
        if (ascii(s)) {
            return s;
        }
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        var out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String germanFold(String s) {
        if (ascii(s)) {
            return s;
        }
        var out = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case 'ä' -> out.append("ae");
                case 'ö' -> out.append("oe");
                case 'ü' -> out.append("ue");
                case 'ß' -> out.append("ss");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Runs of more than {@code max} equal letters cut to {@code max}. */
    private static String collapse(String s, int max) {
        StringBuilder out = null;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            run = i > 0 && s.charAt(i - 1) == c ? run + 1 : 1;
            if (run > max) {
                if (out == null) {
                    out = new StringBuilder(s.substring(0, i));
                }
                continue;
            }
            if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
