package io.edgedeck.simulator.server.http;

import io.edgedeck.client.model.Problem;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Jetty's answer to a request it could not hand to the router (a malformed request line, a bad
 * {@code Content-Length}, an unparseable URI, headers over the limit), written as a problem
 * document like every other error instead of Jetty's HTML page.
 */
final class ProblemErrorHandler implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            response.setStatus(status);
            if (message == null) {
                message = http.getReason();
            }
        }
        if (status < 400) {
            status = 500;
            response.setStatus(status);
        }
        // Jetty's own reason, when it gave one, says which part of the request is at fault; where it
        // gave none, the exception under it or the URI's violations often do.
        Fault fault = fault(request, status, message, cause);
        String field = fault.field();
        if (fault.reason() != null) {
            message = fault.reason();
        } else if (message == null || message.equals(HttpStatus.getMessage(status))) {
            message = HttpStatus.getMessage(status) + (status == 400 ? ": the request line, the path or a header is malformed" : "");
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        byte[] body = Problems.json(new ApiException(status, field, "the request could not be read: " + message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The part of the request at fault ({@code field}, or null), and a reason in place of Jetty's terse one (or null). */
    record Fault(String field, String reason) {
    }

    /**
     * What Jetty refused, as far as the request shows it: its reason ({@link #field(int, String)}),
     * then the exception under it (a bad escape or character in the path, a target that is not a
     * path), then the URI's violations (bad UTF-8, a fragment), then what the parser had read when
     * it met a character it does not allow (the request line, or the headers after it).
     */
    static Fault fault(Request request, int status, String message, Throwable cause) {
        String field = message == null ? null : field(status, message);
        if (field != null) {
            return new Fault(field, null);
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof NumberFormatException && m.contains("hex")) {
                return new Fault("path", "a '%' in the path is not followed by two hex digits");
            }
            if (m.contains("illegal character in path")) {
                return new Fault("path", "the path holds a character that is not allowed there, once its %-escapes are decoded");
            }
            if (m.contains("bad authority")) {
                return new Fault("path", "the request target is not a path: this node serves no CONNECT, only paths");
            }
        }
        HttpURI uri = request.getHttpURI();
        if (uri != null && uri.hasViolations()) {
            return new Fault("path", null);
        }
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("no host")) {
            return new Fault("Host", "no Host header: HTTP/1.1 needs one");
        }
        if (status == HttpStatus.EXPECTATION_FAILED_417) {
            return new Fault("Expect", "the Expect header asks for something other than 100-continue");
        }
        if (m.startsWith("illegal character")) {
            // The parser had read a request line when the method and path are there to see.
            boolean lineRead = uri != null && uri.getPath() != null && !uri.getPath().equals("/badMessage");
            return new Fault(lineRead ? "headers" : "method", null);
        }
        return new Fault(null, null);
    }

    /** The part of the request at fault, where Jetty's reason says which. */
    static String field(int status, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (status == 431 || m.contains("header")) {
            return m.contains("content-length") ? "Content-Length" : "headers";
        }
        if (m.contains("content-length") || m.contains("content length")) {
            return "Content-Length";
        }
        if (m.contains("uri") || m.contains("path")) {
            return "path";
        }
        if (m.contains("method")) {
            return "method";
        }
        return null;
    }
}
