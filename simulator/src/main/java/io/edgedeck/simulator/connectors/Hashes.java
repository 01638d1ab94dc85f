package io.edgedeck.simulator.connectors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** SHA-256 for secrets, challenges and the ids of records that came without one. */
public final class Hashes {
    private Hashes() {
    }

    public static byte[] sha256(byte[] bytes) {
        return sha256Digest().digest(bytes);
    }

    /** A fresh SHA-256 digest, for text that arrives piece by piece. */
    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * An id for a record that came without one: 128 bits of the SHA-256 of its text, base64url, so
     * the same record sent twice gets the same id and the node counts it once.
     */
    public static String contentId(String text) {
        return "h" + shortened(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * An id for the {@code ordinal}-th record without one in a pushed batch (from 1), where
     * {@code batchDigest} is the SHA-256 of the text of the batch's records without an id, in order:
     * 128 bits of it, base64url, then the ordinal. Identical records in one batch each get an id of
     * their own, and the same batch sent again gets the same ids, so the node counts it once.
     */
    public static String batchRecordId(byte[] batchDigest, long ordinal) {
        return "h" + shortened(batchDigest) + "-" + ordinal;
    }

    private static String shortened(byte[] digest) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }
}
