package io.edgedeck.console;

import eu.hansolo.tilesfx.Tile;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.dashboard.ShowTilesViewModel;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A LIVE console on a real node on loopback that it cannot read from, or not yet: a read key given as the token file,
 * a token the node does not know or revoked, a node that comes up only after the console started. Before the first
 * frame no tile shows a number, let alone a healthy-looking zero; a key the node will not let in is named, with what to
 * use instead, once, across the window, and the console stops asking for the show (a read key keeps the tabs its
 * diagnostic reads fill, Sources and Triggers, and Settings; a refused token Settings alone, until the console is
 * started again on a token the node knows); a node that comes up late is read in full.
 */
@ExtendWith(ApplicationExtension.class)
class LiveNotLetInUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    private void startNode(int port) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectories(dir.resolve("node")), port, 20);
    }

    /** The console as {@code --connect URL --token-file FILE} opens it. */
    private void connect(FxRobot robot, Path tokenFile) throws Exception {
        live.connection = Connections.open(ConsoleOptions.parse(List.of("--connect", live.node.baseUri().toString(),
                "--token-file", tokenFile.toString())));
        live.show(robot, live.connection);
    }

    private static String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.lookup(query).tryQueryAs(Label.class).filter(Label::isVisible).map(Label::getText)
                .orElse(""));
    }

    /**
     * No number, grey, and saying {@code why}: a tile before the first frame ({@link ShowTilesViewModel#UNHEARD}), or on
     * a key the node will not let in, for which no frame will come ({@link ShowTilesViewModel#NOT_LET_IN}).
     */
    private void assertNoNumber(FxRobot robot, String why) {
        FxLookup.onFx(() -> {
            ShowTilesViewModel tiles = live.console.dashboard().viewModel().showTiles();
            assertEquals(why, tiles.staleTextProperty().get());
            for (var status : List.of(tiles.chat().sentimentStatusProperty(), tiles.chat().reactionStatusProperty(),
                    tiles.traffic().deliveryStatusProperty(), tiles.traffic().degradedStatusProperty())) {
                assertEquals(Status.STALE, status.get(), status.getName());
            }
            for (String id : List.of("sentiment", "reactions", "throughput", "degraded")) {
                Tile tile = (Tile) robot.lookup("#show-tile-" + id).query();
                assertTrue(Double.isNaN(tile.getValue()), id + " shows no number, not " + tile.getValue());
                assertEquals(2, tile.getBorderWidth(), id + " is not in the OK look");
                String said = tile.getTitle() + " | " + tile.getText() + " | " + tile.getDescription();
                assertTrue(said.contains(why), id + ": " + said);
            }
            return null;
        });
    }

    @Test
    void aReadKeyIsNamedWithWhatToUseInsteadAndTheConsoleStopsAsking(FxRobot robot) throws Exception {
        startNode(0);
        connect(robot, live.node.readKeyFile());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !text(robot, "#token-refused").isEmpty());
        String refused = text(robot, "#token-refused");
        assertTrue(refused.contains(live.node.readKeyFile().toString()), "names the token file: " + refused);
        assertTrue(refused.contains("read key") && refused.contains("DATA_DIR/token") && refused.contains("operators add"),
                refused);
        String status = text(robot, "#connection-status");
        // Stopped, not reconnecting; and the refusal is said once, at the top, not again in the status bar.
        assertEquals(io.edgedeck.console.connection.ConnectionStatusViewModel.READ_KEY, status);
        assertTrue(refused.endsWith(io.edgedeck.console.connection.ConnectionStatusViewModel.READ_VIEWS), refused);
        // Only the views a read key can fill: what feeds the node and the trigger audit, and Settings.
        assertEquals(List.of("Sources", "Triggers", "Settings"), FxLookup.onFx(() -> robot.lookup(".tab-pane")
                .queryAs(javafx.scene.control.TabPane.class).getTabs().stream().map(javafx.scene.control.Tab::getText).toList()));
        // The tabs let go of are ticked no more; what runs on each tick is what Sources and Triggers take from their answers.
        FxLookup.onFx(() -> {
            for (var f : live.console.features()) {
                assertEquals(MainWindow.READ_KEY_TABS.contains(f.title()), live.console.ticker().ticks(f), f.title());
            }
            assertEquals(2, live.console.ticker().everyTickActions(), "per-tick actions: Sources' and Triggers' alone");
            return null;
        });
        // and those read: the node's sources, with the read key.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#sources-status").startsWith("sources: ")
                && !text(robot, "#sources-status").contains("could not be read") && !text(robot, "#sources-status").contains("asking"));
        assertFalse(FxLookup.present(robot, "#requests-status"), "no line for change requests, which a read key cannot read");
        // No keyboard shortcut of a tab not offered is left behind (Playbooks', Guardrails', the scheduled cue's):
        // the keys the scene still answers are the help's and the theme's, which need no key to the show.
        assertEquals(java.util.Set.of(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F1),
                        new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.T, javafx.scene.input.KeyCombination.SHORTCUT_DOWN)),
                FxLookup.onFx(() -> java.util.Set.copyOf(robot.lookup(".tab-pane").query().getScene().getAccelerators().keySet())));
        List<String> saying = FxLookup.onFx(() -> robot.lookup(".label").queryAllAs(Label.class).stream()
                .filter(l -> l.isVisible() && l.getText() != null && l.getText().contains(live.node.readKeyFile().toString()))
                .map(Label::getText).toList());
        assertEquals(1, saying.size(), "the refusal said once across the window: " + saying);
        // It stays stopped: no reconnect is scheduled behind the message.
        Thread.sleep(600);
        assertEquals(io.edgedeck.console.connection.ConnectionStatusViewModel.READ_KEY, text(robot, "#connection-status"));
        // The show's tiles are not offered; behind the scenes they say the key is not let in: no frame will come.
        FxLookup.onFx(() -> {
            assertEquals(ShowTilesViewModel.NOT_LET_IN, live.console.dashboard().viewModel().showTiles().staleTextProperty().get());
            return null;
        });
    }

    @Test
    void aTokenTheNodeDoesNotKnowGetsSettingsAloneUntilTheFileIsFixed(FxRobot robot) throws Exception {
        startNode(0);
        Path wrong = Files.writeString(dir.resolve("wrong-token"), "not-a-token-of-this-node");
        connect(robot, wrong);
        String refused = settingsAlone(robot);
        // The file, that the node does not know the token, and the one thing that fixes it: a token it knows, in that file.
        assertTrue(refused.contains("refused the token file " + wrong + " (401): the node does not know this token."), refused);
        assertTrue(refused.contains("Put the node's DATA_DIR/token, or your own from 'edgedeck-sim operators add', in " + wrong
                + " and start the console again."), refused);
        assertFalse(refused.contains("revoked"), "the node did not say it was revoked: " + refused);

        // Fixed: the node's token in the same file, and the console started again on it offers every tab, and reads them.
        Files.writeString(wrong, Files.readString(live.node.tokenFile()));
        io.edgedeck.client.EdgeConnection before = live.connection;
        Console refusedConsole = live.console;
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> TestConsoles.close(refusedConsole, before));
        live.console = null;
        connect(robot, wrong);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#connection-status").startsWith("Online"));
        List<String> tabs = tabs(robot);
        assertTrue(tabs.containsAll(List.of("Flags", "Guardrails", "Timeline", "Sources", "Settings")) && tabs.size() > 6, tabs.toString());
        assertEquals("", text(robot, "#token-refused"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#acting-as").startsWith("acting as admin"));
    }

    @Test
    void aRevokedTokenIsSaidToBeRevokedAsTheNodeSaysIt(FxRobot robot) throws Exception {
        startNode(0);
        var people = new io.edgedeck.simulator.server.operators.OperatorStore(dir.resolve("node"), java.time.Clock.systemUTC());
        Path alice = people.add("alice", io.edgedeck.client.model.Role.OPERATOR, dir.resolve("alice.token")).tokenFile();
        people.revoke("alice");
        connect(robot, alice);
        String refused = settingsAlone(robot);
        assertTrue(refused.contains("refused the token file " + alice + " (401): the node says this token of alice was revoked at "),
                refused);
        assertTrue(refused.contains("Put a new token from the node's owner ('edgedeck-sim operators add') in " + alice
                + " and start the console again."), refused);
        assertFalse(refused.contains("does not know"), refused);
    }

    /**
     * A person's token the node refuses because it cannot read its operators file: the token may be good, so the console
     * does not stop. It says so across the window, in the node's words and that whoever runs the node is to fix it
     * (never that the node does not know the token), keeps every tab, asks again every few seconds, and carries on by
     * itself once the file reads again; so it does when the file breaks while it is live.
     */
    @Test
    void aTokenRefusedForAnOperatorsFileTheNodeCannotReadWaitsAndCarriesOnOnceItIsFixed(FxRobot robot) throws Exception {
        startNode(0);
        Path data = dir.resolve("node");
        var people = new io.edgedeck.simulator.server.operators.OperatorStore(data, java.time.Clock.systemUTC());
        Path alice = people.add("alice", io.edgedeck.client.model.Role.OPERATOR, dir.resolve("alice.token")).tokenFile();
        Path operators = data.resolve(io.edgedeck.simulator.server.operators.OperatorStore.FILE);
        String good = Files.readString(operators);
        // Cut short, as a hand edit or a full disk leaves it.
        Files.writeString(operators, "{\"format\": 1, \"operators\": [");
        connect(robot, alice);
        String waiting = waitingForOperators(robot, alice, operators);
        TestConsoles.shootIfAsked(live.console, "operators-unreadable.png");
        assertTrue(waiting.contains("; it says personal tokens are refused until the node's operators file is fixed"
                + " (its operators.json cannot be read: "), waiting);

        Files.writeString(operators, good);
        carriesOn(robot);
        TestConsoles.shootIfAsked(live.console, "operators-fixed.png");

        // Broken while the console is live: the same notice, and the same recovery.
        Files.writeString(operators, "{\"format\": 1, \"operators\": [");
        waitingForOperators(robot, alice, operators);
        Files.writeString(operators, good);
        carriesOn(robot);
    }

    /** The console waiting for the node to read its operators file: the notice, every tab kept, nothing said as refused for good. */
    private String waitingForOperators(FxRobot robot, Path tokenFile, Path operators) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !text(robot, "#node-problem").isEmpty()
                && text(robot, "#node-problem").contains("operators file"));
        String notice = text(robot, "#node-problem");
        String node = live.node.baseUri().toString().replaceAll("/$", "");
        assertTrue(notice.startsWith("Not let in for now: the node at " + node + " cannot read its operators file, so for now it"
                + " lets no person's own token in"), notice);
        assertTrue(notice.contains(". The token file " + tokenFile + " may be fine: whoever runs the node is to fix its operators"
                + " file. Asking again every 5 s; the console carries on by itself once the node reads the file again"), notice);
        assertFalse(notice.contains(operators.toString()), "the node tells a refused caller nothing of where it keeps its files: "
                + notice);
        assertFalse(notice.contains("does not know") || notice.contains("revoked") || notice.contains("start the console again"),
                notice);
        assertEquals(io.edgedeck.console.connection.ConnectionStatusViewModel.WAITING_FOR_OPERATORS, text(robot, "#connection-status"));
        assertEquals("", text(robot, "#token-refused"), "not refused for good");
        assertTrue(tabs(robot).size() > 3, "every tab kept: " + tabs(robot));
        assertFalse(live.connection.tokenRefused());
        return notice;
    }

    /** Once the node reads its operators file again the console is live by itself: online, frames coming, no notice. */
    private void carriesOn(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "#connection-status").startsWith("Online")
                && text(robot, "#node-problem").isEmpty());
        long frame = live.connection.latestFrame().map(f -> f.sequence()).orElse(-1L);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> live.connection.latestFrame().map(f -> f.sequence()).orElse(-1L) > frame);
        assertEquals("", text(robot, "#token-refused"));
        assertFalse(live.connection.operatorsUnreadable());
    }

    /**
     * A console on a token the node refuses (401) offers Settings alone, with nothing of the node's left to say it could
     * not be read, and stops asking: the notice says why once, across the window. Returns the notice.
     */
    private String settingsAlone(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !text(robot, "#token-refused").isEmpty());
        String refused = text(robot, "#token-refused");
        assertTrue(refused.endsWith(io.edgedeck.console.connection.ConnectionStatusViewModel.INGEST_VIEWS), refused);
        assertEquals(MainWindow.NO_CLOCK_NOT_LET_IN, text(robot, "#show-clock"));
        assertSettingsAlone(robot, live.console);
        FxLookup.onFx(() -> {
            // Behind the scenes the show's tiles say the token is not let in: no frame will come.
            assertEquals(ShowTilesViewModel.NOT_LET_IN, live.console.dashboard().viewModel().showTiles().staleTextProperty().get());
            return null;
        });
        TestConsoles.shootIfAsked(live.console, "token-refused.png");
        return refused;
    }

    /**
     * What a console on a key or token that reads nothing of the node's shows (a live node's ingest key, a token the node
     * refuses): Settings alone, with nothing left to say it could not be read, and nothing of the other tabs run on each
     * tick; the status bar says it is not let in.
     */
    static void assertSettingsAlone(FxRobot robot, Console console) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> tabs(robot).equals(List.of("Settings")));
        assertEquals(io.edgedeck.console.connection.ConnectionStatusViewModel.NOT_LET_IN, text(robot, "#connection-status"));
        assertFalse(FxLookup.present(robot, "#sources-status"), "no line for the sources, which it cannot read");
        assertFalse(FxLookup.present(robot, "#requests-status"), "no line for change requests, which it cannot read");
        List<String> unread = FxLookup.onFx(() -> robot.lookup(".label").queryAllAs(Label.class).stream()
                .filter(l -> l.isVisible() && l.getScene() != null && l.getText() != null && l.getText().contains("could not be read"))
                .map(Label::getText).toList());
        assertEquals(List.of(), unread, "nothing left on the window says it could not be read");
        // The tabs let go of are ticked no more, and nothing of theirs runs on each tick.
        FxLookup.onFx(() -> {
            for (var f : console.features()) {
                assertEquals(f.title().equals("Settings"), console.ticker().ticks(f), f.title());
            }
            assertEquals(0, console.ticker().everyTickActions(), "per-tick actions left");
            return null;
        });
    }

    private static List<String> tabs(FxRobot robot) {
        return FxLookup.onFx(() -> robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class).getTabs().stream()
                .map(javafx.scene.control.Tab::getText).toList());
    }

    @Test
    void aNodeThatComesUpAfterTheConsoleIsReadInFull(FxRobot robot) throws Exception {
        // The node's own data directory and port, with the node stopped: as after a restart that has not happened yet.
        startNode(0);
        int port = live.node.port();
        Path token = live.node.tokenFile();
        live.node.close();
        live.node = null;
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + port);
        live.connection = HttpEdgeConnection.open(uri, Files.readString(token).trim(), "the token file " + token,
                HttpEdgeConnection.Settings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(400), new Random(7)));
        live.show(robot, live.connection);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#connection-status").contains("reconnecting"));
        // Several reconnect steps go by with nobody listening.
        Thread.sleep(1_500);
        assertNoNumber(robot, ShowTilesViewModel.UNHEARD);
        assertTrue(text(robot, "#acting-as").contains("not known until the node answers"), text(robot, "#acting-as"));

        startNode(port);
        assertEquals(port, live.node.port());
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.onFx(
                () -> !live.console.dashboard().viewModel().clockProperty().get().startsWith("waiting")));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#acting-as").startsWith("acting as admin"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#sources-status").startsWith("sources: ")
                && !text(robot, "#sources-status").contains("asking") && !text(robot, "#sources-status").contains("unknown"));
        assertTrue(text(robot, "#connection-status").startsWith("Online"), text(robot, "#connection-status"));
        FxLookup.onFx(() -> {
            assertEquals("", live.console.dashboard().viewModel().showTiles().staleTextProperty().get(), "the tiles are heard");
            return null;
        });
    }
}
