package io.edgedeck.simulator.server.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.simulator.server.privacy.Hmac;
import io.edgedeck.simulator.server.privacy.SecretRotation;
import io.edgedeck.simulator.server.privacy.SecretWrites;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One-click checkout tokens: the node signs a short-lived token for one unit, the unit's app
 * presents it with its checkout, and the node checks it locally, with no call to anyone.
 *
 * <p>A token is {@code v1.<keyId>.<expiresAtEpochMillis>.<nonce>[.<offer>].<mac>}: the key that signed it, when
 * it stops being good, 16 random bytes (base64url), for a token a trigger's firing offered the
 * {@link Offer} (base64url of {@code <firedAtEpochMillis>@<trigger>}), and the HMAC-SHA256 under that key of
 * everything before the mac, a newline and the unit's {@code targetingKey}. The unit is
 * not in the token, only in its signature, so a token leaks no id and is good for its unit alone.
 *
 * <p>Keys: 32 random bytes each, in {@code DATA_DIR/checkout-keys.json} (owner-only, replaced in one
 * step and synced), so a restarted node accepts what it signed before. The signing key is replaced
 * every {@code keyRotation} (by the node's schedule, or an operator); every key replaced stays good
 * for one TTL after it was replaced, however many rotations come in that time, so no token is
 * refused while it is within its TTL. A node started again with a shorter TTL keeps the key that
 * signed before the start for as long as the tokens it signed then may be good: until the start
 * plus the longest TTL tokens were issued under. Rotations are journaled and audited by the caller
 * ({@link Rotation}), never with the key.
 *
 * <p>A token is refused as {@link Outcome#FORGED} (not ours: malformed, an unknown or retired key, a
 * signature that does not match its unit), {@link Outcome#EXPIRED}, or {@link Outcome#REPLAYED} (taken
 * before: a token is good for one checkout). Thread-safe.
 */
public final class CheckoutTokens {
    public static final String FILE = "checkout-keys.json";
    /** The state of the checkout a token allows: the only checkouts a token can have paid for. */
    public static final String PAID_STATE = "authorised";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** What became of a token presented. */
    public enum Outcome {
        ACCEPTED, EXPIRED, FORGED, REPLAYED;

        /** As on the wire and in metrics: {@code accepted}, {@code expired}, {@code forged}, {@code replayed}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A token issued: the token, when it expires, and the key that signed it. */
    public record Issued(String token, long expiresAtEpochMillis, long keyId) {
    }

    /**
     * A token checked: its outcome, why (for people), and for an accepted one its nonce (the id of
     * the checkout it allows) and when it expires.
     */
    public record Verdict(Outcome outcome, String detail, String nonce, long expiresAtEpochMillis, Offer offer) {
        public Verdict(Outcome outcome, String detail, String nonce, long expiresAtEpochMillis) {
            this(outcome, detail, nonce, expiresAtEpochMillis, null);
        }
    }

    /**
     * The trigger firing a token was issued on: the trigger's id and when it fired for the unit. Signed
     * with the token, so a token shows which offer it came from, and that it came from one at all.
     */
    public record Offer(String trigger, long firedAtEpochMillis) {
    }

    /**
     * The keys now, without their secrets: the signing key, the keys replaced whose tokens may still
     * be within their TTL (newest first; the previous key is the first of them), the TTL and period.
     */
    public record State(long currentKeyId, long currentSinceEpochMillis, Long previousKeyId, Long previousGoodUntilEpochMillis,
                        List<RetiredKey> retiredKeys, long ttlSeconds, long keyRotationSeconds) {
    }

    /** A key replaced, still held: its tokens are checked until {@code goodUntilEpochMillis}. */
    public record RetiredKey(long keyId, long goodUntilEpochMillis) {
    }

    private record Key(long id, long sinceEpochMillis, byte[] secret, Hmac hmac) {
        Key(long id, long sinceEpochMillis, byte[] secret) {
            this(id, sinceEpochMillis, secret, new Hmac(secret));
        }
    }

    /** A key replaced: the tokens it signed are good until {@code goodUntil} (one TTL after it was replaced) at the latest. */
    private record Retired(Key key, long goodUntil) {
    }

    /** The signing key, and the keys replaced that are still held, newest first. */
    private record Keys(Key current, List<Retired> retired) {
        Key find(long id) {
            if (current.id() == id) {
                return current;
            }
            for (Retired r : retired) {
                if (r.key().id() == id) {
                    return r.key();
                }
            }
            return null;
        }

        Retired retired(Key key) {
            for (Retired r : retired) {
                if (r.key() == key) {
                    return r;
                }
            }
            return null;
        }
    }

    private final Path file;
    private final Duration ttl;
    private final Duration rotation;
    /** The key that signed when this node started: it may have signed tokens under a longer TTL before. */
    private final Key signingAtStart;
    /** When the last token signed before this start, under whatever TTL it had then, stops being good at the latest. */
    private final long earlierTokensGoodUntil;
    private volatile Keys keys;
    /** Checkouts taken by a token, to when the token expires: after that it is refused as expired anyway. */
    private final Map<String, Long> taken = new HashMap<>();

    private CheckoutTokens(Path file, Duration ttl, Duration rotation, Keys keys, long earlierTokensGoodUntil) {
        this.file = file;
        this.ttl = ttl;
        this.rotation = rotation;
        this.keys = keys;
        this.signingAtStart = keys.current();
        this.earlierTokensGoodUntil = earlierTokensGoodUntil;
    }

    /** Reads {@code DATA_DIR/checkout-keys.json}, or makes the first key (owner-only) on a node's first start. */
    public static CheckoutTokens loadOrCreate(Path dataDir, Duration ttl, Duration rotation, long nowEpochMillis) throws IOException {
        return loadOrCreate(dataDir, ttl, rotation, nowEpochMillis, 0, ttl);
    }

    /**
     * As {@link #loadOrCreate(Path, Duration, Duration, long)}, after settling a rotation a stop
     * interrupted ({@link SecretRotation#settled}): {@code journaledKeyId} is the key the journal's
     * latest rotation made the signing key, 0 when it has none. {@code longestTtl} is the longest TTL
     * tokens of this data directory may have been issued under before (at least {@code ttl}): the key
     * signing now is kept, once replaced, until {@code nowEpochMillis} plus that TTL at least.
     */
    public static CheckoutTokens loadOrCreate(Path dataDir, Duration ttl, Duration rotation, long nowEpochMillis,
                                              long journaledKeyId, Duration longestTtl) throws IOException {
        return load(dataDir, ttl, rotation, nowEpochMillis, journaledKeyId, longestTtl, SecretWrites.now());
    }

    /**
     * As {@link #loadOrCreate(Path, Duration, Duration, long, long, Duration)}, what it writes (the
     * settled rotation, the first key) left to {@code writes}: the keys read are the ones the file
     * holds once they are done.
     */
    public static CheckoutTokens load(Path dataDir, Duration ttl, Duration rotation, long nowEpochMillis,
                                      long journaledKeyId, Duration longestTtl, SecretWrites writes) throws IOException {
        long keptFor = Math.max(ttl.toMillis(), longestTtl.toMillis());
        Path file = dataDir.resolve(FILE);
        byte[] settled = SecretRotation.settled(file, content -> journaledKeyId > 0 && signingWith(content, journaledKeyId), writes);
        byte[] content = writes.createdOnce(file, settled,
                () -> encode(new Keys(new Key(1, nowEpochMillis, newSecret()), List.of())));
        try {
            JsonNode root = JSON.readTree(content);
            Key current = decode(root.get("current"));
            if (current == null) {
                throw new IOException("no current key");
            }
            List<Retired> retired = new ArrayList<>();
            for (JsonNode n : root.path("retired")) {
                retired.add(new Retired(decode(n), n.path("goodUntilEpochMillis").asLong(0)));
            }
            Key previous = decode(root.get("previous"));
            if (previous != null) {
                // Written by a build that held one key replaced: good for one TTL after the current one took over.
                retired.add(new Retired(previous, current.sinceEpochMillis() + keptFor));
            }
            return new CheckoutTokens(file, ttl, rotation, new Keys(current, List.copyOf(retired)), nowEpochMillis + keptFor);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("the checkout token keys " + file + " cannot be read (" + e.getMessage()
                    + "); delete the file and the node makes a new key: tokens it issued before are then refused", e);
        }
    }

    private static byte[] newSecret() {
        byte[] s = new byte[32];
        RANDOM.nextBytes(s);
        return s;
    }

    private static byte[] encode(Keys keys) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("current", encode(keys.current()));
        var retired = root.putArray("retired");
        for (Retired r : keys.retired()) {
            retired.add(encode(r.key()).put("goodUntilEpochMillis", r.goodUntil()));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    private static ObjectNode encode(Key key) {
        return JSON.createObjectNode().put("id", key.id()).put("sinceEpochMillis", key.sinceEpochMillis())
                .put("secret", B64.encodeToString(key.secret()));
    }

    private static Key decode(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        byte[] secret = Base64.getUrlDecoder().decode(n.path("secret").asText(""));
        if (secret.length < 32 || n.path("id").asLong(0) < 1) {
            throw new IllegalArgumentException("a key has no 32-byte secret or no id");
        }
        return new Key(n.get("id").asLong(), n.path("sinceEpochMillis").asLong(0), secret);
    }

    public Duration ttl() {
        return ttl;
    }

    /** A token for {@code targetingKey}, good for one TTL from {@code nowEpochMillis}. Any thread. */
    public Issued issue(String targetingKey, long nowEpochMillis) {
        return issue(targetingKey, nowEpochMillis, null);
    }

    /**
     * A token for {@code targetingKey} that a trigger's firing offered ({@code offer}; null for one a
     * shop's back end asked for): the offer is a sixth part of the token, under the signature.
     */
    public Issued issue(String targetingKey, long nowEpochMillis, Offer offer) {
        Key key = keys.current();
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        long expires = nowEpochMillis + ttl.toMillis();
        String claims = "v1." + key.id() + "." + expires + "." + B64.encodeToString(nonce) + (offer == null ? ""
                : "." + B64.encodeToString((offer.firedAtEpochMillis() + "@" + offer.trigger()).getBytes(StandardCharsets.UTF_8)));
        return new Issued(claims + "." + B64.encodeToString(key.hmac().of(claims + "\n" + targetingKey)), expires, key.id());
    }

    /**
     * Checks a token presented for {@code targetingKey}: signature, key and expiry. Whether it was
     * used before is the caller's {@link #take} of the checkout it allows. Any thread.
     */
    public Verdict check(String token, String targetingKey, long nowEpochMillis) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if ((parts.length != 5 && parts.length != 6) || !parts[0].equals("v1")) {
            return refused(Outcome.FORGED, "not a checkout token of this node (v1.<key>.<expires>.<nonce>[.<offer>].<signature>)");
        }
        long keyId;
        long expires;
        byte[] mac;
        Offer offer = null;
        try {
            keyId = Long.parseLong(parts[1]);
            expires = Long.parseLong(parts[2]);
            mac = Base64.getUrlDecoder().decode(parts[parts.length - 1]);
            if (parts.length == 6) {
                String fired = new String(Base64.getUrlDecoder().decode(parts[4]), StandardCharsets.UTF_8);
                int at = fired.indexOf('@');
                offer = new Offer(fired.substring(at + 1), Long.parseLong(fired.substring(0, Math.max(at, 0))));
            }
        } catch (IllegalArgumentException e) {
            // The parser's own words ("For input string: ...") tell a caller nothing of what a token is.
            return refused(Outcome.FORGED, "not a checkout token of this node: its key and expiry are whole numbers and its"
                    + " signature base64url (v1.<key>.<expires>.<nonce>.<signature>)");
        }
        Keys now = keys;
        Key key = now.find(keyId);
        if (key == null) {
            return refused(Outcome.FORGED, "signed by key " + keyId + ", which this node does not hold (it signs with key "
                    + now.current().id() + (now.retired().isEmpty() ? "" : " and still accepts key"
                    + (now.retired().size() == 1 ? " " : "s ") + String.join(", ",
                    now.retired().stream().map(r -> Long.toString(r.key().id())).toList())) + ")");
        }
        String claims = String.join(".", java.util.Arrays.copyOf(parts, parts.length - 1));
        if (!Hmac.same(mac, key.hmac().of(claims + "\n" + (targetingKey == null ? "" : targetingKey)))) {
            return refused(Outcome.FORGED, "the signature does not match: the token was altered, or issued for another unit");
        }
        if (nowEpochMillis >= expires) {
            return refused(Outcome.EXPIRED, "expired " + (nowEpochMillis - expires) + " ms ago; ask for a new one");
        }
        Retired retired = now.retired(key);
        if (retired != null && nowEpochMillis >= retired.goodUntil()) {
            return refused(Outcome.EXPIRED, "signed by key " + keyId + ", retired longer ago than any token it signed is good for");
        }
        return new Verdict(Outcome.ACCEPTED, "accepted", parts[3], expires, offer);
    }

    /** A refusal: its outcome, and the detail a person reads, which starts with the outcome. */
    public static Verdict refused(Outcome outcome, String detail) {
        return new Verdict(outcome, outcome.id() + ": " + detail, null, 0);
    }

    /**
     * Takes the checkout {@code id} a token allows (as the node's core knows it), to be remembered
     * until {@code expiresAtEpochMillis}; false when it was taken before: the token is replayed.
     * Also called, as the node starts again, for every checkout it reads back from its ingest log
     * that counts, so a token used before the restart stays used for as long as it could be presented.
     */
    public boolean take(String id, long expiresAtEpochMillis, long nowEpochMillis) {
        synchronized (taken) {
            forgetExpired(nowEpochMillis);
            return taken.putIfAbsent(id, expiresAtEpochMillis) == null;
        }
    }

    /**
     * Gives a taken checkout back: it does not count (it could not be made durable or applied, or the
     * node refused it), so its token may be presented again.
     */
    public void release(String id) {
        synchronized (taken) {
            taken.remove(id);
        }
    }

    private void forgetExpired(long now) {
        if (taken.size() < 1024) {
            return;
        }
        for (Iterator<Long> it = taken.values().iterator(); it.hasNext(); ) {
            if (it.next() <= now) {
                it.remove();
            }
        }
    }

    public State state() {
        Keys k = keys;
        List<RetiredKey> retired = k.retired().stream().map(r -> new RetiredKey(r.key().id(), r.goodUntil())).toList();
        return new State(k.current().id(), k.current().sinceEpochMillis(), retired.isEmpty() ? null : retired.getFirst().keyId(),
                retired.isEmpty() ? null : retired.getFirst().goodUntilEpochMillis(), retired, ttl.toSeconds(),
                rotation.toSeconds());
    }

    /** True when the signing key has been in use for {@code keyRotation} or longer. */
    public boolean rotationDue(long nowEpochMillis) {
        return nowEpochMillis - keys.current().sinceEpochMillis() >= rotation.toMillis();
    }

    /**
     * A new signing key, not in use yet: {@link SecretRotation#journaled} prepares it beside the key
     * file, journals the rotation, and only then signs with it. The key it replaces is kept for one
     * TTL (the key that signed at the start, at least as long as the tokens it signed before the
     * start may be good), beside every key replaced before whose time has not run out since.
     */
    public Rotation next(long nowEpochMillis) {
        return next(nowEpochMillis, false);
    }

    /**
     * As {@link #next(long)}; with {@code revoke} (a key that leaked) no key held before is kept: the
     * tokens they signed are refused as forged from the moment the new key signs.
     */
    public Rotation next(long nowEpochMillis, boolean revoke) {
        Keys before = keys;
        List<Retired> retired = new ArrayList<>();
        if (!revoke) {
            long goodUntil = nowEpochMillis + ttl.toMillis();
            if (before.current() == signingAtStart) {
                goodUntil = Math.max(goodUntil, earlierTokensGoodUntil);
            }
            retired.add(new Retired(before.current(), goodUntil));
            for (Retired r : before.retired()) {
                if (r.goodUntil() > nowEpochMillis) {
                    retired.add(r);
                }
            }
        }
        return new Rotation(before, new Keys(new Key(before.current().id() + 1, nowEpochMillis, newSecret()), List.copyOf(retired)));
    }

    /**
     * Whether the key file's {@code content} signs with key {@code keyId}: a prepared key file is the
     * one the journal's latest rotation made when their ids match.
     */
    public static boolean signingWith(byte[] content, long keyId) {
        try {
            return JSON.readTree(content).path("current").path("id").asLong(0) == keyId;
        } catch (IOException e) {
            return false;
        }
    }

    /** A rotation from one signing key to the next. */
    public final class Rotation implements SecretRotation {
        private final Keys before;
        private final Keys after;

        private Rotation(Keys before, Keys after) {
            this.before = before;
            this.after = after;
        }

        public long fromKeyId() {
            return before.current().id();
        }

        public long toKeyId() {
            return after.current().id();
        }

        /** The keys this rotation stops accepting at once (revoked), oldest first; empty for an ordinary rotation. */
        public List<Long> revokedKeyIds() {
            if (!after.retired().isEmpty()) {
                return List.of();
            }
            List<Long> ids = new ArrayList<>();
            for (int i = before.retired().size() - 1; i >= 0; i--) {
                ids.add(before.retired().get(i).key().id());
            }
            ids.add(before.current().id());
            return List.copyOf(ids);
        }

        @Override
        public Path file() {
            return file;
        }

        @Override
        public byte[] nextContent() throws IOException {
            return encode(after);
        }

        @Override
        public void use() {
            keys = after;
        }
    }

    /** The id a checkout allowed by a token is taken under: {@code one-click:<nonce>}. */
    public static String checkoutId(String nonce) {
        return "one-click:" + nonce;
    }
}
