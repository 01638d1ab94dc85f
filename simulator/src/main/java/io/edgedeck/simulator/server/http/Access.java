package io.edgedeck.simulator.server.http;

import org.eclipse.jetty.http.HttpFields;

import java.util.function.Predicate;

/**
 * Who may call a {@link Lane}: a check on the request's headers, and what a refused caller is told
 * (401, with a {@code WWW-Authenticate} challenge). Keys are compared in constant time by
 * {@link NodeToken}; no key ever reaches a log or an answer.
 *
 * @param refusal the 401 detail, naming the key the lane wants (never its value)
 */
public record Access(Predicate<HttpFields> check, String refusal) {

    /** No key needed. */
    public static Access anyone() {
        return new Access(headers -> true, null);
    }

    /** {@code Authorization: Bearer <key>}. */
    public static Access bearer(NodeToken key, String refusal) {
        return new Access(headers -> key.accepts(headers.get("Authorization")), refusal);
    }

    /** {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, as OpenFeature's OFREP providers send it. */
    public static Access bearerOrApiKey(NodeToken key, String refusal) {
        return new Access(headers -> key.accepts(headers.get("Authorization")) || key.acceptsApiKey(headers.get("X-API-Key")),
                refusal);
    }

    boolean permits(HttpFields headers) {
        return check.test(headers);
    }
}
