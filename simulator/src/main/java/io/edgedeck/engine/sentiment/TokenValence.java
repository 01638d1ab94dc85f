package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatTokenizer.Kind;
import io.edgedeck.engine.sentiment.ChatTokenizer.Token;
import java.util.List;

/**
 * What one token of a message carries on its own: its valence from the chat lexicon (read in its
 * chat sense only where the chat rules allow: at a clause's end, alone, about the writer, after a
 * negation) or from VADER's, whether it is a booster or a negation, and how far back a negation or
 * booster reaches it. {@link ValenceContext} adjusts these valences for their neighbours.
 *
 * <p>Immutable: shared by every thread that uses its scorer.
 */
final class TokenValence {

    private final boolean chat;
    private final Lexicons lex;

    /** @param chat whether the chat lexicon and rules apply (false: plain VADER) */
    TokenValence(boolean chat, Lexicons lex) {
        this.chat = chat;
        this.lex = lex;
    }

    /** The name an emote token is known by: the lexicon's spelling, or as the platform marked it. */
    String emoteName(Token t) {
        String spelling = lex.emoteSpelling.get(t.key());
        return spelling != null ? spelling : t.text();
    }

    /**
     * How many tokens back negations and boosters reach: three, as in VADER; in chat the reach
     * also stops at the end of the previous clause, so "not mid, it's fire" keeps its fire.
     */
    int reach(List<Token> tokens, int i) {
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

    /** The chat lexicon's valence for the token here, or NaN to fall back on VADER's. */
    double chatValence(List<Token> tokens, int i, int wordTokens, boolean laughing, EmoteValences emotes) {
        Token t = tokens.get(i);
        switch (t.kind()) {
            case EMOJI -> {
                Double v = lex.emoji.get(t.key());
                return v == null ? Double.NaN : v;
            }
            case EMOTE -> {
                return emotes.valence(emoteName(t), lex.emotes.get(t.key()));
            }
            case PHRASE -> {
                Double v = lex.chatPhrases.get(t.key());
                if (v != null) {
                    return lex.afterBoosters.containsKey(t.key()) || lex.sarcasmMarkers.contains(t.key())
                            ? Double.NaN : v;
                }
                return Double.NaN;
            }
            case WORD -> {
                if (t.exact() != null) {
                    Lexicons.ChatWord w = lex.exactWords.get(t.exact());
                    if (!w.aloneOnly() || wordTokens == 1) {
                        return w.valence();
                    }
                }
                Double laugh = lex.laughIdioms.get(t.key());
                if (laugh != null && laughing && aboutTheWriter(tokens, i)) {
                    return laugh;
                }
                Double rating = rating(t.key());
                if (rating != null) {
                    return rating;
                }
                Lexicons.ChatWord w = lex.chatWords.get(t.key());
                if (w == null) {
                    return Double.NaN;
                }
                if (w.hype()) {
                    // "that flick was insane" is praise, "80 for a tee is insane" a complaint about the price.
                    if (priceInClause(tokens, i)) {
                        return -Math.abs(w.valence());
                    }
                    return endsClause(tokens, i) ? w.valence() : Double.NaN;
                }
                if (w.aloneOnly() && wordTokens != 1
                        || w.clauseEndOnly() && !endsClause(tokens, i)
                        || w.notSelf() && writerBefore(tokens, i)
                        || w.selfOnly() && !aboutTheWriter(tokens, i)) {
                    // Not in its chat sense here: VADER's everyday meaning applies, if it has one.
                    return Double.NaN;
                }
                if (w.negatedOnly()) {
                    return failureAt(tokens, i) ? w.valence() : Double.NaN;
                }
                return w.valence();
            }
        }
        return Double.NaN;
    }

    double vaderValence(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        if (t.kind() == Kind.PHRASE) {
            Double v = lex.vaderPhrases.get(t.key());
            return v == null ? Double.NaN : v;
        }
        if (t.kind() == Kind.EMOTE && chat) {
            return Double.NaN;
        }
        Double v = lex.vader.get(t.key());
        return v == null ? Double.NaN : v;
    }

    /** "10/10", "11/10", "2/10": a rating out of ten on VADER's scale, capped at +-3. */
    static Double rating(String key) {
        int slash = key.indexOf('/');
        if (slash < 1 || slash > 2 || !key.endsWith("/10") || key.length() != slash + 3) {
            return null;
        }
        int score = 0;
        for (int k = 0; k < slash; k++) {
            char c = key.charAt(k);
            if (c < '0' || c > '9') {
                return null;
            }
            score = score * 10 + (c - '0');
        }
        return Math.max(-3.0, Math.min(3.0, (score - 5.5) * 0.7));
    }

    /** "dead", "bro i'm literally crying", "just copped": every word of the clause before it is about the writer. */
    static boolean aboutTheWriter(List<Token> tokens, int i) {
        for (int k = i - 1; k >= 0 && !tokens.get(k).clauseEnd(); k--) {
            if (!ChatRules.SELF.contains(key(tokens, k))) {
                return false;
            }
        }
        return true;
    }

    /** "i'm so sick", "feeling sick": the writer is the subject within two words before. */
    static boolean writerBefore(List<Token> tokens, int i) {
        for (int k = i - 1; k >= Math.max(0, i - 2) && !tokens.get(k).clauseEnd(); k--) {
            if (ChatRules.WRITER.contains(key(tokens, k))) {
                return true;
            }
        }
        return false;
    }

    boolean negatedOnly(Token t) {
        if (t.kind() != Kind.WORD) {
            return false;
        }
        Lexicons.ChatWord w = lex.chatWords.get(t.key());
        return w != null && w.negatedOnly();
    }

    /**
     * "won't load", "never arrived", "can't even hear": a function verb right after a negation, with
     * no sentiment after it in its clause ("don't see any lag" is about the lag; "don't need to see
     * it" is no failure).
     */
    boolean failureAt(List<Token> tokens, int i) {
        int reach = reach(tokens, i);
        boolean negated = reach >= 1 && negated(key(tokens, i - 1))
                || reach >= 2 && negated(key(tokens, i - 2)) && ChatRules.FAILURE_ADVERBS.contains(key(tokens, i - 1));
        if (!negated) {
            return false;
        }
        for (int k = i + 1; k < tokens.size(); k++) {
            if (hasValence(tokens, k) && !negatedOnly(tokens.get(k)) && !actsAsBooster(tokens, k)) {
                return false;
            }
            if (tokens.get(k).clauseEnd()) {
                break;
            }
        }
        return true;
    }

    /** Whether the clause of the token at {@code i} names money: a price word, or an amount ("80", "$40", "25€"). */
    static boolean priceInClause(List<Token> tokens, int i) {
        int start = i;
        while (start > 0 && !tokens.get(start - 1).clauseEnd()) {
            start--;
        }
        for (int k = start; k < tokens.size(); k++) {
            String word = key(tokens, k);
            if (ChatRules.PRICE_WORDS.contains(word) || amount(word)) {
                return true;
            }
            if (k >= i && tokens.get(k).clauseEnd()) {
                break;
            }
        }
        return false;
    }

    /** "80", "$40", "25€", "1.5k": a number, with or without a currency sign or a k. */
    private static boolean amount(String word) {
        boolean digit = false;
        for (int k = 0; k < word.length(); k++) {
            char c = word.charAt(k);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if ("$€£.,k".indexOf(c) < 0) {
                return false;
            }
        }
        return digit;
    }

    /** "this drop is mid", "mid af", "mid 💀" end a clause; "mid stream" and "mid?" do not. */
    boolean endsClause(List<Token> tokens, int i) {
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

    boolean hasValence(List<Token> tokens, int j) {
        Token t = tokens.get(j);
        if (!chat) {
            return t.kind() == Kind.PHRASE ? lex.vaderPhrases.containsKey(t.key()) : lex.vader.containsKey(t.key());
        }
        return switch (t.kind()) {
            case EMOJI -> lex.emoji.containsKey(t.key());
            case EMOTE -> true;
            case PHRASE -> lex.chatPhrases.containsKey(t.key()) || lex.vaderPhrases.containsKey(t.key());
            case WORD -> t.exact() != null || lex.chatWords.containsKey(t.key()) || lex.vader.containsKey(t.key())
                    || rating(t.key()) != null;
        };
    }

    /**
     * VADER's boosters never carry sentiment themselves. A chat booster that is also a sentiment
     * word ("mad", "huge") only boosts when a sentiment word follows: "mad hype" but "not even mad".
     */
    boolean actsAsBooster(List<Token> tokens, int i) {
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

    double boosterOf(Token t) {
        Double b = lex.boosters.get(t.key());
        if (b == null && chat) {
            b = lex.chatBoosters.get(t.key());
        }
        return b == null ? 0.0 : b;
    }

    boolean negated(String word) {
        return lex.negators.contains(word) || word.contains("n't") || (chat && lex.chatNegators.contains(word));
    }

    boolean countsForCaps(Token t) {
        if (!chat) {
            return true;
        }
        return t.kind() != Kind.EMOJI && t.kind() != Kind.EMOTE && t.exact() == null && t.text().length() > 1;
    }

    static String key(List<Token> tokens, int i) {
        return tokens.get(i).key();
    }
}
