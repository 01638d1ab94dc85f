package io.edgedeck.simulator.server.http;

import io.edgedeck.simulator.server.OwnerOnlyFiles;
import io.edgedeck.simulator.server.Secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The node's bearer token: 32 random bytes, base64url, made on first start and kept in a file only
 * its owner can read. The token itself never reaches a log or a message; only the file's path does.
 */
public final class NodeToken {
    private final byte[] expected;
    private final Path file;
    private final String warning;

    private NodeToken(byte[] expected, Path file, String warning) {
        this.expected = expected;
        this.file = file;
        this.warning = warning;
    }

    /** Reads the token file, or creates it with a new token. */
    public static NodeToken loadOrCreate(Path file) throws IOException {
        boolean posix = OwnerOnlyFiles.posix(file.toAbsolutePath().getParent());
        String warning = null;
        boolean existed = Files.exists(file);
        OwnerOnlyFiles.createOnce(file, () -> (Secrets.newToken() + "\n").getBytes(StandardCharsets.US_ASCII));
        if (existed && posix && !Files.getPosixFilePermissions(file).equals(OwnerOnlyFiles.OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OwnerOnlyFiles.OWNER_ONLY);
            warning = "the token file " + file + " was readable by others; it is now owner-only (rw-------)";
        }
        if (!posix) {
            warning = "the file system of " + file + " has no POSIX permissions: the token file cannot be made "
                    + "owner-only here; keep the data directory private yourself";
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (token.isEmpty()) {
            throw new IOException("the token file " + file + " is empty; delete it and start the node again to make a new token");
        }
        return new NodeToken(token.getBytes(StandardCharsets.US_ASCII), file, warning);
    }

    public Path file() {
        return file;
    }

    /** Something the operator should know about the token file, or null. */
    public String warning() {
        return warning;
    }

    /** True when an {@code X-API-Key} header carries this token, as OpenFeature's OFREP providers send it. */
    public boolean acceptsApiKey(String apiKey) {
        return apiKey != null && MessageDigest.isEqual(expected, apiKey.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** True when an {@code Authorization} header carries this token; takes the same time wherever a wrong token differs. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
