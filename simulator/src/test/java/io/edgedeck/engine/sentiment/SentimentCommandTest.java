package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SentimentCommandTest {

    private final ChatSentimentScorer scorer = new ChatSentimentScorer();

    private String[] run(byte[] input) {
        var bytes = new ByteArrayOutputStream();
        int exit = SentimentCommand.run(new ByteArrayInputStream(input), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, exit);
        String out = bytes.toString(StandardCharsets.UTF_8);
        return out.isEmpty() ? new String[0] : out.split("\n", -1);
    }

    @Test
    void oneScorePerLineInOrder() {
        String[] lines = run("Pog\nlag again 😡\r\n\nwhen does the drop start\nhuge W".getBytes(StandardCharsets.UTF_8));
        assertEquals(6, lines.length, "five scores and the final newline");
        assertEquals(String.format(Locale.ROOT, "%.4f", scorer.compound("Pog")), lines[0]);
        assertTrue(lines[1].startsWith("-"));
        assertEquals("0.0000", lines[2]);
        assertEquals("0.0000", lines[3]);
        assertEquals(String.format(Locale.ROOT, "%.4f", scorer.compound("huge W")), lines[4]);
        assertEquals("", lines[5]);
    }

    @Test
    void aLineTheEngineLeavesOutIsCountedNotScoredWithItsLanguageAndWhy() {
        String spanish = "qué buen directo, me encanta este streamer";
        String[] lines = run(("c'est vraiment nul ce stream ce soir franchement\n"
                + "che bello questo concerto stasera ragazzi\n"
                + "привет всем как дела сегодня\n"
                + "rammstein ist the best\n"
                + spanish + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("counted, not scored: French, a language the scorer does not read", lines[0]);
        assertEquals("counted, not scored: Italian, a language the scorer does not read", lines[1]);
        assertEquals("counted, not scored: Cyrillic script, which the scorer does not read", lines[2]);
        // The gate names this line German ("ist"), where nothing carries sentiment and English's "best" does: left out.
        assertEquals("counted, not scored: named German, but the German lexicon finds no sentiment in it and the English "
                + "one does (most often English the language detector misnamed)", lines[3]);
        assertEquals(String.format(Locale.ROOT, "%.4f", scorer.compound(spanish, "es")), lines[4]);
        assertTrue(Double.parseDouble(lines[4]) > 0.05, "the Spanish line is read, and as praise");
    }

    @Test
    void decimalPointWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertTrue(run("great\n".getBytes(StandardCharsets.UTF_8))[0].matches("0\\.\\d{4}"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void emptyInputPrintsNothing() {
        assertEquals(0, run(new byte[0]).length);
    }

    @Test
    void malformedBytesAndControlCharactersStillGiveOneScorePerLine() {
        byte[] input = {(byte) 0xFF, (byte) 0xC3, 'g', 'o', 'o', 'd', '\n', 0, 7, 27, '\n', (byte) 0xF0, (byte) 0x9F, '\n'};
        String[] lines = run(input);
        assertEquals(4, lines.length);
        for (int i = 0; i < 3; i++) {
            double score = Double.parseDouble(lines[i]);
            assertTrue(score >= -1 && score <= 1);
        }
    }

    @Test
    void aVeryLongLine() {
        String[] lines = run(("great " .repeat(50_000) + "\nok\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(3, lines.length);
        assertTrue(Double.parseDouble(lines[0]) > 0.99);
    }

    @Test
    void aFailingInputEndsWithExitOne() {
        InputStream broken = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served < 5) {
                    return "good\n".charAt(served++);
                }
                throw new IOException("pipe closed");
            }
        };
        var bytes = new ByteArrayOutputStream();
        assertEquals(1, SentimentCommand.run(broken, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    }
}
