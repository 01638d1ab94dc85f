package io.edgedeck.simulator.server.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a unit is called once anything about it leaves the node: {@code u<generation>-} and 16 hex
 * digits of the HMAC-SHA256 of its {@link UnitKeys key} under the node's secret salt
 * ({@code DATA_DIR/privacy-salt}, owner-only). The same unit has the same pseudonym in every export
 * made under one salt, so a support engineer can follow it through a bundle, a log and the metrics;
 * after a rotation it has a new one, and nothing that left the node before links to it. The
 * generation in the pseudonym says which salt made it.
 *
 * <p>The salt is rotated by {@link #rotate}, which the node journals and audits
 * ({@code POST /api/v1/privacy/salt/rotate}). Thread-safe: readers see the old salt or the new one.
 */
public final class Pseudonyms {
    public static final String FILE = "privacy-salt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One salt: its generation (1 for the first), when it was made, and the HMAC under it. */
    private record Salt(long generation, long madeAtEpochMillis, Hmac hmac) {
    }

    /** What the salt is now: its generation and when it was made (never the salt). */
    public record State(long generation, long madeAtEpochMillis) {
    }

    private final Path file;
    private volatile Salt salt;

    private Pseudonyms(Path file, Salt salt) {
        this.file = file;
        this.salt = salt;
    }

    /** Reads {@code DATA_DIR/privacy-salt}, or makes the first salt (owner-only) on a node's first start. */
    public static Pseudonyms loadOrCreate(Path dataDir, long nowEpochMillis) throws IOException {
        return loadOrCreate(dataDir, nowEpochMillis, 0);
    }

    /**
     * As {@link #loadOrCreate(Path, long)}, after settling a rotation a stop interrupted
     * ({@link SecretRotation#settled}): {@code journaledGeneration} is the generation the journal's
     * latest salt rotation made, 0 when it has none.
     */
    public static Pseudonyms loadOrCreate(Path dataDir, long nowEpochMillis, long journaledGeneration) throws IOException {
        return load(dataDir, nowEpochMillis, journaledGeneration, SecretWrites.now());
    }

    /**
     * As {@link #loadOrCreate(Path, long, long)}, what it writes (the settled rotation, the first
     * salt) left to {@code writes}: read, the salt is the one the file holds once they are done.
     */
    public static Pseudonyms load(Path dataDir, long nowEpochMillis, long journaledGeneration, SecretWrites writes)
            throws IOException {
        Path file = dataDir.resolve(FILE);
        byte[] settled = SecretRotation.settled(file, content -> journaledGeneration > 0
                && ofGeneration(content, journaledGeneration), writes);
        byte[] content = writes.createdOnce(file, settled, () -> encode(1, nowEpochMillis, newSalt()));
        try {
            JsonNode n = JSON.readTree(content);
            byte[] secret = Base64.getUrlDecoder().decode(n.path("salt").asText(""));
            long generation = n.path("generation").asLong(0);
            if (secret.length < 16 || generation < 1) {
                throw new IOException("no salt of 16 bytes or more, or no generation");
            }
            return new Pseudonyms(file, new Salt(generation, n.path("madeAtEpochMillis").asLong(0), new Hmac(secret)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("the salt file " + file + " cannot be read (" + e.getMessage() + "); delete it and the node"
                    + " makes a new salt: pseudonyms that left the node before will not match new ones", e);
        }
    }

    private static byte[] newSalt() {
        byte[] s = new byte[32];
        RANDOM.nextBytes(s);
        return s;
    }

    private static byte[] encode(long generation, long madeAt, byte[] secret) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("generation", generation,
                "madeAtEpochMillis", madeAt, "salt", Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
    }

    /** The pseudonym of a unit key (or of any id). Any thread. */
    public String of(String key) {
        if (key == null) {
            return null;
        }
        Salt s = salt;
        return "u" + s.generation() + "-" + HexFormat.of().formatHex(s.hmac().of(key), 0, 8);
    }

    /** {@code text} with every unit key in it replaced by its pseudonym: for anything that leaves the node. Any thread. */
    public String scrub(String text) {
        if (text == null || text.indexOf("k.") < 0) {
            return text;
        }
        return UnitKeys.KEY.matcher(text).replaceAll(m -> of(m.group()));
    }

    public State state() {
        Salt s = salt;
        return new State(s.generation(), s.madeAtEpochMillis());
    }

    /**
     * A new salt, not in use yet: {@link SecretRotation#journaled} prepares it beside the salt file,
     * journals the rotation, and only then uses it.
     */
    public Rotation next(long nowEpochMillis) throws IOException {
        Salt s = salt;
        byte[] secret = newSalt();
        return new Rotation(s, new Salt(s.generation() + 1, nowEpochMillis, new Hmac(secret)),
                encode(s.generation() + 1, nowEpochMillis, secret));
    }

    /**
     * Whether the salt file's {@code content} holds the salt of {@code generation}: a prepared salt
     * is the one the journal's latest rotation made when their generations match.
     */
    public static boolean ofGeneration(byte[] content, long generation) {
        try {
            return JSON.readTree(content).path("generation").asLong(0) == generation;
        } catch (IOException e) {
            return false;
        }
    }

    /** A rotation from one salt to the next. */
    public final class Rotation implements SecretRotation {
        private final Salt before;
        private final Salt after;
        private final byte[] afterContent;

        private Rotation(Salt before, Salt after, byte[] afterContent) {
            this.before = before;
            this.after = after;
            this.afterContent = afterContent;
        }

        public long fromGeneration() {
            return before.generation();
        }

        public long toGeneration() {
            return after.generation();
        }

        @Override
        public Path file() {
            return file;
        }

        @Override
        public byte[] nextContent() {
            return afterContent.clone();
        }

        @Override
        public void use() {
            salt = after;
        }
    }
}
