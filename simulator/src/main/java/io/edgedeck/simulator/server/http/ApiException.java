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

    /** 403: the caller is known, but their role may not do this; the problem names the role that may. */
    public static ApiException forbidden(Role needed, String detail) {
        return new ApiException(403, null, detail, needed, null);
    }

    /**
     * 403 for who the caller is rather than their role (the requester approving their own request,
     * another person editing it): no role would do, so the problem names none.
     */
    public static ApiException refused(String detail) {
        return new ApiException(403, null, detail, null, null);
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

    /** Why a key was refused, for a 401; else null. */
    public String reason() {
        return reason;
    }
}
