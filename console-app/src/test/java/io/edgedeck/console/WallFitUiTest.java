package io.edgedeck.console;

import io.edgedeck.console.common.Background;
import io.edgedeck.console.dashboard.PopTile;
import io.edgedeck.console.settings.Settings;
import io.edgedeck.console.settings.SettingsData;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.bundle.BundleConnection;
import io.edgedeck.simulator.bundle.ShowBundle;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.themes.Theme;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wall fits the window: every PoP tile of 6 and 12 PoPs at the default 1320x820, and of 24 at
 * 1600x1000, lies wholly inside the dashboard's viewport, with its p95 in type large enough to read
 * across a room and never cut short (a storm's three-digit p95 included), and its p50, p99, jitter and loss
 * shown whole wherever the wall shows them. The shows are frozen in a bundle, so the wall does not move while it is measured.
 */
@ExtendWith(ApplicationExtension.class)
class WallFitUiTest {
    /** The smallest p95 type, in px, that reads at arm's length on a laptop. */
    static final double READABLE_PX = 22;

    @ParameterizedTest(name = "{0} at {1}x{2}, {4} ms in, {5} colours")
    @CsvSource({"steady-show, 1320, 820, 6, 40000, fixed", "bench-large, 1320, 820, 12, 40000, fixed",
            "../docs/scenarios/wall-24.json, 1600, 1000, 24, 40000, fixed", "../docs/scenarios/cost-storm.json, 1320, 820, 6, 312000, fixed",
            "jitter-storm, 1320, 820, 6, 300000, adaptive"})
    void everyTileIsInViewWithAReadableP95(String scenario, double width, double height, int pops, long atMillis, String colouring,
                                           FxRobot robot) throws Exception {
        Scenario s = ScenarioCatalog.resolve(scenario);
        Show show = new Show(new ShowDefinition(s, s.seed()), new MemoryJournal());
        while (show.core().nowMillis() < atMillis) {
            show.step();
        }
        BundleConnection frozen = new BundleConnection(ShowBundle.capture(show, "test"), "wall.zip");
        Console[] console = new Console[1];
        robot.interact(() -> {
            SettingsData d = SettingsData.defaults();
            console[0] = Console.create(frozen, new Settings(new SettingsData(d.operator(), d.p95TargetMs(), Theme.DARK.id(), null, null,
                    d.windowWidth(), d.windowHeight(), d.lastScenario(), d.worstFirst(), colouring)), "(not saved)", null,
                    Background.forFx());
            // JavaFX's headless screen is 1000x1000, too small for a 1600x1000 window: lay the window's content
            // out in a scene of the window's size instead.
            List<String> sheets = List.copyOf(console[0].scene().getStylesheets());
            console[0].scene().setRoot(new javafx.scene.layout.Pane());
            Scene sized = new Scene(console[0].window(), width, height);
            sized.getStylesheets().setAll(sheets);
            console[0].ticker().tick();
        });
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console[0].dashboard().dashboardView().getChildren().size() == pops);
            // A few passes of CSS and layout (no rendering: the headless screen is too small for the window): the
            // wall's room is known once the show tiles above it are laid out.
            for (int i = 0; i < 5; i++) {
                robot.interact(() -> {
                    console[0].window().applyCss();
                    console[0].window().layout();
                });
            }
            var measured = WaitForAsyncUtils.asyncFx(() -> measure(console[0])).get(10, TimeUnit.SECONDS);
            assertEquals(pops, measured.size());
            for (TileMeasure m : measured) {
                assertTrue(m.inView(), m.pop() + " lies outside the viewport: " + m);
                assertFalse(m.health().endsWith("…") || m.health().endsWith("..."), m.pop() + "'s health is cut short: " + m.health());
                assertTrue(m.valuePx() >= READABLE_PX, m.pop() + "'s p95 is set in " + m.valuePx() + " px");
                assertEquals(m.value(), m.shown(), m.pop() + "'s p95 is cut short");
                // a wall shows every tile's p50, p99, jitter and loss or none (a short tile keeps them beside its p95,
                // giving them the unit's room where they need it): on the wall of 24, NRT's two-digit jitter, GRU's and
                // BOM's three-digit p95 and SYD's "no requests" hid theirs among tiles that showed them
                if (measured.stream().anyMatch(other -> other.detailShown() != null)) {
                    assertNotNull(m.detailShown(), m.pop() + " shows no p50, p99, jitter or loss, as its neighbours do: " + m.detail());
                }
                if (m.detailShown() == null) {
                    continue;
                }
                // p50, p99, jitter and loss all stay on the tile: broken between their parts, never cut; only why a
                // normal is frozen may give way (the tooltip keeps it)
                String shown = m.detailShown().replace("\n", " · ");
                String withoutWhy = java.util.Arrays.stream(m.detail().split(" · ")).filter(p -> !p.startsWith("frozen: "))
                        .collect(java.util.stream.Collectors.joining(" · "));
                assertTrue(shown.equals(m.detail()) || shown.equals(withoutWhy), m.pop() + "'s detail is cut short: " + shown);
            }
            // the tiles of one wall break their detail alike: p50 on a line of its own where its neighbours' p50 is
            // (on the wall of 24, NRT's shorter numbers put its p50 and p99 on one line beside four-line neighbours)
            java.util.Map<String, List<String>> shapes = new java.util.TreeMap<>();
            for (TileMeasure m : measured) {
                if (m.detailShown() != null && m.detail().startsWith("p50 ")) {
                    shapes.put(m.pop(), m.detailShown().lines().map(line -> line.split(" ")[0]).toList());
                }
            }
            assertTrue(shapes.values().stream().distinct().count() <= 1, "the tiles break their detail unlike each other: " + shapes);
            if (atMillis > 40_000 && colouring.equals("adaptive")) {
                assertTrue(measured.stream().anyMatch(m -> m.detail().contains("frozen: ")), "a PoP in its storm has a frozen normal: "
                        + measured.stream().map(TileMeasure::detail).toList());
            }
            if (atMillis > 40_000 && colouring.equals("fixed")) {
                assertTrue(measured.stream().anyMatch(m -> m.value().length() >= 3), "the storm puts a p95 of three digits on the wall: "
                        + measured.stream().map(TileMeasure::value).toList());
            }
        } finally {
            robot.interact(() -> console[0].dispose());
        }
    }

    /** {@code detailShown} is null where the tile shows no detail. */
    record TileMeasure(String pop, boolean inView, double valuePx, String value, String shown, String detail,
                       String detailShown, String health, Bounds tile, Bounds viewport) {
    }

    private static List<TileMeasure> measure(Console console) {
        ScrollPane scroll = (ScrollPane) console.dashboard().view();
        Node viewportNode = scroll.lookup(".viewport");
        Bounds viewport = viewportNode.localToScene(viewportNode.getLayoutBounds());
        return console.dashboard().dashboardView().getChildren().stream().map(n -> (PopTile) n).map(t -> {
            Bounds b = t.localToScene(t.getLayoutBounds());
            boolean inView = b.getMinX() >= viewport.getMinX() - 0.5 && b.getMaxX() <= viewport.getMaxX() + 0.5
                    && b.getMinY() >= viewport.getMinY() - 0.5 && b.getMaxY() <= viewport.getMaxY() + 0.5;
            Label value = (Label) t.lookup("#pop-value-" + t.viewModel().popId());
            String shown = ((javafx.scene.text.Text) value.lookup(".text")).getText();
            Label detail = (Label) t.lookup("#pop-detail-" + t.viewModel().popId());
            String detailShown = detail.isVisible() ? ((javafx.scene.text.Text) detail.lookup(".text")).getText() : null;
            Label health = (Label) t.lookup("#pop-health-" + t.viewModel().popId());
            String healthShown = health.lookup(".text") == null ? "" : ((javafx.scene.text.Text) health.lookup(".text")).getText();
            return new TileMeasure(t.viewModel().popId(), inView, value.getFont().getSize(), value.getText(), shown,
                    t.viewModel().detailProperty().get(), detailShown, healthShown, b, viewport);
        }).toList();
    }
}
