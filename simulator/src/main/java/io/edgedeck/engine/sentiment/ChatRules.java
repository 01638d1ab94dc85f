package io.edgedeck.engine.sentiment;

import java.util.Set;

/**
 * The grammar words the chat rules reason with (the chat counterpart of {@link VaderRules}):
 * how a question, a comparison with the past, a self-reference or a verb "like" is recognised.
 * Vocabulary with sentiment lives in chat-lexicon.tsv; these carry none of their own.
 */
final class ChatRules {

    /** A clause that opens with one of these asks for information: "what size", "which one". */
    static final Set<String> WH_OPENERS = Set.of(
            "what", "whats", "what's", "which", "when", "whens", "when's", "where", "wheres", "where's", "who",
            "whos", "who's", "anyone", "anybody");

    /** These open a question when what follows is asked about ("is it cotton", "can you show"), not "is enjoying". */
    static final Set<String> AUX_OPENERS = Set.of(
            "is", "are", "does", "do", "did", "can", "could", "will", "would", "should", "any", "was", "were",
            "has", "have");

    static final Set<String> ASKED_ABOUT = Set.of(
            "it", "its", "it's", "this", "that", "the", "there", "these", "those", "you", "u", "ya", "i", "we", "they",
            "he", "she", "anyone", "anybody", "someone", "somebody", "my", "your", "ur", "our", "mods",
            "chat");

    /** Chat questions are short; a longer clause that opens like one is usually a statement ("can I just say..."). */
    static final int QUESTION_MAX_WORDS = 10;

    /** Between a negation and a function verb, these still make a failure: "can't even watch", "never really worked". */
    static final Set<String> FAILURE_ADVERBS = Set.of("even", "really", "ever", "still", "properly", "actually", "just", "always");

    /** "how" asks for information before these ("how much", "how long"), and exclaims otherwise ("how is this so good"). */
    static final Set<String> HOW_INFORMATION = Set.of(
            "much", "many", "long", "do", "does", "did", "can", "big", "old", "tall", "heavy", "often", "far", "soon");

    /**
     * In an information question, everyday words describe what is asked about ("what's the prize",
     * "fits true to size?"), not how the writer feels: VADER words weaker than this are not counted.
     */
    static final double QUESTION_VERDICT = 3.0;

    /** Within two words before, these make a word about the writer: "i'm so sick", "feeling sick". */
    static final Set<String> WRITER = Set.of(
            "i", "im", "i'm", "am", "me", "feel", "feels", "feeling", "felt", "getting", "get", "got");

    /**
     * A clause whose words up to a laughter word are all of these is about the writer: "dead",
     * "bro i'm literally crying", "lol im weak"; "the site died" is not.
     */
    static final Set<String> SELF = Set.of(
            "i", "im", "i'm", "am", "me", "literally", "actually", "lowkey", "fr", "bro", "chat", "lol", "lmao",
            "so", "just", "ok", "omg", "help");

    /** Positive comparatives that turn against the present when the past is their subject ("the old one was better"). */
    static final Set<String> COMPARATIVES = Set.of("better", "nicer", "cooler", "happier", "prouder", "greater");

    /** Words that put a clause in the past: "last year was better", "the old design was better". */
    static final Set<String> PAST = Set.of("old", "last", "previous", "original", "og", "before", "used");

    /** Between a negation and a comparative these make the idiom "couldn't be happier", "can't get any better". */
    static final Set<String> COMPARATIVE_IDIOM = Set.of("be", "been", "get", "any");

    /** "great, more lag", "thanks for the 502": after a bare opener, these start the remark it is about. */
    static final Set<String> REMARK_STARTS = Set.of("another", "more", "again", "for");

    /** Besides interjections, what a bare sarcastic opener may hold: "oh nice", "perfect timing", "great job". */
    static final Set<String> OPENER_FILLERS = Set.of(
            "oh", "ooh", "wow", "so", "just", "really", "very", "what", "a", "one", "timing", "job", "work", "stuff",
            "ok", "okay", "yeah", "man", "bro", "guys", "chat", "well", "thats", "that's", "its", "it's", "this");

    /** "love how it crashes" (and "love waiting..."): these after "love" start the remark it is about. */
    static final Set<String> LOVE_HOW = Set.of("how", "when", "that");

    /**
     * Right after a negation these turn it into a lead-in, not a denial: "didn't expect to love it",
     * "can't believe how good". ("not gonna lie" is a phrase of the chat lexicon.)
     */
    static final Set<String> NEGATION_LEAD_INS = Set.of("expect", "expected", "expecting", "believe");

    /**
     * A question that opens with "why" or "how is" and holds one of these is a complaint, not a
     * request: "why is it always sold out", "why do they never fix the audio", "how is it still down".
     */
    static final Set<String> COMPLAINT_MARKS = Set.of("always", "never", "still", "again", "even", "every");

    /** How much a complaint shaped as a question weighs (VADER scale): a mild complaint. */
    static final double COMPLAINT_QUESTION = -1.5;

    /**
     * Words that make a clause about money: with them a hype word ("crazy", "insane", "wild") says the
     * price is too high ("80 for a tee is crazy"); without them it is praise ("that flick was insane").
     */
    static final Set<String> PRICE_WORDS = Set.of(
            "price", "prices", "priced", "pricing", "cost", "costs", "bucks", "dollars", "euros", "pounds", "usd",
            "eur", "gbp", "shipping", "fee", "fees", "charge", "charging", "tax", "expensive", "money");

    private ChatRules() {}
}
