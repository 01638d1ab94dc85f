package io.edgedeck.client.model;

/**
 * The codes a node puts in its problems for a program to read (docs/API.md): written here once, for the node that sends
 * them and the client that reads them, so a renamed code breaks the build rather than the console.
 */
public final class Reasons {
    private Reasons() {
    }

    /** A 401's reason: the request carries no key the lane reads (no {@code Authorization: Bearer}, no {@code X-API-Key}). */
    public static final String MISSING_TOKEN = "missing-token";
    /** A 401's reason: the key is none the node knows. */
    public static final String UNKNOWN_TOKEN = "unknown-token";
    /** A 401's reason: a person's own token that was revoked ({@code operators revoke}). */
    public static final String REVOKED = "revoked";
    /** A 401's reason: a person's own token under a name the node has since reserved for something else. */
    public static final String RESERVED_NAME = "reserved-name";
    /**
     * A 401's reason: the node cannot read its operators file, so it lets no person's own token in until the file is
     * fixed; the token itself may be good. The admin token still works.
     */
    public static final String OPERATORS_UNREADABLE = "operators-unreadable";

    /** A 403's reason: a key of another of the node's lanes, or a person's own token on a lane for keys only. */
    public static final String WRONG_LANE = "wrong-lane";

    /** The problem type of every answer a node gives while it does not serve yet: it starts, or restores its show. */
    public static final String RESTORING_TYPE = "urn:edgedeck:problem:restoring";
    /** Such a problem's {@code phase}: a node on a new data directory starts, with no show to restore. */
    public static final String PHASE_STARTING = "starting";
    /** Such a problem's {@code phase}: a node started again restores the show it had. */
    public static final String PHASE_RESTORING = "restoring";
}
