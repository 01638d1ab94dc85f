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

    /** The 32-byte HMAC of {@code text}'s UTF-8 bytes. Any thread. */
    public byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
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
