package io.edgedeck.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.connection.Connections;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A LIVE console on a real node's read key, through a loopback relay that counts each path it is asked for, and with
 * each question the console puts to its connection counted too: once the window offers only Sources, Triggers and
 * Settings, the tabs it took away ask nothing more (their pollers stopped with them), neither the node nor the
 * connection (which would refuse them unsent), while Sources and Triggers go on asking the node.
 */
@ExtendWith(ApplicationExtension.class)
class ReadKeyTabsUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();
    private HttpServer relay;
    /** The relay's client to the node and the threads it answers on: stopped with it. */
    private HttpClient relayClient;
    private ExecutorService relayThreads;

    @AfterEach
    void stopRelay() throws InterruptedException {
        if (relay != null) {
            relay.stop(0);
        }
        if (relayClient != null) {
            // Now, not in order: a stream of events the relay is passing on does not end by itself.
            relayClient.shutdownNow();
            relayClient.awaitTermination(Duration.ofSeconds(10));
        }
        if (relayThreads != null) {
            relayThreads.shutdownNow();
            relayThreads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The paths under /api/v1 the relay passed on, and how many times each. */
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

    @Test
    void theTabsAReadKeyTakesAwayStopAsking(FxRobot robot) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectories(dir.resolve("node")), 0, 20);
        URI node = live.node.baseUri();
        relay = relayTo(node);
        EdgeConnection opened = Connections.open(ConsoleOptions.parse(List.of("--connect",
                "http://127.0.0.1:" + relay.getAddress().getPort(), "--token-file", live.node.readKeyFile().toString())));
        live.show(robot, counted(opened));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> robot.lookup(".tab-pane")
                .queryAs(TabPane.class).getTabs().stream().map(Tab::getText).toList()).equals(List.of("Sources", "Triggers", "Settings")));
        // What was on its way as the tabs went is let through: counted from the next answer to Sources on.
        int sources = count("sources");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> count("sources") > sources);
        Map<String, Integer> before = counts();
        Map<String, Integer> questionsBefore = copy(questions);
        // Several poll periods of the tabs that stay (Sources and Triggers ask every 2 s; the others asked every 1 s).
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> count("sources") >= before.get("sources") + 3
                && count("triggers") >= before.getOrDefault("triggers", 0) + 3);
        Map<String, Integer> more = more(before, counts());
        assertEquals(Set.of("sources", "triggers"), more.keySet(), "the node was asked meanwhile: " + more + "; before: " + before);
        // The connection too: the requests, playbooks and schedule were asked of it every second (and refused unsent).
        Map<String, Integer> asks = more(questionsBefore, copy(questions));
        assertEquals(Set.of("sources", "triggers"), asks.keySet(), "the connection was asked meanwhile: " + asks
                + "; before: " + questionsBefore);
    }

    /** What the console asked of its connection, by method, of the questions the tabs' pollers ask. */
    private final Map<String, AtomicInteger> questions = new ConcurrentHashMap<>();
    private static final Set<String> POLLED = Set.of("sources", "triggerAudit", "requests", "playbookList", "scheduledChanges",
            "fleet");

    /** {@code connection}, each of the pollers' questions counted. */
    private EdgeConnection counted(EdgeConnection connection) {
        return (EdgeConnection) Proxy.newProxyInstance(EdgeConnection.class.getClassLoader(), new Class<?>[] {EdgeConnection.class},
                (proxy, method, args) -> {
                    if (POLLED.contains(method.getName()) && method.getParameterCount() == 0) {
                        questions.computeIfAbsent(method.getName().equals("triggerAudit") ? "triggers" : method.getName(),
                                m -> new AtomicInteger()).incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Map<String, Integer> copy(Map<String, AtomicInteger> counts) {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((key, n) -> copy.put(key, n.get()));
        return copy;
    }

    /** What grew from {@code before} to {@code after}, by how much. */
    private static Map<String, Integer> more(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> more = new TreeMap<>();
        after.forEach((key, n) -> {
            if (n > before.getOrDefault(key, 0)) {
                more.put(key, n - before.getOrDefault(key, 0));
            }
        });
        return more;
    }

    private int count(String path) {
        AtomicInteger n = asked.get(path);
        return n == null ? 0 : n.get();
    }

    private Map<String, Integer> counts() {
        return copy(asked);
    }

    /** A relay on loopback that passes each request on to {@code node} as it came and its answer back, counting its path. */
    private HttpServer relayTo(URI node) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        relayClient = client;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                relay(client, node, exchange);
            }
        });
        relayThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "read-key-relay");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(relayThreads);
        server.start();
        return server;
    }

    private void relay(HttpClient client, URI node, HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.startsWith("/api/v1/")) {
            asked.computeIfAbsent(path.substring("/api/v1/".length()), p -> new AtomicInteger()).incrementAndGet();
        }
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(node.resolve(path + (query == null ? "" : "?" + query)))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Authorization", "Content-Type", "Accept", "Idempotency-Key", "Last-Event-ID")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        answer.headers().map().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
                    && !name.equalsIgnoreCase("connection") && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(answer.statusCode(), 0);
        try (InputStream from = answer.body(); OutputStream to = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = from.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
                to.flush();
            }
        }
    }
}
