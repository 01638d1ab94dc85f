package io.edgedeck.simulator.server.privacy;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.ingest.IngestLimits;
import io.edgedeck.simulator.server.Secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The keys a live node's core knows its units by: every id that may name a person (a
 * {@code targetingKey}, a chat {@code user}, a {@code checkoutId}, and the own {@code id} of an
 * event about a unit or a checkout, which a client may build from them) is replaced at the door by {@code k.} and the first 128 bits of
 * its HMAC-SHA256 under the node's unit key ({@code DATA_DIR/unit-key}, owner-only, made on first
 * start and never rotated), base64url: 24 characters.
 *
 * <p>So the core, its journal and snapshots, its frames and everything built from them hold no raw
 * id, and a unit keeps one key for the whole show, which attribution, triggers and the dedupe window
 * need. These keys are stable and never leave the node: what leaves it is a {@link Pseudonyms}
 * pseudonym of them, under a salt that rotates. The same id always gives the same key on one node
 * (and a different key on another), so an id that comes again after a restart, or in a record the
 * retention window has already rewritten, is the same unit.
 *
 * <p>An id the core would refuse anyway (blank, or longer than {@link IngestLimits#maxIdChars()}) is
 * left as it is, so it is refused for the same reason; such an id never reaches the core.
 */
public final class UnitKeys {
    public static final String FILE = "unit-key";
    /** What a key looks like: the prefix and 22 base64url characters. */
    public static final Pattern KEY = Pattern.compile("k\\.[A-Za-z0-9_-]{22}");
    private static final int MAX_ID_CHARS = IngestLimits.DEFAULT.maxIdChars();

    private final Hmac hmac;

    private UnitKeys(byte[] secret) {
        this.hmac = new Hmac(secret);
    }

    /** Reads {@code DATA_DIR/unit-key}, or makes it (owner-only) on a node's first start. */
    public static UnitKeys loadOrCreate(Path dataDir) throws IOException {
        return load(dataDir, SecretWrites.now());
    }

    /** As {@link #loadOrCreate}, the first start's key written by {@code writes}: the key is the one the file holds once it is done. */
    public static UnitKeys load(Path dataDir, SecretWrites writes) throws IOException {
        Path file = dataDir.resolve(FILE);
        String secret = new String(writes.createdOnce(file, null,
                () -> (Secrets.newToken() + "\n").getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII).trim();
        if (secret.isEmpty()) {
            throw new IOException("the unit key file " + file + " is empty; the units already counted cannot be told apart"
                    + " without it: restore it from a backup, or start a new show in a new data directory");
        }
        return new UnitKeys(secret.getBytes(StandardCharsets.US_ASCII));
    }

    /** Keys under a secret of one's own: for tests and benchmarks, and for a rehearsal node, which keys no unit, to tell its refusals apart. */
    public static UnitKeys of(byte[] secret) {
        return new UnitKeys(secret.clone());
    }

    /**
     * The key of {@code raw}; null, blank and over-long ids as they are (the core refuses them), and
     * an id that is a key already as it is, so keying twice is keying once (an ingest log record may
     * hold keys beside raw ids: {@link RawSample}). Any thread.
     */
    public String key(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > MAX_ID_CHARS || isKey(raw)) {
            return raw;
        }
        return "k." + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hmac.of(raw), 16));
    }

    /**
     * What a refusal is known by in the dedupe window and in the ingest log's refusals line: {@code r.} and
     * the first 128 bits of the HMAC of the refused event's id key, the field and the reason, base64url. The
     * same event refused again for the same fault gives the same one; the same id refused for another fault
     * (its sender fixed one field and sent it again) gives another. It names no one: the reason may hold what
     * the sender wrote, which only the node's key can match. Any thread.
     */
    public String refusal(String idKey, String field, String reason) {
        return "r." + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(
                hmac.of("refusal\n" + idKey + "\n" + field.length() + "\n" + field + reason), 16));
    }

    /**
     * 53 bits of {@code raw}'s HMAC that its key does not show, as a number from 0 to 2^53 - 1: the
     * same for one id all show long, uniform over ids, and not to be guessed from the key.
     */
    long sampleBits(String raw) {
        byte[] mac = hmac.of(raw);
        long bits = 0;
        for (int i = 16; i < 24; i++) {
            bits = bits << 8 | (mac[i] & 0xFF);
        }
        return bits >>> 11;
    }

    /** True when {@code id} has the shape of a key. */
    public static boolean isKey(String id) {
        return id.length() == 24 && id.startsWith("k.") && KEY.matcher(id).matches();
    }

    /** The event with every id that may name a person replaced by its key. Any thread. */
    public IngestEvent keyed(IngestEvent event) {
        return switch (event) {
            case IngestEvent.Exposure x -> new IngestEvent.Exposure(key(x.id()), x.at(), x.flag(), x.variant(),
                    key(x.targetingKey()), x.pop());
            case IngestEvent.Conversion c -> new IngestEvent.Conversion(key(c.id()), c.at(), c.name(), key(c.targetingKey()),
                    c.value());
            case IngestEvent.Chat c -> new IngestEvent.Chat(key(c.id()), c.at(), c.text(), key(c.targetingKey()), c.channel(),
                    key(c.user()), c.emotes());
            case IngestEvent.Checkout c -> new IngestEvent.Checkout(key(c.id()), c.at(), key(c.checkoutId()), c.pop(), c.state(),
                    c.validateMs(), c.enrichMs(), c.actMs());
            case IngestEvent.Step t -> new IngestEvent.Step(key(t.id()), t.at(), t.name(), key(t.targetingKey()));
            // A request's latency id names no unit: kept as it came, at no cost on the busiest kind of event;
            // the unit it may be told for is keyed.
            case IngestEvent.Latency l -> l.targetingKey() == null ? l : new IngestEvent.Latency(l.id(), l.at(), l.pop(), l.ms(),
                    l.lost(), l.status(), l.source(), key(l.targetingKey()));
        };
    }

    /**
     * The event as the retention window keeps it: keyed, and an id the core refused (left raw by
     * {@link #key}) blanked, so it is refused again when replayed and its raw value is gone.
     */
    public IngestEvent scrubbed(IngestEvent event) {
        return switch (keyed(event)) {
            case IngestEvent.Exposure x -> new IngestEvent.Exposure(blankRaw(x.id()), x.at(), x.flag(), x.variant(),
                    blankRaw(x.targetingKey()), x.pop());
            case IngestEvent.Conversion c -> new IngestEvent.Conversion(blankRaw(c.id()), c.at(), c.name(),
                    blankRaw(c.targetingKey()), c.value());
            case IngestEvent.Chat c -> new IngestEvent.Chat(blankRaw(c.id()), c.at(), c.text(), blankRaw(c.targetingKey()),
                    c.channel(), blankRaw(c.user()), c.emotes());
            case IngestEvent.Checkout c -> new IngestEvent.Checkout(blankRaw(c.id()), c.at(), blankRaw(c.checkoutId()), c.pop(),
                    c.state(), c.validateMs(), c.enrichMs(), c.actMs());
            case IngestEvent.Step t -> new IngestEvent.Step(blankRaw(t.id()), t.at(), t.name(), blankRaw(t.targetingKey()));
            // The latency id stays as sent (it names no unit); a unit named for it is keyed or blanked.
            case IngestEvent.Latency l -> l.targetingKey() == null ? l : new IngestEvent.Latency(l.id(), l.at(), l.pop(), l.ms(),
                    l.lost(), l.status(), l.source(), blankRaw(l.targetingKey()));
        };
    }

    private static String blankRaw(String id) {
        return id == null || isKey(id) ? id : "";
    }
}
