package io.edgedeck.simulator.server;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import io.edgedeck.simulator.server.privacy.PrivacyApi;
import io.edgedeck.simulator.server.privacy.Pseudonyms;
import io.edgedeck.simulator.server.privacy.SecretWrites;
import io.edgedeck.simulator.server.privacy.UnitKeys;
import io.edgedeck.simulator.server.tokens.CheckoutTokenApi;
import io.edgedeck.simulator.server.tokens.CheckoutTokens;
import io.edgedeck.simulator.show.ShowRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A live node's secrets about its audience and their schedule (docs/PRIVACY.md): the unit key ids
 * are keyed with at the door, the salt of the pseudonyms that leave the node, the checkout token
 * keys; and one thread that scrubs the ingest log's records past the raw retention window and
 * rotates the token signing key when it is due.
 */
final class LivePrivacy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LivePrivacy.class);
    /** How often the signing key's age is looked at. */
    private static final Duration KEY_CHECK = Duration.ofSeconds(1);

    final UnitKeys keys;
    final Pseudonyms pseudonyms;
    final CheckoutTokens tokens;
    /** How long a token's use read back from the ingest log is remembered: the longest TTL tokens were issued under here. */
    private final Duration usesKeptFor;
    private ScheduledExecutorService schedule;

    /** Keeps, in the data directory, the longest TTL in seconds this node issued checkout tokens under. */
    static final String TOKEN_TTL_FILE = "checkout-token-ttl";

    /** What reading the secrets decided to write, held until {@link #write}. */
    private final SecretWrites writes;

    private LivePrivacy(UnitKeys keys, Pseudonyms pseudonyms, CheckoutTokens tokens, Duration usesKeptFor, SecretWrites writes) {
        this.keys = keys;
        this.pseudonyms = pseudonyms;
        this.tokens = tokens;
        this.usesKeptFor = usesKeptFor;
        this.writes = writes;
    }

    /**
     * Reads the node's unit key, salt and token keys in {@code dir} as they are once a rotation a stop
     * interrupted is settled by what {@code audit}, the journal's restored audit trail, says its latest
     * rotation of each made, and those a first start makes are made. Nothing is written yet: the
     * start may still be refused, and a refused start changes no byte of its data directory. What the
     * reading decided (the settled rotation, the first secrets, a longer token TTL) is written by
     * {@link #write}, once every check has passed.
     */
    static LivePrivacy open(Path dir, NodeConfig.Privacy config, List<AuditEntry> audit) throws IOException {
        long now = System.currentTimeMillis();
        SecretWrites writes = SecretWrites.held();
        Duration longestTtl = longestTokenTtl(dir, config.tokenTtl(), writes);
        return new LivePrivacy(UnitKeys.load(dir, writes),
                Pseudonyms.load(dir, now, latestRotation(audit, PrivacyApi.ROTATE_ACTION, PrivacyApi.GENERATION), writes),
                CheckoutTokens.load(dir, config.tokenTtl(), config.tokenKeyRotation(), now,
                        latestRotation(audit, CheckoutTokenApi.ROTATE_ACTION, CheckoutTokenApi.KEY), longestTtl, writes),
                longestTtl, writes);
    }

    /**
     * Writes what {@link #open} decided: the first secrets of a new data directory, a rotation a stop
     * interrupted put in place (or its unrecorded secret dropped), the longest token TTL. Called once
     * every check of the start has passed, before the node serves and before anything keyed with
     * these secrets is written.
     */
    void write() throws IOException {
        writes.write();
    }

    /**
     * The longest TTL tokens of this data directory may have been issued under: the config's now, or a
     * longer one an earlier start used, which {@link #TOKEN_TTL_FILE} keeps (written and synced, by
     * {@code writes}, before a token of a longer TTL is issued). A token carries its own expiry, so a
     * node started again with a shorter {@code ttlSeconds} still takes tokens issued before for their
     * whole TTL, and must remember their uses as long, and keep the key that signed them as long once
     * it is replaced.
     */
    static Duration longestTokenTtl(Path dir, Duration configured, SecretWrites writes) throws IOException {
        Path file = dir.resolve(TOKEN_TTL_FILE);
        long before = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            try {
                before = Long.parseLong(text);
            } catch (NumberFormatException e) {
                LOG.warn("{} holds no whole number of seconds (\"{}\"); the longest checkout token TTL is taken as the"
                        + " configured {} s", file, text.length() > 40 ? text.substring(0, 40) + "..." : text, configured.toSeconds());
            }
        }
        if (configured.toSeconds() > before) {
            byte[] longest = Long.toString(configured.toSeconds()).getBytes(StandardCharsets.US_ASCII);
            writes.add(() -> OwnerOnlyFiles.replace(file, longest));
            return configured;
        }
        return Duration.ofSeconds(before);
    }

    /** The number the latest {@code action} in the audit trail rotated to ({@code after} is "PREFIX N"), or 0. */
    static long latestRotation(List<AuditEntry> audit, String action, String prefix) {
        for (int i = audit.size() - 1; i >= 0; i--) {
            AuditEntry e = audit.get(i);
            if (action.equals(e.action()) && e.after() != null && e.after().startsWith(prefix)) {
                try {
                    return Long.parseLong(e.after().substring(prefix.length()).trim());
                } catch (NumberFormatException unreadable) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * An event read back from the ingest log as the node starts, one that counts: a checkout a token
     * allowed stays taken for as long as its token could still be presented, so a restart lets no
     * token be replayed. A token only ever pays for an {@code authorised} checkout, so checkouts in
     * other states (started, queued, reconciled) are not remembered.
     */
    void replayed(IngestEvent event, long arrivalEpochMillis) {
        long goodUntil = arrivalEpochMillis + usesKeptFor.toMillis();
        long now = System.currentTimeMillis();
        if (event instanceof IngestEvent.Checkout c && c.id() != null && CheckoutTokens.PAID_STATE.equals(c.state())
                && goodUntil > now) {
            tokens.take(c.id(), goodUntil, now);
        }
    }

    /**
     * Starts the schedule: the ingest log scrubbed every quarter of the retention window (at least
     * every second, at most every hour: a scrub copies the log once), so a record keeps its raw ids
     * for at most the window and a quarter of it (the window and an hour beyond a 4 h window); the
     * signing key looked at every second.
     */
    void start(LiveIntake intake, ShowRunner runner) {
        long every = scrubEvery(intake.rawRetention());
        schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("edgedeck-privacy").daemon().factory());
        schedule.scheduleWithFixedDelay(() -> {
            if (intake.log().stopped() != null) {
                // Nothing can be scrubbed until the node is started again; the log said why once, when it stopped.
                return;
            }
            try {
                intake.scrubExpired().get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                LOG.warn("Scrubbing the ingest log failed; it is tried again in {} ms", every, e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        schedule.scheduleWithFixedDelay(() -> CheckoutTokenApi.rotateIfDue(tokens, runner), KEY_CHECK.toMillis(),
                KEY_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How often the ingest log is scrubbed for a raw retention window of {@code window}. */
    static long scrubEvery(Duration window) {
        return Math.clamp(window.toMillis() / 4, 1_000, 3_600_000);
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }
}
