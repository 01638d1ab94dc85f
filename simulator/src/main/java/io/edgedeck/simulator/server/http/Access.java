package io.edgedeck.simulator.server.http;

import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.Reasons;
import io.edgedeck.client.model.Role;
import org.eclipse.jetty.server.Request;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Who may call a {@link Lane}: a look at the request (its headers, for the ingest lane also a key in
 * the query) that lets the call in as someone ({@link Caller}) or refuses it (401, with a
 * {@code WWW-Authenticate} challenge, a {@code reason} code and a detail that names the key the lane
 * wants, never its value). Keys are compared in constant time by {@link NodeToken}; no key ever reaches a log or an answer.
 *
 * @param check     who the request may call the lane as, or why not
 * @param otherLane true when the request carries a key of another of the node's lanes
 * @param forbidden the 403 detail for such a request
 */
public record Access(Function<Request, Verdict> check, Predicate<Request> otherLane, String forbidden) {

    /** What the check found. */
    public sealed interface Verdict {
        /** Let in, acting as {@code caller}. */
        record Let(Caller caller) implements Verdict {
        }

        /**
         * Refused (401): {@code reason} says why for a program ({@link #MISSING_TOKEN}, {@link #UNKNOWN_TOKEN},
         * {@link #REVOKED}, {@link #RESERVED_NAME}, {@link #OPERATORS_UNREADABLE}), {@code detail} for a person: what key
         * the lane wants, or why this one no longer works.
         */
        record Refuse(String reason, String detail) implements Verdict {
        }
    }

    /** A 401's reason: the request carries no key the lane reads (no {@code Authorization: Bearer}, no {@code X-API-Key}). */
    public static final String MISSING_TOKEN = Reasons.MISSING_TOKEN;
    /** A 401's reason: the key is none the node knows. */
    public static final String UNKNOWN_TOKEN = Reasons.UNKNOWN_TOKEN;
    /** A 401's reason: a person's own token that was revoked ({@code operators revoke}). */
    public static final String REVOKED = Reasons.REVOKED;
    /** A 401's reason: a person's own token under a name the node has since reserved for something else. */
    public static final String RESERVED_NAME = Reasons.RESERVED_NAME;
    /**
     * A 401's reason: the node cannot read its operators file, so it lets no person's own token in until the file is
     * fixed; the token itself may be good. The admin token still works.
     */
    public static final String OPERATORS_UNREADABLE = Reasons.OPERATORS_UNREADABLE;

    /** Who a lane that needs no key lets in. */
    public static final Caller ANYONE = new Caller("anyone", Role.VIEWER);
    /** Who the read key lets in: evaluations and scrapes, no person. */
    public static final Caller READ_KEY = new Caller("read-key", Role.VIEWER);
    /** Who the ingest key lets in: a site's events, no person. */
    public static final Caller INGEST_KEY = new Caller("ingest-key", Role.VIEWER);

    public Access(Function<Request, Verdict> check) {
        this(check, request -> false, null);
    }

    /** No key needed. */
    public static Access anyone() {
        return new Access(request -> new Verdict.Let(ANYONE));
    }

    /**
     * The read key, acting as {@link #READ_KEY}, or whoever {@code others} lets in (the admin token, a
     * person's own): for the diagnostic reads support opens without a key that changes the show. Both
     * are asked every time, so the time taken says nothing of which one matched.
     */
    public static Access readKeyOr(NodeToken readKey, Access others) {
        return new Access(request -> {
            Verdict other = others.verdict(request);
            return readKey.accepts(header(request, "Authorization")) ? new Verdict.Let(READ_KEY) : other;
        });
    }

    /** {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, as OpenFeature's OFREP providers send it. */
    public static Access bearerOrApiKey(NodeToken key, Caller as, String refusal) {
        return either(key, request -> header(request, "X-API-Key"), as, refusal);
    }

    /**
     * {@code Authorization: Bearer <key>}, or the key as the query parameter {@code parameter}: for
     * a browser's {@code navigator.sendBeacon}, which cannot set a header.
     */
    public static Access bearerOrQueryKey(NodeToken key, String parameter, Caller as, String refusal) {
        return either(key, request -> queryValue(request, parameter), as, refusal);
    }

    /**
     * The key as a bearer token or as {@code other} gives it. Both are read before either is compared, so
     * one sent twice is refused (400) whichever of them carries the key.
     */
    private static Access either(NodeToken key, Function<Request, String> other, Caller as, String refusal) {
        return new Access(request -> {
            String bearer = header(request, "Authorization");
            String plain = other.apply(request);
            return key.accepts(bearer) || key.acceptsApiKey(plain) ? new Verdict.Let(as)
                    : new Verdict.Refuse(bearer == null && plain == null ? MISSING_TOKEN : UNKNOWN_TOKEN, refusal);
        });
    }

    /**
     * The same access, telling a caller who brings another of the node's keys (a real key, for
     * another lane) 403 with {@code forbidden} rather than 401: it is known, and not allowed here.
     */
    public Access forbidding(List<NodeToken> otherKeys, String forbidden) {
        return forbidding(otherKeys, authorization -> false, forbidden);
    }

    /**
     * The same, and 403 too for an {@code Authorization} header {@code otherBearer} knows (a person's
     * own token, on a lane for keys only). Asked only of a request the lane refused.
     */
    public Access forbidding(List<NodeToken> otherKeys, Predicate<String> otherBearer, String forbidden) {
        Predicate<Request> other = request -> otherKeys.stream().anyMatch(k -> k.accepts(header(request, "Authorization"))
                || k.acceptsApiKey(header(request, "X-API-Key")) || k.acceptsApiKey(queryValue(request, "key")))
                || otherBearer.test(header(request, "Authorization"));
        return new Access(check, other, forbidden);
    }

    /**
     * The one value of a request's header {@code name} (a key's), or null. Sent twice it is a 400 naming
     * it, never the first one taken: a proxy that puts its own in front of its client's would otherwise
     * call as itself, and which of two keys a caller meant is a guess.
     */
    public static String header(Request request, String name) {
        List<String> values = request.getHeaders().getValuesList(name);
        if (values.size() > 1) {
            throw ApiException.invalid(name, "the " + name + " header is sent " + values.size() + " times; send it once");
        }
        return values.isEmpty() ? null : values.getFirst();
    }

    /** A key in the query ({@code ?key=}), or null; sent twice it is a 400 naming it, as any query parameter is ({@link Call#query}). */
    private static String queryValue(Request request, String parameter) {
        String query = request.getHttpURI().getQuery();
        if (query == null || !query.contains(parameter + "=")) {
            return null;
        }
        org.eclipse.jetty.util.Fields.Field field;
        try {
            field = Request.extractQueryParameters(request).get(parameter);
        } catch (RuntimeException malformed) {
            return null;
        }
        return field == null ? null : Call.single(field);
    }

    Verdict verdict(Request request) {
        return check.apply(request);
    }

    boolean isOtherLanesKey(Request request) {
        return otherLane.test(request);
    }
}
