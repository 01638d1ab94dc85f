package io.edgedeck.simulator.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.sentiment.ChatLanguage;
import io.edgedeck.engine.sentiment.ChatSentiment;
import io.edgedeck.engine.sentiment.ShippedModels;
import io.edgedeck.simulator.chat.ChatTextGenerator.Mood;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The table of the held-apart lines' languages is what language detection gives, line for line,
 * with Lingua's models as the runnable jars ship them; it is used only with those models; and the
 * engine reads a line the same with its language known as with it detected. Like the other tests of the
 * held-apart pools, failures give counts, never the lines.
 */
class PhraseLanguagesTest {

    private static final List<String> LINES = ChatTextGenerator.lines(PhrasePools.heldApart());

    @Test
    void theTableIsExactlyWhatDetectionGivesWithTheModelsAsShipped() throws Exception {
        assertTrue(PhraseLanguages.modelsAsShipped(ShippedModels.loader()));
        Map<String, ChatLanguage.Verdict> detected = detectWithShippedModels(LINES);
        Map<String, ChatLanguage.Verdict> table = PhraseLanguages.load(getClass().getClassLoader(), PhraseLanguages.RESOURCE);
        assertEquals(LINES.size(), table.size(), "lines in the table");
        int differ = 0;
        for (String line : LINES) {
            differ += detected.get(line).equals(table.get(line)) ? 0 : 1;
        }
        assertEquals(0, differ, "lines whose tabled language is not the detected one; rewrite "
                + PhraseLanguages.RESOURCE + " with PhraseLanguages.format(ChatTextGenerator.lines(pools), detected)");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(PhraseLanguages.RESOURCE)) {
            String file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(file.equals(PhraseLanguages.format(LINES, detected)), "the file is the table in the pools' order");
        }
        assertTrue(detected.values().stream().anyMatch(v -> !v.detected()), "some lines are too short to tell");
    }

    @Test
    void withLinguasFullModelsTheTableIsNotUsedAndSomeLinesComeOutDifferently() throws Exception {
        // The build's test classpath holds all of Lingua's models, not the ones the jars ship.
        assertFalse(PhraseLanguages.modelsAsShipped(getClass().getClassLoader()));
        assertEquals(Map.of(), PhraseLanguages.heldApart());
        var language = new ChatLanguage();
        Map<String, ChatLanguage.Verdict> table = PhraseLanguages.load(getClass().getClassLoader(), PhraseLanguages.RESOURCE);
        long differ = LINES.stream().filter(l -> !language.of(l, Set.of()).equals(table.get(l))).count();
        assertEquals(0, differ, "pool lines that come out differently with the full models");
        // a German line of development set 2: German with the full models, too doubtful for the shipped ones
        String line = "krasser spielzug, clutch";
        assertEquals("de", language.of(line, Set.of()).language());
        assertEquals(ChatLanguage.ENGLISH, detectWithShippedModels(List.of(line)).get(line).language());
    }

    /** Each line's verdict as ChatLanguage gives it with the models as the runnable jars ship them. */
    private static Map<String, ChatLanguage.Verdict> detectWithShippedModels(List<String> lines) {
        var detected = new HashMap<String, ChatLanguage.Verdict>();
        lines.forEach(line -> detected.put(line, ShippedModels.of(line)));
        return detected;
    }

    @Test
    void everyLineReadsTheSameWithItsKnownLanguageAsWithDetection() {
        var language = new ChatLanguage();
        var detected = new HashMap<String, ChatLanguage.Verdict>();
        LINES.forEach(l -> detected.put(l, language.of(l, Set.of())));
        var withTable = new ChatSentiment(new MemoryJournal());
        withTable.knowLanguages(detected);
        var detecting = new ChatSentiment(new MemoryJournal());
        int differ = 0;
        for (int round = 0; round < 2; round++) {
            for (String line : LINES) {
                differ += withTable.read(null, line, List.of()).equals(detecting.read(null, line, List.of())) ? 0 : 1;
            }
        }
        assertEquals(0, differ, "lines read differently");
    }

    @Test
    void aKnownLanguageIsTakenFromTheTableNotDetected() {
        String english = "this drop is absolutely amazing tonight";
        var chat = new ChatSentiment(new MemoryJournal());
        assertTrue(chat.read(null, english, List.of()).read());
        var told = new ChatSentiment(new MemoryJournal());
        told.knowLanguages(Map.of(english, new ChatLanguage.Verdict("de", false, true)));
        ChatSentiment.Reading reading = told.read(null, english, List.of());
        assertEquals("de", reading.language());
        assertEquals(false, reading.read());
        // A line the table does not hold is detected as before.
        assertEquals(chat.read(null, english + " again", List.of()), told.read(null, english + " again", List.of()));
    }

    @Test
    void theGeneratorSendsWhatItSentWhenItCapitalisedEachLineAsItWent() {
        PhrasePools pools = PhrasePools.heldApart();
        var random = new SplittableRandom(99);
        var generator = new ChatTextGenerator(random);
        var before = new SplittableRandom(99);
        for (int i = 0; i < 100_000; i++) {
            Mood mood = Mood.values()[i % 3];
            List<String> phrases = pools.phrases(mood);
            String phrase = phrases.get(before.nextInt(phrases.size()));
            String expected = mood != Mood.NEUTRAL && before.nextInt(6) == 0 ? phrase.toUpperCase(Locale.ROOT) : phrase;
            assertTrue(expected.equals(generator.next(mood)), "line " + i);
        }
        assertEquals(before.nextLong(), random.nextLong(), "the generator took as many draws");
    }
}
