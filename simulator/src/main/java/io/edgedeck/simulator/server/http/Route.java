package io.edgedeck.simulator.server.http;

import java.util.List;

/**
 * One method on one path of a {@link Lane}. The path is relative to the lane's prefix ({@code ""}
 * for the prefix itself); a segment in braces, such as {@code {key}}, matches any one segment and
 * is handed to the handler as a parameter. Every GET route also answers HEAD.
 *
 * <p>A route takes the query parameters it names ({@link #taking}) and no others: a call with one it
 * does not take is a 400 naming it, before the handler runs, so {@code ?persn=alice} is not read as
 * "no filter" nor {@code ?dry=1} as a kill. A route whose callers are not this API's clients (a
 * connector's push endpoint, whose sender puts its own parameters in the URL) takes any ({@link #takingAnyQuery}).
 */
public final class Route {
    private final String method;
    private final String path;
    /** The query parameters the route takes, or null for any. */
    private final List<String> query;
    private final Handler handler;

    /** Answers one matched call. Runs on the call's own virtual thread; may block. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Call call) throws Exception;
    }

    /** A route taking no query parameter. */
    public Route(String method, String path, Handler handler) {
        this(method, path, List.of(), handler);
    }

    private Route(String method, String path, List<String> query, Handler handler) {
        this.method = method;
        this.path = path;
        this.query = query == null ? null : List.copyOf(query);
        this.handler = handler;
    }

    public static Route get(String path, Handler handler) {
        return new Route("GET", path, handler);
    }

    public static Route post(String path, Handler handler) {
        return new Route("POST", path, handler);
    }

    public static Route put(String path, Handler handler) {
        return new Route("PUT", path, handler);
    }

    public static Route patch(String path, Handler handler) {
        return new Route("PATCH", path, handler);
    }

    /** The same route, taking these query parameters (and no others). */
    public Route taking(String... parameters) {
        return new Route(method, path, List.of(parameters), handler);
    }

    /** The same route, taking any query parameter: for a sender that is not this API's client. */
    public Route takingAnyQuery() {
        return new Route(method, path, null, handler);
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The query parameters the route takes, in the order the documentation lists them; null for any. */
    public List<String> query() {
        return query;
    }

    /** What the router calls: a query parameter the route does not take is a 400, then the route's own handler. */
    public Handler handler() {
        if (query == null) {
            return handler;
        }
        return call -> {
            call.refuseQueryBeyond(query);
            return handler.handle(call);
        };
    }

    String[] template() {
        return path.isEmpty() ? new String[0] : path.substring(1).split("/", -1);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
