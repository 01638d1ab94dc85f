package io.edgedeck.simulator.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where a node keeps its data when {@code --data-dir} does not say: under the user's data
 * directory, never the current one (which may be a git checkout, and the data directory holds the
 * admin token). {@code $XDG_DATA_HOME/edgedeck/nodes/NAME}, or {@code ~/.local/share/...} without
 * it, on Linux and other Unix; {@code ~/Library/Application Support/edgedeck/nodes/NAME} on macOS;
 * {@code %LOCALAPPDATA%\edgedeck\nodes\NAME} on Windows.
 */
final class UserDataDirectory {
    private UserDataDirectory() {
    }

    /** This machine's directory for a node called {@code name}. */
    static Path forNode(String name) {
        return forNode(name, System.getProperty("os.name", ""), System.getenv(), System.getProperty("user.home"));
    }

    static Path forNode(String name, String osName, Map<String, String> env, String home) {
        return base(osName, env, home).resolve("edgedeck").resolve("nodes").resolve(name);
    }

    private static Path base(String osName, Map<String, String> env, String home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            return present(local) ? Path.of(local) : Path.of(home, "AppData", "Local");
        }
        if (os.startsWith("mac")) {
            return Path.of(home, "Library", "Application Support");
        }
        String xdg = env.get("XDG_DATA_HOME");
        // The XDG spec ignores a relative value.
        return present(xdg) && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(home, ".local", "share");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** A node name made from a scenario's name: what a directory name may hold, the rest as '-'. */
    static String nameFor(String scenario) {
        String name = scenario.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        return name.isEmpty() ? "node" : name.length() > 64 ? name.substring(0, 64) : name;
    }
}
