package io.edgedeck.engine.sentiment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Composes chat lines for the traffic simulator: a core line for the mood, sometimes with an
 * opener, a product or stream detail, an emote or emoji tail, shouting or an elongated word.
 * All randomness comes from the generator handed in, so the same generator state gives the same
 * text (the engine's determinism depends on it). Not thread-safe: one instance per engine thread.
 */
public final class ChatTextGenerator {

    public enum Mood { POSITIVE, NEUTRAL, NEGATIVE }

    private static final String[] PRODUCTS = {
        "hoodie", "cap", "tee", "sneakers", "tote", "mug", "poster", "jacket", "bundle", "vinyl"};

    private static final String[] POSITIVE_CORES = {
        "this drop is fire", "huge W", "W drop", "W streamer", "take my money", "shut up and take my money",
        "lets gooo", "LETS GOOOO", "Pog", "POGGERS", "PogChamp", "KEKW", "LUL", "OMEGALUL", "FeelsGoodMan",
        "just copped the {p}", "copped!!", "got the {p} ez", "the {p} is bussin", "the {p} is goated",
        "the {p} looks amazing", "love the {p}", "the {p} is so clean", "sheesh", "no cap the {p} is fire",
        "checkout was smooth", "no lag at all today", "best stream ever", "love this stream", "gg",
        "so hyped", "this slaps", "banger", "worth every penny", "great price for the {p}", "based",
        "im dead", "lmaooo", "chat is wholesome today", "thank you for the restock", "sooooo good"};

    private static final String[] NEUTRAL_CORES = {
        "when does the drop start", "link?", "what size is the {p}", "does the {p} come in XL",
        "how much is shipping", "is this live", "hi chat", "first", "what song is this", "brb",
        "queue position {n}", "anyone else in the queue", "does it ship to canada", "what is the {p} made of",
        "is there a limit per person", "how many {p}s are left", "which color should i get",
        "can you show the back of the {p}", "watching from work", "on mobile rn", "what time is the restock",
        "is checkout on the app or the site", "code?", "{n}", "the black {p} or the grey one",
        "just got here", "what camera is that", "same time next week?", "mod can you pin the link"};

    private static final String[] NEGATIVE_CORES = {
        "lag", "so laggy", "buffering again", "stream keeps stuttering", "the video is frozen", "L",
        "massive L", "take the L", "mid", "the {p} is mid", "cringe", "Sadge", "FeelsBadMan", "PepeHands",
        "sold out already Sadge", "bots got every {p}", "scam", "this is a scam", "refund", "i want a refund",
        "payment declined", "checkout crashed", "site is broken", "cant check out", "overpriced",
        "the {p} looks cheap and overpriced", "ripoff", "worst drop ever", "not worth it", "F in chat",
        "missed the {p} again", "boring stream", "trash", "audio desync", "unwatchable"};

    private static final String[] POSITIVE_TAILS = {" 🔥", " 🔥🔥🔥", " 💯", " ❤️", " 👍", " 💀", " 😭", " Pog", " KEKW",
        " af", " fr", "!!", "!"};
    private static final String[] NEUTRAL_TAILS = {" 👀", "?", " 🤔", "", " pls", " @mod"};
    private static final String[] NEGATIVE_TAILS = {" 😡", " 👎", " 🤮", " Sadge", " smh", "!!", " ...", " again"};

    private static final String[] POSITIVE_OPENERS = {"chat ", "yo ", "omg ", "ngl ", "ok "};
    private static final String[] NEUTRAL_OPENERS = {"chat ", "yo ", "hey ", "quick q ", "ok "};
    private static final String[] NEGATIVE_OPENERS = {"bruh ", "ugh ", "seriously ", "yo ", "chat "};

    private final RandomGenerator random;

    public ChatTextGenerator(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public String next(Mood mood) {
        Objects.requireNonNull(mood, "mood");
        String[] cores;
        String[] tails;
        String[] openers;
        switch (mood) {
            case POSITIVE -> { cores = POSITIVE_CORES; tails = POSITIVE_TAILS; openers = POSITIVE_OPENERS; }
            case NEGATIVE -> { cores = NEGATIVE_CORES; tails = NEGATIVE_TAILS; openers = NEGATIVE_OPENERS; }
            default -> { cores = NEUTRAL_CORES; tails = NEUTRAL_TAILS; openers = NEUTRAL_OPENERS; }
        }
        var line = new StringBuilder(48);
        if (random.nextInt(5) == 0) {
            line.append(pick(openers));
        }
        String core = pick(cores);
        int slot = core.indexOf('{');
        if (slot >= 0) {
            String filler = core.charAt(slot + 1) == 'p' ? pick(PRODUCTS) : Integer.toString(1 + random.nextInt(900));
            core = core.substring(0, slot) + filler + core.substring(core.indexOf('}', slot) + 1);
        }
        // Hype and rage get typed in caps; questions rarely are.
        if (mood != Mood.NEUTRAL && random.nextInt(6) == 0) {
            core = core.toUpperCase(java.util.Locale.ROOT);
        }
        line.append(core);
        if (random.nextInt(3) == 0) {
            line.append(pick(tails));
        }
        return line.toString();
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
