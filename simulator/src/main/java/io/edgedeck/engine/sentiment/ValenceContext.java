package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatTokenizer.Kind;
import io.edgedeck.engine.sentiment.ChatTokenizer.Token;
import java.util.List;

/**
 * VADER's rules for a word's valence in its context, with the chat rules layered on them: "no" and
 * the other negations (spent on the first sentiment word, stopped at a clause's end, with the
 * negated comparative as a superlative), boosters and dampeners before the word, ALL CAPS and
 * whole-message shouting, elongation, "least", trailing intensifiers ("fire af") and comparisons
 * with the past ("used to be good").
 *
 * <p>Immutable: shared by every thread that uses its scorer.
 */
final class ValenceContext {

    /** Half the VADER caps increment: a whole message in caps is chat's normal register for hype or rage. */
    private static final double SHOUT_INCR = VaderRules.C_INCR / 2;

    private final boolean chat;
    private final Lexicons lex;
    private final TokenValence words;

    ValenceContext(boolean chat, Lexicons lex, TokenValence words) {
        this.chat = chat;
        this.lex = lex;
        this.words = words;
    }

    double valenceInContext(List<Token> tokens, int i, double base, boolean capDiff, boolean shouting) {
        Token t = tokens.get(i);
        double v = base;
        int n = tokens.size();
        int reach = words.reach(tokens, i);
        if (t.key().equals("no") && i != n - 1 && words.hasValence(tokens, i + 1) && !(chat && t.clauseEnd())) {
            v = 0.0;
        }
        // An emote is a reaction, not a claim: "no scope KEKW" laughs; nothing negates it.
        boolean negatable = !(chat && t.kind() == Kind.EMOTE);
        if (negatable && ((reach >= 1 && TokenValence.key(tokens, i - 1).equals("no"))
                || (reach >= 2 && TokenValence.key(tokens, i - 2).equals("no") && !blocked(tokens, i - 2, i))
                || (reach >= 3 && TokenValence.key(tokens, i - 3).equals("no") && !blocked(tokens, i - 3, i)
                        && (TokenValence.key(tokens, i - 1).equals("or") || TokenValence.key(tokens, i - 1).equals("nor"))))) {
            v = base * VaderRules.N_SCALAR;
        }
        if (words.countsForCaps(t) && t.upper()) {
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
            if (!words.hasValence(tokens, j) || (chat && words.actsAsBooster(tokens, j))) {
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
        if (chat) {
            if (i + 1 < n) {
                Double after = lex.afterBoosters.get(TokenValence.key(tokens, i + 1));
                if (after != null) {
                    v += v > 0 ? after : -after;
                }
            }
            if (v > 0 && (ChatRules.COMPARATIVES.contains(t.key()) && pastBefore(tokens, i) || usedTo(tokens, i))) {
                v *= VaderRules.N_SCALAR;
            }
            if (i > 0 && i + 1 < n && TokenValence.key(tokens, i - 1).equals("less") && TokenValence.key(tokens, i + 1).equals("than")) {
                v *= VaderRules.N_SCALAR;
            }
        }
        return v;
    }

    /** "the old design was better", "last year was way better": praise of the past is a complaint about now. */
    static boolean pastBefore(List<Token> tokens, int i) {
        for (int k = i - 1; k >= 0 && !tokens.get(k).clauseEnd(); k--) {
            if (ChatRules.PAST.contains(TokenValence.key(tokens, k)) || TokenValence.key(tokens, k).equals("than")) {
                return ChatRules.PAST.contains(TokenValence.key(tokens, k));
            }
        }
        return false;
    }

    /** "used to be good": what was good is no longer. */
    static boolean usedTo(List<Token> tokens, int i) {
        for (int k = i - 1; k > 0 && !tokens.get(k).clauseEnd(); k--) {
            if (TokenValence.key(tokens, k).equals("to") && TokenValence.key(tokens, k - 1).equals("used") && !tokens.get(k - 1).clauseEnd()) {
                return true;
            }
        }
        return false;
    }

    /**
     * In chat a negation is spent on the first sentiment word after it: in "not fire it's mid" the
     * "not" is fire's, not mid's. True when a word with sentiment stands between {@code j} and
     * {@code i}. Emoji neither spend a negation nor escape it: they echo the word before them
     * ("not fire 🔥").
     */
    boolean blocked(List<Token> tokens, int j, int i) {
        if (!chat || tokens.get(i).kind() == Kind.EMOJI) {
            return false;
        }
        for (int k = j + 1; k < i; k++) {
            if (tokens.get(k).kind() != Kind.EMOJI && words.hasValence(tokens, k) && !words.actsAsBooster(tokens, k)
                    && !words.negatedOnly(tokens.get(k))) {
                return true;
            }
        }
        return false;
    }

    double scalarIncDec(Token t, double valence, boolean capDiff) {
        double scalar = words.boosterOf(t);
        if (scalar == 0.0) {
            return 0.0;
        }
        if (valence < 0) {
            scalar = -scalar;
        }
        if (t.upper() && capDiff && words.countsForCaps(t)) {
            scalar += valence > 0 ? VaderRules.C_INCR : -VaderRules.C_INCR;
        }
        return scalar;
    }

    /** Negation at {@code j} reaches the word at {@code i}, unless chat rules say it is spent or an idiom. */
    boolean negates(List<Token> tokens, int j, int i) {
        if (!words.negated(TokenValence.key(tokens, j))) {
            return false;
        }
        if (!chat) {
            return true;
        }
        if (blocked(tokens, j, i) || tokens.get(i).kind() == Kind.EMOTE
                || j + 1 < i && ChatRules.NEGATION_LEAD_INS.contains(TokenValence.key(tokens, j + 1))) {
            return false;
        }
        // "couldn't be happier", "can't get any better": the negated comparative is a superlative.
        if (ChatRules.COMPARATIVES.contains(TokenValence.key(tokens, i))) {
            for (int k = j + 1; k < i; k++) {
                if (ChatRules.COMPARATIVE_IDIOM.contains(TokenValence.key(tokens, k))) {
                    return false;
                }
            }
        }
        return true;
    }

    double negationCheck(List<Token> tokens, double valence, int startI, int i) {
        if (startI == 0) {
            return negates(tokens, i - 1, i) ? valence * VaderRules.N_SCALAR : valence;
        }
        if (startI == 1) {
            if (TokenValence.key(tokens, i - 2).equals("never") && (TokenValence.key(tokens, i - 1).equals("so") || TokenValence.key(tokens, i - 1).equals("this"))) {
                return valence * 1.25;
            }
            if (TokenValence.key(tokens, i - 2).equals("without") && TokenValence.key(tokens, i - 1).equals("doubt")) {
                return valence;
            }
            return negates(tokens, i - 2, i) ? valence * VaderRules.N_SCALAR : valence;
        }
        if ((TokenValence.key(tokens, i - 3).equals("never") && (TokenValence.key(tokens, i - 2).equals("so") || TokenValence.key(tokens, i - 2).equals("this")))
                || TokenValence.key(tokens, i - 1).equals("so") || TokenValence.key(tokens, i - 1).equals("this")) {
            return valence * 1.25;
        }
        if (TokenValence.key(tokens, i - 3).equals("without") && (TokenValence.key(tokens, i - 2).equals("doubt") || TokenValence.key(tokens, i - 1).equals("doubt"))) {
            return valence;
        }
        return negates(tokens, i - 3, i) ? valence * VaderRules.N_SCALAR : valence;
    }

    double leastCheck(List<Token> tokens, double valence, int i) {
        if (i > 1 && !words.hasValence(tokens, i - 1) && TokenValence.key(tokens, i - 1).equals("least")) {
            String before = TokenValence.key(tokens, i - 2);
            return before.equals("at") || before.equals("very") ? valence : valence * VaderRules.N_SCALAR;
        }
        if (i > 0 && !words.hasValence(tokens, i - 1) && TokenValence.key(tokens, i - 1).equals("least")) {
            return valence * VaderRules.N_SCALAR;
        }
        return valence;
    }
}
