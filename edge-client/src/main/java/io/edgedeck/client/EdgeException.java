package io.edgedeck.client;

/**
 * Why an edge refused or could not carry out a request. Every failure a person can cause or meet
 * has a kind, and a message that says what to do about it.
 */
public final class EdgeException extends RuntimeException {

    public enum Kind {
        /** A field of the request is wrong; {@link #field()} names it. HTTP 400. */
        INVALID,
        /** The token is missing, wrong or revoked. HTTP 401. */
        UNAUTHORISED,
        /** The token is good, but its person's role may not do this (a viewer changing a flag). HTTP 403. */
        FORBIDDEN,
        /** No such flag, guardrail or PoP. HTTP 404. */
        NOT_FOUND,
        /** Someone changed it first: the edit was based on an old version. HTTP 409. */
        CONFLICT,
        /** The request is larger than the edge accepts. HTTP 413. */
        TOO_LARGE,
        /** The edge cannot be reached, or did not answer in time; nothing was applied. */
        UNREACHABLE,
        /** The edge answered with something that is not what the API promises. */
        BAD_DATA,
        /**
         * The change did not apply: the node's approval lanes hold it as a change request for another
         * person to approve (HTTP 202); the message names the request and why.
         */
        HELD
    }

    private final Kind kind;
    private final String field;
    private final io.edgedeck.client.model.ChangeRequest held;
    private final String detail;
    private final int status;
    private final boolean sent;

    public EdgeException(Kind kind, String message) {
        this(kind, null, message, null);
    }

    public EdgeException(Kind kind, String field, String message, Throwable cause) {
        this(kind, field, message, null, cause);
    }

    /**
     * @param message for the log: where the request went and how it was answered
     * @param detail  the edge's own words about why (a problem document's {@code detail}), for a person to read; null
     *                when the edge gave none
     */
    public EdgeException(Kind kind, String field, String message, String detail, Throwable cause) {
        this(kind, field, message, detail, cause, 0, true);
    }

    /**
     * @param status the HTTP status the edge answered with; 0 when it gave no answer
     * @param sent   whether the request may have reached the edge: false only when it was certainly never sent (not
     *               connected, or the connection was refused)
     */
    public EdgeException(Kind kind, String field, String message, String detail, Throwable cause, int status, boolean sent) {
        super(message, cause);
        this.kind = kind;
        this.field = field;
        this.held = null;
        this.detail = detail;
        this.status = status;
        this.sent = sent;
    }

    /** A change the approval lanes hold back ({@link Kind#HELD}) as {@code request}. */
    public EdgeException(io.edgedeck.client.model.ChangeRequest request, String message) {
        super(message);
        this.kind = Kind.HELD;
        this.field = null;
        this.held = request;
        this.detail = null;
        this.status = 202;
        this.sent = true;
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault for {@link Kind#INVALID}, e.g. {@code variants[1].weight}; else null. */
    public String field() {
        return field;
    }

    /**
     * Why, in the edge's own words and without the request's method and address: what a person reads. The
     * message ({@link #getMessage()}) where the edge gave no words of its own.
     */
    public String detail() {
        return detail != null ? detail : getMessage();
    }

    /** The HTTP status the edge answered with (409, 503); 0 when it gave no answer (never sent, or no answer came). */
    public int status() {
        return status;
    }

    /**
     * Whether the request may have reached the edge. False only when it certainly did not: it was never sent (not
     * connected), or the edge refused the connection. A change asked for with no answer and {@code sent} may or may
     * not have been made.
     */
    public boolean sent() {
        return sent;
    }

    /** For {@link Kind#HELD}: the change request the change waits in (its number, state and risks); else null. */
    public io.edgedeck.client.model.ChangeRequest heldRequest() {
        return held;
    }
}
