package io.edgedeck.simulator.server.http;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeoutException;

/**
 * The node's HTTP server: Jetty 12 on one port, plain HTTP/1.1 or TLS, in front of a {@link Router}.
 * Jetty reads requests without a thread per connection, so a client that sends half a request, or
 * a frame stream that sits open, costs the node a socket and not a worker; handlers run on virtual
 * threads. The limits are {@link HttpLimits}; every error, Jetty's own included, is a problem document.
 */
public final class NodeHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHttpServer.class);
    private final Server server;
    private final ServerConnector connector;
    private final ConnectionCap connections;
    private final boolean tls;

    private NodeHttpServer(Server server, ServerConnector connector, ConnectionCap connections, boolean tls) {
        this.server = server;
        this.connector = connector;
        this.connections = connections;
        this.tls = tls;
    }

    /**
     * Starts listening.
     *
     * @param tls null for plain HTTP
     * @throws java.net.BindException when the address is taken or not this machine's
     */
    public static NodeHttpServer start(InetSocketAddress address, SslContextFactory.Server tls, HttpLimits limits,
                                       org.eclipse.jetty.server.Handler router) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("edgedeck-http");
        threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("edgedeck-call"));
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        // The router splits the raw path at '/' and then decodes each segment on its own, so a "%2F" is part
        // of a name (a flag key "a/b", which no flag has: 404), never a separator Jetty must refuse as ambiguous.
        http.setUriCompliance(UriCompliance.DEFAULT.with("edgedeck", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        if (tls != null) {
            http.addCustomizer(new SecureRequestCustomizer(false));
        }
        ConnectionCap connections = new ConnectionCap(http, limits.maxConnections(), limits.requestHeadTimeout());
        ServerConnector connector = tls == null
                ? new ServerConnector(server, 1, 1, connections)
                : new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), connections);
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        server.setHandler(router);
        server.setErrorHandler(new ProblemErrorHandler());
        // On stop, calls in flight get a second to finish; a half-sent request is not waited for.
        server.setStopTimeout(1000);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            // Jetty says "Failed to bind" around the BindException: the caller is told the port is taken as such.
            if (e.getCause() instanceof java.net.BindException taken) {
                java.net.BindException said = new java.net.BindException(taken.getMessage());
                said.initCause(e);
                throw said;
            }
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
        }
        return new NodeHttpServer(server, connector, connections, tls != null);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing; the first error is the one to report
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** True when it speaks TLS. */
    public boolean tls() {
        return tls;
    }

    /** Where it answers, e.g. {@code http://127.0.0.1:8787}. */
    public URI baseUri() {
        String host = connector.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + connector.getLocalPort());
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.open();
    }

    /**
     * The HTTP part of {@code /metrics}: the connections open, and those refused at the limit with
     * 503 since the node started.
     */
    public String exposition() {
        StringBuilder out = new StringBuilder(512);
        io.edgedeck.simulator.server.metrics.PrometheusExposition.family(out, "edgedeck_http_open_connections", "gauge",
                "HTTP connections open now.");
        out.append("edgedeck_http_open_connections ").append(connections.open()).append('\n');
        io.edgedeck.simulator.server.metrics.PrometheusExposition.family(out, "edgedeck_http_refused_connections_total", "counter",
                "Connections answered 503 with Retry-After because the node had limits.maxConnections open: nothing of"
                        + " them was read.");
        out.append("edgedeck_http_refused_connections_total ").append(connections.refused()).append('\n');
        return out.toString();
    }

    /** Stops listening and ends every connection; calls still running after a second are cut off. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (TimeoutException unfinished) {
            LOG.info("Stopped the HTTP server with calls unfinished after a second (half-sent requests, usually)");
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not stop cleanly", e);
        }
    }
}
