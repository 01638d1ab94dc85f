package io.edgedeck.simulator.server.http;

import io.edgedeck.client.model.Problem;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/1.1 connections, at most {@code max} at once. The next one is not left waiting in the
 * accept queue: it gets a 503 problem document at once and is closed, so a client can tell "busy"
 * from "down". A connection also has {@code requestHeadTimeout} to send its first request head;
 * one that trickles bytes to stay open (which an idle timeout alone would allow) is closed then.
 */
final class ConnectionCap extends HttpConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

    private final int max;
    private final Duration requestHeadTimeout;
    private final AtomicInteger open = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final byte[] refusal;

    ConnectionCap(HttpConfiguration config, int max, Duration requestHeadTimeout) {
        super(config);
        this.max = max;
        this.requestHeadTimeout = requestHeadTimeout;
        byte[] problem = Problems.json(new ApiException(503, null, "the node has " + max
                + " connections open, its limit; nothing of this request was read: close idle connections or send it again in "
                + RETRY_SECONDS + " s"));
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + Problem.MEDIA_TYPE + "\r\nContent-Length: "
                + problem.length + "\r\nRetry-After: " + RETRY_SECONDS + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        ByteBuffer all = ByteBuffer.allocate(head.length() + problem.length);
        all.put(head.getBytes(StandardCharsets.US_ASCII)).put(problem);
        this.refusal = all.array();
    }

    /** When a connection refused at the limit is to be tried again, in seconds ({@code Retry-After}). */
    static final long RETRY_SECONDS = 1;

    /** Connections refused at the limit since the node started ({@code /metrics}). */
    long refused() {
        return refused.get();
    }

    /** Connections open now, refused ones not counted. */
    int open() {
        return open.get();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.incrementAndGet();
            LOG.debug("Refused a connection from {}: {} open", endPoint.getRemoteSocketAddress(), max);
            return new Refusal(endPoint, connector.getExecutor(), refusal);
        }
        Connection connection = super.newConnection(connector, endPoint);
        connection.addEventListener(new Connection.Listener() {
            @Override
            public void onClosed(Connection closed) {
                open.decrementAndGet();
            }
        });
        connector.getScheduler().schedule(() -> {
            if (connection.getMessagesIn() == 0 && endPoint.isOpen()) {
                endPoint.close(new TimeoutException("no request head within " + requestHeadTimeout.toMillis() + " ms"));
            }
        }, requestHeadTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return connection;
    }

    /**
     * Writes the 503, stops sending, and drains what the client still sends until it closes (or a
     * second passes), so the client reads the answer instead of a reset.
     */
    private static final class Refusal extends AbstractConnection {
        private final byte[] answer;

        Refusal(EndPoint endPoint, java.util.concurrent.Executor executor, byte[] answer) {
            super(endPoint, executor);
            this.answer = answer;
        }

        @Override
        public void onOpen() {
            super.onOpen();
            getEndPoint().setIdleTimeout(1000);
            getEndPoint().write(Callback.from(() -> {
                getEndPoint().shutdownOutput();
                fillInterested();
            }, failure -> close()), ByteBuffer.wrap(answer));
        }

        @Override
        public void onFillable() {
            ByteBuffer sink = ByteBuffer.allocate(4096);
            try {
                while (true) {
                    sink.clear();
                    int n = getEndPoint().fill(sink);
                    if (n < 0) {
                        close();
                        return;
                    }
                    if (n == 0) {
                        fillInterested();
                        return;
                    }
                }
            } catch (IOException e) {
                close();
            }
        }
    }
}
