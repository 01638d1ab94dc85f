package io.edgedeck.console.jitter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleConnection;
import io.edgedeck.simulator.bundle.BundleManifest;
import io.edgedeck.simulator.bundle.BundleReader;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which node a bundle was made from. A node older than {@code GET /api/v1/node} answers it 404: it cannot say, so the
 * bundle says "node version unknown" and is not partial for it, while a node that fails the call (500) leaves the
 * bundle partial. A bundle exported again from one opened offline names the node the first was made from. A real node
 * on loopback, behind a real HTTP relay on loopback that answers {@code /api/v1/node} as an older or a failing node
 * would and passes everything else (the frame stream too) through.
 */
class BundleNodeIdentityTest {
    private static final String NODE_PATH = "/api/v1/node";

    @TempDir
    Path dir;
    private EdgeNode node;
    private HttpServer relay;
    private HttpEdgeConnection connection;

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
        if (relay != null) {
            relay.stop(0);
        }
        if (node != null) {
            node.close();
        }
    }

    /** A connection to the node through a relay that answers {@code /api/v1/node} with {@code nodeStatus} (0: passes it). */
    private HttpEdgeConnection connect(int nodeStatus) throws Exception {
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(Path.of("..", "docs", "examples", "node-config.json")
                .toString()), InetAddress.getLoopbackAddress(), 0, Files.createDirectory(dir.resolve("node"))));
        URI target = node.baseUri();
        HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        relay = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        relay.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        relay.createContext("/", exchange -> {
            try (exchange) {
                if (nodeStatus != 0 && exchange.getRequestURI().getPath().equals(NODE_PATH)) {
                    byte[] problem = ("{\"type\":\"about:blank\",\"title\":\"" + (nodeStatus == 404 ? "Not Found" : "Internal Server Error")
                            + "\",\"status\":" + nodeStatus + ",\"detail\":\"" + (nodeStatus == 404 ? "no such path: " + NODE_PATH
                            : "the engine failed to answer") + "\"}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
                    exchange.sendResponseHeaders(nodeStatus, problem.length);
                    exchange.getResponseBody().write(problem);
                    return;
                }
                pass(exchange, upstream, target);
            } catch (Exception e) {
                // a stream cut when the test ends
            }
        });
        relay.start();
        connection = HttpEdgeConnection.open(URI.create("http://127.0.0.1:" + relay.getAddress().getPort()),
                Files.readString(node.tokenFile()).trim());
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ((connection.latestFrame().isEmpty() || !connection.status().online()
                || connection.latestFrame().orElseThrow().engineMillis() < 1000) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(connection.latestFrame().isPresent() && connection.status().online(), "the node's frames arrive through the relay");
        return connection;
    }

    private static final Set<String> NOT_RELAYED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    /** The request as it came, to the node; its answer as it comes, flushed as it comes (the frame stream is one). */
    private static void pass(HttpExchange exchange, HttpClient upstream, URI target) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> answer = upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean empty = answer.statusCode() == 204 || answer.statusCode() == 304 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : 0);
        try (InputStream in = answer.body(); OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private BundleExportTask.Exported export(io.edgedeck.client.EdgeConnection from, Path zip) throws Exception {
        return new BundleExportTask(from, Map.of(), List.of(), Map.of(), zip, "test", Duration.ofSeconds(5), Duration.ofSeconds(30))
                .call((done, message) -> { });
    }

    private static String readme(Path zip) throws Exception {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry("README.txt")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String nodeLine(String readme) {
        return readme.lines().filter(l -> l.startsWith("Node ")).findFirst().orElseThrow();
    }

    @Test
    void aNodeThatPredatesTheCallGivesAWholeBundleThatSaysItsVersionIsUnknown() throws Exception {
        HttpEdgeConnection older = connect(404);
        Path zip = dir.resolve("older.zip");
        BundleExportTask.Exported written = export(older, zip);
        Bundle b = BundleReader.read(zip);

        assertEquals(List.of(), b.manifest().partial(), "nothing failed: the node cannot say which build it runs");
        assertEquals(BundleManifest.NODE_PREDATES_NODE_INFO, b.manifest().nodeVersionUnknown());
        assertFalse(b.diagnostics().containsKey("node.json"));
        assertTrue(b.diagnostics().containsKey("health.json") && b.diagnostics().containsKey("sources.json"), b.diagnostics().keySet().toString());
        String readme = readme(zip);
        assertEquals("Node      node version unknown: the node predates /api/v1/node", nodeLine(readme));
        assertFalse(readme.contains("PARTIAL"), readme);
        assertTrue(written.summary().startsWith("Bundle written to " + zip.toAbsolutePath()
                + "; node version unknown: the node predates /api/v1/node. Attach it"), written.summary());

        // exported again from the bundle opened offline: the same words, still whole
        Path again = dir.resolve("older-again.zip");
        BundleExportTask.Exported rewritten = export(new BundleConnection(b, "older.zip"), again);
        Bundle b2 = BundleReader.read(again);
        assertEquals(List.of(), b2.manifest().partial());
        assertEquals(BundleManifest.NODE_PREDATES_NODE_INFO, b2.manifest().nodeVersionUnknown());
        assertEquals("Node      node version unknown: the node predates /api/v1/node", nodeLine(readme(again)));
        assertTrue(rewritten.summary().contains("; node version unknown"), rewritten.summary());
    }

    @Test
    void aNodeThatFailsTheCallLeavesTheBundlePartialAndSoDoesItsReExport() throws Exception {
        HttpEdgeConnection failing = connect(500);
        Path zip = dir.resolve("failing.zip");
        BundleExportTask.Exported written = export(failing, zip);
        Bundle b = BundleReader.read(zip);

        BundleManifest.Gap gap = b.manifest().partial().stream().filter(g -> g.entry().equals("node.json")).findFirst().orElse(null);
        assertNotNull(gap, b.manifest().partial().toString());
        assertTrue(gap.state().equals("missing") && gap.why().contains("HTTP 500") && gap.why().contains("the engine failed"), gap.toString());
        assertNull(b.manifest().nodeVersionUnknown());
        assertTrue(nodeLine(readme(zip)).startsWith("Node      unknown: the node refused it: "), nodeLine(readme(zip)));
        assertTrue(written.summary().startsWith("PARTIAL bundle written to "), written.summary());

        Path again = dir.resolve("failing-again.zip");
        export(new BundleConnection(b, "failing.zip"), again);
        Bundle b2 = BundleReader.read(again);
        BundleManifest.Gap carried = b2.manifest().partial().stream().filter(g -> g.entry().equals("node.json")).findFirst().orElse(null);
        assertNotNull(carried, "the node it was made from is still unknown, and why: " + b2.manifest().partial());
        assertTrue(carried.why().contains("not in the bundle opened (failing.zip)") && carried.why().contains("HTTP 500"), carried.toString());
        assertFalse(nodeLine(readme(again)).contains("none: the show ran in the program"), nodeLine(readme(again)));
    }

    @Test
    void aBundleExportedAgainFromOneOpenedOfflineNamesTheNodeItWasMadeFrom() throws Exception {
        HttpEdgeConnection live = connect(0);
        Path zip = dir.resolve("live.zip");
        export(live, zip);
        String original = nodeLine(readme(zip));
        assertTrue(original.startsWith("Node      edgedeck-sim ") && original.contains(", live, started "), original);

        Bundle opened = BundleReader.read(zip);
        Path again = dir.resolve("again.zip");
        BundleExportTask.Exported rewritten = export(new BundleConnection(opened, "live.zip"), again);
        Bundle b2 = BundleReader.read(again);
        assertEquals(original, nodeLine(readme(again)), "not \"Node none\": the node the opened bundle was made from");
        assertEquals(opened.diagnostics().get("node.json").toString(), b2.diagnostics().get("node.json").toString());
        assertEquals(List.of(), b2.manifest().partial());
        assertTrue(rewritten.summary().startsWith("Bundle written to "), rewritten.summary());
    }
}
