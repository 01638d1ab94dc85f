package io.edgedeck.console;

import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.StyleClasses;
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
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every text on the dashboard's tiles (the show tiles, the variant tiles, the PoP wall) reads at arm's
 * length in a dark room: at least {@link #MIN_PX} px, its small letters at least as tall as the PoP tiles'
 * details (the dashboard's secondary text: TilesFX draws in Lato, whose small letters are shorter than the
 * system face's, so a Lato text at the same size reads a size smaller), wholly inside its tile, over no other text of it,
 * and whole: no label shows less than its text, no text ends cut off in an ellipsis. A narrow window keeps
 * every line a tile has at 1320 px: the decision budget's count of decisions under its table, each PoP's
 * p50, p99, jitter and loss; a PoP down says it served no requests.
 * The shows are frozen in a bundle, so the tiles hold still while they are measured; a narrow window
 * gets the same tiles in fewer columns.
 */
@ExtendWith(ApplicationExtension.class)
class TileTextUiTest {
    /** The smallest text the theme sets anywhere (components.css). */
    static final double MIN_PX = 13;

    @ParameterizedTest(name = "{0} at {1}x{2}, {3} ms in")
    @CsvSource({"sentiment-crash, 1320, 820, 435000", "sentiment-crash, 1000, 820, 435000", "sentiment-crash, 1000, 820, 411000",
            "../docs/scenarios/cost-storm.json, 1320, 820, 312000",
            // fra down (its outage runs 390-510 s): its tile says it served no requests, whole
            "pop-outage, 1320, 820, 450000", "pop-outage, 1000, 820, 450000"})
    void everyTextOnTheTilesIsLegibleWhole(String scenario, double width, double height, long atMillis, FxRobot robot) throws Exception {
        Scenario s = ScenarioCatalog.resolve(scenario);
        Show show = new Show(new ShowDefinition(s, s.seed()), new MemoryJournal());
        while (show.core().nowMillis() < atMillis) {
            show.step();
        }
        BundleConnection frozen = new BundleConnection(ShowBundle.capture(show, "test"), "tiles.zip");
        Console[] console = new Console[1];
        Stage[] stage = new Stage[1];
        robot.interact(() -> {
            SettingsData d = SettingsData.defaults();
            console[0] = Console.create(frozen, new Settings(new SettingsData(d.operator(), d.p95TargetMs(), Theme.DARK.id(), null, null,
                    d.windowWidth(), d.windowHeight(), d.lastScenario(), d.worstFirst(), d.tileColouring())), "(not saved)", null,
                    Background.forFx());
            stage[0] = new Stage();
            stage[0].setScene(console[0].scene());
            stage[0].setWidth(width);
            stage[0].setHeight(height);
            // Shown: TilesFX draws a tile's texts only once its window shows.
            stage[0].show();
            console[0].ticker().tick();
        });
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !console[0].dashboard().dashboardView().getChildren().isEmpty());
            for (int i = 0; i < 5; i++) {
                robot.interact(() -> {
                    console[0].window().applyCss();
                    console[0].window().layout();
                });
            }
            assertEquals(width, FxLookup.onFx(() -> console[0].scene().getWidth()), "the window as wide as asked");
            List<String> faults = WaitForAsyncUtils.asyncFx(() -> faults(console[0])).get(10, TimeUnit.SECONDS);
            assertTrue(faults.isEmpty(), String.join("\n", faults));
        } finally {
            robot.interact(() -> {
                console[0].dispose();
                stage[0].close();
            });
        }
    }

    private static List<String> faults(Console console) {
        List<Region> tiles = new ArrayList<>();
        for (Node n : console.dashboard().showTilesView().getChildren()) {
            tiles.add((Region) n);
        }
        for (Node n : console.dashboard().dashboardView().getChildren()) {
            tiles.add((Region) n);
        }
        assertTrue(tiles.stream().anyMatch(t -> t.getId() != null && t.getId().startsWith("variant-tile-")), "variant tiles shown");
        List<String> faults = new ArrayList<>();
        Labeled detail = (Labeled) console.dashboard().dashboardView().lookup("." + StyleClasses.POP_TILE_DETAIL);
        assertTrue(detail != null, "a PoP tile's details shown");
        double secondary = xHeight(detail.getFont());
        for (Region tile : tiles) {
            Bounds box = tile.localToScene(tile.getLayoutBounds());
            List<Text> texts = new ArrayList<>();
            collect(tile, texts);
            List<Labeled> labels = new ArrayList<>();
            collectLabels(tile, labels);
            List<String> shownTexts = new ArrayList<>();
            texts.forEach(t -> shownTexts.add(t.getText()));
            if ("show-tile-decisions".equals(tile.getId()) && shownTexts.stream().noneMatch(t -> t.contains(" decisions in 60 s"))) {
                faults.add(tile.getId() + " drops its count of decisions: shows only " + shownTexts);
            }
            String shownLine = String.join(" ", shownTexts).replace("\n", " ");
            if (tile.getId() != null && tile.getId().startsWith("pop-tile-") && !shownLine.matches(".*p50 .*p99 .*jitter .*loss .*")
                    && !shownLine.contains("no requests")) {
                faults.add(tile.getId() + " drops its p50, p99, jitter or loss (or that it served none): shows only " + shownTexts);
            }
            for (Labeled l : labels) {
                String shown = shownText(l);
                if (!l.getText().equals(shown)) {
                    faults.add(tile.getId() + " '" + l.getText().replace("\n", "⏎") + "' is cut to '"
                            + (shown == null ? "" : shown.replace("\n", "⏎")) + "'");
                }
            }
            List<Bounds> drawn = new ArrayList<>();
            for (Text t : texts) {
                String where = tile.getId() + " '" + t.getText().replace("\n", "⏎") + "'";
                if (t.getFont().getSize() < MIN_PX - 0.01) {
                    faults.add(where + " is set in " + Math.round(t.getFont().getSize() * 10) / 10.0 + " px");
                }
                double x = xHeight(t.getFont());
                if (x < secondary - X_HEIGHT_SLACK) {
                    faults.add(String.format(java.util.Locale.ROOT, "%s reads smaller than the PoP details: %s %.1f px, small letters"
                            + " %.2f px high, theirs %.2f (%s %.1f px)", where, t.getFont().getFamily(), t.getFont().getSize(), x,
                            secondary, detail.getFont().getFamily(), detail.getFont().getSize()));
                }
                String text = t.getText().strip();
                if (text.endsWith("…") || text.endsWith("...")) {
                    faults.add(where + " is cut off");
                }
                Bounds b = t.localToScene(t.getBoundsInLocal());
                if (b.getMinX() < box.getMinX() - 0.5 || b.getMaxX() > box.getMaxX() + 0.5 || b.getMinY() < box.getMinY() - 0.5
                        || b.getMaxY() > box.getMaxY() + 0.5) {
                    faults.add(where + " runs out of its tile: " + b + " in " + box);
                }
                // The glyphs, not the line's spacing: a large number's line reaches well below its digits.
                double size = t.getFont().getSize();
                double lineTop = b.getMinY() + t.getBaselineOffset() - size * 0.8;
                Bounds ink = new javafx.geometry.BoundingBox(b.getMinX(), lineTop, b.getWidth(), b.getMaxY() - lineTop - size * 0.05);
                for (int i = 0; i < drawn.size(); i++) {
                    if (overlap(ink, drawn.get(i)) > 1) {
                        faults.add(where + " lies over '" + texts.get(i).getText() + "' (" + ink + " over " + drawn.get(i) + ")");
                    }
                }
                drawn.add(ink);
            }
        }
        return faults;
    }

    /** How far a text's small letters may fall short of the PoP details' and still read alike: a tenth of a pixel. */
    private static final double X_HEIGHT_SLACK = 0.1;

    /** The height of a font's small letters: its "x" as drawn. */
    private static double xHeight(javafx.scene.text.Font font) {
        Text x = new Text("x");
        x.setFont(font);
        x.setBoundsType(javafx.scene.text.TextBoundsType.VISUAL);
        return x.getLayoutBounds().getHeight();
    }

    /** How far two boxes reach into each other, the lesser of across and down; 0 or less when apart. */
    private static double overlap(Bounds a, Bounds b) {
        double x = Math.min(a.getMaxX(), b.getMaxX()) - Math.max(a.getMinX(), b.getMinX());
        double y = Math.min(a.getMaxY(), b.getMaxY()) - Math.max(a.getMinY(), b.getMinY());
        return Math.min(x, y);
    }

    /** The labels a person sees, with a text. */
    private static void collectLabels(Node n, List<Labeled> into) {
        if (!n.isVisible() || n.getOpacity() == 0) {
            return;
        }
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
            into.add(l);
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collectLabels(c, into);
            }
        }
    }

    /** What a label draws of its text (its skin's text, shortened where the label lacks room); null when it draws none. */
    private static String shownText(Labeled l) {
        for (Node c : l.getChildrenUnmodifiable()) {
            if (c instanceof Text t && c.isVisible()) {
                return t.getText();
            }
        }
        return null;
    }

    /** The texts a person sees: shown, not empty (a text's glyphs, not its line's spacing, are measured). */
    private static void collect(Node n, List<Text> into) {
        if (!n.isVisible() || n.getOpacity() == 0) {
            return;
        }
        if (n instanceof Text t && !t.getText().isBlank()) {
            into.add(t);
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, into);
            }
        }
    }
}
