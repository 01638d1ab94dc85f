package io.edgedeck.simulator.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.simulator.chat.ChatTextGenerator.Mood;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * The generator and its loader. Assertions on the held-apart pools give counts only: their lines
 * are never printed, so running these tests does not show anyone the phrasings.
 */
class ChatTextGeneratorTest {

    private static final PhrasePools SAMPLE = PhrasePools.load(ChatTextGeneratorTest.class.getClassLoader(),
            "io/edgedeck/simulator/chat/sample");

    @Test
    void theLoaderReadsOnePoolPerMoodSkippingCommentsAndBlankLines() {
        assertEquals(List.of("what a show", "loved every minute"), SAMPLE.phrases(Mood.POSITIVE));
        assertEquals(List.of("where is the stage"), SAMPLE.phrases(Mood.NEUTRAL));
        assertEquals(2, SAMPLE.phrases(Mood.NEGATIVE).size());
    }

    @Test
    void aMissingOrEmptyPoolIsNamed() {
        var missing = assertThrows(IllegalStateException.class,
                () -> PhrasePools.load(getClass().getClassLoader(), "io/edgedeck/simulator/chat/none"));
        assertTrue(missing.getMessage().contains("io/edgedeck/simulator/chat/none/phrases-positive.tsv"), missing.getMessage());
        var empty = assertThrows(IllegalStateException.class,
                () -> PhrasePools.load(getClass().getClassLoader(), "io/edgedeck/simulator/chat/broken"));
        assertTrue(empty.getMessage().contains("holds no phrase: io/edgedeck/simulator/chat/broken/phrases-positive.tsv"));
    }

    @Test
    void everyLineIsAPhraseOfItsMoodPoolOrItsShoutedForm() {
        var generator = new ChatTextGenerator(new SplittableRandom(3), SAMPLE);
        for (int i = 0; i < 300; i++) {
            Mood mood = Mood.values()[i % 3];
            String line = generator.next(mood);
            boolean fromPool = SAMPLE.phrases(mood).stream()
                    .anyMatch(p -> p.equals(line) || p.toUpperCase(Locale.ROOT).equals(line));
            assertTrue(fromPool, line);
            if (mood == Mood.NEUTRAL) {
                assertFalse(line.equals(line.toUpperCase(Locale.ROOT)), "small talk is not shouted");
            }
        }
    }

    @Test
    void theHeldApartPoolsAreOnTheClasspathAndNotTiny() {
        PhrasePools held = PhrasePools.heldApart();
        for (Mood mood : Mood.values()) {
            int size = held.phrases(mood).size();
            assertTrue(size >= 50, mood + " pool has " + size + " phrases");
            assertEquals(size, new HashSet<>(held.phrases(mood)).size(), mood + " pool repeats a phrase");
        }
    }

    @Test
    void sameSeedSameSequence() {
        var a = new ChatTextGenerator(RandomGeneratorFactory.of("L64X128MixRandom").create(99));
        var b = new ChatTextGenerator(RandomGeneratorFactory.of("L64X128MixRandom").create(99));
        Mood[] moods = Mood.values();
        int differing = 0;
        for (int i = 0; i < 1_000; i++) {
            Mood mood = moods[i % moods.length];
            if (!a.next(mood).equals(b.next(mood))) {
                differing++;
            }
        }
        assertEquals(0, differing);
    }

    @Test
    void differentSeedsDifferAndLinesVary() {
        var a = new ChatTextGenerator(new SplittableRandom(1));
        var b = new ChatTextGenerator(new SplittableRandom(2));
        int differing = 0;
        var distinct = new HashSet<String>();
        for (int i = 0; i < 600; i++) {
            String line = a.next(Mood.values()[i % 3]);
            distinct.add(line);
            if (!line.equals(b.next(Mood.values()[i % 3]))) {
                differing++;
            }
        }
        assertTrue(differing > 300, "lines that differ between seeds: " + differing);
        assertTrue(distinct.size() > 100, "distinct lines: " + distinct.size());
    }
}
