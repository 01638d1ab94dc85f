package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatTokenizer.Kind;
import io.edgedeck.engine.sentiment.ChatTokenizer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rule-based sentiment for live-stream chat, after VADER (C.J. Hutto and E. Gilbert, "VADER: A
 * Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014).
 *
 * <p>The VADER rules (lexicon valences, negation, boosters and dampeners, ALL CAPS emphasis,
 * "but", "least", "!" and "?" emphasis, normalisation to [-1, 1]) are applied over the VADER
 * lexicon. The chat scorer adds EdgeDeck's chat lexicon (emotes, slang, emoji, phrases) and chat
 * rules: elongated words, typed-out laughter and one-letter typos, whole-message shouting, trailing
 * intensifiers ("fire af"), words that only count at the end of a clause ("this drop is mid"),
 * information questions, sarcasm, comparisons with the past, and emotes whose valence a channel
 * has learned. See {@code docs/SENTIMENT.md}.
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

    /**
     * One message's score.
     *
     * @param compound     the compound score in [-1, 1]
     * @param signal       whether any word, emoji, emote or phrase of the message carried sentiment
     * @param wordCompound the compound score of everything but the emotes (NaN when nothing else
     *                     carried sentiment): what an emote's learned valence is estimated from
     * @param emotes       the emotes the message used, by name, in order (repeats kept)
     */
    public record Scored(double compound, boolean signal, double wordCompound, List<String> emotes) {
        static final Scored NOTHING = new Scored(0.0, false, Double.NaN, List.of());
    }

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
        return score(message, EmoteValences.GLOBAL).compound();
    }

    /**
     * Scores a message whose emotes take their valence from {@code emotes}: the platform's marks
     * for this message and the channel's learned valences.
     */
    public Scored score(String message, EmoteValences emotes) {
        if (message == null || message.isEmpty()) {
            return Scored.NOTHING;
        }
        List<Token> tokens = ChatTokenizer.tokenize(message, chat, lex, chat ? emotes.marked() : Set.of());
        int n = tokens.size();
        if (n == 0 || (chat && onlyAcknowledges(tokens))) {
            return Scored.NOTHING;
        }
        int words = 0;
        int upperWords = 0;
        boolean sarcastic = false;
        boolean laughing = false;
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
            if (chat && lex.laughterMarkers.contains(t.key())) {
                laughing = true;
            }
        }
        boolean capDiff = upperWords > 0 && upperWords < words;
        boolean shouting = chat && words >= 2 && upperWords == words;
        int wordTokens = chat ? wordTokens(tokens) : n;
        boolean[] asking = chat ? informationQuestions(tokens) : null;

        double[] sentiments = new double[n];
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            if (actsAsBooster(tokens, i) || (chat && lex.afterBoosters.containsKey(t.key()))) {
                continue;
            }
            if (chat && asking[i] && t.exact() != null) {
                // "do you have it in L?", "is XL gone?": in a question W and L are sizes, not verdicts.
                continue;
            }
            double base = chat ? chatValence(tokens, i, wordTokens, laughing, emotes) : Double.NaN;
            if (Double.isNaN(base)) {
                base = vaderValence(tokens, i);
                if (chat && !Double.isNaN(base) && asking[i] && Math.abs(base) < ChatRules.QUESTION_VERDICT) {
                    continue;
                }
            }
            if (Double.isNaN(base)) {
                continue;
            }
            sentiments[i] = valenceInContext(tokens, i, base, capDiff, shouting);
            if (sarcastic && sentiments[i] > 0 && !lex.sarcasmMarkers.contains(t.key())) {
                sentiments[i] *= SARCASM_SCALAR;
            }
        }
        if (chat) {
            sarcasticOpener(tokens, sentiments);
        }
        butCheck(tokens, sentiments);

        double sum = 0;
        double wordSum = 0;
        boolean signal = false;
        boolean wordSignal = false;
        List<String> emoteNames = List.of();
        for (int i = 0; i < n; i++) {
            double s = sentiments[i];
            sum += s;
            signal |= s != 0;
            Token t = tokens.get(i);
            if (t.kind() == Kind.EMOTE) {
                if (emoteNames.isEmpty()) {
                    emoteNames = new ArrayList<>(2);
                }
                emoteNames.add(emoteName(t));
            } else {
                wordSum += s;
                wordSignal |= s != 0;
            }
        }
        double emphasis = punctuationEmphasis(message);
        return new Scored(normalize(emphasised(sum, emphasis)), signal,
                wordSignal ? normalize(emphasised(wordSum, emphasis)) : Double.NaN, emoteNames);
    }

    /** The name an emote token is known by: the lexicon's spelling, or as the platform marked it. */
    String emoteName(Token t) {
        String spelling = lex.emoteSpelling.get(t.key());
        return spelling != null ? spelling : t.text();
    }

    private static double emphasised(double sum, double emphasis) {
        return sum > 0 ? sum + emphasis : sum < 0 ? sum - emphasis : sum;
    }

    /** "ok", "ok ok", "fair", "true": a reply that only acknowledges says nothing about the show. */
    private boolean onlyAcknowledges(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.kind() != Kind.WORD || !lex.acks.contains(t.key())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per token: whether it stands in a clause that asks for information ("what size is the
     * hoodie", "fits true to size?"), rather than exclaims ("how is this so good??").
     */
    private static boolean[] informationQuestions(List<Token> tokens) {
        int n = tokens.size();
        boolean[] asking = new boolean[n];
        int start = 0;
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            if (t.clauseEnd() || i == n - 1) {
                boolean question = !t.emphatic() && i - start < ChatRules.QUESTION_MAX_WORDS
                        && (asksAt(tokens, start, i) || t.question() && !exclaims(tokens, start, i));
                for (int k = start; k <= i; k++) {
                    asking[k] = question;
                }
                start = i + 1;
            }
        }
        return asking;
    }

    /** "what size...", "how much...", "is it...", "can you...": a clause that opens by asking. */
    private static boolean asksAt(List<Token> tokens, int start, int end) {
        String first = key(tokens, start);
        String second = start < end ? key(tokens, start + 1) : "";
        return ChatRules.WH_OPENERS.contains(first) && !(first.equals("what") && second.equals("a"))
                || first.equals("how") && ChatRules.HOW_INFORMATION.contains(second)
                || ChatRules.AUX_OPENERS.contains(first) && ChatRules.ASKED_ABOUT.contains(second);
    }

    /** "how cool is that?", "what a drop?": a question mark on an exclamation. */
    private static boolean exclaims(List<Token> tokens, int start, int end) {
        for (int k = start; k < end; k++) {
            String word = key(tokens, k);
            if (word.equals("how") && !ChatRules.HOW_INFORMATION.contains(key(tokens, k + 1))
                    || word.equals("what") && key(tokens, k + 1).equals("a")) {
                return true;
            }
        }
        return false;
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
                || (reach >= 2 && key(tokens, i - 2).equals("no") && !blocked(tokens, i - 2, i))
                || (reach >= 3 && key(tokens, i - 3).equals("no") && !blocked(tokens, i - 3, i)
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
        if (chat) {
            if (i + 1 < n) {
                Double after = lex.afterBoosters.get(key(tokens, i + 1));
                if (after != null) {
                    v += v > 0 ? after : -after;
                }
            }
            if (v > 0 && (ChatRules.COMPARATIVES.contains(t.key()) && pastBefore(tokens, i) || usedTo(tokens, i))) {
                v *= VaderRules.N_SCALAR;
            }
            if (i > 0 && i + 1 < n && key(tokens, i - 1).equals("less") && key(tokens, i + 1).equals("than")) {
                v *= VaderRules.N_SCALAR;
            }
        }
        return v;
    }

    /** "the old design was better", "last year was way better": praise of the past is a complaint about now. */
    private static boolean pastBefore(List<Token> tokens, int i) {
        for (int k = i - 1; k >= 0 && !tokens.get(k).clauseEnd(); k--) {
            if (ChatRules.PAST.contains(key(tokens, k)) || key(tokens, k).equals("than")) {
                return ChatRules.PAST.contains(key(tokens, k));
            }
        }
        return false;
    }

    /** "used to be good": what was good is no longer. */
    private static boolean usedTo(List<Token> tokens, int i) {
        for (int k = i - 1; k > 0 && !tokens.get(k).clauseEnd(); k--) {
            if (key(tokens, k).equals("to") && key(tokens, k - 1).equals("used") && !tokens.get(k - 1).clauseEnd()) {
                return true;
            }
        }
        return false;
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

    /**
     * In chat a negation is spent on the first sentiment word after it: in "not fire it's mid" the
     * "not" is fire's, not mid's. True when a word with sentiment stands between {@code j} and
     * {@code i}. Emoji neither spend a negation nor escape it: they echo the word before them
     * ("not fire 🔥").
     */
    private boolean blocked(List<Token> tokens, int j, int i) {
        if (!chat || tokens.get(i).kind() == Kind.EMOJI) {
            return false;
        }
        for (int k = j + 1; k < i; k++) {
            if (tokens.get(k).kind() != Kind.EMOJI && hasValence(tokens, k) && !actsAsBooster(tokens, k)
                    && !negatedOnly(tokens.get(k))) {
                return true;
            }
        }
        return false;
    }

    /** The chat lexicon's valence for the token here, or NaN to fall back on VADER's. */
    private double chatValence(List<Token> tokens, int i, int wordTokens, boolean laughing, EmoteValences emotes) {
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

    private double vaderValence(List<Token> tokens, int i) {
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
    private static boolean aboutTheWriter(List<Token> tokens, int i) {
        for (int k = i - 1; k >= 0 && !tokens.get(k).clauseEnd(); k--) {
            if (!ChatRules.SELF.contains(key(tokens, k))) {
                return false;
            }
        }
        return true;
    }

    /** "i'm so sick", "feeling sick": the writer is the subject within two words before. */
    private static boolean writerBefore(List<Token> tokens, int i) {
        for (int k = i - 1; k >= Math.max(0, i - 2) && !tokens.get(k).clauseEnd(); k--) {
            if (ChatRules.WRITER.contains(key(tokens, k))) {
                return true;
            }
        }
        return false;
    }

    private boolean negatedOnly(Token t) {
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
    private boolean failureAt(List<Token> tokens, int i) {
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
            case WORD -> t.exact() != null || lex.chatWords.containsKey(t.key()) || lex.vader.containsKey(t.key())
                    || rating(t.key()) != null;
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

    /** Negation at {@code j} reaches the word at {@code i}, unless chat rules say it is spent or an idiom. */
    private boolean negates(List<Token> tokens, int j, int i) {
        if (!negated(key(tokens, j))) {
            return false;
        }
        if (!chat) {
            return true;
        }
        if (blocked(tokens, j, i)) {
            return false;
        }
        // "couldn't be happier", "can't get any better": the negated comparative is a superlative.
        if (ChatRules.COMPARATIVES.contains(key(tokens, i))) {
            for (int k = j + 1; k < i; k++) {
                if (ChatRules.COMPARATIVE_IDIOM.contains(key(tokens, k))) {
                    return false;
                }
            }
        }
        return true;
    }

    private double negationCheck(List<Token> tokens, double valence, int startI, int i) {
        if (startI == 0) {
            return negates(tokens, i - 1, i) ? valence * VaderRules.N_SCALAR : valence;
        }
        if (startI == 1) {
            if (key(tokens, i - 2).equals("never") && (key(tokens, i - 1).equals("so") || key(tokens, i - 1).equals("this"))) {
                return valence * 1.25;
            }
            if (key(tokens, i - 2).equals("without") && key(tokens, i - 1).equals("doubt")) {
                return valence;
            }
            return negates(tokens, i - 2, i) ? valence * VaderRules.N_SCALAR : valence;
        }
        if ((key(tokens, i - 3).equals("never") && (key(tokens, i - 2).equals("so") || key(tokens, i - 2).equals("this")))
                || key(tokens, i - 1).equals("so") || key(tokens, i - 1).equals("this")) {
            return valence * 1.25;
        }
        if (key(tokens, i - 3).equals("without") && (key(tokens, i - 2).equals("doubt") || key(tokens, i - 1).equals("doubt"))) {
            return valence;
        }
        return negates(tokens, i - 3, i) ? valence * VaderRules.N_SCALAR : valence;
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

    /**
     * Sarcasm without a marker: a bare positive opener before a negative remark ("great, it
     * crashed", "nice one, charged twice", "great another L", "thanks for the 502", "love how the
     * site dies", "love waiting for nothing"). The
     * opener's praise is meant against the remark, so it counts half, negative.
     */
    private void sarcasticOpener(List<Token> tokens, double[] sentiments) {
        int n = tokens.size();
        int end = -1;
        for (int i = 0; i + 1 < n && i < 3; i++) {
            Token t = tokens.get(i);
            if (t.clauseEnd()) {
                end = i;
                break;
            }
            if (ChatRules.REMARK_STARTS.contains(key(tokens, i + 1))) {
                end = i;
                break;
            }
            if (key(tokens, i).equals("love") && ChatRules.LOVE_HOW.contains(key(tokens, i + 1))) {
                end = i + 1;
                break;
            }
            if (key(tokens, i).equals("love") && gerund(key(tokens, i + 1))) {
                end = i;
                break;
            }
        }
        if (end < 0 || end >= n - 1) {
            return;
        }
        boolean praise = false;
        for (int i = 0; i <= end; i++) {
            String k = key(tokens, i);
            if (lex.interjections.contains(k) && sentiments[i] > 0) {
                praise = true;
            } else if (!ChatRules.OPENER_FILLERS.contains(k) && !ChatRules.LOVE_HOW.contains(k) && sentiments[i] == 0
                    || sentiments[i] < 0) {
                return;
            }
        }
        double rest = 0;
        for (int i = end + 1; i < n; i++) {
            rest += sentiments[i];
        }
        if (praise && rest < 0) {
            for (int i = 0; i <= end; i++) {
                if (sentiments[i] > 0) {
                    sentiments[i] *= SARCASM_SCALAR;
                }
            }
        }
    }

    private static boolean gerund(String word) {
        return word.length() >= 5 && word.endsWith("ing");
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
