package io.edgedeck.engine.sentiment;

import io.edgedeck.client.model.LearnedEmote;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's reading of chat: for each message, its language ({@link ChatLanguage}), its score
 * when the scorer reads that language, whether it carried any signal, and its reactions; and, per
 * channel, the emote valences learned from it ({@link ChannelEmotes}).
 *
 * <p>Learned valences reach scoring only through the journal: every {@value #PUBLISH_EVERY_MILLIS}
 * ms of engine time, the evidence that changed what scoring would use is appended as an
 * {@code emote.valences} record, and only then used. A message's score is therefore a function
 * of its text, its platform emote marks and the journal so far: a replay, or a node restarted
 * from its journal, scores as the show did.
 *
 * <p>Owned by the engine thread.
 */
public final class ChatSentiment {

    public static final long PUBLISH_EVERY_MILLIS = 30_000;
    /** Distinct lines whose reading is kept; chat repeats itself. Cleared when full. */
    private static final int KEPT = 65_536;
    /** Channels learned at most; later ones score with the global emote lexicon only. */
    static final int MAX_CHANNELS = 64;
    private static final int LEARNED_SHOWN = 8;

    private final Journal journal;
    private final Lexicons lex = Lexicons.get();
    private final ChatSentimentScorer scorer = new ChatSentimentScorer();
    private final ChatLanguage language = new ChatLanguage();
    private final Map<String, ChannelEmotes> channels = new LinkedHashMap<>();
    private final Map<String, ChatLanguage.Verdict> languages = new HashMap<>();
    /** Verdicts the caller knows for lines it will send (a rehearsal's phrase pools), never cleared. */
    private Map<String, ChatLanguage.Verdict> knownLanguages = Map.of();
    private boolean warmedUp;
    /** Per channel, by text: readings of lines without platform marks, valid until the channel publishes again. */
    private final Map<String, Map<String, Reading>> readings = new HashMap<>();
    private long lastPublish;

    /**
     * @param score     compound score in [-1, 1]; 0 when not read
     * @param read      whether the scorer reads the message's language
     * @param signal    whether anything in it carried sentiment
     * @param language  its language (ISO 639-1, or a script's name)
     * @param reactions the emotes and emoji it used, as the reaction index counts them
     * @param emotes    its emotes, for learning
     * @param wordCompound the score of its words without emotes (NaN when they carry nothing)
     */
    public record Reading(double score, boolean read, boolean signal, String language, List<String> reactions,
                          List<String> emotes, double wordCompound) {
    }

    /**
     * Starts loading the classifier in the background; the language detector's models start loading
     * at the first {@link #tick} or read, unless the caller has said by then that it knows the
     * language of every line it sends ({@link #knowLanguages}).
     */
    public ChatSentiment(Journal journal) {
        this.journal = journal;
        ChatClassifier.warmUp();
    }

    /**
     * The language of each of these lines is known to be {@link ChatLanguage#of} of it with no emote
     * marks (a rehearsal's phrase pools carry it): it is taken from here instead of being detected
     * again, and the detector's models are loaded only if some other line needs them. Call before
     * the first tick.
     */
    public void knowLanguages(Map<String, ChatLanguage.Verdict> verdicts) {
        knownLanguages = Map.copyOf(verdicts);
    }

    private void warmUp() {
        if (!warmedUp) {
            warmedUp = true;
            if (knownLanguages.isEmpty()) {
                ChatLanguage.warmUp();
            }
        }
    }

    /**
     * Reads one message and adds it to its channel's emote evidence.
     *
     * @param channel   where it was said ({@code twitch:somechannel}); null for the show's own chat
     * @param marked    emotes the platform marked in it, by name; empty when it marks none
     */
    public Reading read(String channel, String text, List<String> marked) {
        return read(channel, text, marked, false);
    }

    /**
     * Reads again a message this node took before it restarted (its ingest log fed back to the core):
     * its emote evidence counts only where the publications the journal restored ({@link #replay}) do not
     * hold it already, so a restart does not learn the same messages twice.
     */
    public Reading reread(String channel, String text, List<String> marked) {
        return read(channel, text, marked, true);
    }

    private Reading read(String channel, String text, List<String> marked, boolean again) {
        warmUp();
        String key = channel == null ? "" : channel;
        ChannelEmotes emotes = channelFor(key);
        Reading reading;
        if (marked.isEmpty()) {
            Map<String, Reading> cache = readings.computeIfAbsent(key, k -> new HashMap<>());
            reading = cache.get(text);
            if (reading == null) {
                if (cache.size() >= KEPT) {
                    cache.clear();
                }
                reading = compute(text, Set.of(), emotes);
                cache.put(text, reading);
            }
        } else {
            reading = compute(text, Set.copyOf(marked), emotes);
        }
        if (emotes != null && reading.read()) {
            emotes.observe(reading.emotes(), reading.wordCompound(), again);
        }
        return reading;
    }

    private ChannelEmotes channelFor(String channel) {
        ChannelEmotes emotes = channels.get(channel);
        if (emotes == null && channels.size() < MAX_CHANNELS) {
            emotes = new ChannelEmotes(lex);
            channels.put(channel, emotes);
        }
        return emotes;
    }

    private Reading compute(String text, Set<String> marked, ChannelEmotes emotes) {
        ChatLanguage.Verdict verdict = null;
        if (marked.isEmpty()) {
            verdict = knownLanguages.get(text);
            if (verdict == null) {
                verdict = languages.get(text);
            }
        }
        if (verdict == null) {
            verdict = language.of(text, marked);
            if (marked.isEmpty()) {
                if (languages.size() >= KEPT) {
                    languages.clear();
                }
                languages.put(text, verdict);
            }
        }
        List<String> reactions = reactions(text, marked);
        if (!verdict.readable()) {
            return new Reading(0, false, false, verdict.language(), reactions, List.of(), Double.NaN);
        }
        EmoteValences valences = EmoteValences.of(marked,
                emotes == null ? EmoteValences.LearnedValences.NONE : emotes::learned);
        ChatSentimentScorer.Scored scored = scorer.score(text, valences, verdict.language());
        if (!scored.read()) {
            return new Reading(0, false, false, verdict.language(), reactions, List.of(), Double.NaN);
        }
        return new Reading(scored.compound(), true, scored.signal(), verdict.language(), reactions, scored.emotes(),
                scored.wordCompound());
    }

    private static List<String> reactions(String text, Set<String> marked) {
        List<String> names = ReactionIndex.reactionsIn(text);
        if (marked.isEmpty()) {
            return names;
        }
        var all = new ArrayList<>(names);
        for (String token : text.split("\\s+")) {
            if (marked.contains(token) && !names.contains(token)) {
                all.add(token);
            }
        }
        return List.copyOf(all);
    }

    /**
     * Publishes the learned valences that changed, through the journal, once every
     * {@value #PUBLISH_EVERY_MILLIS} ms of engine time. Call once per engine tick.
     */
    public void tick(long nowMillis) {
        warmUp();
        if (nowMillis - lastPublish < PUBLISH_EVERY_MILLIS) {
            return;
        }
        lastPublish = nowMillis;
        channels.forEach((channel, emotes) -> {
            var changed = new ArrayList<>(emotes.unpublished());
            if (changed.isEmpty()) {
                return;
            }
            changed.sort(Comparator.comparing(JournalRecord.EmoteEvidence::emote));
            journal.append(new JournalRecord.EmoteValencesLearned(journal.nextSeq(), nowMillis, channel, changed));
            emotes.apply(changed);
            forget(channel, changed);
        });
    }

    /** Applies a journaled publication: on restart, from the journal. */
    public void replay(JournalRecord.EmoteValencesLearned record) {
        ChannelEmotes emotes = channelFor(record.channel());
        if (emotes != null) {
            emotes.applyRestored(record.emotes());
            forget(record.channel(), record.emotes());
        }
        lastPublish = Math.max(lastPublish, record.atMillis());
    }

    /** Drops the kept readings of lines that use an emote whose valence was just published; the rest still hold. */
    private void forget(String channel, List<JournalRecord.EmoteEvidence> changed) {
        Map<String, Reading> cache = readings.get(channel);
        if (cache == null) {
            return;
        }
        Set<String> names = new java.util.HashSet<>();
        changed.forEach(e -> names.add(e.emote()));
        cache.values().removeIf(r -> !java.util.Collections.disjoint(r.emotes(), names));
    }

    /** The emotes being learned across channels, most used first, up to eight. */
    public List<LearnedEmote> learned() {
        var all = new ArrayList<LearnedEmote>();
        channels.values().forEach(c -> all.addAll(c.view()));
        all.sort(Comparator.comparingLong(LearnedEmote::uses).reversed().thenComparing(LearnedEmote::name));
        return List.copyOf(all.subList(0, Math.min(LEARNED_SHOWN, all.size())));
    }
}
