package io.edgedeck.console.connection;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgedeck.console.settings.SettingsStore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's tokens, one per node: {@code tokens.json} in the console's config directory
 * ({@code $XDG_CONFIG_HOME/edgedeck/}, {@code ~/.config/edgedeck/} without it, {@code %APPDATA%\edgedeck\}
 * on Windows), readable by its owner only, mapping each node's address ({@code scheme://host:port})
 * to its token. A token given with {@code --token-file} is remembered for that node alone; a node
 * the console has no token for gets none. A token is never sent over plain HTTP to an address
 * beyond this machine unless the operator says {@code --insecure}. Tokens are never logged or put
 * in a message; only file paths and node addresses are.
 */
public final class NodeTokens {
    static final String FILE_NAME = "tokens.json";
    /** Far more than any token: a larger file (a log, a bundle picked by mistake) is not read whole. */
    private static final long MAX_TOKEN_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path stored;

    public NodeTokens(Path stored) {
        this.stored = stored;
    }

    /** The store in the console's config directory (the one settings.json is in). */
    public static NodeTokens inUserConfig() {
        return new NodeTokens(SettingsStore.defaultDirectory().resolve(FILE_NAME));
    }

    public Path file() {
        return stored;
    }

    /**
     * The token to send to {@code node}: from {@code tokenFile} (and then remembered for that node),
     * or the one remembered for it.
     *
     * @param insecure the operator allows plain HTTP beyond this machine
     * @throws IOException naming what is missing or refused; nothing is sent anywhere first
     */
    public String token(URI node, Path tokenFile, boolean insecure) throws IOException {
        refusePlainHttpBeyondThisMachine(node, insecure);
        String key = key(node);
        if (tokenFile != null) {
            String token = read(tokenFile);
            Map<String, String> all = load();
            all.put(key, token);
            save(all);
            return token;
        }
        String token = load().get(key);
        if (token == null) {
            throw new IOException("--connect " + key + ": no token for this node; pass --token-file with a token file for it"
                    + " (your own from 'edgedeck-sim operators add', or the node's DATA_DIR/token), which is then remembered"
                    + " for this node in " + stored);
        }
        return token;
    }

    /** A node's address as the store keys it: scheme, host and port, lower-case, the port always written. */
    static String key(URI node) {
        String scheme = node.getScheme().toLowerCase(Locale.ROOT);
        int port = node.getPort() >= 0 ? node.getPort() : scheme.equals("https") ? 443 : 80;
        String host = node.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    static void refusePlainHttpBeyondThisMachine(URI node, boolean insecure) throws IOException {
        if (insecure || !"http".equalsIgnoreCase(node.getScheme()) || loopback(node.getHost())) {
            return;
        }
        throw new IOException("--connect " + key(node) + " is plain HTTP to an address beyond this machine: the token would"
                + " cross the network in clear. Connect with https://, or add --insecure to send it anyway");
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String read(Path file) throws IOException {
        String token;
        try {
            // Bytes that are not ASCII are read as such, to be named below rather than fail the read.
            token = Files.size(file) > MAX_TOKEN_BYTES ? null : Files.readString(file, StandardCharsets.ISO_8859_1).trim();
        } catch (NoSuchFileException e) {
            throw new IOException("--token-file " + file + ": no such file", e);
        } catch (IOException e) {
            throw new IOException("--token-file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (token != null && token.isEmpty()) {
            throw new IOException("--token-file " + file + " is empty");
        }
        if (token == null || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // A second line, a space or a byte beyond ASCII cannot go in an Authorization header: said before it is remembered.
            throw notAToken(file);
        }
        return token;
    }

    private static IOException notAToken(Path file) {
        return new IOException("--token-file " + file + " does not hold a token (one line of printable characters)");
    }

    private Map<String, String> load() throws IOException {
        if (!Files.exists(stored)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(JSON.readValue(stored.toFile(), new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            throw new IOException("the token store " + stored + " cannot be read (" + e.getMessage().lines().findFirst().orElse("")
                    + "); move it aside and pass --token-file again", e);
        }
    }

    /** Written owner-only to a new file, then moved into place in one step. */
    private void save(Map<String, String> all) throws IOException {
        Path dir = stored.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(temp);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        if (posix) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        Files.write(temp, JSON.writeValueAsBytes(all));
        Files.move(temp, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
