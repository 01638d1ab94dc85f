package io.edgedeck.console.settings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Reads and writes {@code settings.json}. Blocking file I/O: never call it on the FX thread.
 *
 * <p>The directory is {@code -Dedgedeck.config.dir} when set (tests point it at a temp dir), else
 * {@code %APPDATA%\edgedeck} on Windows, else {@code $XDG_CONFIG_HOME/edgedeck}, else
 * {@code ~/.config/edgedeck}.
 */
public final class SettingsStore {
    public static final String FILE_NAME = "settings.json";
    public static final String CORRUPT_SUFFIX = ".corrupt";

    /** What loading found: the settings, and a sentence for the operator when the file was unusable. */
    public record Loaded(SettingsData data, String problem) {
    }

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SettingsStore(Path directory) {
        this.directory = directory;
    }

    public static SettingsStore standard() {
        return new SettingsStore(defaultDirectory());
    }

    public static Path defaultDirectory() {
        String override = System.getProperty("edgedeck.config.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String home = System.getProperty("user.home");
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            String appData = System.getenv("APPDATA");
            return Path.of(appData != null ? appData : home, "edgedeck");
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "edgedeck");
        }
        return Path.of(home, ".config", "edgedeck");
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /** Whether a settings file is there. Blocking file I/O. */
    public boolean exists() {
        return Files.exists(file());
    }

    /**
     * The stored settings, or defaults when there are none. A file that cannot be parsed is moved
     * aside to {@code settings.json.corrupt} and replaced on the next save; it never stops the console.
     */
    public Loaded load() {
        Path file = file();
        if (!Files.exists(file)) {
            return new Loaded(SettingsData.defaults(), null);
        }
        try {
            SettingsData data = json.readValue(file.toFile(), SettingsData.class);
            if (data == null) {
                throw new IOException("the file is empty");
            }
            return new Loaded(data.withDefaults(), null);
        } catch (JacksonException e) {
            return new Loaded(SettingsData.defaults(), keepCorruptCopy(file));
        } catch (IOException e) {
            return new Loaded(SettingsData.defaults(), file.getFileName() + " could not be read (" + e.getMessage()
                    + "); started with defaults");
        }
    }

    private String keepCorruptCopy(Path file) {
        Path copy = file.resolveSibling(FILE_NAME + CORRUPT_SUFFIX);
        try {
            Files.move(file, copy, StandardCopyOption.REPLACE_EXISTING);
            return FILE_NAME + " was unreadable; kept a copy as " + copy.getFileName() + " and started with defaults";
        } catch (IOException e) {
            return FILE_NAME + " was unreadable and could not be moved aside (" + e.getMessage()
                    + "); started with defaults";
        }
    }

    /**
     * Writes the settings whole: to a temp file first, so a crash mid-write never leaves half a file.
     * Two writers (a run's saver and its exit) take turns.
     */
    public synchronized void save(SettingsData data) throws IOException {
        Files.createDirectories(directory);
        Path tmp = directory.resolve(FILE_NAME + ".tmp");
        json.writeValue(tmp.toFile(), data);
        try {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
