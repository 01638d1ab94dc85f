package io.edgedeck.engine.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The immutable word lists behind the scorer: the VADER lexicon (read from the
 * {@code vader-sentiment-analyzer} artifact on the classpath) and EdgeDeck's chat lexicon.
 * Loaded once, on first use, and shared read-only by every scorer, which is what keeps a scorer
 * cheap to create and safe to share between threads.
 */
final class Lexicons {

    /** Resource name of the lexicon file inside {@code com.github.apanimesh061:vader-sentiment-analyzer:1.0}. */
    static final String VADER_RESOURCE = "vader_sentiment_lexicon.txt";
    static final String CHAT_RESOURCE = "io/edgedeck/engine/sentiment/chat-lexicon.tsv";

    static final double B_INCR = 0.293;
    static final double B_DECR = -0.293;

    /** A chat word whose meaning depends on where it stands (see the flags in chat-lexicon.tsv). */
    record ChatWord(double valence, boolean clauseEndOnly, boolean aloneOnly, boolean selfOnly, boolean notSelf,
                    boolean negatedOnly, boolean hype) {}

    private static final Set<String> WORD_FLAGS = Set.of("exact", "end", "alone", "self", "notself", "negonly", "hype");

    /** Typo repair only considers words at least this long, with at least this much sentiment. */
    static final int TYPO_MIN_LENGTH = 5;
    static final double TYPO_MIN_VALENCE = 1.5;
    private static final String AMBIGUOUS = "";

    /** A multi-token expression, stored as its tokens so it can be matched without building strings. */
    record Phrase(String[] words, String key) {}

    final Map<String, Double> vader;
    final Map<String, Double> boosters;
    final Set<String> negators;
    final Map<String, Double> vaderPhrases;
    final Map<String, List<Phrase>> vaderPhrasesByFirst;

    final Map<String, ChatWord> chatWords;
    final Map<String, ChatWord> exactWords;
    final Map<String, Double> emotes;
    final Map<String, String> emoteSpelling;
    final Map<String, Double> emoji;
    final Map<String, Double> chatPhrases;
    final Map<String, List<Phrase>> allPhrasesByFirst;
    final Set<String> phraseVocabulary;
    final Map<String, Double> chatBoosters;
    final Map<String, Double> afterBoosters;
    final Set<String> chatNegators;
    final Set<String> sarcasmMarkers;
    final Set<String> interjections;
    final Set<String> acks;
    final Set<String> laughterMarkers;
    final Map<String, Double> laughIdioms;
    /** Sentiment words (typo targets) and, for each, every spelling with one letter dropped. */
    private final Set<String> typoTargets;
    private final Map<String, String> typoByDeletion;

    private Lexicons() {
        vader = Map.copyOf(loadVader());
        boosters = Map.copyOf(VaderRules.boosters());
        negators = Set.copyOf(VaderRules.NEGATE);
        vaderPhrases = Map.copyOf(VaderRules.SPECIAL_CASES);

        var words = new HashMap<String, ChatWord>();
        var exact = new HashMap<String, ChatWord>();
        var emoteMap = new HashMap<String, Double>();
        var spelling = new HashMap<String, String>();
        var emojiMap = new HashMap<String, Double>();
        var phrases = new HashMap<String, Double>();
        var chatBoost = new HashMap<String, Double>();
        var after = new HashMap<String, Double>();
        var negs = new HashSet<String>();
        var sarcasm = new HashSet<String>();
        var interjectionSet = new HashSet<String>();
        var ackSet = new HashSet<String>();
        var laughter = new HashSet<String>();
        var laughs = new HashMap<String, Double>();
        for (String[] row : readChatRows()) {
            String kind = row[0];
            String term = row[1];
            double value = Double.parseDouble(row[2]);
            String flags = row.length > 3 ? row[3] : "";
            switch (kind) {
                case "word" -> {
                    var flagSet = new HashSet<>(List.of(flags.split(",")));
                    flagSet.remove("");
                    if (!WORD_FLAGS.containsAll(flagSet)) {
                        throw new IllegalStateException("chat lexicon: unknown flag in '" + flags + "' for " + term
                                + "; known: " + WORD_FLAGS);
                    }
                    var word = new ChatWord(value, flagSet.contains("end"), flagSet.contains("alone"),
                            flagSet.contains("self"), flagSet.contains("notself"), flagSet.contains("negonly"),
                            flagSet.contains("hype"));
                    if (flagSet.contains("exact")) {
                        exact.put(term, word);
                    } else {
                        words.put(term.toLowerCase(Locale.ROOT), word);
                    }
                }
                case "emote" -> {
                    emoteMap.put(term.toLowerCase(Locale.ROOT), value);
                    spelling.put(term.toLowerCase(Locale.ROOT), term);
                }
                case "emoji" -> emojiMap.put(ChatTokenizer.emojiKey(term), value);
                case "phrase" -> phrases.put(phraseKey(term), value);
                case "booster" -> chatBoost.put(term.toLowerCase(Locale.ROOT), value);
                case "after" -> after.put(phraseKey(term), value);
                case "negator" -> negs.add(term.toLowerCase(Locale.ROOT));
                case "sarcasm" -> sarcasm.add(term.codePointAt(0) > 0x2000 ? ChatTokenizer.emojiKey(term) : phraseKey(term));
                case "interjection" -> interjectionSet.add(term.toLowerCase(Locale.ROOT));
                case "ack" -> ackSet.add(term.toLowerCase(Locale.ROOT));
                case "laughter" -> laughter.add(term.codePointAt(0) > 0x2000 ? ChatTokenizer.emojiKey(term) : term.toLowerCase(Locale.ROOT));
                case "laugh" -> laughs.put(term.toLowerCase(Locale.ROOT), value);
                default -> throw new IllegalStateException("chat lexicon: unknown kind '" + kind + "' for " + term);
            }
        }
        // A phrase-shaped "after" booster ("no cap") has to be recognised as a phrase first.
        for (String key : after.keySet()) {
            if (key.indexOf(' ') > 0) {
                phrases.putIfAbsent(key, 0.0);
            }
        }
        for (String key : sarcasm) {
            if (key.indexOf(' ') > 0) {
                phrases.putIfAbsent(key, 0.0);
            }
        }
        chatWords = Map.copyOf(words);
        exactWords = Map.copyOf(exact);
        emotes = Map.copyOf(emoteMap);
        emoteSpelling = Map.copyOf(spelling);
        emoji = Map.copyOf(emojiMap);
        chatPhrases = Map.copyOf(phrases);
        chatBoosters = Map.copyOf(chatBoost);
        afterBoosters = Map.copyOf(after);
        chatNegators = Set.copyOf(negs);
        sarcasmMarkers = Set.copyOf(sarcasm);
        interjections = Set.copyOf(interjectionSet);
        acks = Set.copyOf(ackSet);
        laughterMarkers = Set.copyOf(laughter);
        laughIdioms = Map.copyOf(laughs);

        var vaderOnly = new HashSet<>(vaderPhrases.keySet());
        vaderOnly.addAll(VaderRules.BOOSTER_PHRASES);
        vaderPhrasesByFirst = indexPhrases(vaderOnly);
        var all = new HashSet<>(vaderOnly);
        all.addAll(chatPhrases.keySet());
        allPhrasesByFirst = indexPhrases(all);
        var vocabulary = new HashSet<String>();
        for (String key : chatPhrases.keySet()) {
            vocabulary.addAll(List.of(key.split(" ")));
        }
        phraseVocabulary = Set.copyOf(vocabulary);

        var targets = new HashSet<String>();
        vader.forEach((word, v) -> addTypoTarget(targets, word, v));
        chatWords.forEach((word, w) -> addTypoTarget(targets, word, w.valence()));
        var byDeletion = new HashMap<String, String>();
        for (String word : targets) {
            for (int k = 0; k < word.length(); k++) {
                String deleted = word.substring(0, k) + word.substring(k + 1);
                byDeletion.merge(deleted, word, (a, b) -> a.equals(b) ? a : AMBIGUOUS);
            }
        }
        typoTargets = Set.copyOf(targets);
        typoByDeletion = Map.copyOf(byDeletion);
    }

    private static void addTypoTarget(Set<String> targets, String word, double valence) {
        if (word.length() >= TYPO_MIN_LENGTH && Math.abs(valence) >= TYPO_MIN_VALENCE && isLetters(word)) {
            targets.add(word);
        }
    }

    static boolean isLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /**
     * The one sentiment word that {@code word} misspells by typing a double letter once ("prety",
     * "hapy", "awfuly"), or null when there is none or more than one. Other slips are not
     * repaired: without a dictionary, a dropped letter turns "morning" into "mourning" and an
     * undoubled one "supper" into "super". Only lower-case ASCII words of
     * {@value #TYPO_MIN_LENGTH} letters or more.
     */
    String typoOf(String word) {
        if (word.length() < TYPO_MIN_LENGTH || !isLetters(word)) {
            return null;
        }
        String target = typoByDeletion.get(word);
        return target != null && !AMBIGUOUS.equals(target) && doubledAt(target, word) ? target : null;
    }

    /** Whether {@code shorter} is {@code target} with one letter of a double dropped. */
    private static boolean doubledAt(String target, String shorter) {
        int k = 0;
        while (k < shorter.length() && shorter.charAt(k) == target.charAt(k)) {
            k++;
        }
        return k > 0 && target.charAt(k) == target.charAt(k - 1) || k + 1 < target.length() && target.charAt(k) == target.charAt(k + 1);
    }

    /** Every term of the chat lexicon (column 2 of chat-lexicon.tsv), as written. */
    static List<String> chatTerms() {
        return readChatRows().stream().map(row -> row[1]).toList();
    }

    static Lexicons get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final Lexicons INSTANCE = new Lexicons();
    }

    /** Lower case, apostrophes dropped: "Let's go" and "lets go" are the same phrase in chat. */
    static String phraseKey(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.indexOf('\'') < 0 && lower.indexOf('\u2019') < 0
                ? lower
                : lower.replace("'", "").replace("\u2019", "");
    }

    /** Longest phrase first, so "shut up and take my money" wins over "shut up". */
    private static Map<String, List<Phrase>> indexPhrases(Set<String> keys) {
        var byFirst = new HashMap<String, List<Phrase>>();
        for (String key : keys) {
            String[] words = key.split(" ");
            byFirst.computeIfAbsent(words[0], k -> new ArrayList<>()).add(new Phrase(words, key));
        }
        var frozen = new HashMap<String, List<Phrase>>();
        byFirst.forEach((first, list) -> {
            list.sort(Comparator.comparingInt((Phrase p) -> p.words().length).reversed());
            frozen.put(first, List.copyOf(list));
        });
        return Map.copyOf(frozen);
    }

    /**
     * Keys keep their case (as in the reference implementation, where an upper-case key such as
     * ":D" can never match a lower-cased token); when a key repeats, the later line wins.
     */
    private static Map<String, Double> loadVader() {
        var map = new HashMap<String, Double>(16_384);
        try (var reader = open(VADER_RESOURCE)) {
            String line;
            while ((line = reader.readLine()) != null) {
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    continue;
                }
                int tab2 = line.indexOf('\t', tab + 1);
                String value = tab2 > 0 ? line.substring(tab + 1, tab2) : line.substring(tab + 1).strip();
                map.put(line.substring(0, tab), Double.parseDouble(value));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VADER_RESOURCE, e);
        }
        return map;
    }

    private static List<String[]> readChatRows() {
        var rows = new ArrayList<String[]>();
        try (var reader = open(CHAT_RESOURCE)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] row = line.split("\t");
                if (row.length < 3) {
                    throw new IllegalStateException(CHAT_RESOURCE + ":" + number + ": expected kind, term, value");
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CHAT_RESOURCE, e);
        }
        return rows;
    }

    private static BufferedReader open(String resource) {
        InputStream in = Lexicons.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("sentiment lexicon resource missing from the classpath: " + resource
                    + " (the VADER lexicon comes from com.github.apanimesh061:vader-sentiment-analyzer:1.0)");
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
