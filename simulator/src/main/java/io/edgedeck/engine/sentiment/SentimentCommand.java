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
 * The body of the {@code sentiment} command: one chat line in, one result out, in order. Each line
 * is read as the engine reads it: its language decided by {@link ChatLanguage}, a Spanish, Portuguese
 * or German line read with that language's lexicon, English (and a line too short to tell) as
 * English. A line the engine leaves out is said to be so, with its language and the reason, never
 * given a score the engine would not count ({@link ChatSentimentScorer#score(String, EmoteValences, String)}).
 * Runs on the calling thread and blocks on {@code in} until it ends.
 */
public final class SentimentCommand {

    private SentimentCommand() {}

    /**
     * Reads UTF-8 lines (malformed bytes become U+FFFD, so a bad byte never loses a line) and
     * prints, for each, its compound score as {@code %.4f} in {@link Locale#ROOT}, or, for a line the
     * engine counts but does not score, {@code counted, not scored: } with the language and why
     * ({@link #leftOut(ChatLanguage.Verdict)}).
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
                out.println(scored != null && scored.read()
                        ? String.format(Locale.ROOT, "%.4f", scored.compound()) : leftOut(verdict));
            }
        } catch (IOException e) {
            out.flush();
            return 1;
        }
        out.flush();
        return 0;
    }

    /**
     * What the engine does with a line it counts but does not score, in words: "counted, not scored:
     * French, a language the scorer does not read", "... Cyrillic script, ...", or, for a line named
     * Spanish, Portuguese or German in which that lexicon finds no sentiment while English does,
     * "counted, not scored: named Spanish, but the Spanish lexicon finds no sentiment in it and the
     * English one does (most often English the language detector misnamed)".
     */
    private static String leftOut(ChatLanguage.Verdict verdict) {
        String code = verdict.language();
        // ChatLanguage names a Latin-script line by its ISO 639-1 code, another script by the script's name.
        String language = code.length() == 2 ? Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH) : null;
        if (language == null || language.isEmpty() || language.equals(code)) {
            String script = code.replace('_', ' ');
            return "counted, not scored: " + Character.toUpperCase(script.charAt(0)) + script.substring(1)
                    + " script, which the scorer does not read";
        }
        return verdict.readable()
                ? "counted, not scored: named " + language + ", but the " + language + " lexicon finds no sentiment in it"
                        + " and the English one does (most often English the language detector misnamed)"
                : "counted, not scored: " + language + ", a language the scorer does not read";
    }
}
