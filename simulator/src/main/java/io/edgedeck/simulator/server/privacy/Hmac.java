package io.edgedeck.simulator.server.privacy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * HMAC-SHA256 under one secret. A {@link Mac} is not thread-safe: each call works on a clone of a
 * prototype initialised once, which costs far less than initialising a new one.
 */
public final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";
    private final Mac prototype;

    public Hmac(byte[] secret) {
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no " + ALGORITHM, e);
        }
    }

    /**
     * The 32-byte HMAC of {@code text}'s UTF-8 bytes. Any thread. Text holding half of a UTF-16
     * surrogate pair has no UTF-8 form (the encoder would write {@code ?} for it, so {@code abc\uD800},
     * {@code abc\uDBFF} and {@code abc?} would be one key): it is taken as its UTF-16 code units after a
     * byte 0xFF, which no UTF-8 text holds, so it keys apart from every other text.
     */
    public byte[] of(String text) {
        if (io.edgedeck.simulator.scenario.Surrogates.firstUnpaired(text) < 0) {
            return of(text.getBytes(StandardCharsets.UTF_8));
        }
        // Each code unit as two bytes, by hand: String.getBytes would replace the lone half again.
        byte[] marked = new byte[1 + 2 * text.length()];
        marked[0] = (byte) 0xFF;
        for (int i = 0; i < text.length(); i++) {
            marked[1 + 2 * i] = (byte) (text.charAt(i) >>> 8);
            marked[2 + 2 * i] = (byte) text.charAt(i);
        }
        return of(marked);
    }

    public byte[] of(byte[] bytes) {
        try {
            Mac mac = (Mac) prototype.clone();
            return mac.doFinal(bytes);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the " + ALGORITHM + " provider cannot clone", e);
        }
    }

    /** True when {@code a} and {@code b} are equal, in time that does not depend on where they differ. */
    public static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
