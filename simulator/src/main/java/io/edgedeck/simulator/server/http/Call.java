package io.edgedeck.simulator.server.http;

import io.edgedeck.client.model.Caller;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

import java.util.List;

/**
 * A request matched to a {@link Route}: who it acts for, its method, path parameters, headers and
 * (read on demand, within the node's limits) its body.
 */
public final class Call {
    private final Request request;
    private final List<String> params;
    private final HttpLimits limits;
    private final Caller caller;
    private final Access access;
    private final BodyTypes types;
    private byte[] body;

    Call(Request request, List<String> params, HttpLimits limits, Caller caller, Access access, BodyTypes types) {
        this.request = request;
        this.types = types;
        this.params = List.copyOf(params);
        this.limits = limits;
        this.caller = caller;
        this.access = access;
    }

    /** Who the call acts for: the person whose token it carries, {@code admin}, or the lane's key. */
    public Caller caller() {
        return caller;
    }

    /**
     * True while the call's key still opens its lane as the same caller: a long call (a frame
     * stream) asks again now and then, and ends once its person's token is revoked.
     */
    public boolean stillAllowed() {
        return access.verdict(request) instanceof Access.Verdict.Let let && let.caller().equals(caller);
    }

    /** The method as sent; a HEAD call is matched to the GET route. */
    public String method() {
        return request.getMethod();
    }

    public boolean head() {
        return "HEAD".equals(request.getMethod());
    }

    /** The i-th braced segment of the route's path, percent-decoded. */
    public String param(int i) {
        return params.get(i);
    }

    /** The encoded path, e.g. {@code /api/v1/flags/checkout-button}. */
    public String path() {
        return request.getHttpURI().getPath();
    }

    /**
     * The value of a query parameter, percent-decoded, or null when the query has none. A
     * parameter sent more than once ({@code ?state=pending&state=done}) is a 400 naming it: no
     * parameter of this API takes a list, and taking one of the values would be a guess.
     */
    public String query(String name) {
        Fields.Field field;
        try {
            field = Request.extractQueryParameters(request).get(name);
        } catch (RuntimeException e) {
            throw ApiException.invalid("query", "the query string could not be read: " + e.getMessage());
        }
        return field == null ? null : single(field);
    }

    /** A query parameter's one value; sent more than once, a 400 naming it. */
    static String single(Fields.Field field) {
        if (field.getValues().size() > 1) {
            throw ApiException.invalid(field.getName(), "'" + field.getName() + "' is sent " + field.getValues().size()
                    + " times in the query; send it once");
        }
        return field.getValue();
    }

    /**
     * A 400 naming the first query parameter that is not one of {@code taken} (the route's own, as the
     * documentation lists them): a misspelt filter would otherwise filter nothing, and a made-up option
     * ({@code ?dry=1}) would be read as the call without it. The detail lists what the route takes.
     */
    void refuseQueryBeyond(List<String> taken) {
        String raw = request.getHttpURI().getQuery();
        if (raw == null || raw.isEmpty()) {
            return;
        }
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            throw ApiException.invalid("query", "the query string could not be read: " + e.getMessage());
        }
        String takes = taken.isEmpty() ? "takes no query parameters"
                : "takes only " + String.join(", ", taken.stream().map(n -> "'" + n + "'").toList());
        for (Fields.Field field : fields) {
            String name = field.getName();
            if (taken.contains(name)) {
                continue;
            }
            if (name.isEmpty()) {
                if (field.getValues().stream().allMatch(String::isEmpty)) {
                    continue; // "?&" or a trailing "&": no parameter at all
                }
                throw ApiException.invalid("query", "a query parameter has no name; " + method() + " " + path() + " " + takes);
            }
            throw ApiException.invalid(PeerValues.shown(name), "unknown query parameter " + PeerValues.quoted(name, '\'')
                    + io.edgedeck.simulator.scenario.Suggestions.didYouMean(name, taken) + "; "
                    + method() + " " + path() + " " + takes + "; nothing was done");
        }
    }

    /**
     * The body as a stream, for a handler that bounds and reads it itself (a pushed log batch);
     * blocking reads, which is fine on the call's virtual thread. Use this or {@link #body()}, not both.
     */
    public java.io.InputStream bodyStream() {
        request.setAttribute(BodyReader.TAKEN, Boolean.TRUE);
        return org.eclipse.jetty.io.Content.Source.asInputStream(request);
    }

    /** True when a body comes with the request: a length over 0, or chunks (HTTP/1.1 has no other way to send one). */
    private boolean sendsBody() {
        long length = request.getLength();
        return length > 0 || length < 0 && request.getHeaders().contains(org.eclipse.jetty.http.HttpHeader.TRANSFER_ENCODING);
    }

    /** A request header, or null. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /**
     * A header that means one thing, or null; sent twice it is a 400 naming it, never the first one
     * taken ({@link Access#header}).
     */
    public String singleHeader(String name) {
        return Access.header(request, name);
    }

    /**
     * A list header sent on one line or several ({@code If-None-Match}), its lines joined with commas as
     * RFC 9110 reads them; null when absent.
     */
    public String headerList(String name) {
        java.util.List<String> lines = request.getHeaders().getValuesList(name);
        return lines.isEmpty() ? null : String.join(", ", lines);
    }

    /**
     * The body: at most {@link HttpLimits#maxBodyBytes()} bytes, all of them within
     * {@link HttpLimits#bodyTimeout()}. Too long is a 413, too slow a 408, sent as a type the lane
     * does not read a 415.
     */
    public byte[] body() {
        return body(limits.maxBodyBytes());
    }

    /**
     * The body, for a route with a limit of its own (a batch of ingest events): at most {@code maxBytes}.
     * A body sent as a type its lane does not read is a 415, before any of it is read ({@link BodyTypes}).
     */
    public byte[] body(int maxBytes) {
        if (body == null) {
            if (sendsBody()) {
                types.check(header("Content-Type"));
                types.checkEncoding(header("Content-Encoding"));
            }
            request.setAttribute(BodyReader.TAKEN, Boolean.TRUE);
            body = BodyReader.read(request, maxBytes, limits.bodyTimeout());
        }
        return body;
    }
}
