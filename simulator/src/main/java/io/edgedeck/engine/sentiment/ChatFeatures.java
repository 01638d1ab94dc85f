package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatTokenizer.Kind;
import io.edgedeck.engine.sentiment.ChatTokenizer.Token;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link ChatClassifier} sees of a chat line: a sparse vector of hashed features, built from
 * the chat tokenizer's reading (words with stretched letters collapsed, emotes, emoji, phrases).
 * Every family is general, none names a line:
 *
 * <ul>
 *   <li>{@code w}: each word, emote, emoji and phrase (an emote the channel has learned counts only as
 *       a learned emote: its meaning reaches the model through the lexicon's compound); a word inside a negation's scope (after
 *       "not", "never", "no", any n't, up to the clause's end) is a different feature ("n:good");
 *       numbers also count as a number; typed-out laughter as laughter;</li>
 *   <li>{@code b}: pairs of neighbouring tokens ("so mid", "not worth");</li>
 *   <li>{@code c}: letter 3- to 5-grams inside each word, so unseen spellings and slang share
 *       evidence with known ones ("goated", "goat");</li>
 *   <li>{@code f}: the shape of the message: a whole message in caps, "!", a closing "?", an
 *       opening question word, a stretched word, a sarcasm marker, laughter, an @mention, length;</li>
 *   <li>{@code l}: the chat lexicon scorer's compound and which side of the neutral band it is on;</li>
 *   <li>{@code v}: plain VADER's compound and side.</li>
 * </ul>
 *
 * <p>Names are hashed into {@link #DIMENSION} slots (String.hashCode, spread): collisions are rare at
 * this size and cost a little accuracy, never a failure. Immutable and thread-safe.
 */
final class ChatFeatures {

    static final int BITS = 18;
    static final int DIMENSION = 1 << BITS;

    /** Which families a classifier uses. */
    record Families(boolean words, boolean bigrams, boolean chars, boolean shape, boolean lexicon, boolean vader) {
        @Override
        public String toString() {
            var name = new StringBuilder();
            if (words) {
                name.append('w');
            }
            if (bigrams) {
                name.append('b');
            }
            if (chars) {
                name.append('c');
            }
            if (shape) {
                name.append('f');
            }
            if (lexicon) {
                name.append('l');
            }
            if (vader) {
                name.append('v');
            }
            return name.toString();
        }
    }

    /** Sparse features: {@code index[i]} has {@code value[i]}; an index may repeat (the values add up). */
    record Vector(int[] index, float[] value) {}

    private static final Set<String> QUESTION_WORDS = Set.of("what", "whats", "when", "whens", "where", "wheres",
            "who", "whos", "which", "how", "hows", "why", "is", "are", "does", "do", "did", "can", "will", "should",
            "anyone", "any");

    private final Lexicons lex;

    ChatFeatures(Lexicons lex) {
        this.lex = lex;
    }

    /**
     * @param reading       the chat lexicon scorer's reading of the message
     * @param vaderCompound plain VADER's compound of the message
     */
    Vector of(String message, ChatSentimentScorer.Reading reading, Families families, double vaderCompound) {
        List<Token> tokens = reading.tokens();
        var out = new Builder();
        int words = 0;
        int upper = 0;
        boolean negated = false;
        String previous = "<s>";
        boolean laughing = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            // An emote whose meaning this channel has learned is read through its learned valence (the
            // lexicon family), not through what the training lines said of its name.
            String key = reading.learned()[i] ? "e:<learned>" : featureKey(t);
            if (t.kind() == Kind.WORD) {
                words++;
                if (t.upper()) {
                    upper++;
                }
            }
            boolean laugh = lex.laughterMarkers.contains(t.key()) || ChatSpelling.isLaughter(t.key());
            laughing |= laugh;
            if (families.words()) {
                out.add((negated ? "n:" : "w:") + key, 1);
                if (laugh) {
                    out.add("w:<laugh>", 1);
                }
                if (t.kind() == Kind.WORD && hasDigit(key)) {
                    out.add("w:<num>", 1);
                }
            }
            if (families.bigrams()) {
                out.add("b:" + previous + ' ' + key, 1);
            }
            if (families.chars() && t.kind() == Kind.WORD && key.length() >= 3) {
                String padded = '<' + key + '>';
                for (int n = 3; n <= 5; n++) {
                    for (int from = 0; from + n <= padded.length(); from++) {
                        out.add("c:" + padded.substring(from, from + n), 0.2f);
                    }
                }
            }
            if (isNegator(t)) {
                negated = true;
            } else if (t.clauseEnd()) {
                negated = false;
            }
            previous = t.clauseEnd() ? "<c>" : key;
        }
        if (families.bigrams() && !tokens.isEmpty()) {
            out.add("b:" + previous + " </s>", 1);
        }
        if (families.shape()) {
            shape(message, tokens, words, upper, laughing, out);
        }
        if (families.lexicon()) {
            lexicon(reading, out);
        }
        if (families.vader()) {
            side("v", vaderCompound, out);
        }
        return out.build();
    }

    private void shape(String message, List<Token> tokens, int words, int upper, boolean laughing, Builder out) {
        if (words >= 2 && upper == words) {
            out.add("f:shout", 1);
        }
        if (message.indexOf('!') >= 0) {
            out.add("f:!", 1);
        }
        if (message.stripTrailing().endsWith("?")) {
            out.add("f:?", 1);
        }
        if (!tokens.isEmpty() && QUESTION_WORDS.contains(tokens.get(0).key())) {
            out.add("f:qword", 1);
        }
        boolean elongated = false;
        boolean sarcasm = false;
        boolean mention = false;
        int emotes = 0;
        for (Token t : tokens) {
            elongated |= t.elongated();
            sarcasm |= lex.sarcasmMarkers.contains(t.key());
            mention |= t.text().startsWith("@");
            if (t.kind() == Kind.EMOTE || t.kind() == Kind.EMOJI) {
                emotes++;
            }
        }
        if (elongated) {
            out.add("f:stretched", 1);
        }
        if (sarcasm) {
            out.add("f:sarcasm", 1);
        }
        if (laughing) {
            out.add("f:laugh", 1);
        }
        if (mention) {
            out.add("f:mention", 1);
        }
        if (!tokens.isEmpty() && emotes == tokens.size()) {
            out.add("f:reaction-only", 1);
        }
        int n = tokens.size();
        out.add(n <= 1 ? "f:len1" : n <= 3 ? "f:len2-3" : n <= 7 ? "f:len4-7" : "f:len8+", 1);
    }

    /**
     * The lexicon's compound and side, and what lies under them: no signal at all (nothing known,
     * not a balance), positive and negative contributions both present, and the side of the last
     * contribution (where a message lands: "pricey, worth it though").
     */
    private static void lexicon(ChatSentimentScorer.Reading reading, Builder out) {
        side("l", reading.compound(), out);
        if (!reading.signal()) {
            out.add("l:silent", 1);
            return;
        }
        boolean positive = false;
        boolean negative = false;
        double last = 0;
        for (double s : reading.sentiments()) {
            positive |= s > 0;
            negative |= s < 0;
            if (s != 0) {
                last = s;
            }
        }
        if (positive && negative) {
            out.add("l:mixed", 1);
        }
        out.add(last > 0 ? "l:last+" : "l:last-", 1);
    }

    private static void side(String family, double compound, Builder out) {
        out.add(family + ":compound", (float) compound);
        if (compound >= SentimentEvaluation.COMPOUND_NEUTRAL) {
            out.add(family + ":pos", 1);
        } else if (compound <= -SentimentEvaluation.COMPOUND_NEUTRAL) {
            out.add(family + ":neg", 1);
        } else {
            out.add(family + ":neu", 1);
        }
    }

    private boolean isNegator(Token t) {
        String k = t.key();
        return t.kind() == Kind.WORD && (lex.negators.contains(k) || lex.chatNegators.contains(k)
                || k.endsWith("n't") || k.equals("no"));
    }

    private static String featureKey(Token t) {
        return switch (t.kind()) {
            case WORD -> t.text().startsWith("@") ? "<at>" : t.exact() != null ? t.exact()
                    : ChatSpelling.collapse(t.phraseKey(), 2);
            case EMOTE -> "e:" + t.key().toLowerCase(Locale.ROOT);
            case EMOJI -> "j:" + t.key();
            case PHRASE -> "p:" + t.phraseKey();
        };
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static int slot(String name) {
        int h = name.hashCode();
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h & (DIMENSION - 1);
    }

    private static final class Builder {
        private int[] index = new int[64];
        private float[] value = new float[64];
        private int size;

        void add(String name, float v) {
            if (size == index.length) {
                index = Arrays.copyOf(index, size * 2);
                value = Arrays.copyOf(value, size * 2);
            }
            index[size] = slot(name);
            value[size] = v;
            size++;
        }

        Vector build() {
            return new Vector(Arrays.copyOf(index, size), Arrays.copyOf(value, size));
        }
    }
}
