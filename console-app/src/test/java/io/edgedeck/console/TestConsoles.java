package io.edgedeck.console;

import io.edgedeck.console.connection.Connections;
import io.edgedeck.themes.Theme;
import javafx.stage.Stage;

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
}
