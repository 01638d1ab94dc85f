package io.edgedeck.console;

import eu.hansolo.tilesfx.Tile;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.dashboard.ShowTilesViewModel;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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
 * a token the node does not know, a node that comes up only after the console started. Before the first frame no tile
 * shows a number, let alone a healthy-looking zero; a key the node will not let in is named, with what to use
 * instead, once, across the window, and the console stops asking for the show (a read key keeps the tabs its
 * diagnostic reads fill, Sources and Triggers, and Settings); a node that comes up late is read in full.
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
    void aRefusedTokenIsSaidAcrossTheWindowAndNothingClaimsToBeEmpty(FxRobot robot) throws Exception {
        startNode(0);
        Path wrong = Files.writeString(dir.resolve("wrong-token"), "not-a-token-of-this-node");
        connect(robot, wrong);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !text(robot, "#token-refused").isEmpty());
        String refused = text(robot, "#token-refused");
        assertTrue(refused.contains(wrong.toString()) && refused.contains("401") && refused.contains("DATA_DIR/token"), refused);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#acting-as").contains("did not let this token in"));
        // The sources could not be read either: they do not stay "asking the node…".
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#sources-status").equals("sources: could not be read"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#requests-status").equals("requests: could not be read"));
        robot.interact(() -> live.console.showTab("flags"));
        FxLookup.onFx(() -> {
            for (TableView<?> table : robot.lookup(".table-view").queryAllAs(TableView.class)) {
                if (table.getPlaceholder() instanceof Label empty && table.isVisible()) {
                    assertFalse(empty.getText().equals("No changes yet") || empty.getText().startsWith("Waiting for"),
                            "an empty table says it could not be read: " + empty.getText());
                }
            }
            return null;
        });
        // Nor do the tiles wait for data: none will come on this token, as the banner says.
        assertNoNumber(robot, ShowTilesViewModel.NOT_LET_IN);
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
