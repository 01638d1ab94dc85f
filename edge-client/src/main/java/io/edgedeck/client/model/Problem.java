package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error answer as RFC 9457 {@code application/problem+json}.
 *
 * @param type   a URI naming the kind of problem, e.g. {@code urn:edgedeck:problem:invalid}
 * @param title  a short summary of that kind
 * @param status the HTTP status
 * @param detail what went wrong with this request, for a person
 * @param field  the request field at fault, e.g. {@code variants[1].weight}; only for invalid input
 * @param requiredRole the role the call needs, when the caller's role is not enough (403)
 * @param reason why, for a program: for a 401, why the key was refused ({@code missing-token}, {@code unknown-token},
 *               {@code revoked}, {@code reserved-name} or {@code operators-unreadable}); for a 403, what the caller
 *               may not do ({@code wrong-lane}, {@code role-too-low}, {@code own-request}, ...; docs/API.md); absent
 *               from a node that sends none (older ones), and on every other status
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, Role requiredRole, String reason) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem that names no role. */
    public Problem(String type, String title, int status, String detail, String field) {
        this(type, title, status, detail, field, null, null);
    }

    /** A problem that gives no reason code. */
    public Problem(String type, String title, int status, String detail, String field, Role requiredRole) {
        this(type, title, status, detail, field, requiredRole, null);
    }
}
