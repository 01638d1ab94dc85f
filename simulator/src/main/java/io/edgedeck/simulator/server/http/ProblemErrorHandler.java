package io.edgedeck.simulator.server.http;

import io.edgedeck.client.model.Problem;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
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
        // Jetty's own reason, when it gave one, says which part of the request is at fault.
        String field = message == null ? null : field(status, message);
        if (message == null || message.equals(HttpStatus.getMessage(status))) {
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
