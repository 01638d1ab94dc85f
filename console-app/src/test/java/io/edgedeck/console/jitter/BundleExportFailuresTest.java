package io.edgedeck.console.jitter;

import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleManifest;
import io.edgedeck.simulator.bundle.BundleReader;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bundle from a node that answers some calls and not others: a 404 for one part leaves that part
 * missing and the rest are asked; a call that times out is asked once more; the manifest says for each
 * part why it is missing. A real node on loopback; the console's connection to it answers as the node
 * does, but for the calls named, which are made to fail as a node can.
 */
class BundleExportFailuresTest {
    @TempDir
    Path dir;
    private EdgeNode node;
    private HttpEdgeConnection real;

    @AfterEach
    void close() {
        if (real != null) {
            real.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private HttpEdgeConnection connect() throws Exception {
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(Path.of("..", "docs", "examples", "node-config.json")
                .toString()), InetAddress.getLoopbackAddress(), 0, Files.createDirectory(dir.resolve("node"))));
        real = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim());
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ((real.latestFrame().isEmpty() || !real.status().online()) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(real.latestFrame().isPresent() && real.status().online(), "the node's frames arrive");
        return real;
    }

    /** {@code real}, but for the calls {@code faults} answers (by method name). */
    private static EdgeConnection with(EdgeConnection real, Map<String, java.util.function.Supplier<CompletableFuture<?>>> faults) {
        return (EdgeConnection) Proxy.newProxyInstance(EdgeConnection.class.getClassLoader(), new Class<?>[] {EdgeConnection.class},
                (proxy, method, args) -> {
                    var fault = faults.get(method.getName());
                    if (fault != null && method.getParameterCount() == 0) {
                        return fault.get();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static BundleManifest.Gap gap(Bundle b, String entry) {
        return b.manifest().partial().stream().filter(g -> g.entry().equals(entry)).findFirst().orElse(null);
    }

    @Test
    void aNodeNeverReachedIsNamedWithWhyThereIsNothingToBundle() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        real = HttpEdgeConnection.open(java.net.URI.create("http://127.0.0.1:" + port), "a-token");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!real.status().detail().contains("refused") && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        Path zip = dir.resolve("never.zip");
        var task = new BundleExportTask(real, Map.of(), List.of(), Map.of(), zip, "test");
        java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> task.call((done, message) -> { }));
        String message = refused.getMessage();
        assertTrue(message.contains("http://127.0.0.1:" + port) && message.contains("connection refused")
                && message.contains("nothing to put in a bundle"), message);
        assertFalse(message.contains("a-token"), message);
        assertFalse(Files.exists(zip));
    }

    @Test
    void aPartTheNodeLacksIsMissingAndTheRestAreAskedASlowOneTwice() throws Exception {
        HttpEdgeConnection live = connect();
        // a whole engine second has passed, so every PoP's history has a row to write
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (live.latestFrame().orElseThrow().engineMillis() < 1000 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        AtomicInteger guardrailCalls = new AtomicInteger();
        AtomicInteger sourceCalls = new AtomicInteger();
        EdgeConnection faulty = with(live, Map.of(
                // the node's own 404, for a PoP it does not have, in place of its flags
                "flags", () -> live.history("nowhere", 0, 1),
                // slow the first time, answered the second
                "guardrails", () -> guardrailCalls.incrementAndGet() == 1 ? new CompletableFuture<>() : live.guardrails(),
                // never answered
                "sources", () -> {
                    sourceCalls.incrementAndGet();
                    return new CompletableFuture<>();
                }));
        Path zip = dir.resolve("b.zip");
        new BundleExportTask(faulty, Map.of(), List.of(), Map.of(), zip, "test", Duration.ofMillis(300), Duration.ofSeconds(30))
                .call((done, message) -> { });
        Bundle b = BundleReader.read(zip);

        BundleManifest.Gap flags = gap(b, "flags.json");
        assertNotNull(flags, b.manifest().partial().toString());
        assertTrue(flags.state().equals("partial") && flags.why().contains("404"), flags.toString());
        assertEquals(null, gap(b, "audit.json"), "the audit trail is asked after a 404 for the flags: " + b.manifest().partial());
        assertFalse(b.audit().isEmpty(), "the node's audit trail (its flags' creation) is in the bundle");
        assertTrue(b.history().keySet().containsAll(List.of("fra", "ams", "iad")), b.history().keySet().toString());
        assertTrue(b.manifest().partial().stream().noneMatch(g -> g.entry().startsWith("history/")), b.manifest().partial().toString());

        assertEquals(2, guardrailCalls.get(), "a call that timed out is asked once more");
        assertEquals(null, gap(b, "guardrails.json"), "answered the second time: " + b.manifest().partial());
        assertTrue(b.diagnostics().get("guardrails.json").toString().contains("sentiment-guard"), b.diagnostics().toString());

        assertEquals(2, sourceCalls.get(), "asked twice, no more");
        BundleManifest.Gap sources = gap(b, "sources.json");
        assertNotNull(sources, b.manifest().partial().toString());
        assertTrue(sources.state().equals("missing") && sources.why().contains("did not answer in time, twice"), sources.toString());
        assertFalse(b.diagnostics().containsKey("sources.json"));

        assertTrue(b.diagnostics().get("health.json").toString().contains("\"httpStatus\":200"), b.diagnostics().toString());
        assertTrue(b.manifest().entries().stream().anyMatch(e -> e.name().equals("connection-log.json")), b.manifest().entries().toString());
    }

    private static final Set<String> PARTS = Set.of("health", "history", "flags", "audit", "guardrails", "sources");

    /** {@code real} for the stream and its frames; every part of the bundle asked of {@code parts} instead. */
    private static EdgeConnection partsFrom(EdgeConnection real, EdgeConnection parts, AtomicInteger asked) {
        return (EdgeConnection) Proxy.newProxyInstance(EdgeConnection.class.getClassLoader(), new Class<?>[] {EdgeConnection.class},
                (proxy, method, args) -> {
                    boolean part = PARTS.contains(method.getName());
                    if (part) {
                        asked.incrementAndGet();
                    }
                    try {
                        return method.invoke(part ? parts : real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A host that takes connections and reads what is sent, and never answers: a node whose engine is wedged. */
    private static ServerSocket wedged(List<Socket> held) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    held.add(s);
                    Thread.ofVirtual().start(() -> {
                        try {
                            s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                        } catch (Exception ignored) {
                            // closed at the end of the test
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
        return server;
    }

    @Test
    void aNodeThatTakesConnectionsAndNeverAnswersIsGivenUpOnAfterOnePartTimesOutTwice() throws Exception {
        HttpEdgeConnection live = connect();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket server = wedged(held);
             HttpEdgeConnection stuck = HttpEdgeConnection.open(URI.create("http://127.0.0.1:" + server.getLocalPort()), "t")) {
            AtomicInteger asked = new AtomicInteger();
            Path zip = dir.resolve("wedged.zip");
            long start = System.nanoTime();
            new BundleExportTask(partsFrom(live, stuck, asked), Map.of(), List.of(), Map.of(), zip, "test",
                    Duration.ofMillis(200), Duration.ofSeconds(3)).call((done, message) -> { });
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            Bundle b = BundleReader.read(zip);

            assertTrue(tookMillis < 1500, "given up after the first part timed out twice, took " + tookMillis + " ms");
            assertEquals(2, asked.get(), "/healthz asked twice, then nothing more");
            BundleManifest.Gap health = gap(b, "health.json");
            assertNotNull(health, b.manifest().partial().toString());
            assertTrue(health.why().contains("did not answer in time, twice"), health.toString());
            for (String entry : List.of("history/fra.csv", "flags.json", "audit.json", "guardrails.json", "sources.json")) {
                BundleManifest.Gap g = b.manifest().partial().stream().filter(x -> x.entry().startsWith(entry.replace(".csv", "")))
                        .findFirst().orElse(null);
                assertNotNull(g, entry + " in " + b.manifest().partial());
                assertTrue(g.why().contains("not asked: the node was not answering"), g.toString());
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void theWholeExportStopsAskingAtItsDeadline() throws Exception {
        HttpEdgeConnection live = connect();
        AtomicInteger asked = new AtomicInteger();
        EdgeConnection neverAnswers = with(live, Map.of("health", CompletableFuture::new));
        Path zip = dir.resolve("late.zip");
        long start = System.nanoTime();
        new BundleExportTask(partsFrom(live, neverAnswers, asked), Map.of(), List.of(), Map.of(), zip, "test",
                Duration.ofSeconds(30), Duration.ofMillis(400)).call((done, message) -> { });
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        Bundle b = BundleReader.read(zip);

        assertTrue(tookMillis < 2000, "a 30 s call is cut at the 0.4 s deadline, took " + tookMillis + " ms");
        assertEquals(1, asked.get(), "nothing asked after the deadline");
        BundleManifest.Gap flags = gap(b, "flags.json");
        assertNotNull(flags, b.manifest().partial().toString());
        assertTrue(flags.state().equals("partial") && flags.why().contains("deadline of 0.4 s had passed"), flags.toString());
    }

    @Test
    void aStreamReconnectingAfterHealthAnsweredIsNotCalledTheNodeBeingDown() throws Exception {
        HttpEdgeConnection live = connect();
        EdgeConnection reconnecting = (EdgeConnection) Proxy.newProxyInstance(EdgeConnection.class.getClassLoader(),
                new Class<?>[] {EdgeConnection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "status" -> {
                            return new ConnectionStatus(ConnectionStatus.State.RECONNECTING, "stream reconnecting", 0);
                        }
                        case "history", "flags", "audit", "guardrails", "sources" -> {
                            return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.UNREACHABLE,
                                    "GET was not sent: stream reconnecting"));
                        }
                        default -> {
                            try {
                                return method.invoke(live, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
        Path zip = dir.resolve("reconnecting.zip");
        new BundleExportTask(reconnecting, Map.of(), List.of(), Map.of(), zip, "test", Duration.ofMillis(300),
                Duration.ofSeconds(30)).call((done, message) -> { });
        Bundle b = BundleReader.read(zip);

        assertTrue(b.diagnostics().get("health.json").toString().contains("\"httpStatus\":200"), b.diagnostics().toString());
        for (BundleManifest.Gap g : b.manifest().partial()) {
            assertFalse(g.why().contains("down"), "health.json says 200, so no part says the node is down: " + g);
            assertTrue(g.why().contains("not connected") && g.why().contains("UTC"), g.toString());
        }
        assertFalse(b.manifest().partial().isEmpty());
    }
}
