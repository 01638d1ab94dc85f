package io.edgedeck.simulator.server.http;

import io.edgedeck.simulator.server.OwnerOnlyFiles;
import io.edgedeck.simulator.server.Secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The node's bearer token: 32 random bytes, base64url, made on first start and kept in a file only
 * its owner can read. The token itself never reaches a log or a message; only the file's path does.
 */
public final class NodeToken {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeToken.class);

    private final byte[] expected;
    private final Path file;
    private final boolean tighten;
    private final String warning;
    /** The mode {@link #settle} found and changed to owner-only, for {@link #unsettle} to put back; else null. */
    private volatile Set<PosixFilePermission> tightenedFrom;
    private volatile String tightened;

    private NodeToken(byte[] expected, Path file, boolean tighten, String warning) {
        this.expected = expected;
        this.file = file;
        this.tighten = tighten;
        this.warning = warning;
    }

    /** Reads the token file, or creates it with a new token, and settles it ({@link #settle}) at once. */
    public static NodeToken loadOrCreate(Path file) throws IOException {
        NodeToken token = read(file);
        token.settle();
        return token;
    }

    /**
     * Reads the token file, or creates it with a new token, changing nothing else: a file open to
     * others keeps its mode, and what a creation a crash cut short left beside it stays, until {@link
     * #settle}. A starting node reads its keys before its checks and settles them once every check
     * has passed, so a start refused changes no byte or mode of its data directory (a token file it
     * made is a new entry, which the refusal takes back).
     */
    public static NodeToken read(Path file) throws IOException {
        boolean posix = OwnerOnlyFiles.posix(file.toAbsolutePath().getParent());
        boolean existed = Files.exists(file);
        if (!existed) {
            try {
                OwnerOnlyFiles.createNew(file, (Secrets.newToken() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another start made it first: that one is kept
            }
        }
        boolean tighten = existed && posix && !openTo(Files.getPosixFilePermissions(file)).isEmpty();
        String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (token.isEmpty()) {
            throw new IOException("the token file " + file + " is empty; delete it and start the node again to make a new token");
        }
        String warning = posix ? null : "the file system of " + file + " has no POSIX permissions: the token file cannot be made "
                + "owner-only here; keep the data directory private yourself";
        return new NodeToken(token.getBytes(StandardCharsets.US_ASCII), file, tighten, warning);
    }

    /** The permissions of {@code mode} that let anyone but the owner at the file: its group's and others'. */
    private static Set<PosixFilePermission> openTo(Set<PosixFilePermission> mode) {
        Set<PosixFilePermission> open = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : mode) {
            if (!p.name().startsWith("OWNER_")) {
                open.add(p);
            }
        }
        return open;
    }

    /** What {@code removed} let the file's group and others do, in words: "its group and others could read it". */
    static String couldDo(Set<PosixFilePermission> removed) {
        String group = acts(removed, "GROUP_");
        String others = acts(removed, "OTHERS_");
        if (group.equals(others)) {
            return "its group and others could " + group + " it";
        }
        return group.isEmpty() ? "others could " + others + " it"
                : others.isEmpty() ? "its group could " + group + " it"
                : "its group could " + group + " it and others could " + others + " it";
    }

    private static String acts(Set<PosixFilePermission> removed, String whose) {
        java.util.List<String> acts = new java.util.ArrayList<>();
        for (String act : new String[] {"READ", "WRITE", "EXECUTE"}) {
            if (removed.contains(PosixFilePermission.valueOf(whose + act))) {
                acts.add(act.equals("EXECUTE") ? "run" : act.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return String.join(" and ", acts);
    }

    /**
     * Does what reading the file found it needs: deletes what a creation of it a crash cut short left beside it (it may
     * hold a token no one was given), and takes from a file its group or others could get at those rights alone (the
     * owner's stay as they are: a file its owner made read-only stays so), saying so in one line of the log: which file,
     * from what mode to what, and what the group or others could do before ({@link #tightened}).
     */
    public void settle() throws IOException {
        OwnerOnlyFiles.deleteInterrupted(file);
        Set<PosixFilePermission> was = tighten ? Files.getPosixFilePermissions(file) : null;
        Set<PosixFilePermission> removed = was == null ? Set.of() : openTo(was);
        if (!removed.isEmpty()) {
            Set<PosixFilePermission> now = java.util.EnumSet.copyOf(was);
            now.removeAll(removed);
            Files.setPosixFilePermissions(file, now);
            tightenedFrom = was;
            tightened = "the key file " + file + " was " + PosixFilePermissions.toString(was) + ": " + couldDo(removed)
                    + "; it is now " + PosixFilePermissions.toString(now) + ", for its owner alone";
            LOG.warn("The key file {} was {}: {}; it is now {}, for its owner alone", file, PosixFilePermissions.toString(was),
                    couldDo(removed), PosixFilePermissions.toString(now));
        }
    }

    /**
     * Puts back the mode {@link #settle} changed, for a start refused after it settled its keys: the start leaves the
     * file as it found it, and the log says so. Nothing when settling changed no mode.
     */
    public void unsettle() throws IOException {
        Set<PosixFilePermission> was = tightenedFrom;
        if (was != null) {
            Files.setPosixFilePermissions(file, was);
            tightenedFrom = null;
            tightened = null;
            LOG.warn("The key file {} is {} again, as the refused start found it", file, PosixFilePermissions.toString(was));
        }
    }

    /** What settling changed of the file's mode, in words (which file, from what mode to what), or null when nothing. */
    public String tightened() {
        return tightened;
    }

    public Path file() {
        return file;
    }

    /** Something the operator should know about the token file: a file system that cannot make it owner-only; or null. */
    public String warning() {
        return warning;
    }

    /** True when an {@code X-API-Key} header carries this token, as OpenFeature's OFREP providers send it. */
    public boolean acceptsApiKey(String apiKey) {
        return apiKey != null && MessageDigest.isEqual(expected, apiKey.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** True when an {@code Authorization} header carries this token; takes the same time wherever a wrong token differs. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
