package io.edgedeck.simulator.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scenarios shipped with the simulator, and the one way to turn what a person typed
 * (a built-in name or a file path) into a {@link Scenario}.
 */
public final class ScenarioCatalog {

    /** Built-in names in the order they are listed. A jar cannot be listed, so this is the index. */
    public static final List<String> NAMES = List.of("steady-show", "viral-surge", "pop-outage", "jitter-storm",
            "acquirer-slowdown", "sentiment-crash", "conversion-drop", "no-effect", "encoder-trouble",
            "bench-large");

    static final String DIRECTORY = "/io/edgedeck/simulator/scenarios/";

    private static final Map<String, Scenario> LOADED = new ConcurrentHashMap<>();

    /** A built-in scenario as lists show it. */
    public record Entry(String name, String description) {
    }

    private ScenarioCatalog() {
    }

    /** Every built-in with its description; reads each built-in not read before. */
    public static List<Entry> list() {
        return NAMES.stream().map(name -> new Entry(name, description(name))).toList();
    }

    /**
     * A built-in scenario's one-line description, reading the scenario if it was not read before.
     *
     * @throws UnknownScenarioException when there is no built-in of that name
     */
    public static String description(String name) {
        return load(name).description();
    }

    public static boolean isBuiltIn(String name) {
        return NAMES.contains(name);
    }

    /**
     * A built-in scenario by name.
     *
     * @throws UnknownScenarioException when there is no built-in of that name
     */
    public static Scenario load(String name) {
        if (!isBuiltIn(name)) {
            throw new UnknownScenarioException("no built-in scenario '" + name + "'"
                    + Suggestions.didYouMean(name, NAMES) + "; built-ins: " + String.join(", ", NAMES));
        }
        return LOADED.computeIfAbsent(name, ScenarioCatalog::read);
    }

    /**
     * A built-in scenario if {@code nameOrPath} is a built-in name, otherwise the scenario in that file.
     *
     * @throws UnknownScenarioException    when it is neither a built-in name nor an existing file
     * @throws ScenarioValidationException when the file is not a valid scenario
     * @throws IOException                 when the file exists but cannot be read
     */
    public static Scenario resolve(String nameOrPath) throws IOException {
        if (isBuiltIn(nameOrPath)) return load(nameOrPath);
        try {
            return ScenarioParser.parse(file(nameOrPath, "a scenario file"));
        } catch (NoSuchFileException e) {
            throw new UnknownScenarioException("'" + nameOrPath + "' is neither a built-in scenario nor a file"
                    + Suggestions.didYouMean(nameOrPath, NAMES) + "; built-ins: " + String.join(", ", NAMES));
        } catch (java.nio.file.InvalidPathException e) {
            throw new UnknownScenarioException("'" + nameOrPath + "' is neither a built-in scenario nor a file path: " + e.getReason());
        }
    }

    /**
     * The file a person named for a document, {@code what}: an empty name is no file (not the current
     * directory), and a directory is said to be one rather than failing as it is read.
     *
     * @throws NoSuchFileException         when the name is empty or nothing is there
     * @throws UnknownScenarioException    when it is a directory
     */
    public static Path file(String nameOrPath, String what) throws NoSuchFileException {
        if (nameOrPath.isEmpty()) throw new NoSuchFileException(nameOrPath);
        Path path = Path.of(nameOrPath);
        if (java.nio.file.Files.isDirectory(path)) {
            throw new UnknownScenarioException("'" + nameOrPath + "' is a directory, not " + what);
        }
        return path;
    }

    /**
     * The document of a scenario file, for a journal to carry so that it alone can replay the show;
     * null for a built-in name, which finds the scenario again by itself.
     */
    public static com.fasterxml.jackson.databind.JsonNode document(String nameOrPath) throws IOException {
        if (isBuiltIn(nameOrPath)) {
            return null;
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(Path.of(nameOrPath).toFile());
    }

    private static Scenario read(String name) {
        try (InputStream in = ScenarioCatalog.class.getResourceAsStream(DIRECTORY + name + ".json")) {
            if (in == null) throw new IllegalStateException("built-in scenario " + name + " is missing from the classpath");
            return ScenarioParser.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("built-in scenario " + name + " cannot be read", e);
        }
    }

    /** Neither a built-in name nor a file: a person's typo, not a bug. */
    public static final class UnknownScenarioException extends RuntimeException {
        public UnknownScenarioException(String message) {
            super(message);
        }
    }
}
