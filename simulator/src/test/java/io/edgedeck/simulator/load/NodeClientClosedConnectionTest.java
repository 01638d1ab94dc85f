package io.edgedeck.simulator.load;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node closes a connection idle past its timeout; the load client, keeping connections longer,
 * could send on one just as it closed and get no bytes back, which ended a whole load run as "cannot
 * reach the node". A call that met a connection closed before any answer is sent once more. The
 * server here closes its first connection after reading the request, as the node's close lands
 * then only by timing.
 */
class NodeClientClosedConnectionTest {

    @Test
    void anEvaluationMetByAClosedConnectionIsSentOnceMoreAndAnswered() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        readHead(s.getInputStream());
                        if (connections.incrementAndGet() == 1) {
                            continue; // closed with no answer
                        }
                        byte[] body = "{\"key\":\"banner\",\"variant\":\"on\",\"value\":true,\"reason\":\"SPLIT\"}"
                                .getBytes(StandardCharsets.UTF_8);
                        OutputStream out = s.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            NodeClient client = new NodeClient(URI.create("http://127.0.0.1:" + server.getLocalPort()),
                    new NodeKeys("admin", "read", "ingest", "test", "test", "test"));
            String variant = client.evaluate(new WireTap.Evaluation("banner", "u1", "fra", null, null, null))
                    .get(10, TimeUnit.SECONDS).variant();
            assertEquals("on", variant);
            assertEquals(2, connections.get(), "sent once more, on a new connection");
        }
    }

    /** Reads a request's head and the body its Content-Length names. */
    private static void readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
    }
}
