package io.edgedeck.simulator.server.operators;

import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.server.Secrets;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.NodeToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Who may open a running node's control API ({@code /api/v1}): the node owner's admin token, acting
 * as {@code admin} with every right, or a person's own token from {@code DATA_DIR/operators.json},
 * acting as that person with their role.
 *
 * <p>Revocation needs no restart: before each check the node looks at the file's identity, time and
 * size (one {@code stat}), and reads it again when any changed. {@code operators revoke} replaces the
 * file in one step, so the call after it sees the revocation. A file that cannot be read lets no
 * personal token in (the admin token still works) until it is fixed, and says so in the log once per
 * change: a revocation in a damaged file must not be ignored.
 *
 * <p>Thread-safe; checks run on the calls' virtual threads.
 */
public final class Operators {
    private static final Logger LOG = LoggerFactory.getLogger(Operators.class);
    private static final String WANTED = "a valid bearer token is required (Authorization: Bearer <token>): the node's"
            + " admin token (DATA_DIR/token) or a person's own (edgedeck-sim operators add)";

    private final NodeToken admin;
    private final Path file;
    private volatile Runnable onReread = () -> { };
    private Stamp seen;
    private State state = new State(List.of(), null, null);
    /** What the last look found wrong, for peers ({@link State#forPeers}), or null: read without the lock. */
    private volatile String lastProblem;

    /** What the file was when last read: a change in any part means read it again. */
    private record Stamp(Object fileKey, long modifiedNanos, long size) {
    }

    /**
     * @param problem  why the file could not be read, naming it by its path (the node's own log), or null
     * @param forPeers the same naming it {@code its operators.json}, for answers to callers without a valid token
     */
    private record State(List<Operator> operators, String problem, String forPeers) {
        static State unreadable(String problem, String forPeers) {
            return new State(List.of(), problem, forPeers);
        }
    }

    public Operators(NodeToken admin, Path file) {
        this.admin = admin;
        this.file = file;
    }

    /**
     * Runs {@code action} on the checking thread each time the file is read again because it changed, before the
     * check that read it answers: the node audits the change before it takes the request that noticed it.
     */
    public void whenReread(Runnable action) {
        this.onReread = Objects.requireNonNull(action);
    }

    /** The lane's access: admin, a person, or a 401 saying which. */
    public Access access() {
        return access(WANTED);
    }

    /** The same, with {@code wanted} saying which keys a lane that takes more than these wants (a revocation still says so). */
    public Access access(String wanted) {
        return new Access(request -> identify(Access.header(request, "Authorization"), wanted));
    }

    /** Who {@code authorization} ({@code Bearer <token>}) acts for, or why it is refused. */
    public Access.Verdict identify(String authorization) {
        return identify(authorization, WANTED);
    }

    private Access.Verdict identify(String authorization, String wanted) {
        if (admin.accepts(authorization)) {
            return new Access.Verdict.Let(new Caller(Caller.ADMIN, Role.ADMIN));
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Access.Verdict.Refuse(Access.MISSING_TOKEN, wanted);
        }
        byte[] given = HexFormat.of().parseHex(Secrets.sha256(authorization.substring(7).trim()));
        State now = current();
        Operator match = null;
        // Every entry is compared, in constant time, whichever matches.
        for (Operator o : now.operators()) {
            if (MessageDigest.isEqual(given, HexFormat.of().parseHex(o.tokenSha256()))) {
                match = o;
            }
        }
        if (match == null) {
            return now.problem() == null ? new Access.Verdict.Refuse(Access.UNKNOWN_TOKEN, wanted)
                    : new Access.Verdict.Refuse(Access.OPERATORS_UNREADABLE,
                            "personal tokens are refused until the node's operators file is fixed (" + now.forPeers() + ")");
        }
        if (!match.active()) {
            return new Access.Verdict.Refuse(Access.REVOKED, "this token of " + match.name() + " was revoked at " + match.revokedAt()
                    + "; ask the node's owner for a new one (edgedeck-sim operators add)");
        }
        String reserved = Operator.reservedProblem(match.name());
        if (reserved != null) {
            return new Access.Verdict.Refuse(Access.RESERVED_NAME, "this token's person is named as the node names something else: " + reserved
                    + "; ask the node's owner to revoke it and give a token under another name (edgedeck-sim operators revoke, add)");
        }
        return new Access.Verdict.Let(new Caller(match.name(), match.role()));
    }

    /**
     * The node's own look, once a second on the engine thread: the file looked at as a check looks at it, read again
     * if it changed, and what is wrong with it logged once per change as a check logs it, so the log says so without
     * waiting for a person to call; and kept for {@link #problem()}.
     */
    public void look() {
        current();
    }

    /**
     * Why the operators file cannot be read, so that no personal token is let in, or null while it can be (or is not
     * there), as the last look or check found it, the file named {@code its operators.json} (never its path): for
     * {@code /healthz}, which any caller may ask. It neither looks at the file nor waits for whoever does.
     */
    public String problem() {
        return lastProblem;
    }

    /** The operators as the file says now, read again if it changed since the last look. */
    private synchronized State current() {
        Stamp stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = new Stamp(a.fileKey(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + a.lastModifiedTime().toInstant().getNano(), a.size());
        } catch (NoSuchFileException none) {
            stamp = null;
        } catch (IOException e) {
            return change(null, State.unreadable("cannot look at " + file + ": " + e.getMessage(),
                    "cannot look at its " + OperatorStore.FILE + ": " + why(e)));
        }
        if (seen != null && Objects.equals(stamp, seen) || seen == null && stamp == null && state.problem() == null) {
            return state;
        }
        if (stamp == null) {
            return change(null, new State(List.of(), null, null));
        }
        try {
            return change(stamp, new State(OperatorStore.read(file), null, null));
        } catch (OperatorStore.Unreadable e) {
            return change(stamp, State.unreadable(e.getMessage(), e.forPeers()));
        } catch (IOException e) {
            return change(stamp, State.unreadable(e.getMessage(), "its " + OperatorStore.FILE + " cannot be read: " + why(e)));
        }
    }

    /** What went wrong reading or looking at the file, in words that hold no path. */
    private static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        String said = e.getMessage();
        return said == null || said.contains(java.io.File.separator) ? e.getClass().getSimpleName() : said;
    }

    private State change(Stamp stamp, State next) {
        if (next.problem() != null && !next.problem().equals(state.problem())) {
            LOG.error("Personal tokens are refused until the operators file is fixed (the admin token still works): {}", next.problem());
        } else if (next.problem() == null && state.problem() != null) {
            LOG.info("The operators file {} reads again; personal tokens work", file);
        }
        seen = stamp;
        state = next;
        lastProblem = next.forPeers();
        onReread.run();
        return next;
    }

    /** For messages: where the people are kept. */
    public Path file() {
        return file;
    }
}
