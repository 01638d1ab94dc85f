package io.edgedeck.simulator.chat;

import io.edgedeck.engine.sentiment.ChatLanguage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The language of every line rehearsal chat can send from the held-apart pools, as
 * {@link ChatLanguage#of} reads it with no emote marks, shipped beside the pools in
 * {@value #RESOURCE} so that a rehearsal does not detect the same few hundred lines' language again
 * (language detection, and loading its models, were about a quarter of a 100,000-session show's
 * time). The engine takes a line's verdict from here ({@code Chat.knowLanguages}) instead of
 * detecting it; {@code PhraseLanguagesTest} detects every line afresh and requires the file to say
 * the same, so the file can only be what detection gives. Format: one line per chat line, its text,
 * then the verdict's language, readable and detected, separated by tabs.
 *
 * <p>Language detection depends on which of Lingua's models are on the classpath: the runnable jars
 * ship only the trigram models of the six languages {@link ChatLanguage} detects (simulator/pom.xml),
 * and with Lingua's full set of models a few lines come out differently (none of the pools' lines at present,
 * but some development lines: {@code PhraseLanguagesTest}). The table was made with the
 * models as shipped and is used only where the classpath holds exactly those ({@link #modelsAsShipped});
 * elsewhere (a build's test classpath, an IDE) every line is detected, as before.
 */
public final class PhraseLanguages {
    /** Where the verdicts of the held-apart pools' lines live on the classpath. */
    public static final String RESOURCE = PhrasePools.HELD_APART + "/phrase-languages.tsv";

    private PhraseLanguages() {
    }

    /** The languages whose models the runnable jars ship, trigrams only; ChatLanguage detects these. */
    public static final List<String> SHIPPED = List.of("en", "es", "pt", "de", "fr", "it");
    private static final List<String> NOT_SHIPPED = List.of("unigrams", "bigrams", "quadrigrams", "fivegrams");

    /**
     * The verdicts of the held-apart pools' lines, read once; empty where the language detector's
     * models are not those the table was made with.
     */
    public static Map<String, ChatLanguage.Verdict> heldApart() {
        return Holder.VERDICTS;
    }

    private static final class Holder {
        static final Map<String, ChatLanguage.Verdict> VERDICTS =
                modelsAsShipped(com.github.pemistahl.lingua.api.Language.class.getClassLoader())
                        ? load(PhraseLanguages.class.getClassLoader(), RESOURCE) : Map.of();
    }

    /** Whether {@code loader} holds Lingua's models as the runnable jars ship them: the six languages' trigrams, no other n-grams. */
    static boolean modelsAsShipped(ClassLoader loader) {
        for (String language : SHIPPED) {
            if (loader.getResource("language-models/" + language + "/trigrams.json") == null) {
                return false;
            }
            for (String other : NOT_SHIPPED) {
                if (loader.getResource("language-models/" + language + "/" + other + ".json") != null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Reads a table of verdicts; an absent resource is an empty table (every line is then detected). */
    static Map<String, ChatLanguage.Verdict> load(ClassLoader loader, String resource) {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            return Map.of();
        }
        var verdicts = new HashMap<String, ChatLanguage.Verdict>();
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 4) {
                    throw new IllegalStateException("not a phrase language line in " + resource + ": " + line);
                }
                verdicts.put(f[0], new ChatLanguage.Verdict(f[1], Boolean.parseBoolean(f[2]), Boolean.parseBoolean(f[3])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return Map.copyOf(verdicts);
    }

    /** The table's text for {@code lines} with their verdicts, in that order. */
    static String format(List<String> lines, Map<String, ChatLanguage.Verdict> verdicts) {
        var out = new StringBuilder();
        for (String line : lines) {
            ChatLanguage.Verdict v = verdicts.get(line);
            out.append(line).append('\t').append(v.language()).append('\t').append(v.readable()).append('\t')
                    .append(v.detected()).append('\n');
        }
        return out.toString();
    }
}
