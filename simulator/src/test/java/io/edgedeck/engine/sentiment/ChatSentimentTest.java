package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.client.model.LearnedEmote;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatSentimentTest {

    private final MemoryJournal journal = new MemoryJournal();
    private final ChatSentiment chat = new ChatSentiment(journal);

    private static LearnedEmote find(List<LearnedEmote> learned, String name) {
        return learned.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aMarkedEmoteNobodyKnowsLearnsItsMeaningFromTheWordsAroundItAfterEnoughUses() {
        List<String> marks = List.of("peepoClap");
        double before = chat.read("twitch:a", "peepoClap", marks).score();
        assertEquals(0.0, before, "an unknown emote carries nothing at first");
        for (int i = 0; i < ChannelEmotes.MIN_USES - 1; i++) {
            chat.read("twitch:a", "peepoClap amazing drop", marks);
        }
        chat.tick(ChatSentiment.PUBLISH_EVERY_MILLIS);
        assertTrue(journal.records().isEmpty(), "19 uses do not count yet");
        chat.read("twitch:a", "peepoClap love this", marks);
        chat.tick(2 * ChatSentiment.PUBLISH_EVERY_MILLIS);
        var record = (JournalRecord.EmoteValencesLearned) journal.records().getFirst();
        assertEquals("twitch:a", record.channel());
        assertEquals(20, record.emotes().getFirst().uses());
        assertTrue(chat.read("twitch:a", "peepoClap", marks).score() > 0.3, "learned as praise");
        assertEquals(0.0, chat.read("twitch:b", "peepoClap", marks).score(), "learning is per channel");
        LearnedEmote clap = find(chat.learned(), "peepoClap");
        assertTrue(clap.counts());
        assertEquals(null, clap.seed());
    }

    @Test
    void aSeededEmoteMovesWithItsChannelButStaysBounded() {
        for (int i = 0; i < 200; i++) {
            chat.read("twitch:a", "KEKW this is the worst scam ever, awful", List.of());
        }
        chat.tick(ChatSentiment.PUBLISH_EVERY_MILLIS);
        LearnedEmote kekw = find(chat.learned(), "KEKW");
        assertTrue(kekw.counts());
        assertTrue(kekw.valence() < 0, "this channel uses KEKW to mock: " + kekw.valence());
        assertTrue(kekw.valence() >= -ChannelEmotes.BOUND);
        assertEquals(1.6, kekw.seed(), 1e-12);
        assertTrue(chat.read("twitch:a", "KEKW", List.of()).score() < 0);
        assertTrue(chat.read("twitch:other", "KEKW", List.of()).score() > 0, "another channel keeps the seed");
    }

    @Test
    void scoresChangeOnlyWhenAPublicationIsJournaled() {
        double seed = chat.read("c", "Pog", List.of()).score();
        for (int i = 0; i < 50; i++) {
            chat.read("c", "Pog refund this garbage", List.of());
        }
        assertEquals(seed, chat.read("c", "Pog", List.of()).score(), 1e-12, "nothing published yet");
        chat.tick(ChatSentiment.PUBLISH_EVERY_MILLIS - 1);
        assertTrue(journal.records().isEmpty());
        chat.tick(ChatSentiment.PUBLISH_EVERY_MILLIS);
        assertTrue(chat.read("c", "Pog", List.of()).score() < seed);
    }

    @Test
    void aRestartFromTheJournalScoresAsTheShowDidAndKeepsLearning() {
        for (int i = 0; i < 30; i++) {
            chat.read("c", "LUL this lag is terrible", List.of());
        }
        chat.tick(ChatSentiment.PUBLISH_EVERY_MILLIS);
        var restarted = new ChatSentiment(new MemoryJournal());
        journal.records().forEach(r -> restarted.replay((JournalRecord.EmoteValencesLearned) r));
        assertEquals(chat.read("c", "LUL", List.of()).score(), restarted.read("c", "LUL", List.of()).score(), 1e-12);
        assertEquals(find(chat.learned(), "LUL").uses(), find(restarted.learned(), "LUL").uses());
    }

    /**
     * A live node restarts: the journal restores what was published, then its ingest log feeds every message
     * it took back to the core. Each is evidence once: the learning after the restart is the learning before.
     */
    @Test
    void messagesFedAgainAfterARestartAreNotLearnedTwice() {
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(i % 2 == 0 ? "LUL this lag is terrible" : "LUL worst stream ever");
        }
        lines.forEach(l -> chat.read("c", l, List.of()));
        chat.tick(ChatSentiment.PUBLISH_EVERY_MILLIS);
        for (int i = 0; i < 7; i++) {
            lines.add("LUL so bad");
            chat.read("c", "LUL so bad", List.of());
        }
        var restarted = new ChatSentiment(new MemoryJournal());
        journal.records().forEach(r -> restarted.replay((JournalRecord.EmoteValencesLearned) r));
        lines.forEach(l -> restarted.reread("c", l, List.of()));
        assertEquals(37, find(chat.learned(), "LUL").uses());
        assertEquals(37, find(restarted.learned(), "LUL").uses(), "each message counted once");

        // and both learn the same from what comes next
        for (int i = 0; i < 100; i++) {
            chat.read("c", "LUL love this", List.of());
            restarted.read("c", "LUL love this", List.of());
        }
        chat.tick(2 * ChatSentiment.PUBLISH_EVERY_MILLIS);
        restarted.tick(2 * ChatSentiment.PUBLISH_EVERY_MILLIS);
        assertEquals(chat.read("c", "LUL", List.of()).score(), restarted.read("c", "LUL", List.of()).score(), 1e-12);
        assertEquals(find(chat.learned(), "LUL").valence(), find(restarted.learned(), "LUL").valence(), 1e-12);
    }

    /**
     * English complaints the language gate names German or Spanish: left out of the mean (counted, not
     * scored), never scored as a neutral line of that language that pulls the mean toward 0.
     */
    @Test
    void englishLinesTheGateNamesAnotherLanguageAreLeftOutNotScoredNeutral() {
        var english = new ChatSentimentScorer();
        for (String line : List.of("fix the lag pls", "THE BUNDLE IS A RIPOFF", "TOP TIER CONTENT", "we want an encore")) {
            var reading = chat.read(null, line, List.of());
            assertTrue(!reading.read()
                            || SentimentEvaluation.ofCompound(reading.score()) == SentimentEvaluation.ofCompound(english.compound(line)),
                    line + " named " + reading.language() + " scored " + reading.score());
        }
        // Lines the engine is told are German, as a rehearsal's pools tell it: the German lexicon finds nothing.
        // (A new engine: the one above has read the complaint already, and the gate now reads it as English.)
        var told = new ChatSentiment(new MemoryJournal());
        told.knowLanguages(java.util.Map.of("THE BUNDLE IS A RIPOFF", new ChatLanguage.Verdict("de", true, true),
                "welche größe soll ich nehmen", new ChatLanguage.Verdict("de", true, true)));
        var complaint = told.read(null, "THE BUNDLE IS A RIPOFF", List.of());
        assertFalse(complaint.read(), "misnamed English complaint scored " + complaint.score());
        var german = told.read(null, "welche größe soll ich nehmen", List.of());
        assertTrue(german.read(), "a neutral German line is still scored");
        assertEquals(0.0, german.score());
        var spanish = chat.read(null, "me encanta este stream de verdad", List.of());
        assertTrue(spanish.read());
        assertEquals("es", spanish.language());
    }

    @Test
    void spanishPortugueseAndGermanAreScoredOtherLanguagesCountedNotScored() {
        var spanish = chat.read(null, "me encanta este stream de verdad", List.of());
        assertTrue(spanish.read());
        assertEquals("es", spanish.language());
        assertTrue(spanish.signal());
        assertTrue(spanish.score() > 0.5, "Spanish praise: " + spanish.score());
        var portuguese = chat.read(null, "que merda, o site caiu de novo", List.of());
        assertTrue(portuguese.read());
        assertEquals("pt", portuguese.language());
        assertTrue(portuguese.score() < -0.5, "Portuguese complaint: " + portuguese.score());
        var german = chat.read(null, "der checkout lädt schon wieder nicht", List.of());
        assertTrue(german.read());
        assertEquals("de", german.language());
        assertTrue(german.score() < -0.05, "German failure: " + german.score());
        var french = chat.read(null, "épuisé en deux secondes, dommage", List.of());
        assertFalse(french.read());
        assertEquals("fr", french.language());
        assertEquals(0.0, french.score());
        assertFalse(french.signal());
        var english = chat.read(null, "this drop is fire no cap", List.of());
        assertTrue(english.read());
        assertTrue(english.signal());
        var neutral = chat.read(null, "when does the drop start", List.of());
        assertTrue(neutral.read());
        assertFalse(neutral.signal());
    }

    @Test
    void aSarcasmMarkerIsNotLearnedFromTheWordsItTurned() {
        List<String> marks = List.of("Kappa");
        double fresh = chat.read("twitch:fresh", "Kappa", marks).score();
        double freshSarcasm = chat.read("twitch:fresh", "Kappa great drop", marks).score();
        assertTrue(freshSarcasm < 0, "Kappa turns the praise: " + freshSarcasm);
        for (int i = 0; i < 500; i++) {
            chat.read("twitch:a", "Kappa great drop " + i, marks);
        }
        chat.tick(ChatSentiment.PUBLISH_EVERY_MILLIS);
        assertTrue(chat.learned().stream().noneMatch(e -> e.name().equals("Kappa")), chat.learned().toString());
        assertEquals(fresh, chat.read("twitch:a", "Kappa", marks).score(), "Kappa alone reads as in a fresh channel");
        assertEquals(freshSarcasm, chat.read("twitch:a", "Kappa great drop", marks).score(),
                "its own sarcasm does not make it sourer and sourer");
    }

    @Test
    void anEmoteWithoutWordsIsNoEvidence() {
        for (int i = 0; i < 100; i++) {
            chat.read("c", "Sadge Sadge", List.of());
        }
        chat.tick(ChatSentiment.PUBLISH_EVERY_MILLIS);
        assertTrue(journal.records().isEmpty());
    }
}
