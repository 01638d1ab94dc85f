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
        try (var reader = new BufferedReader(new InputStreamReader(in, decoder))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.println(String.format(Locale.ROOT, "%.4f", scorer.compound(line)));
            }
        } catch (IOException e) {
            out.flush();
            return 1;
        }
        out.flush();
        return 0;
    }
}
