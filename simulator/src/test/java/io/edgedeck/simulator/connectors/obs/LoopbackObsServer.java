package io.edgedeck.simulator.connectors.obs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Jetty WebSocket server on loopback that behaves as obs-websocket 5 does toward a client: Hello
 * with an authentication challenge when a password is set, Identify checked (4009 when the
 * authentication string is wrong), Identified, and RequestResponse for GetVideoSettings,
 * GetStreamStatus and GetStats with statistics the test sets. It can also stall (read requests and
 * answer none), cut the connection, and send a malformed message.
 */
public final class LoopbackObsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final String password;
    final List<List<String>> offeredSubprotocols = new CopyOnWriteArrayList<>();
    final List<JsonNode> identifies = new CopyOnWriteArrayList<>();
    final List<String> requestTypes = new CopyOnWriteArrayList<>();
    final AtomicInteger identified = new AtomicInteger();
    /** When each Identify was answered, System.nanoTime(). */
    final List<Long> identifiedAtNanos = new CopyOnWriteArrayList<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    volatile boolean stall;
    volatile ObjectNode streamStatus = JSON.createObjectNode();
    volatile ObjectNode stats = JSON.createObjectNode();

    public LoopbackObsServer(String password) throws Exception {
        this.password = password;
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> container.addMapping("/", (request, response, callback) -> {
            offeredSubprotocols.add(List.copyOf(request.getSubProtocols()));
            if (request.hasSubProtocol("obswebsocket.json")) {
                response.setAcceptedSubProtocol("obswebsocket.json");
            }
            return new Endpoint();
        })));
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Sets what GetStreamStatus answers. */
    public void stream(boolean active, boolean reconnecting, long bytes, long skipped, long total) {
        ObjectNode s = JSON.createObjectNode();
        s.put("outputActive", active).put("outputReconnecting", reconnecting).put("outputTimecode", "00:01:00.000")
                .put("outputDuration", 60000).put("outputCongestion", 0.0).put("outputBytes", bytes)
                .put("outputSkippedFrames", skipped).put("outputTotalFrames", total);
        streamStatus = s;
    }

    /** Sets what GetStats answers. */
    public void stats(double cpu, double fps, double renderMs, long renderSkipped, long renderTotal, long outputSkipped, long outputTotal) {
        ObjectNode s = JSON.createObjectNode();
        s.put("cpuUsage", cpu).put("memoryUsage", 512.0).put("availableDiskSpace", 100_000.0).put("activeFps", fps)
                .put("averageFrameRenderTime", renderMs).put("renderSkippedFrames", renderSkipped)
                .put("renderTotalFrames", renderTotal).put("outputSkippedFrames", outputSkipped)
                .put("outputTotalFrames", outputTotal).put("webSocketSessionIncomingMessages", 10)
                .put("webSocketSessionOutgoingMessages", 10);
        stats = s;
    }

    /** Drops every open connection without a close frame. */
    void cut() {
        for (Session s : sessions) {
            s.disconnect();
        }
    }

    /** Sends a raw text frame to every open connection. */
    void sendRaw(String text) {
        for (Session s : sessions) {
            if (s.isOpen()) {
                s.sendText(text, Callback.NOOP);
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Public: Jetty calls its listener methods through method handles. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private Session session;
        private String salt;
        private String challenge;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            sessions.add(s);
            ObjectNode d = JSON.createObjectNode();
            d.put("obsWebSocketVersion", "5.5.0").put("rpcVersion", 1);
            if (password != null) {
                salt = random();
                challenge = random();
                d.putObject("authentication").put("challenge", challenge).put("salt", salt);
            }
            send(0, d);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // A client that vanished (the tests cut and stall on purpose) is no error of the server's.
            sessions.remove(session);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            sessions.remove(session);
        }

        @Override
        public void onWebSocketText(String text) {
            JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (Exception e) {
                session.close(4002, "Unable to decode the message", Callback.NOOP);
                return;
            }
            JsonNode d = m.path("d");
            switch (m.path("op").asInt()) {
                case 1 -> {
                    identifies.add(d);
                    if (password != null && !expectedAuthentication().equals(d.path("authentication").asText())) {
                        session.close(4009, "Authentication failed.", Callback.NOOP);
                        return;
                    }
                    identifiedAtNanos.add(System.nanoTime());
                    identified.incrementAndGet();
                    send(2, JSON.createObjectNode().put("negotiatedRpcVersion", 1));
                }
                case 6 -> {
                    String type = d.path("requestType").asText();
                    requestTypes.add(type);
                    if (stall) {
                        return;
                    }
                    ObjectNode r = JSON.createObjectNode();
                    r.put("requestType", type).put("requestId", d.path("requestId").asText());
                    switch (type) {
                        case "GetVideoSettings" -> {
                            r.putObject("requestStatus").put("result", true).put("code", 100);
                            r.putObject("responseData").put("fpsNumerator", 60).put("fpsDenominator", 1)
                                    .put("baseWidth", 1920).put("baseHeight", 1080).put("outputWidth", 1280).put("outputHeight", 720);
                        }
                        case "GetStreamStatus" -> {
                            r.putObject("requestStatus").put("result", true).put("code", 100);
                            r.set("responseData", streamStatus);
                        }
                        case "GetStats" -> {
                            r.putObject("requestStatus").put("result", true).put("code", 100);
                            r.set("responseData", stats);
                        }
                        default -> r.putObject("requestStatus").put("result", false).put("code", 204)
                                .put("comment", "Your request type is not valid.");
                    }
                    send(7, r);
                }
                default -> {
                }
            }
        }

        /** Computed here from the protocol's words, independently of the connector's ObsAuth. */
        private String expectedAuthentication() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                Base64.Encoder b64 = Base64.getEncoder();
                String secret = b64.encodeToString(sha.digest((password + salt).getBytes(StandardCharsets.UTF_8)));
                return b64.encodeToString(sha.digest((secret + challenge).getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void send(int op, ObjectNode d) {
            ObjectNode m = JSON.createObjectNode();
            m.put("op", op);
            m.set("d", d);
            session.sendText(m.toString(), Callback.NOOP);
        }
    }

    private static String random() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
