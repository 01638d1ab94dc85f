package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleConnection;
import io.edgedeck.simulator.bundle.ShowBundle;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.themes.Theme;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jitter tab on the headless platform, over the jitter storm at 320 s, its history fetches held until the test lets
 * them land (a slow node). A person clicks another PoP in the ranking: at once, before any answer, the picture still
 * drawn says it is the previous PoP's and that the pick's is being fetched, and is greyed; once the pick's answer lands
 * the picture is the pick's, whole again. A pick whose fetch fails keeps the previous picture greyed and says why.
 */
@ExtendWith(ApplicationExtension.class)
class JitterPickUiTest {
    private final List<Runnable> slow = new ArrayList<>();
    private BundleConnection bundle;
    private EdgeConnection refused;
    private EdgeConnection[] current;
    private JitterFeature feature;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        var scenario = ScenarioCatalog.load("jitter-storm");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < 320_000) {
            show.step();
        }
        Bundle storm = ShowBundle.capture(show, "test");
        bundle = new BundleConnection(storm, "storm.zip");
        current = new EdgeConnection[] {bundle};
        feature = shown(stage, () -> current[0], slow);
    }

    /**
     * The Jitter tab alone in {@code stage} at 1320x820 in the dark theme, reading history from {@code connection}, the
     * fetches' work waiting in {@code slow}: what they answer is applied on the FX thread, where the test runs them.
     */
    static JitterFeature shown(Stage stage, java.util.function.Supplier<EdgeConnection> connection, List<Runnable> slow) {
        Palette palette = new Palette();
        JitterFeature feature = new JitterFeature(connection, palette, new Background(slow::add, Runnable::run), List::of);
        Scene scene = new Scene(new StackPane(palette.probes(), feature.view()), 1320, 820);
        scene.getStylesheets().setAll(Theme.DARK.tokenSheetUrl(), Theme.componentSheetUrl());
        stage.setScene(scene);
        stage.show();
        // the theme's colours, read once the style sheets apply, as a console does when its theme is set
        scene.getRoot().applyCss();
        feature.refreshColors();
        return feature;
    }

    @AfterEach
    void close() {
        feature.dispose();
        bundle.close();
        if (refused != null) {
            refused.close();
        }
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    /** A tick of the newest frame, and every fetch it asked run to its answer. */
    private void tickAndLand() throws Exception {
        MetricsFrame frame = bundle.latestFrame().orElseThrow();
        onFx(() -> {
            feature.onTick(frame, true, 0);
            while (!slow.isEmpty()) {
                slow.removeFirst().run();
            }
            return null;
        });
    }

    private String text(String id) throws Exception {
        Label label = onFx(() -> (Label) stage.getScene().lookup(id));
        assertTrue(label != null, "no " + id + " in the tab");
        return onFx(label::getText);
    }

    /** Whether the picture's chart is drawn greyed. FX thread. */
    private boolean greyed() {
        return view().chart().getOpacity() < 1;
    }

    private JitterView view() {
        return (JitterView) stage.getScene().lookup("#jitter-view");
    }

    /** Clicks the ranking's row of {@code pop}, as a person picks it. */
    private void pick(FxRobot robot, String pop) throws Exception {
        Node row = onFx(() -> stage.getScene().getRoot().lookupAll(".table-row-cell").stream()
                .filter(n -> n instanceof TableRow<?> r && r.getItem() instanceof JitterViewModel.PopRow p && p.pop().equals(pop))
                .findFirst().orElseThrow());
        robot.clickOn(row);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aPickShowsAtOnceThatThePictureIsThePreviousPopsUntilItsOwnIsDrawn(FxRobot robot) throws Exception {
        for (double[] size : new double[][] {{1000, 700}, {1320, 820}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            tickAndLand();
            JitterViewModel vm = feature.viewModel();
            String first = onFx(() -> vm.pictureProperty().get().pop());
            String other = onFx(() -> vm.ranking().stream().map(JitterViewModel.PopRow::pop).filter(p -> !p.equals(first))
                    .filter(p -> p.equals("ams") || p.equals("iad") || p.equals("sin")).findFirst().orElseThrow());
            assertFalse(onFx(() -> greyed()), "the picture of the PoP shown is not greyed");
            assertFalse(onFx(() -> stage.getScene().lookup("#jitter-pick-pending") != null
                    && stage.getScene().lookup("#jitter-pick-pending").isVisible()));

            // The pick: its fetch is not even asked yet (a second has not passed since the last), let alone answered.
            pick(robot, other);
            shoot("jitter-pick-pending-" + (int) size[0] + ".png");
            String up = first.toUpperCase(java.util.Locale.ROOT);
            String pickedUp = other.toUpperCase(java.util.Locale.ROOT);
            assertEquals(first, onFx(() -> vm.pictureProperty().get().pop()), "the previous picture is still drawn");
            assertEquals("Still " + up + "'s picture: " + pickedUp + "'s is being fetched", text("#jitter-pick-pending"));
            assertTrue(onFx(() -> stage.getScene().lookup("#jitter-pick-pending").isVisible()));
            assertTrue(onFx(() -> greyed()), "the previous PoP's picture is greyed");
            assertTrue(text("#jitter-headline").startsWith(up + ": "), "the headline is still the previous PoP's, greyed");

            // The pick's fetch asked, and its answer landed: the picture is the pick's, whole.
            Thread.sleep(JitterViewModel.REFRESH_MILLIS + 50);
            tickAndLand();
            assertEquals(other, onFx(() -> vm.pictureProperty().get().pop()));
            assertEquals("", text("#jitter-pick-pending"));
            assertFalse(onFx(() -> stage.getScene().lookup("#jitter-pick-pending").isVisible()));
            assertFalse(onFx(() -> greyed()), "the pick's picture is not greyed");
            assertTrue(text("#jitter-headline").startsWith(pickedUp + ": "), text("#jitter-headline"));
            shoot("jitter-pick-landed-" + (int) size[0] + ".png");

            // Back to the first, the node gone: the fetch fails, and the note says why, the picture still greyed.
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            if (refused != null) {
                refused.close();
            }
            refused = TestConsoles.openReconnectingQuickly(URI.create("http://127.0.0.1:" + port), "token");
            current[0] = refused;
            pick(robot, first);
            Thread.sleep(JitterViewModel.REFRESH_MILLIS + 50);
            tickAndLand();
            String said = text("#jitter-pick-pending");
            assertTrue(said.startsWith("Still " + pickedUp + "'s picture, not " + up + "'s: could not fetch latency history"), said);
            assertTrue(onFx(() -> greyed()));
            // The node back: the next fetch draws the pick.
            current[0] = bundle;
            Thread.sleep(JitterViewModel.REFRESH_MILLIS + 50);
            tickAndLand();
            assertEquals(first, onFx(() -> vm.pictureProperty().get().pop()), "a failed fetch's pick is asked again");
            assertEquals("", text("#jitter-pick-pending"));
        }
    }

    private void shoot(String name) throws Exception {
        String where = System.getProperty("edgedeck.screenshots");
        if (where == null) {
            return;
        }
        java.awt.image.BufferedImage[] shot = new java.awt.image.BufferedImage[1];
        WaitForAsyncUtils.asyncFx(() -> shot[0] = Snapshots.capture(stage.getScene().getRoot())).get();
        Snapshots.writePng(shot[0], java.nio.file.Path.of(where, name));
    }
}
