package io.edgedeck.simulator.server;

import io.edgedeck.simulator.server.control.ControlApi;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.server.operators.OperatorStore;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** A real node on loopback for tests, on a port of its own, with a raw HTTP client beside it. */
final class LiveNode implements AutoCloseable {
    /** The node's read-only key, for OFREP and /metrics. */
    String readKey() throws IOException {
        return Files.readString(node.readKeyFile()).trim();
    }

    final EdgeNode node;
    final String token;
    final HttpClient raw = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path tokenDir;

    private LiveNode(EdgeNode node) throws IOException {
        this.node = node;
        this.token = Files.readString(node.tokenFile()).trim();
    }

    static LiveNode start(Path dataDir, double speed) throws Exception {
        return start(dataDir, speed, 0);
    }

    static LiveNode start(Path dataDir, double speed, int port) throws Exception {
        return start(dataDir, speed, port, UnaryOperator.identity());
    }

    /** A node whose configuration {@code adjust} changes (limits, timeouts, TLS). */
    static LiveNode start(Path dataDir, double speed, int port, UnaryOperator<EdgeNode.Config> adjust) throws Exception {
        ShowDefinition show = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        return new LiveNode(EdgeNode.start(adjust.apply(new EdgeNode.Config(show, speed, InetAddress.getLoopbackAddress(), port, dataDir))));
    }

    URI base() {
        return node.baseUri();
    }

    URI api(String path) {
        return URI.create(base() + ControlApi.PREFIX + path);
    }

    /** A connection that is online, as the console would hold it. */
    HttpEdgeConnection connect() throws InterruptedException {
        return connect(token);
    }

    /** A connection with someone's token, online. */
    HttpEdgeConnection connect(String bearer) throws InterruptedException {
        HttpEdgeConnection c = HttpEdgeConnection.open(base(), bearer);
        await("the client is online", () -> c.status().online());
        return c;
    }

    HttpRequest.Builder request(String path) {
        return request(path, token);
    }

    /** A request to the control API with someone's token. */
    HttpRequest.Builder request(String path, String bearer) {
        return HttpRequest.newBuilder(api(path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + bearer);
    }

    /**
     * Gives {@code name} a token of their own with {@code role}, as {@code operators add} does, and
     * returns it: the running node knows them from their next call.
     */
    String addOperator(String name, Role role) throws Exception {
        Path file = tokens().resolve(name + "-" + UUID.randomUUID() + ".token");
        long before = operatorEntries("operator.add", name);
        new OperatorStore(node.dataDir(), Clock.systemUTC()).add(name, role, file);
        String personal = Files.readString(file).trim();
        awaitOperatorAudited("operator.add", name, before, personal);
        return personal;
    }

    /** Revokes {@code name}'s token, as {@code operators revoke} does. */
    void revokeOperator(String name) throws Exception {
        long before = operatorEntries("operator.revoke", name);
        new OperatorStore(node.dataDir(), Clock.systemUTC()).revoke(name);
        awaitOperatorAudited("operator.revoke", name, before, null);
    }

    /**
     * Waits until the node has audited what the operators file changed, as it does before the next request checked with a
     * person's token (this one's, or an unknown one's), so a test's counts of audit entries do not catch it in between.
     */
    private void awaitOperatorAudited(String action, String name, long before, String personal) throws Exception {
        send("GET", "/flags", null, personal == null ? "not-a-token" : personal);
        await(name + "'s " + action + " audited", () -> {
            try {
                return operatorEntries(action, name) > before;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private long operatorEntries(String action, String name) throws Exception {
        long n = 0;
        for (com.fasterxml.jackson.databind.JsonNode e : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(send("GET", "/audit", null).body())) {
            if (e.path("action").asText().equals(action) && e.path("target").asText().equalsIgnoreCase(name)) n++;
        }
        return n;
    }

    private Path tokens() throws IOException {
        if (tokenDir == null) {
            tokenDir = Files.createTempDirectory("edgedeck-tokens");
        }
        return tokenDir;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return raw.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        return send(method, path, json, token);
    }

    /** A call with someone's token. */
    HttpResponse<String> send(String method, String path, String json, String bearer) throws IOException, InterruptedException {
        return send(request(path, bearer).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Waits for something the node or a client does on its own threads; fails after 20 s. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        raw.close();
        node.close();
        if (tokenDir != null) {
            try (var files = Files.list(tokenDir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
                Files.delete(tokenDir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
