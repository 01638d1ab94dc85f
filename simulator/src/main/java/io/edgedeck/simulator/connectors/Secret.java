package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A shared secret from the node config (a CDN's header secret, the OBS websocket password), written
 * as a JSON string: {@code "file:/path/to/secret"} reads the file (trailing newline trimmed),
 * {@code "env:NAME"} reads an environment variable, anything else is the secret itself. It never
 * appears in a log, a message or {@link #toString()}; written back as JSON only its source shows.
 */
public final class Secret {
    private final String spec;
    private final byte[] value;

    private Secret(String spec, byte[] value) {
        this.spec = spec;
        this.value = value;
    }

    @JsonCreator
    public static Secret parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        String text;
        if (spec.startsWith("file:")) {
            Path file = Path.of(spec.substring(5));
            try {
                text = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the secret file " + file + ": " + e.getMessage());
            }
        } else if (spec.startsWith("env:")) {
            text = System.getenv(spec.substring(4));
            if (text == null) {
                throw new IllegalArgumentException("the environment variable " + spec.substring(4) + " is not set");
            }
        } else {
            text = spec;
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the secret from " + source(spec) + " is empty");
        }
        return new Secret(spec, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A secret given in code (tests, generated configs). */
    public static Secret of(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret("(inline secret)", value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * True when {@code given} equals the secret. Both are hashed first and the digests compared in
     * constant time, so neither where a wrong value differs nor its length shows in the time taken.
     */
    public boolean matches(String given) {
        return given != null && MessageDigest.isEqual(Hashes.sha256(value), Hashes.sha256(given.getBytes(StandardCharsets.UTF_8)));
    }

    /** The secret's text, for protocols that hash it (obs-websocket); never log it. */
    public String reveal() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @JsonValue
    String source() {
        return source(spec);
    }

    private static String source(String spec) {
        return spec.startsWith("file:") || spec.startsWith("env:") ? spec : "(inline secret)";
    }

    @Override
    public String toString() {
        return "Secret[" + source(spec) + "]";
    }
}
