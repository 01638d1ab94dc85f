package io.edgedeck.simulator.server.operators;

import io.edgedeck.client.model.Caller;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.show.Show;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Audits what {@code operators add} and {@code operators revoke} changed in {@code DATA_DIR/operators.json}:
 * one entry per token made ({@value #ADD}) and per token revoked ({@value #REVOKE}), by the account on the node's
 * machine that ran the command, {@code os:USER}, as the command recorded it in the file ({@code admin} for an entry
 * written before the file said: the commands need the node's data directory, which only its owner has), naming the
 * person and their role,
 * with when the command made the change; never the token or its hash. The commands run beside the node,
 * which may be stopped: the node looks at the file once a second between ticks (one {@code stat} while it
 * is unchanged), as it starts, and before it takes a request whose check read the changed file, so a person's
 * first change after {@code operators add} is audited after their token's entry; it audits each change its trail
 * lacks. The trail is the record: a
 * person's {@code k}-th token (names are one person's however they are written) is audited once the
 * trail holds {@code k} adds of theirs, and its revocation once it holds {@code k} revocations.
 *
 * <p>Engine thread only.
 */
public final class OperatorAudit {
    public static final String ADD = "operator.add";
    public static final String REVOKE = "operator.revoke";
    private static final Logger LOG = LoggerFactory.getLogger(OperatorAudit.class);
    private static final long LOOK_EVERY_NANOS = 1_000_000_000L;
    /** How an account on the node's machine is named as the actor: {@code os:alice} (no person's name has a colon). */
    static final String ACCOUNT = "os:";

    private final Path file;
    /** Per person (lower case), the adds and revocations the trail holds. */
    private final Map<String, int[]> audited = new HashMap<>();
    private long nextLookNanos = Long.MIN_VALUE;
    private Object seen;

    /** @param records the journal as the node started, for the entries it already holds */
    public OperatorAudit(Path file, List<JournalRecord> records) {
        this.file = file;
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.Audited a && (Caller.ADMIN.equals(a.actor()) || a.actor().startsWith(ACCOUNT))) {
                count(a.action(), a.target());
            }
        }
    }

    /** Between ticks: looks at the file when a second has passed since the last look. @return whether it looked */
    public boolean betweenTicks(Show show) {
        long now = System.nanoTime();
        if (nextLookNanos != Long.MIN_VALUE && now - nextLookNanos < 0) {
            return false;
        }
        nextLookNanos = now + LOOK_EVERY_NANOS;
        look(show);
        return true;
    }

    /** Audits what the file holds that the trail lacks, when the file changed since the last look. Engine thread. */
    public void look(Show show) {
        Object stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = List.of(Objects.toString(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException none) {
            stamp = "none";
        } catch (IOException e) {
            return;
        }
        if (stamp.equals(seen)) {
            return;
        }
        List<Operator> operators;
        try {
            operators = OperatorStore.read(file);
        } catch (IOException e) {
            // Operators says so in the log and refuses the personal tokens; the change is audited once the file reads.
            seen = null;
            return;
        }
        seen = stamp;
        Map<String, int[]> inFile = new HashMap<>();
        for (Operator o : operators) {
            int[] n = inFile.computeIfAbsent(key(o.name()), k -> new int[2]);
            int[] done = audited.computeIfAbsent(key(o.name()), k -> new int[2]);
            String token = o.role().id() + ", token made " + o.createdAt();
            if (++n[0] > done[0] && !audit(show, actor(o.createdBy()), ADD, o.name(), "none", token, "operators add: a token of their own")
                    || !o.active() && ++n[1] > done[1] && !audit(show, actor(o.revokedBy()), REVOKE, o.name(), token,
                    "revoked at " + o.revokedAt(), "operators revoke: the node refuses the token")) {
                return;
            }
        }
    }

    /** Who the audit names for a change the file says {@code account} made: {@code os:ACCOUNT}, or {@code admin} when it does not say. */
    private static String actor(String account) {
        return account == null ? Caller.ADMIN : ACCOUNT + account;
    }

    /** False when the entry could not be journaled: the file is looked at again a second later. */
    private boolean audit(Show show, String actor, String action, String name, String before, String after, String reason) {
        try {
            show.core().experiments().audited(show.core().nowMillis(), actor, action, name, before, after, reason);
        } catch (RuntimeException e) {
            seen = null;
            LOG.error("Could not audit {} of {}: {}", action, name, e.getMessage());
            return false;
        }
        count(action, name);
        return true;
    }

    private void count(String action, String name) {
        int which = ADD.equals(action) ? 0 : REVOKE.equals(action) ? 1 : -1;
        if (which >= 0) {
            audited.computeIfAbsent(key(name), k -> new int[2])[which]++;
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
