package io.edgedeck.simulator.server.http;

import io.edgedeck.client.model.Role;

/**
 * A request the node answers with a problem document rather than a result: the status, the input
 * field at fault when there is one, and a detail for a person. Handlers throw it; the router renders it.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String field;
    private final Role requiredRole;
    private final String reason;

    public ApiException(int status, String field, String detail) {
        this(status, field, detail, null, null);
    }

    private ApiException(int status, String field, String detail, Role requiredRole, String reason) {
        super(detail);
        this.status = status;
        this.field = field;
        this.requiredRole = requiredRole;
        this.reason = reason;
    }

    /** 401: the key is refused; {@code reason} says why for a program ({@code Access.UNKNOWN_TOKEN}, ...), the detail for a person. */
    public static ApiException unauthorised(String reason, String detail) {
        return new ApiException(401, null, detail, null, reason);
    }

    /** A 403's reason: a key of another of the node's lanes, or a person's own token on a lane for keys only. */
    public static final String WRONG_LANE = io.edgedeck.client.model.Reasons.WRONG_LANE;
    /** A 403's reason: the person's role may not make this change; {@code requiredRole} names the one that may. */
    public static final String ROLE_TOO_LOW = "role-too-low";
    /** A 403's reason: a person approving the change request they opened. */
    public static final String OWN_REQUEST = "own-request";
    /** A 403's reason: a person editing, or (without the approver role) rejecting, a change request another opened. */
    public static final String NOT_REQUESTER = "not-requester";
    /** A 403's reason: a browser's preflight from an origin the node config does not list. */
    public static final String ORIGIN_NOT_ALLOWED = "origin-not-allowed";
    /** A 403's reason: a change sent to the fleet aggregator, which takes none. */
    public static final String AGGREGATOR_TAKES_NO_CHANGES = "aggregator-takes-no-changes";
    /** A 403's reason: a fleet-wide cue fired with a key other than the aggregator's admin token. */
    public static final String ADMIN_TOKEN_REQUIRED = "admin-token-required";
    /** A 403's reason: a checkout token past its expiry. */
    public static final String CHECKOUT_TOKEN_EXPIRED = "checkout-token-expired";
    /** A 403's reason: a checkout token whose signature is not the node's (altered, or made by no key of the node's). */
    public static final String CHECKOUT_TOKEN_FORGED = "checkout-token-forged";

    /** 403: the caller is known, but their role may not do this; the problem names the role that may ({@link #ROLE_TOO_LOW}). */
    public static ApiException forbidden(Role needed, String detail) {
        return new ApiException(403, null, detail, needed, ROLE_TOO_LOW);
    }

    /**
     * 403 for what the caller may not do, with {@code reason} for a program ({@link #WRONG_LANE}, ...) beside
     * {@code detail} for a person; {@code needed} names the role that would do, or null when none would.
     */
    public static ApiException forbidden(String reason, Role needed, String field, String detail) {
        return new ApiException(403, field, detail, needed, reason);
    }

    /**
     * 403 for who the caller is rather than their role (the requester approving their own request,
     * another person editing it): no role would do, so the problem names none.
     */
    public static ApiException refused(String reason, String detail) {
        return new ApiException(403, null, detail, null, reason);
    }

    /** 400 naming the field at fault. */
    public static ApiException invalid(String field, String detail) {
        return new ApiException(400, field, detail);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    /** The role the call needs, for a 403; else null. */
    public Role requiredRole() {
        return requiredRole;
    }

    /** Why the caller was refused, for a program: a 401's reason for the key, a 403's for what it may not do; else null. */
    public String reason() {
        return reason;
    }
}
