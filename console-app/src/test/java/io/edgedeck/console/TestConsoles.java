package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.themes.Theme;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/** The console on a stage, rehearsing a show, ticking: how every UI test begins. */
public final class TestConsoles {
    private TestConsoles() {
    }

    static Console show(Stage stage, String scenario, Long seed, double speed) throws Exception {
        return show(stage, Connections.rehearse(scenario, seed, speed));
    }

    /** The console for any connection (a live node's, a rehearsal's) on the stage, ticking. FX thread. */
    public static Console show(Stage stage, io.edgedeck.client.EdgeConnection connection) {
        Console console = Console.create(connection, Theme.DARK);
        stage.setScene(console.scene());
        stage.setWidth(1320);
        stage.setHeight(820);
        stage.show();
        console.ticker().start();
        return console;
    }

    /**
     * sentiment-crash played to 400 s (past its guardrail's rollback at 05:15) and frozen in a bundle, opened offline in a
     * console on the stage, {@code width} by {@code height}, ticking. FX thread.
     */
    static Console showCrashBundle(Stage stage, double width, double height) {
        var scenario = io.edgedeck.simulator.scenario.ScenarioCatalog.load("sentiment-crash");
        var show = new io.edgedeck.simulator.show.Show(new io.edgedeck.simulator.show.ShowDefinition(scenario, scenario.seed()),
                new io.edgedeck.engine.journal.MemoryJournal());
        while (show.core().nowMillis() < 400_000) {
            show.step();
        }
        Console console = Console.create(new io.edgedeck.simulator.bundle.BundleConnection(
                io.edgedeck.simulator.bundle.ShowBundle.capture(show, "test"), "crash.zip"), Theme.DARK);
        stage.setScene(console.scene());
        stage.setWidth(width);
        stage.setHeight(height);
        stage.show();
        console.ticker().start();
        return console;
    }

    /** A LIVE connection to {@code node}, opened as {@code --connect URL --token-file FILE} opens it. */
    public static io.edgedeck.client.EdgeConnection connect(io.edgedeck.simulator.server.EdgeNode node) throws Exception {
        return Connections.open(ConsoleOptions.parse(java.util.List.of("--connect", node.baseUri().toString(),
                "--token-file", node.tokenFile().toString())));
    }

    /** Stops {@code node} and deletes its data directory, made for the test class. */
    public static void stopAndDelete(io.edgedeck.simulator.server.EdgeNode node, java.nio.file.Path dataDir) throws java.io.IOException {
        node.close();
        try (var files = java.nio.file.Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /**
     * A scenario file's text: three PoPs, one flag with a serving treatment, {@code durationSeconds} long;
     * played at max a short one ends within a second.
     */
    static String shortShow(String name, int durationSeconds) {
        return """
                {"name": "%s", "description": "three PoPs and one flag", "seed": 7, "durationSeconds": %d,
                 "pops": [{"id": "fra", "region": "eu", "capacityRps": 400, "latency": {"baseMs": 18, "distribution": "normal"}},
                          {"id": "ams", "region": "eu", "capacityRps": 400, "latency": {"baseMs": 16, "distribution": "normal"}},
                          {"id": "iad", "region": "na", "capacityRps": 400, "latency": {"baseMs": 22, "distribution": "normal"}}],
                 "regions": [{"id": "eu", "share": 0.5, "pops": ["fra", "ams"]}, {"id": "na", "share": 0.5, "pops": ["iad"]}],
                 "audience": {"stages": [{"durationSeconds": 10, "target": 50}], "startRate": 10,
                              "session": {"meanDwellSeconds": 60, "viewsPerMinute": 6, "hoversPerMinute": 3, "clicksPerMinute": 1,
                                          "chatPerMinute": 0.5, "addToCartProbability": 0.1, "checkoutProbability": 0.5},
                              "chat": {"positive": 0.5, "neutral": 0.35, "negative": 0.15}},
                 "flags": [{"key": "checkout-button", "owner": "growth", "variants": [{"name": "control", "weight": 50},
                            {"name": "treatment", "weight": 50}], "control": "control", "scope": "global"}]}
                """.formatted(name, durationSeconds);
    }

    /** Writes the window as {@code name} in the folder {@code -Dedgedeck.screenshots=DIR} names; nothing without it. */
    public static void shootIfAsked(Console console, String name) throws Exception {
        String where = System.getProperty("edgedeck.screenshots");
        if (where == null) {
            return;
        }
        java.awt.image.BufferedImage[] shot = new java.awt.image.BufferedImage[1];
        org.testfx.util.WaitForAsyncUtils.asyncFx(() -> shot[0] = io.edgedeck.console.common.Snapshots.capture(
                (javafx.scene.Parent) console.scene().getRoot())).get();
        io.edgedeck.console.common.Snapshots.writePng(shot[0], java.nio.file.Path.of(where, name));
    }

    /** Stops the console's ticking and features, and closes its connection. */
    public static void close(Console console, io.edgedeck.client.EdgeConnection connection) {
        console.ticker().close();
        console.features().forEach(f -> f.dispose());
        connection.close();
    }

    /** A node with the example configuration (docs/examples/node-config.json), live on loopback at {@code port} (0: a free one). */
    public static EdgeNode startExampleNode(Path data, int port) throws Exception {
        return startExampleNode(data, port, 1);
    }

    /** The same, its clock running {@code rate} times the wall clock's pace. */
    public static EdgeNode startExampleNode(Path data, int port, double rate) throws Exception {
        return EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(Path.of("..", "docs", "examples", "node-config.json")
                .toString()), InetAddress.getLoopbackAddress(), port, data, rate));
    }

    /** A connection to {@code base} that tries again within a fifth of a second, so a node's return is seen at once. */
    public static HttpEdgeConnection openReconnectingQuickly(URI base, String token) {
        return HttpEdgeConnection.open(base, token,
                HttpEdgeConnection.Settings.defaults().withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), new Random(1)));
    }

    /** The same to {@code node}, with its admin token. */
    public static HttpEdgeConnection openReconnectingQuickly(EdgeNode node) throws java.io.IOException {
        return openReconnectingQuickly(node.baseUri(), Files.readString(node.tokenFile()).trim());
    }

    /**
     * One test's live node on loopback and the console connected to it, both closed after the test. Register it with
     * {@code @RegisterExtension} in a test class that has the {@code ApplicationExtension}: the console goes on the stage
     * that extension gives the test.
     */
    public static final class Live implements AfterEachCallback {
        public EdgeNode node;
        public EdgeConnection connection;
        public Console console;

        /** Puts the console for {@code c} on the test's stage, ticking; it and {@code c} are closed after the test. */
        public Console show(FxRobot robot, EdgeConnection c) {
            connection = c;
            robot.interact(() -> console = TestConsoles.show(FxToolkit.toolkitContext().getRegisteredStage(), c));
            return console;
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (console != null) {
                Console c = console;
                EdgeConnection with = connection;
                WaitForAsyncUtils.waitForAsyncFx(10_000, () -> close(c, with));
            } else if (connection != null) {
                connection.close();
            }
            if (node != null) {
                node.close();
            }
        }
    }
}
