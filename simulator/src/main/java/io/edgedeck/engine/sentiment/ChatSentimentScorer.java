package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatFeatures.Families;
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
 * <p>This class reads a message and sums it; what a token carries is {@link TokenValence}'s job,
 * how its neighbours adjust it {@link ValenceContext}'s, and the rules over a whole message
 * {@link MessageRules}'.
 *
 * <p>Instances hold no mutable state: one scorer may be shared by any number of threads.
 */
public final class ChatSentimentScorer {

    private final boolean chat;
    /** Whether the classifier decides the class (the chat scorer); false for the lexicon alone and plain VADER. */
    private final boolean classified;
    private final Lexicons lex;
    private final TokenValence valences;
    private final ValenceContext context;
    private final MessageRules rules;
    private final ChatFeatures features;
    private final LanguageReading languages;

    /**
     * One message's score.
     *
     * @param compound     the compound score in [-1, 1]
     * @param signal       whether any word, emoji, emote or phrase of the message carried sentiment
     * @param wordCompound the compound score of everything but the emotes (NaN when nothing else
     *                     carried sentiment): what an emote's learned valence is estimated from
     * @param emotes       the emotes the message used, by name, in order (repeats kept)
     * @param read         false for a line named Spanish, Portuguese or German that is left out as
     *                     misnamed English ({@link #score(String, EmoteValences, String)}): counted, not
     *                     scored, like a line in a language the scorer does not read
     */
    public record Scored(double compound, boolean signal, double wordCompound, List<String> emotes, boolean read) {
        static final Scored NOTHING = new Scored(0.0, false, Double.NaN, List.of(), true);
        static final Scored LEFT_OUT = new Scored(0.0, false, Double.NaN, List.of(), false);
    }

    /** The chat scorer: VADER plus the chat lexicon and chat rules, with {@link ChatClassifier} deciding the class. */
    public ChatSentimentScorer() {
        this(true, true);
    }

    private ChatSentimentScorer(boolean chat, boolean classified) {
        this.chat = chat;
        this.classified = classified;
        this.lex = Lexicons.get();
        this.valences = new TokenValence(chat, lex);
        this.context = new ValenceContext(chat, lex, valences);
        this.rules = new MessageRules(lex);
        this.features = new ChatFeatures(lex);
        this.languages = new LanguageReading(lex, valences);
    }

    /** VADER's lexicon and rules only: the baseline the chat scorer is measured against. */
    public static ChatSentimentScorer plainVader() {
        return new ChatSentimentScorer(false, false);
    }

    /** VADER plus the chat lexicon and rules, without the classifier: what the classifier reads and is compared with. */
    public static ChatSentimentScorer lexiconOnly() {
        return new ChatSentimentScorer(true, false);
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
        Reading r = read(message, emotes);
        if (r == null) {
            return Scored.NOTHING;
        }
        double compound = r.compound();
        // A message whose feeling rests on emotes alone, one of them learned by this channel, keeps the
        // learned reading: the classifier knows what emotes mean in general, the channel what they mean here.
        if (classified && !(Double.isNaN(r.wordCompound()) && anyLearned(r.learned()))) {
            ChatClassifier model = ChatClassifier.get();
            Families families = model.settings().families();
            double[] p = model.probabilities(features.of(message, r, families,
                    families.vader() ? Vader.INSTANCE.compound(message) : Double.NaN));
            compound = model.compound(p, r.compound());
        }
        return new Scored(compound, r.signal(), r.wordCompound(), r.emotes(), true);
    }

    /**
     * Whether the chat scorer reads {@code language} (ISO 639-1): English, and the languages with an
     * EdgeDeck lexicon (Spanish, Portuguese, German).
     */
    public static boolean reads(String language) {
        return ChatLanguage.ENGLISH.equals(language) || LanguageLexicon.LANGUAGES.contains(language);
    }

    /** The compound score of a message in {@code language} (ISO 639-1); see {@link #score(String, EmoteValences, String)}. */
    public double compound(String message, String language) {
        return score(message, EmoteValences.GLOBAL, language).compound();
    }

    /**
     * Scores a message in {@code language} (ISO 639-1). English, and any language without a lexicon,
     * is {@link #score(String, EmoteValences)}. Spanish, Portuguese and German are read with EdgeDeck's
     * lexicon for that language and VADER's rules adapted to it ({@link LanguageReading}); the
     * classifier is English only, so that reading is the score. Plain VADER reads every line as English.
     *
     * <p>A line in which that language's lexicon finds no sentiment at all (no word, phrase, emote or
     * emoji) while the English scorer does is {@linkplain Scored#read() left out}: counted, not scored.
     * The language gate misnames some short English lines ("fix the lag pls" as German), and such a
     * line read as a neutral line of another language would pull the mean toward 0 just when chat
     * complains. It is not read as English either: the English lexicon misreads other languages' common
     * words (German "die", Spanish "no"), and the line may well be in the language the gate named.
     */
    public Scored score(String message, EmoteValences emotes, String language) {
        LanguageLexicon lang = chat && !ChatLanguage.ENGLISH.equals(language) ? LanguageLexicon.of(language) : null;
        if (lang == null) {
            return score(message, emotes);
        }
        Reading r = languages.read(message, emotes, lang);
        if (r == null || !r.signal()) {
            Reading english = read(message, emotes);
            return english != null && english.signal() ? Scored.LEFT_OUT : Scored.NOTHING;
        }
        return new Scored(r.compound(), r.signal(), r.wordCompound(), r.emotes(), true);
    }

    /**
     * The lexicon and rules' reading of a message: its tokens, what each token contributes after
     * the rules, the compound, whether anything carried signal, the words' compound, the emotes, and
     * which tokens are emotes whose valence the channel has learned.
     */
    record Reading(List<Token> tokens, double[] sentiments, double compound, boolean signal, double wordCompound,
                   List<String> emotes, boolean[] learned) {}

    /** The lexicon and rules' reading, or null when nothing in the message can carry sentiment. */
    Reading read(String message, EmoteValences emotes) {
        if (message == null || message.isEmpty()) {
            return null;
        }
        List<Token> tokens = ChatTokenizer.tokenize(message, chat, lex, chat ? emotes.marked() : Set.of());
        int n = tokens.size();
        if (n == 0 || (chat && rules.onlyAcknowledges(tokens))) {
            return null;
        }
        int words = 0;
        int upperWords = 0;
        boolean sarcastic = false;
        boolean laughing = false;
        for (Token t : tokens) {
            if (valences.countsForCaps(t)) {
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
        int wordTokens = chat ? MessageRules.wordTokens(tokens) : n;
        boolean[] asking = chat ? MessageRules.informationQuestions(tokens) : null;

        double[] sentiments = new double[n];
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            if (valences.actsAsBooster(tokens, i) || (chat && lex.afterBoosters.containsKey(t.key()))) {
                continue;
            }
            if (chat && asking[i] && t.exact() != null) {
                // "do you have it in L?", "is XL gone?": in a question W and L are sizes, not verdicts.
                continue;
            }
            double base = chat ? valences.chatValence(tokens, i, wordTokens, laughing, emotes) : Double.NaN;
            if (Double.isNaN(base)) {
                base = valences.vaderValence(tokens, i);
                if (chat && !Double.isNaN(base) && asking[i] && Math.abs(base) < ChatRules.QUESTION_VERDICT) {
                    continue;
                }
            }
            if (Double.isNaN(base)) {
                continue;
            }
            sentiments[i] = context.valenceInContext(tokens, i, base, capDiff, shouting);
            if (sarcastic && sentiments[i] > 0 && !lex.sarcasmMarkers.contains(t.key())) {
                sentiments[i] *= MessageRules.SARCASM_SCALAR;
            }
        }
        if (chat) {
            rules.sarcasticOpener(tokens, sentiments);
            MessageRules.complaintQuestions(tokens, sentiments);
        }
        MessageRules.butCheck(tokens, sentiments);

        return sum(message, tokens, sentiments, emotes, valences);
    }

    /**
     * The reading of tokens whose contributions after the rules are {@code sentiments}: their sum and
     * the words' sum (emotes apart), each with the message's "!" and "?" emphasis, normalised.
     */
    static Reading sum(String message, List<Token> tokens, double[] sentiments, EmoteValences emotes,
                       TokenValence valences) {
        int n = tokens.size();
        double sum = 0;
        double wordSum = 0;
        boolean signal = false;
        boolean wordSignal = false;
        List<String> emoteNames = List.of();
        var learned = new boolean[n];
        for (int i = 0; i < n; i++) {
            double s = sentiments[i];
            sum += s;
            signal |= s != 0;
            Token t = tokens.get(i);
            if (t.kind() == Kind.EMOTE) {
                if (emoteNames.isEmpty()) {
                    emoteNames = new ArrayList<>(2);
                }
                String name = valences.emoteName(t);
                emoteNames.add(name);
                learned[i] = !Double.isNaN(emotes.learned(name));
            } else {
                wordSum += s;
                wordSignal |= s != 0;
            }
        }
        double emphasis = MessageRules.punctuationEmphasis(message);
        return new Reading(tokens, sentiments, MessageRules.normalize(MessageRules.emphasised(sum, emphasis)), signal,
                wordSignal ? MessageRules.normalize(MessageRules.emphasised(wordSum, emphasis)) : Double.NaN, emoteNames,
                learned);
    }

    private static boolean anyLearned(boolean[] learned) {
        for (boolean b : learned) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    private static final class Vader {
        static final ChatSentimentScorer INSTANCE = plainVader();
    }
}
