package io.edgedeck.simulator.server.http;

import io.edgedeck.client.model.Caller;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the lane and route for each request and writes what the handler answers. Its rules, the
 * same for every lane: a request belongs to the first lane under whose prefix one of its routes has
 * the path, or else to the last lane whose prefix it falls under (so two lanes may share a prefix,
 * each opened by its own key, and a stranger still learns nothing of which paths exist); the key is
 * checked before the path is matched (401); an unknown path is 404;
 * a known path with another method is 405 listing the methods it has; a body sent as a type its lane
 * does not read is 415 ({@link BodyTypes}); HEAD is answered wherever GET is, without the body; every
 * error is {@code application/problem+json}. A browser's preflight under a browser-facing lane is
 * answered before any key is asked for, and an allowed origin's answers carry its grant ({@link Cors}).
 *
 * <p>Threads: Jetty calls {@link #handle} on a virtual thread per request, so handlers may block
 * (waiting for the engine, writing a stream) without holding back anyone else.
 */
public final class Router extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** How long a refused caller's body is swallowed before the refusal goes out regardless. */
    private static final java.time.Duration REFUSED_BODY_WAIT = java.time.Duration.ofSeconds(5);
    private final List<Lane> lanes;
    private final HttpLimits limits;
    private final Map<String, String> everyAnswer;
    private final Cors cors;

    public Router(List<Lane> lanes, HttpLimits limits) {
        this(lanes, limits, Map.of());
    }

    public Router(List<Lane> lanes, HttpLimits limits, Map<String, String> everyAnswer) {
        this(lanes, limits, everyAnswer, Cors.NONE);
    }

    /**
     * @param everyAnswer headers sent on every answer, errors and streams included: what kind of server
     *                    this is, for a client to tell before it offers anything
     * @param cors        the web origins browsers may call the browser-facing lanes from ({@link Cors})
     */
    public Router(List<Lane> lanes, HttpLimits limits, Map<String, String> everyAnswer, Cors cors) {
        this.lanes = List.copyOf(lanes);
        this.limits = limits;
        this.everyAnswer = Map.copyOf(everyAnswer);
        this.cors = cors;
    }

    /**
     * Every operation this router answers, as {@code METHOD /path/{param}} (the lane's prefix and the
     * route's path; HEAD, answered wherever GET is, not listed): what the OpenAPI document must describe.
     */
    public List<String> operations() {
        List<String> out = new ArrayList<>();
        for (Lane lane : lanes) {
            for (Route route : lane.routes()) {
                out.add(route.method() + " " + lane.prefix() + route.path());
            }
        }
        return out;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        boolean head = "HEAD".equals(request.getMethod());
        String origin = request.getHeaders().get("Origin");
        String path = request.getHttpURI().getPath();
        String corsMethods = origin == null ? null : cors.methodsFor(path);
        if (corsMethods != null && "OPTIONS".equals(request.getMethod())
                && request.getHeaders().get("Access-Control-Request-Method") != null) {
            // A browser's preflight carries no key: it asks whether this origin may send the request that does.
            write(response, callback, cors.preflight(origin, corsMethods, path), Map.of(), false);
            return true;
        }
        Map<String, String> granted = corsMethods != null && cors.allows(origin) ? Cors.granted(origin) : Map.of();
        Reply reply;
        try {
            reply = route(request);
        } catch (ApiException e) {
            reply = refusing(request, Reply.problem(e));
        } catch (Exception e) {
            LOG.error("The node failed on {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
            reply = refusing(request, Reply.problem(new ApiException(500, null, "the node failed: " + e.getClass().getSimpleName())));
        }
        write(response, callback, reply, granted, head);
        return true;
    }

    private Reply route(Request request) throws Exception {
        String[] segments = segments(request.getHttpURI().getPath());
        Lane chosen = null;
        for (Lane lane : lanes) {
            if (!startsWith(segments, segments(lane.prefix()))) {
                continue;
            }
            chosen = lane;
            if (hasRouteFor(lane, segments)) {
                break;
            }
        }
        if (chosen != null) {
            Lane lane = chosen;
            switch (lane.access().verdict(request)) {
                case Access.Verdict.Refuse refuse -> {
                    // A caller who may not call gets no use of its body, only a bounded swallow so the refusal
                    // is read rather than lost to a reset; the connection carries no further request.
                    return refusing(request, refusal(lane, request, refuse));
                }
                case Access.Verdict.Let let -> {
                    String[] rest = java.util.Arrays.copyOfRange(segments, segments(lane.prefix()).length, segments.length);
                    return dispatch(lane, rest, request, let.caller());
                }
            }
        }
        throw new ApiException(404, null, "no such resource: " + request.getHttpURI().getPath());
    }

    /** The answer to a caller {@code lane} refused: 403 for a key of another of the node's lanes, else 401 with a challenge. */
    private static Reply.Whole refusal(Lane lane, Request request, Access.Verdict.Refuse refuse) {
        return lane.access().isOtherLanesKey(request)
                ? Reply.problem(ApiException.refused(ApiException.WRONG_LANE, lane.access().forbidden()))
                : Reply.problem(ApiException.unauthorised(refuse.reason(), refuse.detail()))
                        .with("WWW-Authenticate", "Bearer realm=\"edgedeck\"");
    }

    /**
     * What the node answers a request {@code gate} (lanes' prefixes and keys, without routes) refuses, as {@link #handle}
     * would: the 401 or 403 of the last lane whose prefix the path falls under, a 400 for a path or key header no
     * request may have; null when it lets the request in, or no lane is under its path. Its body is not read.
     */
    static Reply.Whole refusedAt(List<Lane> gate, Request request) {
        try {
            String[] segments = segments(request.getHttpURI().getPath());
            Lane chosen = null;
            for (Lane lane : gate) {
                if (startsWith(segments, segments(lane.prefix()))) {
                    chosen = lane;
                }
            }
            if (chosen != null && chosen.access().verdict(request) instanceof Access.Verdict.Refuse refuse) {
                return refusal(chosen, request, refuse);
            }
            return null;
        } catch (ApiException e) {
            return Reply.problem(e);
        }
    }

    /**
     * A request refused before its body was read (a viewer's change, a flag that does not exist): the
     * answer waits for the body, swallowed within bounds, and closes the connection. Answered at once,
     * the node would close a connection its client is still sending on, and the client would see a
     * reset, or keep the connection and send its next request into the closed socket. A body a
     * handler took (read whole, or cut short by its size or its deadline) is not read again.
     */
    private static Reply refusing(Request request, Reply.Whole problem) {
        if (request.getLength() == 0) {
            return problem;
        }
        if (request.getAttribute(BodyReader.TAKEN) == null) {
            BodyReader.discard(request, REFUSED_BODY_WAIT);
        }
        return problem.with("Connection", "close");
    }

    /** True when one of the lane's routes (any method) has this path. */
    private static boolean hasRouteFor(Lane lane, String[] segments) {
        String[] rest = java.util.Arrays.copyOfRange(segments, segments(lane.prefix()).length, segments.length);
        for (Route route : lane.routes()) {
            if (match(route.template(), rest) != null) {
                return true;
            }
        }
        return false;
    }

    private Reply dispatch(Lane lane, String[] rest, Request request, Caller caller) throws Exception {
        String method = request.getMethod();
        String wanted = method.equals("HEAD") ? "GET" : method;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : lane.routes()) {
            List<String> params = match(route.template(), rest);
            if (params == null) {
                continue;
            }
            if (route.method().equals(wanted)) {
                return route.handler().handle(new Call(request, params, limits, caller, lane.access(), BodyTypes.forLane(lane.prefix())));
            }
            allowed.add(route.method());
            if (route.method().equals("GET")) {
                allowed.add("HEAD");
            }
        }
        if (!allowed.isEmpty()) {
            return Reply.problem(new ApiException(405, null, method + " is not allowed here; use "
                    + String.join(" or ", allowed))).with("Allow", String.join(", ", allowed));
        }
        throw new ApiException(404, null, "no such resource: " + request.getHttpURI().getPath());
    }

    private static List<String> match(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return null;
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{")) {
                if (segments[i].isEmpty()) {
                    // "/flags/" names no flag: it is no path of the API, not a flag called "".
                    return null;
                }
                params.add(segments[i]);
            } else if (!template[i].equals(segments[i])) {
                return null;
            }
        }
        return params;
    }

    private static boolean startsWith(String[] segments, String[] prefix) {
        if (segments.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (!segments[i].equals(prefix[i])) {
                return false;
            }
        }
        return true;
    }

    /** The path's segments, each percent-decoded strictly: {@code %zz} or bytes that are not UTF-8 are a 400. */
    static String[] segments(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length == 1 && parts[0].isEmpty()) {
            return new String[0];
        }
        String[] out = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = decode(parts[i]);
        }
        return out;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            int hi = i + 1 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int lo = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw ApiException.invalid("path", "'" + segment + "' is not a valid percent-encoded path segment");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid("path", "'" + segment + "' does not decode to UTF-8 text");
        }
    }

    // ------------------------------------------------------------------ writing answers

    private void write(Response response, Callback callback, Reply reply, Map<String, String> cors, boolean head) {
        everyAnswer.forEach((name, value) -> response.getHeaders().put(name, value));
        cors.forEach((name, value) -> response.getHeaders().put(name, value));
        switch (reply) {
            case Reply.Whole whole -> writeWhole(response, callback, whole);
            case Reply.Streamed streamed -> {
                response.setStatus(200);
                headers(response, streamed.headers());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, streamed.contentType());
                if (head) {
                    response.write(true, null, callback);
                    return;
                }
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    streamed.writer().writeTo(out);
                    out.flush();
                } catch (IOException gone) {
                    LOG.debug("A stream's client went away: {}", gone.toString());
                    callback.failed(gone);
                    return;
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                    callback.failed(stopping);
                    return;
                }
                callback.succeeded();
            }
        }
    }

    static void writeWhole(Response response, Callback callback, Reply.Whole whole) {
        response.setStatus(whole.status());
        headers(response, whole.headers());
        if (whole.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, whole.contentType());
        }
        if (whole.status() == 204 || whole.status() == 304) {
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, whole.body().length);
        response.write(true, ByteBuffer.wrap(whole.body()), callback);
    }

    private static void headers(Response response, Map<String, String> headers) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.forEach((name, value) -> response.getHeaders().put(name, value));
    }
}
