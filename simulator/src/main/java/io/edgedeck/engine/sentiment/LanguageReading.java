package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatTokenizer.Kind;
import io.edgedeck.engine.sentiment.ChatTokenizer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexicon and rules' reading of a chat line in Spanish, Portuguese or German, with that
 * language's {@link LanguageLexicon}: VADER's rules adapted to the language (its negators up to three
 * words back within the clause, and German "nicht" after what it negates; its boosters and
 * dampeners, less with distance; its contrast word in place of "but"; ALL CAPS on a word and a whole
 * message in caps; stretched letters; "!" and "??" emphasis; normalisation to [-1, 1]). Emotes, emoji,
 * W and L, sarcasm markers and the channel's learned emotes are read as in English. There is no
 * classifier for these languages: the reading is the score.
 *
 * <p>Immutable: shared by every thread that uses its scorer.
 */
final class LanguageReading {

    /** What typed-out laughter ("jajaja", "kkkk", "hahaha") carries, as VADER's "haha" and "lol" do in English. */
    static final double LAUGHTER = 1.5;
    /** The key a typed-out laugh is read as, whatever its letters. */
    private static final String LAUGH_KEY = "haha";

    private final Lexicons lex;
    private final TokenValence chatTokens;

    LanguageReading(Lexicons lex, TokenValence chatTokens) {
        this.lex = lex;
        this.chatTokens = chatTokens;
    }

    /** The reading, or null when nothing in the message can carry sentiment. */
    ChatSentimentScorer.Reading read(String message, EmoteValences emotes, LanguageLexicon lang) {
        if (message == null || message.isEmpty()) {
            return null;
        }
        List<Token> tokens = tokens(message, emotes, lang);
        int n = tokens.size();
        if (n == 0) {
            return null;
        }
        int words = 0;
        int upperWords = 0;
        boolean sarcastic = false;
        for (Token t : tokens) {
            if (chatTokens.countsForCaps(t)) {
                words++;
                if (t.upper()) {
                    upperWords++;
                }
            }
            sarcastic |= lex.sarcasmMarkers.contains(t.key());
        }
        boolean capDiff = upperWords > 0 && upperWords < words;
        boolean shouting = words >= 2 && upperWords == words;
        int wordTokens = MessageRules.wordTokens(tokens);
        var sentiments = new double[n];
        var base = new double[n];
        boolean[] asking = asking(tokens, lang);
        for (int i = 0; i < n; i++) {
            base[i] = actsAsBooster(tokens, i, lang) ? Double.NaN : valence(tokens, i, wordTokens, emotes, lang);
            Token t = tokens.get(i);
            if (i > 0 && !Double.isNaN(base[i - 1]) && !tokens.get(i - 1).clauseEnd() && t.kind() == Kind.WORD
                    && lang.afterBoosters.containsKey(t.key())) {
                // "caro demais", "cringe ohne ende": after a sentiment word it strengthens that word.
                base[i] = Double.NaN;
            }
            if (asking[i] && t.kind() != Kind.EMOJI && t.kind() != Kind.EMOTE && !Double.isNaN(base[i])
                    && Math.abs(base[i]) < ChatRules.QUESTION_VERDICT) {
                // "quien ganó la ronda", "wer hat gewonnen": a question names what it asks about, it does not feel it.
                base[i] = Double.NaN;
            }
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(base[i])) {
                continue;
            }
            Token t = tokens.get(i);
            double v = inContext(tokens, i, base, capDiff, shouting, lang);
            if (i + 1 < n && !t.clauseEnd()) {
                Double after = lang.afterBoosters.get(tokens.get(i + 1).key());
                if (after != null && tokens.get(i + 1).kind() == Kind.WORD) {
                    v += v > 0 ? after : -after;
                }
            }
            if (sarcastic && v > 0 && !lex.sarcasmMarkers.contains(t.key())) {
                v *= MessageRules.SARCASM_SCALAR;
            }
            sentiments[i] = v;
        }
        contrast(tokens, sentiments, lang);
        return ChatSentimentScorer.sum(message, tokens, sentiments, emotes, chatTokens);
    }

    /**
     * The line's tokens as the chat tokenizer splits them (emotes, emoji, W and L, clause ends, caps),
     * each word keyed as the language's lexicon keys it and the language's phrases and multi-word
     * boosters merged, never across clause punctuation.
     */
    private List<Token> tokens(String message, EmoteValences emotes, LanguageLexicon lang) {
        List<Token> raw = ChatTokenizer.tokenizeWords(message, lex, emotes.marked());
        var keyed = new ArrayList<Token>(raw.size());
        for (Token t : raw) {
            if (t.kind() != Kind.WORD || t.exact() != null) {
                keyed.add(t);
                continue;
            }
            String key = lang.key(t.text());
            String single = LanguageLexicon.single(key);
            boolean elongated = stretched(t.text());
            if (!known(key, lang) && known(single, lang)) {
                key = single;
            }
            if (!known(key, lang)) {
                String stem = lang.stem(key);
                key = stem != null ? stem : lang.laughs(t.text().toLowerCase(java.util.Locale.ROOT)) ? LAUGH_KEY : key;
            }
            keyed.add(new Token(t.text(), key, key, Kind.WORD, null, t.upper(), elongated, t.clauseEnd(),
                    t.question(), t.emphatic()));
        }
        var out = new ArrayList<Token>(keyed.size());
        for (int i = 0; i < keyed.size(); i++) {
            Token t = keyed.get(i);
            String[] match = null;
            List<String[]> candidates = t.kind() == Kind.WORD ? lang.multiByFirst.get(t.key()) : null;
            if (candidates != null) {
                for (String[] words : candidates) {
                    if (matches(keyed, i, words)) {
                        match = words;
                        break;
                    }
                }
            }
            if (match == null) {
                out.add(t);
                continue;
            }
            int end = i + match.length;
            out.add(ChatTokenizer.phrase(keyed, i, end, String.join(" ", match)));
            i = end - 1;
        }
        return out;
    }

    private static boolean matches(List<Token> tokens, int from, String[] words) {
        if (from + words.length > tokens.size()) {
            return false;
        }
        for (int k = 0; k < words.length; k++) {
            Token t = tokens.get(from + k);
            if (t.kind() != Kind.WORD || !t.key().equals(words[k]) || (k < words.length - 1 && t.clauseEnd())) {
                return false;
            }
        }
        return true;
    }

    private static boolean known(String key, LanguageLexicon lang) {
        return lang.words.containsKey(key) || lang.boosters.containsKey(key) || lang.negatedOnly.containsKey(key)
                || lang.negates(key) || lang.contrasts.contains(key) || lang.multiByFirst.containsKey(key)
                || lang.afterBoosters.containsKey(key) || lang.questionWords.contains(key) || lang.leadIns.contains(key);
    }

    /** Three or more of the same letter in a row: "buenooo", "geiiil". */
    private static boolean stretched(String text) {
        int run = 1;
        for (int i = 1; i < text.length(); i++) {
            run = Character.isLetter(text.charAt(i)) && text.charAt(i) == text.charAt(i - 1) ? run + 1 : 1;
            if (run >= 3) {
                return true;
            }
        }
        return false;
    }

    /** What the token carries on its own, or NaN. */
    private double valence(List<Token> tokens, int i, int wordTokens, EmoteValences emotes, LanguageLexicon lang) {
        Token t = tokens.get(i);
        switch (t.kind()) {
            case EMOJI, EMOTE -> {
                return chatTokens.chatValence(tokens, i, wordTokens, false, emotes);
            }
            case PHRASE -> {
                Double v = lang.phrases.get(t.key());
                return v == null ? Double.NaN : v;
            }
            case WORD -> {
                if (t.exact() != null) {
                    Lexicons.ChatWord w = lex.exactWords.get(t.exact());
                    return !w.aloneOnly() || wordTokens == 1 ? w.valence() : Double.NaN;
                }
                Double v = lang.words.get(t.key());
                if (v != null) {
                    return v;
                }
                Double failure = lang.negatedOnly.get(t.key());
                if (failure != null) {
                    return negatedAt(tokens, i, lang) && !feelingLaterInClause(tokens, i, lang) ? failure : Double.NaN;
                }
                if (t.key().equals(LAUGH_KEY) || lex.laughterMarkers.contains(t.key())) {
                    return LAUGHTER;
                }
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** "no puedo creer que sea tan bueno": a failure verb with a feeling after it in its clause is about that feeling. */
    private boolean feelingLaterInClause(List<Token> tokens, int i, LanguageLexicon lang) {
        for (int k = i + 1; k < tokens.size() && !tokens.get(k - 1).clauseEnd(); k++) {
            if (carries(tokens.get(k), lang)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A booster that is also a sentiment word ("super", "mega", "krass") boosts only when a sentiment
     * word follows it in its clause: "mega geil", but "das war mega".
     */
    private boolean actsAsBooster(List<Token> tokens, int i, LanguageLexicon lang) {
        Token t = tokens.get(i);
        if (!lang.boosters.containsKey(t.key()) || t.kind() == Kind.EMOJI || t.kind() == Kind.EMOTE) {
            return false;
        }
        if (!lang.words.containsKey(t.key())) {
            return true;
        }
        return i + 1 < tokens.size() && !t.clauseEnd() && carries(tokens.get(i + 1), lang);
    }

    private boolean carries(Token t, LanguageLexicon lang) {
        return switch (t.kind()) {
            case EMOJI -> lex.emoji.containsKey(t.key());
            case EMOTE -> true;
            case PHRASE -> lang.phrases.containsKey(t.key());
            case WORD -> t.exact() != null || lang.words.containsKey(t.key()) || t.key().equals(LAUGH_KEY)
                    || lex.laughterMarkers.contains(t.key());
        };
    }

    /**
     * The clauses that ask for information: opened by one of the language's question words
     * ("cuándo", "quem", "wer"), or ending in a single "?" ("se puede pagar con paypal?"); one that
     * ends in "!" or "??" exclaims.
     */
    private static boolean[] asking(List<Token> tokens, LanguageLexicon lang) {
        int n = tokens.size();
        var asking = new boolean[n];
        int start = 0;
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            if (t.clauseEnd() || i == n - 1) {
                boolean question = !t.emphatic() && (t.question() || lang.questionWords.contains(tokens.get(start).key()));
                for (int k = start; k <= i; k++) {
                    asking[k] = question;
                }
                start = i + 1;
            }
        }
        return asking;
    }

    /** How many tokens back negators and boosters reach: three, stopping at the end of the previous clause. */
    private static int reach(List<Token> tokens, int i) {
        int reach = Math.min(3, i);
        for (int back = 1; back <= reach; back++) {
            if (tokens.get(i - back).clauseEnd()) {
                return back - 1;
            }
        }
        return reach;
    }

    /**
     * A negator within reach before the token; or (German "nicht") one after it in its clause, with
     * nothing sentimental after the negator and the token the clause's first feeling or failure.
     */
    private boolean negatedAt(List<Token> tokens, int i, LanguageLexicon lang) {
        Token self = tokens.get(i);
        if (self.kind() == Kind.PHRASE && lang.negates(self.key().substring(0, self.key().indexOf(' ')))) {
            // "nada mal", "no está mal", "nicht schlecht" hold their negation: "no está nada mal" is still praise.
            return false;
        }
        int reach = reach(tokens, i);
        for (int back = 1; back <= reach; back++) {
            String before = tokens.get(i - back).key();
            if (lang.leadIns.contains(before)) {
                // "no puedo creer que se agotó", "não acredito que esgotou": the negation is spent on the lead-in.
                break;
            }
            if (lang.negates(before)) {
                return true;
            }
        }
        if (lang.postNegators.isEmpty() || tokens.get(i).clauseEnd()) {
            return false;
        }
        // German "nicht" after the verb negates the clause's first feeling or failure: "lädt schon wieder nicht".
        int k = i + 1;
        while (k < tokens.size() && !lang.postNegators.contains(tokens.get(k).key())) {
            if (tokens.get(k).clauseEnd()) {
                return false;
            }
            k++;
        }
        if (k == tokens.size()) {
            return false;
        }
        for (int after = k + 1; after < tokens.size() && !tokens.get(after - 1).clauseEnd(); after++) {
            if (carries(tokens.get(after), lang)) {
                return false;
            }
        }
        for (int before = i - 1; before >= 0 && !tokens.get(before).clauseEnd(); before--) {
            Token t = tokens.get(before);
            if (carries(t, lang) || t.kind() == Kind.WORD && lang.negatedOnly.containsKey(t.key())) {
                return false;
            }
        }
        return true;
    }

    private double inContext(List<Token> tokens, int i, double[] base, boolean capDiff, boolean shouting,
                             LanguageLexicon lang) {
        Token t = tokens.get(i);
        double v = base[i];
        if (v == 0) {
            // A phrase that names what happens ("buenas noches", "la pena") carries nothing to strengthen.
            return 0;
        }
        if (chatTokens.countsForCaps(t) && t.upper()) {
            if (capDiff) {
                v += v > 0 ? VaderRules.C_INCR : -VaderRules.C_INCR;
            } else if (shouting) {
                v += v > 0 ? VaderRules.C_INCR / 2 : -VaderRules.C_INCR / 2;
            }
        }
        if (t.elongated()) {
            v += v > 0 ? Lexicons.B_INCR : -Lexicons.B_INCR;
        }
        int reach = reach(tokens, i);
        for (int back = 1; back <= reach; back++) {
            Token before = tokens.get(i - back);
            Double b = lang.boosters.get(before.key());
            if (b == null || !Double.isNaN(base[i - back])) {
                continue;
            }
            double s = v > 0 ? b : -b;
            if (before.upper() && capDiff) {
                s += v > 0 ? VaderRules.C_INCR : -VaderRules.C_INCR;
            }
            v += back == 1 ? s : back == 2 ? s * 0.95 : s * 0.9;
        }
        boolean failure = t.kind() == Kind.WORD && lang.negatedOnly.containsKey(t.key()) && !lang.words.containsKey(t.key());
        // An emote is a reaction, not a claim; a failure verb counts only negated and reads as the failure.
        if (failure || (t.kind() != Kind.EMOTE && negatedAt(tokens, i, lang))) {
            v *= VaderRules.N_SCALAR;
        }
        return v;
    }

    /** What follows the language's "but" ("pero", "mas", "aber") is what the writer means: 1.5x after, 0.5x before. */
    private static void contrast(List<Token> tokens, double[] sentiments, LanguageLexicon lang) {
        for (int c = 0; c < tokens.size(); c++) {
            if (tokens.get(c).kind() == Kind.WORD && lang.contrasts.contains(tokens.get(c).key())) {
                for (int i = 0; i < sentiments.length; i++) {
                    sentiments[i] *= i < c ? 0.5 : i > c ? 1.5 : 1.0;
                }
                return;
            }
        }
    }
}
