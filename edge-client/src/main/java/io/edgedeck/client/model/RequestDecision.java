package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of an approval or rejection of a change request ({@code POST /api/v1/requests/{id}/approve},
 * {@code /reject}): why, and the revision the person decided on, as they saw it. An approval names its
 * revision (required): when the requester edited the request since, the node refuses it (409) rather
 * than approve a change nobody saw. A rejection may name one, and is refused alike when it moved on.
 *
 * @param operator accepted for older clients and ignored: the audit names the token's person
 * @param revision the request's revision the decision is about, or null (a rejection only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestDecision(String operator, String reason, Integer revision) {
    public RequestDecision(String reason, int revision) {
        this(null, reason, revision);
    }
}
