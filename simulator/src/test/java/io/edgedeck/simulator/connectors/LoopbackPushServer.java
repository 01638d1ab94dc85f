package io.edgedeck.simulator.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * The JDK's HTTP server on loopback carrying pushed-batch handlers the way the node's server will:
 * headers and the body stream in, a {@link PushResult} out. Tests push over real HTTP to it.
 */
public final class LoopbackPushServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public LoopbackPushServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.start();
    }

    /** POST and PUT at {@code path} go to {@code handler}; other methods get 405. */
    public LoopbackPushServer mount(String path, BiFunction<PushEndpoint.Headers, InputStream, PushResult> handler) {
        server.createContext(path, exchange -> {
            try (exchange) {
                String method = exchange.getRequestMethod();
                if (!method.equals("POST") && !method.equals("PUT")) {
                    exchange.getResponseHeaders().add("Allow", "POST, PUT");
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                PushResult result;
                try {
                    result = handler.apply(exchange.getRequestHeaders()::getFirst, exchange.getRequestBody());
                } catch (RuntimeException | Error e) {
                    // A handler must never throw for what a sender did: make it loud in the test.
                    e.printStackTrace();
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                send(exchange, result);
            }
        });
        return this;
    }

    /** GET at {@code path} answers 200 with {@code body} as text. */
    public LoopbackPushServer mountText(String path, String body) {
        server.createContext(path, exchange -> {
            try (exchange) {
                byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        return this;
    }

    private static void send(HttpExchange exchange, PushResult result) throws IOException {
        byte[] body = result.body();
        exchange.getResponseHeaders().add("Content-Type", result.contentType());
        if (result.retryAfterSeconds() != null) {
            exchange.getResponseHeaders().add("Retry-After", Long.toString(result.retryAfterSeconds()));
        }
        // Read what the sender still sends so it sees the answer rather than a reset connection.
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        exchange.sendResponseHeaders(result.status(), body.length);
        exchange.getResponseBody().write(body);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }
}
