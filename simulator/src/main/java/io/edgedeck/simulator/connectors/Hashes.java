package io.edgedeck.simulator.connectors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** SHA-256 for secrets, challenges and content-derived ids. */
public final class Hashes {
    private Hashes() {
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * An id for a record that came without one: 128 bits of the SHA-256 of its text, base64url, so
     * the same record sent twice gets the same id and the node counts it once.
     */
    public static String contentId(String text) {
        return "h" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                Arrays.copyOf(sha256(text.getBytes(StandardCharsets.UTF_8)), 16));
    }
}
