package io.edgedeck.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.FleetView;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.Connections;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Fleet tab in the window, on a LIVE connection to an edge that serves {@code GET /api/v1/fleet}: a
 * loopback HTTP server answering as an aggregator does (the console's tests run no Kafka broker; the client
 * against a real aggregator is tested in the simulator's {@code FleetConnectionKafkaTest}). It serves no frame
 * stream, as today's aggregator does not: the tab lives on its own answers. node-b was last heard of 8 s ago
 * and is never heard of again, so its row goes red as the seconds pass; fra is served by two nodes.
 * A rehearsal offers no Fleet tab.
 *
 * <p>With {@code -Dedgedeck.screenshots=DIR} the window is written there as {@code console-fleet-uitest.png}.
 */
@ExtendWith(ApplicationExtension.class)
class FleetUiTest {
    private static final String TOKEN = "fleet-ui-test-token";
    private static final String READ_KEY = "fleet-ui-test-read-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private Stage stage;
    private Console console;
    private EdgeConnection connection;
    private HttpServer aggregator;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close(FxRobot robot) {
        if (console != null) {
            robot.interact(() -> TestConsoles.close(console, connection));
        }
        if (cues != null) {
            cues.over.countDown();
        }
        if (aggregator != null) {
            aggregator.stop(0);
        }
        cueThreads.shutdownNow();
    }

    /** The fleet at {@code now}: node-a heard of just now, node-b last at {@code bLastSeen} and never since. */
    private static FleetView fleet(long now, long bLastSeen) {
        FleetView.Latency fra = new FleetView.Latency(5_200, 12, 21, 48, 77, 140);
        FleetView.Latency lhr = new FleetView.Latency(1_900, 0, 25, 55, 80, 120);
        return new FleetView(4_310, 2, 0, now / 1000, 60,
                List.of(new FleetView.Pop("ams", fra, fra, 31, List.of("node-a")),
                        new FleetView.Pop("fra", fra, fra, 40, List.of("node-a", "node-b")),
                        new FleetView.Pop("lhr", lhr, lhr, 12, List.of("node-b"))),
                List.of(),
                List.of(new FleetView.Node("node-a", List.of("ams", "fra"), 2_900, 2, now - 300, 300, now / 1000, 3, 0, 14, 0),
                        new FleetView.Node("node-b", List.of("fra", "lhr"), 1_410, 0, bLastSeen, now - bLastSeen, bLastSeen / 1000,
                                0, 0, 14, 0)),
                new FleetView.Chat(0, 0, 0), new FleetView.Checkouts(0, 0, 0, 0), 0, null, now);
    }

    /** When node-b was last heard from, on the fake aggregator's clock. */
    private long bLastSeen;

    private void serveFleet(long bLastSeen) throws Exception {
        this.bLastSeen = bLastSeen;
        aggregator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        aggregator.createContext("/", exchange -> {
            if (cues != null && cues.answer(exchange)) {
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authorised = ("Bearer " + TOKEN).equals(auth) || ("Bearer " + READ_KEY).equals(auth);
            boolean fleetPath = exchange.getRequestURI().getPath().equals("/api/v1/fleet");
            byte[] body = !authorised ? "{\"status\":401}".getBytes(StandardCharsets.UTF_8)
                    : fleetPath ? JSON.writeValueAsBytes(fleet(System.currentTimeMillis(), bLastSeen))
                    : "{\"status\":404}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", fleetPath && authorised ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(!authorised ? 401 : fleetPath ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        if (cues != null) {
            aggregator.setExecutor(cueThreads); // the frame stream holds a thread while it is open
        }
        aggregator.start();
    }

    /**
     * What today's aggregator answers besides the fleet: a frame stream that stays open (so the console is online), who a
     * token is ({@code GET /api/v1/me}: the admin token or the read key, both viewers), and a cue for every node: 202 with
     * node-b silent for {@code drop}, 400 naming the field for a name it refuses, as {@code FleetCues} does.
     */
    private final class Cues {
        final java.util.concurrent.CountDownLatch over = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.LinkedBlockingQueue<String> reasons = new java.util.concurrent.LinkedBlockingQueue<>();

        boolean answer(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
            String path = exchange.getRequestURI().getPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (path.equals("/api/v1/frames/stream")) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write(": frames\n\n".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                try {
                    over.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return true;
            }
            if (path.equals("/api/v1/me")) {
                reply(exchange, 200, "application/json", ("Bearer " + TOKEN).equals(auth) ? "{\"name\":\"admin\",\"role\":\"viewer\"}"
                        : "{\"name\":\"read-key\",\"role\":\"viewer\"}");
                return true;
            }
            if (path.startsWith("/api/v1/show/cues/") && exchange.getRequestMethod().equals("POST")) {
                reasons.add(JSON.readTree(exchange.getRequestBody().readAllBytes()).get("reason").asText());
                if (path.endsWith("/drop")) {
                    reply(exchange, 202, "application/json", "{\"cue\":\"drop\",\"offset\":41,\"took\":[\"node-a\"],\"notTaken\":"
                            + "[{\"node\":\"node-b\",\"why\":\"silent for 12 s: it fires the cue when it reads the control topic again\","
                            + "\"lastSeenMillis\":" + bLastSeen + "}],"
                            + "\"detail\":\"not taken by node-b; taken by node-a\"}");
                } else {
                    reply(exchange, 400, "application/problem+json", "{\"type\":\"urn:edgedeck:problem:invalid\",\"title\":\"Invalid\","
                            + "\"status\":400,\"detail\":\"must be a lowercase name: letters, digits and '-', at most 32 characters,"
                            + " was 'Drop!'\",\"field\":\"name\"}");
                }
                return true;
            }
            return false;
        }

        private void reply(com.sun.net.httpserver.HttpExchange exchange, int code, String type, String body) throws java.io.IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }

    private Cues cues;
    private final java.util.concurrent.ExecutorService cueThreads = java.util.concurrent.Executors.newCachedThreadPool();

    private static String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.lookup(query).tryQueryAs(Label.class).map(Label::getText).orElse(""));
    }

    /** The status class of the table row whose first cell reads {@code first}, or null when no such row is drawn. */
    private static Status rowStatus(FxRobot robot, String table, String first) {
        return FxLookup.onFx(() -> robot.lookup(table + " .table-row-cell").queryAllAs(TableRow.class).stream()
                .filter(r -> r.getItem() != null && r.getChildrenUnmodifiable().stream()
                        .anyMatch(c -> c instanceof javafx.scene.control.TableCell<?, ?> cell && first.equals(cell.getText())))
                .findFirst().map(r -> {
                    for (Status s : Status.values()) {
                        if (r.getStyleClass().contains(s.styleClass())) {
                            return s;
                        }
                    }
                    return Status.OK;
                }).orElse(null));
    }

    private static void waitFor(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    @Test
    void theFleetTabShowsEveryNodeAndTurnsASilentOneRed(FxRobot robot) throws Exception {
        serveFleet(System.currentTimeMillis() - 3_500);
        connection = HttpEdgeConnection.open(URI.create("http://127.0.0.1:" + aggregator.getAddress().getPort()), TOKEN);
        assertTrue(connection.hasFleet());
        robot.interact(() -> {
            console = TestConsoles.show(stage, connection);
            console.showTab("fleet");
        });
        assertEquals("Fleet", FxLookup.onFx(() -> console.window().tabs().getTabs().get(1).getText()), "beside the wall");

        waitFor("both nodes drawn", () -> rowStatus(robot, "#fleet-nodes", "node-a") != null
                && rowStatus(robot, "#fleet-nodes", "node-b") != null);
        assertEquals(Status.OK, rowStatus(robot, "#fleet-nodes", "node-a"));
        assertEquals(Status.WARN, rowStatus(robot, "#fleet-pops", "FRA"), "FRA is served by two nodes");
        assertEquals(Status.OK, rowStatus(robot, "#fleet-pops", "AMS"));
        assertTrue(text(robot, "#fleet-aggregator").startsWith("Aggregator: caught up"), text(robot, "#fleet-aggregator"));

        // node-b says nothing more: late past 3 s, past 5 s its row is red, as the aggregator calls it silent.
        waitFor("node-b silent", () -> rowStatus(robot, "#fleet-nodes", "node-b") == Status.BAD);
        // The headline and lhr's row read on one tick: a tick between two reads would move the figure on.
        String[] read = FxLookup.onFx(() -> new String[] {text(robot, "#fleet-summary"),
                ((javafx.scene.control.TableView<?>) robot.lookup("#fleet-pops").queryAs(javafx.scene.control.TableView.class))
                        .getColumns().get(3).getCellData(2).toString()});
        String summary = read[0];
        var silentFor = java.util.regex.Pattern.compile("fleet: 2 nodes, 1 live · silent: node-b ([0-9.]+) s · .*").matcher(summary);
        assertTrue(silentFor.matches(), summary);
        // Red from 5 s on; how much later the test reads it depends on the machine's load.
        assertTrue(Double.parseDouble(silentFor.group(1)) >= NodeCondition.Silent.AFTER_MILLIS / 1000.0, summary);
        assertTrue(summary.endsWith("· served twice: FRA"), summary);
        assertTrue(FxLookup.query(robot, "#fleet-summary", Label.class).getStyleClass().contains(Status.BAD.styleClass()));
        // lhr, which only node-b serves, shows no figure as live: grey, stale for the headline's figure for node-b.
        assertEquals(Status.STALE, rowStatus(robot, "#fleet-pops", "LHR"));
        String lhrP95 = read[1];
        assertEquals("stale for " + silentFor.group(1) + " s", lhrP95, "the same figure from the same answer as the headline's");
        assertEquals(Status.OK, rowStatus(robot, "#fleet-nodes", "node-a"), "node-a is still heard of");
        TestConsoles.shootIfAsked(console, "console-fleet-uitest.png");

        // The aggregator goes away: nothing it said last may look live.
        aggregator.stop(0);
        waitFor("the view greys", () -> rowStatus(robot, "#fleet-nodes", "node-a") == Status.STALE);
        assertTrue(text(robot, "#fleet-summary").startsWith("fleet: not heard from the aggregator for "), text(robot, "#fleet-summary"));
        aggregator = null;
    }

    /** Types {@code cue} and holds Fire on every node… to the end of its hold, with the reason the prompt offers. */
    private void fire(FxRobot robot, String cue) throws Exception {
        robot.interact(() -> FxLookup.query(robot, "#fleet-cue-name", javafx.scene.control.TextField.class).setText(cue));
        waitFor("Fire offered", () -> !FxLookup.query(robot, "#fleet-cue-fire", javafx.scene.control.Button.class).isDisabled());
        robot.interact(() -> FxLookup.query(robot, "#fleet-cue-fire", javafx.scene.control.Button.class).fire());
        waitFor("the reason prompt", () -> FxLookup.present(robot, "#prompt-confirm"));
        assertEquals("the " + cue + " is live", FxLookup.query(robot, "#prompt-reason", javafx.scene.control.TextField.class).getText());
        robot.press(javafx.scene.input.KeyCode.SPACE);
        try {
            waitFor("the hold done", () -> !FxLookup.present(robot, "#prompt"));
        } finally {
            robot.release(javafx.scene.input.KeyCode.SPACE);
        }
    }

    /**
     * A cue fired from the Fleet tab goes to the aggregator with the reason asked for, and its answer is said in words:
     * the node that took it and the one that did not, with why (amber); a name the aggregator refuses is named as the
     * field at fault (red). Ctrl+Shift+D does what Fire does from any tab, and says why when there is nothing to fire.
     * The read key sees Fire disabled, saying it takes the admin token.
     */
    @Test
    void aCueFiredOnEveryNodeSaysWhichNodesTookItAndTheReadKeyMayNot(FxRobot robot) throws Exception {
        cues = new Cues();
        serveFleet(System.currentTimeMillis() - 12_000);
        URI base = URI.create("http://127.0.0.1:" + aggregator.getAddress().getPort());
        connection = HttpEdgeConnection.open(base, TOKEN);
        robot.interact(() -> {
            console = TestConsoles.show(stage, connection);
            console.showTab("fleet");
        });
        waitFor("who the console acts as", () -> text(robot, "#acting-as").startsWith("acting as "));
        assertEquals("acting as the aggregator's admin · fires show cues on every node (Fleet tab), changes nothing else",
                text(robot, "#acting-as"));
        // node-b silent in the headline (past 5 s; whole seconds past 10 s) before the cue, so the answer is told beside it.
        waitFor("node-b silent", () -> text(robot, "#fleet-summary").contains("silent: node-b"));
        fire(robot, "drop");
        assertEquals("the drop is live", cues.reasons.poll(5, TimeUnit.SECONDS));
        waitFor("the answer in words", () -> !text(robot, "#fleet-cue-message").startsWith("Firing"));
        // node-b's seconds as the headline counts them (the aggregator said 12), from when the aggregator last heard from
        // it: the same figure as the headline's, read on the same tick, and aged with it.
        String[] both = FxLookup.onFx(() -> new String[] {text(robot, "#fleet-cue-message"), text(robot, "#fleet-summary")});
        String said = both[0];
        var headline = java.util.regex.Pattern.compile("fleet: 2 nodes, 1 live · silent: node-b (\\d+) s · .*").matcher(both[1]);
        assertTrue(headline.matches(), both[1]);
        var took = java.util.regex.Pattern.compile("Cue drop: node-a took it · node-b did not take it: silent for (\\d+) s: it fires"
                + " the cue when it reads the control topic again").matcher(said);
        assertTrue(took.matches(), said);
        assertTrue(Integer.parseInt(took.group(1)) >= 10, said);
        assertEquals(headline.group(1), took.group(1), "one figure: " + both[0] + " / " + both[1]);
        int first = Integer.parseInt(took.group(1));
        waitFor("the answer aged with the headline", () -> {
            String[] now = FxLookup.onFx(() -> new String[] {text(robot, "#fleet-cue-message"), text(robot, "#fleet-summary")});
            var m = java.util.regex.Pattern.compile(".*silent for (\\d+) s: .*").matcher(now[0]);
            return m.matches() && Integer.parseInt(m.group(1)) > first && now[1].contains("silent: node-b " + m.group(1) + " s ");
        });
        assertTrue(FxLookup.query(robot, "#fleet-cue-message", Label.class).getStyleClass().contains(Status.WARN.styleClass()));
        TestConsoles.shootIfAsked(console, "console-fleet-cue-uitest.png");

        fire(robot, "Drop!");
        waitFor("the refusal", () -> text(robot, "#fleet-cue-message").startsWith("Cue Drop! not fired"));
        assertEquals("Cue Drop! not fired: the cue's name: must be a lowercase name: letters, digits and '-', at most 32 characters,"
                + " was 'Drop!'", text(robot, "#fleet-cue-message"));
        assertTrue(FxLookup.query(robot, "#fleet-cue-message", Label.class).getStyleClass().contains(Status.BAD.styleClass()));

        cues.reasons.clear();
        // Ctrl+Shift+D, from any tab, fires the cue typed, as a node's console fires its next cue: the same reason and hold.
        // With no name typed it fires nothing and says so. The help lists it.
        robot.interact(() -> console.showTab("dashboard"));
        robot.interact(() -> FxLookup.query(robot, "#fleet-cue-name", javafx.scene.control.TextField.class).setText(""));
        pressCtrlShiftD(robot);
        waitFor("why nothing was fired", () -> text(robot, "#fleet-cue-message").startsWith("No cue fired"));
        assertEquals("No cue fired on every node: type the cue's name in the Fleet tab first (e.g. drop)",
                text(robot, "#fleet-cue-message"));
        assertFalse(FxLookup.present(robot, "#prompt"));
        robot.interact(() -> FxLookup.query(robot, "#fleet-cue-name", javafx.scene.control.TextField.class).setText("drop"));
        waitFor("Fire offered", () -> !FxLookup.query(robot, "#fleet-cue-fire", javafx.scene.control.Button.class).isDisabled());
        pressCtrlShiftD(robot);
        waitFor("the reason prompt", () -> FxLookup.present(robot, "#prompt-confirm"));
        assertEquals("the drop is live", FxLookup.query(robot, "#prompt-reason", javafx.scene.control.TextField.class).getText());
        robot.press(javafx.scene.input.KeyCode.SPACE);
        try {
            waitFor("the hold done", () -> !FxLookup.present(robot, "#prompt"));
        } finally {
            robot.release(javafx.scene.input.KeyCode.SPACE);
        }
        assertEquals("the drop is live", cues.reasons.poll(5, TimeUnit.SECONDS));
        waitFor("the answer in words", () -> text(robot, "#fleet-cue-message").startsWith("Cue drop: node-a took it"));
        robot.press(javafx.scene.input.KeyCode.F1).release(javafx.scene.input.KeyCode.F1);
        waitFor("the help", () -> FxLookup.present(robot, "#help-overlay"));
        String help = FxLookup.onFx(() -> robot.lookup("#help-overlay .label").queryAllAs(Label.class).stream()
                .map(Label::getText).reduce("", (a, b) -> a + "\n" + b));
        assertTrue(help.contains("Fire the cue typed in the Fleet tab on every node"), help);
        robot.press(javafx.scene.input.KeyCode.ESCAPE).release(javafx.scene.input.KeyCode.ESCAPE);

        robot.interact(() -> TestConsoles.close(console, connection));
        connection = HttpEdgeConnection.open(base, READ_KEY);
        robot.interact(() -> {
            console = TestConsoles.show(stage, connection);
            console.showTab("fleet");
            FxLookup.query(robot, "#fleet-cue-name", javafx.scene.control.TextField.class).setText("drop");
        });
        waitFor("why the read key may not", () -> text(robot, "#fleet-cue-why-not").contains("admin token"));
        assertEquals("Firing a cue on every node takes the aggregator's admin token (its DATA_DIR/token); this console's token is"
                + " read-key, which only reads", text(robot, "#fleet-cue-why-not"));
        assertTrue(FxLookup.query(robot, "#fleet-cue-fire", javafx.scene.control.Button.class).isDisabled());
        waitFor("who the console acts as", () -> text(robot, "#acting-as").startsWith("acting as read-key"));
        assertTrue(text(robot, "#acting-as").endsWith(" · view only"), text(robot, "#acting-as"));
    }

    private static void pressCtrlShiftD(FxRobot robot) {
        robot.press(ShortcutKeys.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.D)
                .release(javafx.scene.input.KeyCode.D, javafx.scene.input.KeyCode.SHIFT, ShortcutKeys.CONTROL);
    }

    @Test
    void aRehearsalOffersNoFleetTab(FxRobot robot) throws Exception {
        connection = Connections.rehearse("steady-show", 7L, 1);
        robot.interact(() -> console = TestConsoles.show(stage, connection));
        List<String> tabs = FxLookup.onFx(() -> console.window().tabs().getTabs().stream().map(Tab::getText).toList());
        assertFalse(tabs.contains("Fleet"), tabs.toString());
    }
}
