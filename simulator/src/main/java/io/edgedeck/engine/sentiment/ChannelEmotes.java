package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.journal.JournalRecord.EmoteEvidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one chat channel has learned about its emotes from the words they are used with.
 *
 * <p>Each message whose words (everything but its emotes) carry sentiment is evidence for every
 * emote in it: the words' compound score c, turned back into VADER's scale by inverting its
 * normalisation, x = c sqrt(15) / sqrt(1 - c^2), bounded to +-4. An emote's learned valence is the
 * smoothed mean
 *
 * <pre>  v = (k seed + sum x) / (k + n),  bounded to +-{@value #BOUND}</pre>
 *
 * with k = {@value #PRIOR_WEIGHT} pseudo-uses of its global seed (0 for an emote the global
 * lexicon does not know) and n its uses. It counts only from n = {@value #MIN_USES} on; until then
 * the seed applies (and an unknown emote carries no sentiment). So a channel where "KEKW" follows
 * mockery learns it as mockery, a new 7TV emote gets a meaning after twenty telling uses, and one
 * odd message moves nothing much. A sarcasm marker ({@code Kappa}) is not learned: the words' score
 * already holds the praise it turned.
 *
 * <p>Evidence accumulates continuously; what scoring uses is the table last {@link #publish
 * published}, so that scores are a function of the text and the published (journaled) table.
 * Bounded: at most {@value #MAX_EMOTES} emotes per channel, the first seen. Engine thread only.
 */
final class ChannelEmotes {

    static final int MIN_USES = 20;
    static final double PRIOR_WEIGHT = 10;
    static final double BOUND = 3.0;
    static final int MAX_EMOTES = 256;
    /** A learned valence moving less than this since it was published is not published again. */
    static final double REPUBLISH_CHANGE = 0.05;
    private static final double SQRT_ALPHA = Math.sqrt(15.0);

    private final Lexicons lex;
    private final Map<String, double[]> evidence = new LinkedHashMap<>();
    private final Map<String, double[]> published = new LinkedHashMap<>();
    /**
     * Per emote, how many of the messages fed again after a restart the restored publications already
     * hold: the first that many uses read again are not evidence a second time.
     */
    private final Map<String, long[]> restoredUses = new java.util.HashMap<>();

    ChannelEmotes(Lexicons lex) {
        this.lex = lex;
    }

    /**
     * Adds one message's evidence for each distinct emote in it; {@code again} for a message read again
     * after a restart, whose evidence the restored publications may hold already.
     */
    void observe(List<String> emotes, double wordCompound, boolean again) {
        if (emotes.isEmpty() || Double.isNaN(wordCompound)) {
            return;
        }
        double x = toValence(wordCompound);
        for (int i = 0; i < emotes.size(); i++) {
            String emote = emotes.get(i);
            if (emotes.subList(0, i).contains(emote) || lex.sarcasmMarkers.contains(emote.toLowerCase(java.util.Locale.ROOT))) {
                // A sarcasm marker's meaning is what it does to the other words, which the words' score already holds
                // turned: learned from them, Kappa would grow sourer with every sarcastic line and sour every line after.
                continue;
            }
            long[] held = again ? restoredUses.get(emote) : null;
            if (held != null && held[0] > 0) {
                held[0]--;
                continue;
            }
            double[] e = evidence.get(emote);
            if (e == null) {
                if (evidence.size() >= MAX_EMOTES) {
                    continue;
                }
                e = new double[2];
                evidence.put(emote, e);
            }
            e[0]++;
            e[1] += x;
        }
    }

    /** The compound score c as the valence one word would need to produce it. */
    static double toValence(double compound) {
        double c = Math.max(-0.999, Math.min(0.999, compound));
        double x = c * SQRT_ALPHA / Math.sqrt(1 - c * c);
        return Math.max(-4, Math.min(4, x));
    }

    /** The learned valence scoring uses for {@code emote}, or NaN while it has too little evidence. */
    double learned(String emote) {
        double[] p = published.get(emote);
        return p == null || p[0] < MIN_USES ? Double.NaN : valence(seed(emote), (long) p[0], p[1]);
    }

    Double seed(String emote) {
        return lex.emotes.get(emote.toLowerCase(java.util.Locale.ROOT));
    }

    static double valence(Double seed, long uses, double evidenceSum) {
        double prior = seed == null ? 0 : seed;
        double v = (PRIOR_WEIGHT * prior + evidenceSum) / (PRIOR_WEIGHT + uses);
        return Math.max(-BOUND, Math.min(BOUND, v));
    }

    /**
     * The evidence that has changed what scoring would use since the last publication: emotes
     * that reached {@value #MIN_USES} uses, or whose valence moved by {@value #REPUBLISH_CHANGE}
     * or more. Does not publish it; {@link #apply} does, once it is journaled.
     */
    List<EmoteEvidence> unpublished() {
        var out = new ArrayList<EmoteEvidence>();
        evidence.forEach((emote, e) -> {
            if (e[0] < MIN_USES) {
                return;
            }
            double[] p = published.get(emote);
            Double seed = seed(emote);
            if (p == null || p[0] < MIN_USES
                    || Math.abs(valence(seed, (long) e[0], e[1]) - valence(seed, (long) p[0], p[1])) >= REPUBLISH_CHANGE) {
                out.add(new EmoteEvidence(emote, (long) e[0], e[1]));
            }
        });
        return out;
    }

    /**
     * A publication read back from the journal on a restart: applied, and its uses remembered as held
     * already, for the messages the node reads again ({@link #observe} with {@code again}).
     */
    void applyRestored(List<EmoteEvidence> emotes) {
        apply(emotes);
        for (EmoteEvidence e : emotes) {
            restoredUses.put(e.emote(), new long[]{e.uses()});
        }
    }

    /** Makes journaled evidence what scoring uses; on a restart, also what learning resumes from. */
    void apply(List<EmoteEvidence> emotes) {
        for (EmoteEvidence e : emotes) {
            published.put(e.emote(), new double[]{e.uses(), e.evidenceSum()});
            double[] mine = evidence.get(e.emote());
            if (mine == null && evidence.size() < MAX_EMOTES) {
                evidence.put(e.emote(), new double[]{e.uses(), e.evidenceSum()});
            } else if (mine != null && mine[0] < e.uses()) {
                mine[0] = e.uses();
                mine[1] = e.evidenceSum();
            }
        }
    }

    /** Every emote with evidence, for the Sentiment details: name, the valence in use, seed, uses, whether learned counts. */
    List<io.edgedeck.client.model.LearnedEmote> view() {
        var out = new ArrayList<io.edgedeck.client.model.LearnedEmote>();
        evidence.forEach((emote, e) -> {
            double learned = learned(emote);
            Double seed = seed(emote);
            boolean counts = !Double.isNaN(learned);
            double inUse = counts ? learned : seed == null ? 0 : seed;
            out.add(new io.edgedeck.client.model.LearnedEmote(emote, inUse, seed, (long) e[0], counts));
        });
        return out;
    }
}
