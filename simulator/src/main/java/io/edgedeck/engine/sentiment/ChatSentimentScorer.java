package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatTokenizer.Kind;
import io.edgedeck.engine.sentiment.ChatTokenizer.Token;
import java.util.List;

/**
 * Rule-based sentiment for live-stream chat, after VADER (C.J. Hutto and E. Gilbert, "VADER: A
 * Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014).
 *
 * <p>The VADER rules (lexicon valences, negation, boosters and dampeners, ALL CAPS emphasis,
 * "but", "least", "!" and "?" emphasis, normalisation to [-1, 1]) are applied over the VADER
 * lexicon. The chat scorer adds EdgeDeck's chat lexicon (emotes, slang, emoji, phrases) and chat
 * rules: elongated words, whole-message shouting, trailing intensifiers ("fire af"), words that
 * only count at the end of a clause ("this drop is mid"), and sarcasm markers. See
 * {@code docs/SENTIMENT.md}.
 *
 * <p>Instances hold no mutable state: one scorer may be shared by any number of threads.
 */
public final class ChatSentimentScorer {

    private static final double SQRT_ALPHA = Math.sqrt(15.0);
    /** Half the VADER caps increment: a whole message in caps is chat's normal register for hype or rage. */
    private static final double SHOUT_INCR = VaderRules.C_INCR / 2;
    private static final double SARCASM_SCALAR = -0.5;

    private final boolean chat;
    private final Lexicons lex;

    /** The chat scorer: VADER plus the chat lexicon and chat rules. */
    public ChatSentimentScorer() {
        this(true);
    }

    private ChatSentimentScorer(boolean chat) {
        this.chat = chat;
        this.lex = Lexicons.get();
    }

    /** VADER's lexicon and rules only: the baseline the chat scorer is measured against. */
    public static ChatSentimentScorer plainVader() {
        return new ChatSentimentScorer(false);
    }

    /**
     * @return the compound score in [-1, 1]; 0 for null, empty or sentiment-free text. Never NaN,
     *     never throws on any string.
     */
    public double compound(String message) {
        if (message == null || message.isEmpty()) {
            return 0.0;
        }
        List<Token> tokens = ChatTokenizer.tokenize(message, chat, lex);
        int n = tokens.size();
        if (n == 0) {
            return 0.0;
        }
        int words = 0;
        int upperWords = 0;
        boolean sarcastic = false;
        for (Token t : tokens) {
            if (countsForCaps(t)) {
                words++;
                if (t.upper()) {
                    upperWords++;
                }
            }
            if (chat && lex.sarcasmMarkers.contains(t.key())) {
                sarcastic = true;
            }
        }
        boolean capDiff = upperWords > 0 && upperWords < words;
        boolean shouting = chat && words >= 2 && upperWords == words;
        int wordTokens = chat ? wordTokens(tokens) : n;

        double[] sentiments = new double[n];
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            if (actsAsBooster(tokens, i) || (chat && lex.afterBoosters.containsKey(t.key()))) {
                continue;
            }
            double base = valence(tokens, i, wordTokens);
            if (Double.isNaN(base)) {
                continue;
            }
            sentiments[i] = valenceInContext(tokens, i, base, capDiff, shouting);
            if (sarcastic && sentiments[i] > 0 && !lex.sarcasmMarkers.contains(t.key())) {
                sentiments[i] *= SARCASM_SCALAR;
            }
        }
        butCheck(tokens, sentiments);

        double sum = 0;
        for (double s : sentiments) {
            sum += s;
        }
        double emphasis = punctuationEmphasis(message);
        if (sum > 0) {
            sum += emphasis;
        } else if (sum < 0) {
            sum -= emphasis;
        }
        return normalize(sum);
    }

    private double valenceInContext(List<Token> tokens, int i, double base, boolean capDiff, boolean shouting) {
        Token t = tokens.get(i);
        double v = base;
        int n = tokens.size();
        int reach = reach(tokens, i);
        if (t.key().equals("no") && i != n - 1 && hasValence(tokens, i + 1) && !(chat && t.clauseEnd())) {
            v = 0.0;
        }
        if ((reach >= 1 && key(tokens, i - 1).equals("no"))
                || (reach >= 2 && key(tokens, i - 2).equals("no"))
                || (reach >= 3 && key(tokens, i - 3).equals("no")
                        && (key(tokens, i - 1).equals("or") || key(tokens, i - 1).equals("nor")))) {
            v = base * VaderRules.N_SCALAR;
        }
        if (countsForCaps(t) && t.upper()) {
            if (capDiff) {
                v += v > 0 ? VaderRules.C_INCR : -VaderRules.C_INCR;
            } else if (shouting) {
                v += v > 0 ? SHOUT_INCR : -SHOUT_INCR;
            }
        }
        if (chat && t.elongated()) {
            v += v > 0 ? Lexicons.B_INCR : -Lexicons.B_INCR;
        }
        for (int startI = 0; startI < reach; startI++) {
            int j = i - (startI + 1);
            if (!hasValence(tokens, j) || (chat && actsAsBooster(tokens, j))) {
                double s = scalarIncDec(tokens.get(j), v, capDiff);
                if (startI == 1) {
                    s *= 0.95;
                } else if (startI == 2) {
                    s *= 0.9;
                }
                v += s;
                v = negationCheck(tokens, v, startI, i);
            }
        }
        v = leastCheck(tokens, v, i);
        if (chat && i + 1 < n) {
            Double after = lex.afterBoosters.get(key(tokens, i + 1));
            if (after != null) {
                v += v > 0 ? after : -after;
            }
        }
        return v;
    }

    /**
     * How many tokens back negations and boosters reach: three, as in VADER; in chat the reach
     * also stops at the end of the previous clause, so "not mid, it's fire" keeps its fire.
     */
    private int reach(List<Token> tokens, int i) {
        int reach = Math.min(3, i);
        if (chat) {
            for (int back = 1; back <= reach; back++) {
                if (tokens.get(i - back).clauseEnd()) {
                    return back - 1;
                }
            }
        }
        return reach;
    }

    /** NaN when the token carries no sentiment of its own (so it may act as a modifier instead). */
    private double valence(List<Token> tokens, int i, int wordTokens) {
        Token t = tokens.get(i);
        if (chat) {
            switch (t.kind()) {
                case EMOJI -> {
                    Double v = lex.emoji.get(t.key());
                    return v == null ? Double.NaN : v;
                }
                case EMOTE -> {
                    return lex.emotes.get(t.key());
                }
                case PHRASE -> {
                    Double v = lex.chatPhrases.get(t.key());
                    if (v != null) {
                        return lex.afterBoosters.containsKey(t.key()) || lex.sarcasmMarkers.contains(t.key())
                                ? Double.NaN : v;
                    }
                }
                case WORD -> {
                    if (t.exact() != null) {
                        Lexicons.ChatWord w = lex.exactWords.get(t.exact());
                        if (!w.aloneOnly() || wordTokens == 1) {
                            return w.valence();
                        }
                    }
                    Lexicons.ChatWord w = lex.chatWords.get(t.key());
                    if (w != null && (!w.aloneOnly() || wordTokens == 1)
                            && (!w.clauseEndOnly() || endsClause(tokens, i))) {
                        return w.valence();
                    }
                }
            }
        }
        if (t.kind() == Kind.PHRASE) {
            Double v = lex.vaderPhrases.get(t.key());
            return v == null ? Double.NaN : v;
        }
        Double v = lex.vader.get(t.key());
        return v == null ? Double.NaN : v;
    }

    /** "this drop is mid", "mid af", "mid 💀" end a clause; "mid stream" and "mid?" do not. */
    private boolean endsClause(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        if (t.question()) {
            return false;
        }
        if (t.clauseEnd() || i == tokens.size() - 1) {
            return true;
        }
        Token next = tokens.get(i + 1);
        return next.kind() == Kind.EMOJI || next.kind() == Kind.EMOTE
                || lex.afterBoosters.containsKey(next.key())
                || next.key().equals("tbh") || next.key().equals("ngl") || next.key().equals("honestly")
                || next.key().equals("lol") || next.key().equals("lmao");
    }

    private boolean hasValence(List<Token> tokens, int j) {
        Token t = tokens.get(j);
        if (!chat) {
            return t.kind() == Kind.PHRASE ? lex.vaderPhrases.containsKey(t.key()) : lex.vader.containsKey(t.key());
        }
        return switch (t.kind()) {
            case EMOJI -> lex.emoji.containsKey(t.key());
            case EMOTE -> true;
            case PHRASE -> lex.chatPhrases.containsKey(t.key()) || lex.vaderPhrases.containsKey(t.key());
            case WORD -> t.exact() != null || lex.chatWords.containsKey(t.key()) || lex.vader.containsKey(t.key());
        };
    }

    /**
     * VADER's boosters never carry sentiment themselves. A chat booster that is also a sentiment
     * word ("mad", "huge") only boosts when a sentiment word follows: "mad hype" but "not even mad".
     */
    private boolean actsAsBooster(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        if (lex.boosters.containsKey(t.key())) {
            return true;
        }
        if (!chat || !lex.chatBoosters.containsKey(t.key())) {
            return false;
        }
        boolean ownSentiment = lex.vader.containsKey(t.key()) || lex.chatWords.containsKey(t.key());
        return !ownSentiment || (i + 1 < tokens.size() && !t.clauseEnd() && hasValence(tokens, i + 1));
    }

    private double boosterOf(Token t) {
        Double b = lex.boosters.get(t.key());
        if (b == null && chat) {
            b = lex.chatBoosters.get(t.key());
        }
        return b == null ? 0.0 : b;
    }

    private double scalarIncDec(Token t, double valence, boolean capDiff) {
        double scalar = boosterOf(t);
        if (scalar == 0.0) {
            return 0.0;
        }
        if (valence < 0) {
            scalar = -scalar;
        }
        if (t.upper() && capDiff && countsForCaps(t)) {
            scalar += valence > 0 ? VaderRules.C_INCR : -VaderRules.C_INCR;
        }
        return scalar;
    }

    private boolean negated(String word) {
        return lex.negators.contains(word) || word.contains("n't") || (chat && lex.chatNegators.contains(word));
    }

    private double negationCheck(List<Token> tokens, double valence, int startI, int i) {
        if (startI == 0) {
            return negated(key(tokens, i - 1)) ? valence * VaderRules.N_SCALAR : valence;
        }
        if (startI == 1) {
            if (key(tokens, i - 2).equals("never") && (key(tokens, i - 1).equals("so") || key(tokens, i - 1).equals("this"))) {
                return valence * 1.25;
            }
            if (key(tokens, i - 2).equals("without") && key(tokens, i - 1).equals("doubt")) {
                return valence;
            }
            return negated(key(tokens, i - 2)) ? valence * VaderRules.N_SCALAR : valence;
        }
        if ((key(tokens, i - 3).equals("never") && (key(tokens, i - 2).equals("so") || key(tokens, i - 2).equals("this")))
                || key(tokens, i - 1).equals("so") || key(tokens, i - 1).equals("this")) {
            return valence * 1.25;
        }
        if (key(tokens, i - 3).equals("without") && (key(tokens, i - 2).equals("doubt") || key(tokens, i - 1).equals("doubt"))) {
            return valence;
        }
        return negated(key(tokens, i - 3)) ? valence * VaderRules.N_SCALAR : valence;
    }

    private double leastCheck(List<Token> tokens, double valence, int i) {
        if (i > 1 && !hasValence(tokens, i - 1) && key(tokens, i - 1).equals("least")) {
            String before = key(tokens, i - 2);
            return before.equals("at") || before.equals("very") ? valence : valence * VaderRules.N_SCALAR;
        }
        if (i > 0 && !hasValence(tokens, i - 1) && key(tokens, i - 1).equals("least")) {
            return valence * VaderRules.N_SCALAR;
        }
        return valence;
    }

    /** What follows "but" is what the writer means: it counts 1.5x, what precedes it 0.5x. */
    private static void butCheck(List<Token> tokens, double[] sentiments) {
        for (int b = 0; b < tokens.size(); b++) {
            if (tokens.get(b).key().equals("but")) {
                for (int i = 0; i < sentiments.length; i++) {
                    if (i < b) {
                        sentiments[i] *= 0.5;
                    } else if (i > b) {
                        sentiments[i] *= 1.5;
                    }
                }
                return;
            }
        }
    }

    private boolean countsForCaps(Token t) {
        if (!chat) {
            return true;
        }
        return t.kind() != Kind.EMOJI && t.kind() != Kind.EMOTE && t.exact() == null && t.text().length() > 1;
    }

    private static int wordTokens(List<Token> tokens) {
        int count = 0;
        for (Token t : tokens) {
            if (t.kind() != Kind.EMOJI) {
                count++;
            }
        }
        return count;
    }

    private static String key(List<Token> tokens, int i) {
        return tokens.get(i).key();
    }

    private static double punctuationEmphasis(String text) {
        int exclamations = 0;
        int questions = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '!') {
                exclamations++;
            } else if (c == '?') {
                questions++;
            }
        }
        double emphasis = Math.min(exclamations, 4) * 0.292;
        if (questions > 1) {
            emphasis += questions <= 3 ? questions * 0.18 : 0.96;
        }
        return emphasis;
    }

    private static double normalize(double score) {
        if (Double.isNaN(score)) {
            return 0.0;
        }
        // hypot rather than sqrt(x*x + alpha): no overflow to Infinity on absurdly long messages.
        double normalized = Double.isInfinite(score) ? Math.signum(score) : score / Math.hypot(score, SQRT_ALPHA);
        return Math.max(-1.0, Math.min(1.0, normalized));
    }
}
