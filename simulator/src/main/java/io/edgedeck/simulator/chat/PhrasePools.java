package io.edgedeck.simulator.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The phrasings rehearsal chat is drawn from, one pool per mood. The pools in
 * {@code io/edgedeck/simulator/chat/phrases-{positive,neutral,negative}.tsv} were written apart
 * from the chat scorer (by someone who never saw its lexicon or rules) and are never used to tune
 * it, so a rehearsal exercises the scorer on phrasings it was not built around. Format: lines
 * starting with {@code #} are comments, blank lines are skipped, every other line is one phrase.
 */
public record PhrasePools(Map<ChatTextGenerator.Mood, List<String>> byMood) {

    /** Where the held-apart pools live on the classpath. */
    public static final String HELD_APART = "io/edgedeck/simulator/chat";

    public PhrasePools {
        var copy = new EnumMap<ChatTextGenerator.Mood, List<String>>(ChatTextGenerator.Mood.class);
        byMood.forEach((mood, phrases) -> copy.put(mood, List.copyOf(phrases)));
        byMood = Map.copyOf(copy);
    }

    public List<String> phrases(ChatTextGenerator.Mood mood) {
        return byMood.get(mood);
    }

    /** The held-apart pools, read once. */
    public static PhrasePools heldApart() {
        return Holder.POOLS;
    }

    private static final class Holder {
        static final PhrasePools POOLS = load(PhrasePools.class.getClassLoader(), HELD_APART);
    }

    /** The file a mood's phrases are read from, under {@code folder}. */
    public static String resource(String folder, ChatTextGenerator.Mood mood) {
        return folder + "/phrases-" + mood.name().toLowerCase(Locale.ROOT) + ".tsv";
    }

    /**
     * Reads one pool per mood from {@code folder} on the classpath.
     *
     * @throws IllegalStateException when a pool is missing or holds no phrase, naming the file
     */
    public static PhrasePools load(ClassLoader loader, String folder) {
        var pools = new EnumMap<ChatTextGenerator.Mood, List<String>>(ChatTextGenerator.Mood.class);
        for (ChatTextGenerator.Mood mood : ChatTextGenerator.Mood.values()) {
            String resource = resource(folder, mood);
            InputStream in = loader.getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalStateException("chat phrase pool missing from the classpath: " + resource);
            }
            var phrases = new ArrayList<String>();
            try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        phrases.add(line.strip());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
            if (phrases.isEmpty()) {
                throw new IllegalStateException("chat phrase pool holds no phrase: " + resource);
            }
            pools.put(mood, phrases);
        }
        return new PhrasePools(pools);
    }
}
