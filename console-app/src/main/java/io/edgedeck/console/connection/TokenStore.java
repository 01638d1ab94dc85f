package io.edgedeck.console.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the console keeps a node's token between runs: {@code $XDG_CONFIG_HOME/edgedeck/token}, or
 * {@code ~/.config/edgedeck/token}, readable by its owner only. A token given with
 * {@code --token-file} is stored there on first use, so later runs need only {@code --connect}.
 * The token is never logged or put in a message; only file paths are.
 */
public final class TokenStore {
    private final Path stored;

    public TokenStore(Path stored) {
        this.stored = stored;
    }

    /** The store in the user's config directory. */
    public static TokenStore inUserConfig() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new TokenStore(base.resolve("edgedeck").resolve("token"));
    }

    public Path file() {
        return stored;
    }

    /** The token to use: from {@code tokenFile} (and then remembered), or the remembered one. */
    public String token(Path tokenFile) throws IOException {
        if (tokenFile != null) {
            String token = read(tokenFile);
            remember(token);
            return token;
        }
        if (!Files.exists(stored)) {
            throw new IOException("no token for the node: pass --token-file with the node's token file (its DATA_DIR/token); "
                    + "it is remembered in " + stored + " for later runs");
        }
        return read(stored);
    }

    private static String read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (token.isEmpty()) {
            throw new IOException("the token file " + file + " is empty");
        }
        return token;
    }

    private void remember(String token) throws IOException {
        Path dir = stored.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("token.tmp");
        Files.deleteIfExists(temp);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        // Created owner-only before the token is written, then moved into place in one step.
        if (posix) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
