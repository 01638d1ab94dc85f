package io.edgedeck.engine.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The body of the {@code sentiment} command: one chat line in, one compound score out, in order.
 * Each line's language is decided as the engine decides it ({@link ChatLanguage}): a Spanish,
 * Portuguese or German line is read with that language's lexicon, every other line as English.
 * Runs on the calling thread and blocks on {@code in} until it ends.
 */
public final class SentimentCommand {

    private SentimentCommand() {}

    /**
     * Reads UTF-8 lines (malformed bytes become U+FFFD, so a bad byte never loses a line) and
     * prints each line's compound score as {@code %.4f} in {@link Locale#ROOT}.
     *
     * @return 0 when all of {@code in} was read; 1 if reading it failed (the scores printed so far stand)
     */
    public static int run(InputStream in, PrintStream out) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        var scorer = new ChatSentimentScorer();
        var gate = new ChatLanguage();
        try (var reader = new BufferedReader(new InputStreamReader(in, decoder))) {
            String line;
            while ((line = reader.readLine()) != null) {
                ChatLanguage.Verdict verdict = gate.of(line, java.util.Set.of());
                ChatSentimentScorer.Scored scored = verdict.readable()
                        ? scorer.score(line, EmoteValences.GLOBAL, verdict.language()) : null;
                // A line the engine leaves out (a language it does not read, or misnamed English) prints its English score.
                double score = scored != null && scored.read() ? scored.compound() : scorer.compound(line);
                out.println(String.format(Locale.ROOT, "%.4f", score));
            }
        } catch (IOException e) {
            out.flush();
            return 1;
        }
        out.flush();
        return 0;
    }
}
