package io.edgedeck.simulator.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a node (or a Kafka broker's listener) that can cut every connection through it at
 * once: a network drop as the client sees it, while the node keeps running; or refuse new connections while those made
 * go on: a client that connects anew (a Kafka producer started now) cannot reach what is behind it, one connected can.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private volatile int targetPort;
    private volatile boolean refusing;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    DroppingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    /** A relay whose port is known before what it relays to ({@link #relayTo}); it refuses connections until then. */
    DroppingProxy() throws IOException {
        this(-1);
    }

    /** Relays new connections to {@code port} on loopback. */
    void relayTo(int port) {
        targetPort = port;
    }

    /** From now on, closes each new connection as soon as it is accepted ({@code true}), or relays it again. */
    void refuseNew(boolean refuse) {
        refusing = refuse;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing || targetPort < 0) {
                    client.close();
                    continue;
                }
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException unreachable) {
                    client.close(); // nothing behind it: the client sees its connection closed
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // a cut connection ends the pump
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Cuts every connection now; new ones are accepted again. */
    void dropAll() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropAll();
    }
}
