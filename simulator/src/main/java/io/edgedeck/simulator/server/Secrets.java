package io.edgedeck.simulator.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The node's bearer tokens and keys: 32 random bytes from the OS's secure generator, written as
 * base64url (43 characters). A token with 256 bits of entropy needs no salt or slow hash to be
 * stored safely: its SHA-256 cannot be turned back into it, or matched by guessing.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A new token. */
    public static String newToken() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The SHA-256 of a token's ASCII bytes, as 64 lower-case hex digits: what is stored in its place. */
    public static String sha256(String token) {
        return sha256(token.getBytes(StandardCharsets.US_ASCII));
    }

    /** The SHA-256 of {@code bytes}, as 64 lower-case hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
