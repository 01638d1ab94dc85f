package io.edgedeck.simulator.server.http;

import org.eclipse.jetty.server.Request;

import java.util.List;
import java.util.function.Predicate;

/**
 * Who may call a {@link Lane}: a check on the request (its headers, for the ingest lane also a key
 * in the query), and what a refused caller is told (401, with a {@code WWW-Authenticate} challenge).
 * Keys are compared in constant time by {@link NodeToken}; no key ever reaches a log or an answer.
 *
 * @param check     true when the request may call the lane
 * @param refusal   the 401 detail, naming the key the lane wants (never its value)
 * @param otherLane true when the request carries a key of another of the node's lanes
 * @param forbidden the 403 detail for such a request
 */
public record Access(Predicate<Request> check, String refusal, Predicate<Request> otherLane, String forbidden) {

    private Access(Predicate<Request> check, String refusal) {
        this(check, refusal, request -> false, null);
    }

    /** No key needed. */
    public static Access anyone() {
        return new Access(request -> true, null);
    }

    /** {@code Authorization: Bearer <key>}. */
    public static Access bearer(NodeToken key, String refusal) {
        return new Access(request -> key.accepts(request.getHeaders().get("Authorization")), refusal);
    }

    /** {@code Authorization: Bearer <key>} with any one of {@code keys}. */
    public static Access bearerAny(String refusal, NodeToken... keys) {
        java.util.List<NodeToken> all = java.util.List.of(keys);
        return new Access(request -> {
            String authorization = request.getHeaders().get("Authorization");
            boolean ok = false;
            for (NodeToken k : all) {
                ok |= k.accepts(authorization); // every key compared, so the time taken says nothing of which one matched
            }
            return ok;
        }, refusal);
    }

    /** {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, as OpenFeature's OFREP providers send it. */
    public static Access bearerOrApiKey(NodeToken key, String refusal) {
        return new Access(request -> key.accepts(request.getHeaders().get("Authorization"))
                || key.acceptsApiKey(request.getHeaders().get("X-API-Key")), refusal);
    }

    /**
     * {@code Authorization: Bearer <key>}, or the key as the query parameter {@code parameter}: for
     * a browser's {@code navigator.sendBeacon}, which cannot set a header.
     */
    public static Access bearerOrQueryKey(NodeToken key, String parameter, String refusal) {
        return new Access(request -> key.accepts(request.getHeaders().get("Authorization"))
                || key.acceptsApiKey(queryValue(request, parameter)), refusal);
    }

    /**
     * The same access, telling a caller who brings another of the node's keys (a real key, for
     * another lane) 403 with {@code forbidden} rather than 401: it is known, and not allowed here.
     */
    public Access forbidding(List<NodeToken> otherKeys, String forbidden) {
        Predicate<Request> other = request -> otherKeys.stream().anyMatch(k -> k.accepts(request.getHeaders().get("Authorization"))
                || k.acceptsApiKey(request.getHeaders().get("X-API-Key")) || k.acceptsApiKey(queryValue(request, "key")));
        return new Access(check, refusal, other, forbidden);
    }

    private static String queryValue(Request request, String parameter) {
        String query = request.getHttpURI().getQuery();
        if (query == null || !query.contains(parameter + "=")) {
            return null;
        }
        try {
            return Request.extractQueryParameters(request).getValue(parameter);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    boolean permits(Request request) {
        return check.test(request);
    }

    boolean isOtherLanesKey(Request request) {
        return otherLane.test(request);
    }
}
