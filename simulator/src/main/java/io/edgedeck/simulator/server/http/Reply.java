package io.edgedeck.simulator.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgedeck.client.model.Problem;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a whole body, or a body written over time (server-sent events). */
public sealed interface Reply {

    /** A complete answer; {@code contentType} is null when there is no body (204, 304). */
    record Whole(int status, String contentType, byte[] body, Map<String, String> headers) implements Reply {
        public Whole {
            headers = Map.copyOf(headers);
        }

        /** The same answer with one more header. */
        public Whole with(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Whole(status, contentType, body, more);
        }
    }

    /** A 200 whose body {@code writer} writes until the client leaves or the node stops. */
    record Streamed(String contentType, Map<String, String> headers, Writer writer) implements Reply {
    }

    /** Writes a streamed body. Runs on the request's own (virtual) thread and may block. */
    interface Writer {
        void writeTo(OutputStream out) throws IOException, InterruptedException;
    }

    static Whole json(int status, Object value) {
        try {
            return new Whole(status, "application/json", JsonBodies.MAPPER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer could not be written as JSON", e);
        }
    }

    static Whole ok(Object value) {
        return json(200, value);
    }

    static Whole noContent() {
        return new Whole(204, null, new byte[0], Map.of());
    }

    static Whole bytes(int status, String contentType, byte[] body) {
        return new Whole(status, contentType, body, Map.of());
    }

    /**
     * The problem document for {@code e}. A 408 or 413 also closes the connection: the rest of the
     * body the client may still be sending is not worth reading.
     */
    static Whole problem(ApiException e) {
        Whole w = new Whole(e.status(), Problem.MEDIA_TYPE, Problems.json(e), Map.of());
        return e.status() == 408 || e.status() == 413 ? w.with("Connection", "close") : w;
    }
}
