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
 * <p>Features are hashed as they are read, with no string built for them: a token's hash (its
 * kind and {@code String.hashCode}) mixed with its family's, a pair from its two tokens' hashes, a
 * letter n-gram from its letters; then spread into {@link #DIMENSION} slots. Collisions are rare at
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

    // Families of features: a feature is mix(family, hash of its value).
    private static final int WORD = 1;
    private static final int NEGATED = 2;
    private static final int BIGRAM = 3;
    private static final int LETTERS = 4;
    private static final int NAMED = 5;
    /** Token hashes for what is not a token: the message's start and end, a clause's end, a learned emote. */
    private static final int START = named("<s>");
    private static final int END = named("</s>");
    private static final int CLAUSE = named("<c>");
    private static final int LEARNED_EMOTE = named("e:<learned>");
    private static final int LAUGH_WORD = named("w:<laugh>");
    private static final int NUMBER_WORD = named("w:<num>");
    private static final int SHOUT = named("f:shout");
    private static final int EXCLAIM = named("f:!");
    private static final int ASKS = named("f:?");
    private static final int QUESTION_WORD = named("f:qword");
    private static final int STRETCHED = named("f:stretched");
    private static final int SARCASM = named("f:sarcasm");
    private static final int LAUGHS = named("f:laugh");
    private static final int MENTION = named("f:mention");
    private static final int REACTION_ONLY = named("f:reaction-only");
    private static final int[] LENGTH = {named("f:len1"), named("f:len2-3"), named("f:len4-7"), named("f:len8+")};
    private static final int SILENT = named("l:silent");
    private static final int MIXED = named("l:mixed");
    private static final int LAST_POSITIVE = named("l:last+");
    private static final int LAST_NEGATIVE = named("l:last-");
    private static final int[] LEXICON_SIDE = sides("l");
    private static final int[] VADER_SIDE = sides("v");

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
        int previous = START;
        boolean laughing = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            // An emote whose meaning this channel has learned is read through its learned valence (the
            // lexicon family), not through what the training lines said of its name.
            String text = reading.learned()[i] ? null : featureText(t);
            int key = text == null ? LEARNED_EMOTE : kindSeed(t) * 0x9E3779B9 + text.hashCode();
            if (t.kind() == Kind.WORD) {
                words++;
                if (t.upper()) {
                    upper++;
                }
            }
            boolean laugh = lex.laughterMarkers.contains(t.key()) || ChatSpelling.isLaughter(t.key());
            laughing |= laugh;
            if (families.words()) {
                out.add(mix(negated ? NEGATED : WORD, key), 1);
                if (laugh) {
                    out.add(LAUGH_WORD, 1);
                }
                if (t.kind() == Kind.WORD && text != null && hasDigit(text)) {
                    out.add(NUMBER_WORD, 1);
                }
            }
            if (families.bigrams()) {
                out.add(mix(BIGRAM, previous * 31 + key), 1);
            }
            if (families.chars() && t.kind() == Kind.WORD && text != null && text.length() >= 3) {
                letterGrams(text, out);
            }
            if (isNegator(t)) {
                negated = true;
            } else if (t.clauseEnd()) {
                negated = false;
            }
            previous = t.clauseEnd() ? CLAUSE : key;
        }
        if (families.bigrams() && !tokens.isEmpty()) {
            out.add(mix(BIGRAM, previous * 31 + END), 1);
        }
        if (families.shape()) {
            shape(message, tokens, words, upper, laughing, out);
        }
        if (families.lexicon()) {
            lexicon(reading, out);
        }
        if (families.vader()) {
            side(VADER_SIDE, vaderCompound, out);
        }
        return out.build();
    }

    /** Letter 3- to 5-grams of a word padded with '<' and '>', hashed as they are read: no substring is made. */
    private static void letterGrams(String word, Builder out) {
        int padded = word.length() + 2;
        for (int n = 3; n <= 5; n++) {
            for (int from = 0; from + n <= padded; from++) {
                int h = n;
                for (int i = from; i < from + n; i++) {
                    char c = i == 0 ? '<' : i == padded - 1 ? '>' : word.charAt(i - 1);
                    h = h * 31 + c;
                }
                out.add(mix(LETTERS, h), 0.2f);
            }
        }
    }

    private void shape(String message, List<Token> tokens, int words, int upper, boolean laughing, Builder out) {
        if (words >= 2 && upper == words) {
            out.add(SHOUT, 1);
        }
        if (message.indexOf('!') >= 0) {
            out.add(EXCLAIM, 1);
        }
        if (message.stripTrailing().endsWith("?")) {
            out.add(ASKS, 1);
        }
        if (!tokens.isEmpty() && QUESTION_WORDS.contains(tokens.get(0).key())) {
            out.add(QUESTION_WORD, 1);
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
            out.add(STRETCHED, 1);
        }
        if (sarcasm) {
            out.add(SARCASM, 1);
        }
        if (laughing) {
            out.add(LAUGHS, 1);
        }
        if (mention) {
            out.add(MENTION, 1);
        }
        if (!tokens.isEmpty() && emotes == tokens.size()) {
            out.add(REACTION_ONLY, 1);
        }
        int n = tokens.size();
        out.add(n <= 1 ? LENGTH[0] : n <= 3 ? LENGTH[1] : n <= 7 ? LENGTH[2] : LENGTH[3], 1);
    }

    /**
     * The lexicon's compound and side, and what lies under them: no signal at all (nothing known,
     * not a balance), positive and negative contributions both present, and the side of the last
     * contribution (where a message lands: "pricey, worth it though").
     */
    private static void lexicon(ChatSentimentScorer.Reading reading, Builder out) {
        side(LEXICON_SIDE, reading.compound(), out);
        if (!reading.signal()) {
            out.add(SILENT, 1);
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
            out.add(MIXED, 1);
        }
        out.add(last > 0 ? LAST_POSITIVE : LAST_NEGATIVE, 1);
    }

    /** {@code slots}: the compound's own slot, then positive, negative, neutral. */
    private static void side(int[] slots, double compound, Builder out) {
        out.add(slots[0], (float) compound);
        if (compound >= SentimentEvaluation.COMPOUND_NEUTRAL) {
            out.add(slots[1], 1);
        } else if (compound <= -SentimentEvaluation.COMPOUND_NEUTRAL) {
            out.add(slots[2], 1);
        } else {
            out.add(slots[3], 1);
        }
    }

    private boolean isNegator(Token t) {
        String k = t.key();
        return t.kind() == Kind.WORD && (lex.negators.contains(k) || lex.chatNegators.contains(k)
                || k.endsWith("n't") || k.equals("no"));
    }

    /** What names a token, apart from its kind (which {@link #kindSeed} adds). */
    private static String featureText(Token t) {
        return switch (t.kind()) {
            case WORD -> t.text().startsWith("@") ? "<at>" : t.exact() != null ? t.exact()
                    : ChatSpelling.collapse(t.phraseKey(), 2);
            case EMOTE -> t.key().toLowerCase(Locale.ROOT);
            case EMOJI, PHRASE -> t.kind() == Kind.EMOJI ? t.key() : t.phraseKey();
        };
    }

    private static int kindSeed(Token t) {
        return t.kind().ordinal() + 1;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A feature's hash from its family and its value's hash, spread over all 32 bits. */
    static int mix(int family, int value) {
        int h = family * 0x9E3779B9 + value;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /** The slot of a feature hash among {@link #DIMENSION}. */
    static int slot(int hash) {
        return hash & (DIMENSION - 1);
    }

    /** A fixed feature (a shape or a lexicon reading), hashed once. */
    private static int named(String name) {
        return mix(NAMED, name.hashCode());
    }

    private static int[] sides(String family) {
        return new int[]{named(family + ":compound"), named(family + ":pos"), named(family + ":neg"), named(family + ":neu")};
    }

    private static final class Builder {
        private int[] index = new int[64];
        private float[] value = new float[64];
        private int size;

        void add(int hash, float v) {
            if (size == index.length) {
                index = Arrays.copyOf(index, size * 2);
                value = Arrays.copyOf(value, size * 2);
            }
            index[size] = slot(hash);
            value[size] = v;
            size++;
        }

        Vector build() {
            return new Vector(Arrays.copyOf(index, size), Arrays.copyOf(value, size));
        }
    }
}
