package io.edgedeck.console.triggers;

import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.client.model.TriggerVerdict;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.themes.Theme;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TableCell;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Triggers view of a six-hour show in a window 1000 px wide (a laptop beside the show): every figure
 * of a row is read whole, firings per minute and the lift's interval included; only the reasons, which wrap, and a long
 * trigger name, whole in its tooltip, give up room.
 */
@ExtendWith(ApplicationExtension.class)
class TriggersNarrowUiTest {
    private Stage stage;
    private TriggersFeature feature;
    private io.edgedeck.client.EdgeConnection rehearsal;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> feature.dispose());
        rehearsal.close();
    }

    /** Before the edge answered, the empty table does not say the show has no trigger: nothing is known yet. */
    @Test
    void anEmptyTableSaysNoTriggerOnlyOnceTheEdgeAnswered(FxRobot robot) throws Exception {
        rehearsal = Connections.rehearse("steady-show", 7L, 1);
        feature = new TriggersFeature(() -> rehearsal, () -> 1_000);
        String[] said = new String[2];
        robot.interact(() -> {
            javafx.scene.control.TableView<?> table = (javafx.scene.control.TableView<?>) feature.view().lookup("#triggers-table");
            said[0] = ((javafx.scene.control.Label) table.getPlaceholder()).getText();
            feature.model().answered(TriggerAudit.NONE, 1_000);
            said[1] = ((javafx.scene.control.Label) table.getPlaceholder()).getText();
        });
        assertEquals("not heard from the edge yet: its triggers show here once it answers", said[0]);
        assertEquals("no trigger to audit", said[1]);
    }

    @Test
    void inAWindow1000PxWideNoFigureIsCutShort(FxRobot robot) throws Exception {
        rehearsal = Connections.rehearse("steady-show", 7L, 1);
        feature = new TriggersFeature(() -> rehearsal, () -> 1_000);
        TriggerAudit audit = new TriggerAudit(21_600, 40_000, 39_800, 60, 0.975, 100, 0.5, 0.01, List.of(
                new TriggerAudit.Row(1, "hot-buyer", "surface-checkout", 2_046_000, 39_990, 0.99975, 5_683.3, 37_200, 0.93,
                        10, 10, 1.0, -0.07, null, null, Map.of(), TriggerVerdict.TOO_FEW,
                        "fired for 39990 sessions, never for 10: judged from 100 on each side"),
                new TriggerAudit.Row(2, "badge", "grant-badge", 120_000, 30_000, 0.75, 333.3, 21_000, 0.7,
                        10_000, 5_000, 0.5, 0.2, -0.153, 0.551, Map.of("hot-buyer", 29_000L), TriggerVerdict.KEEP,
                        "lift +20.0 points (-15.3 to +55.1)")));
        robot.interact(() -> {
            feature.model().answered(audit, 1_000);
            Scene scene = new Scene(new StackPane(feature.view()), 1000, 700);
            scene.getStylesheets().setAll(Theme.CONTRAST.tokenSheetUrl(), Theme.componentSheetUrl());
            stage.setScene(scene);
            stage.setWidth(1000);
            stage.show();
        });
        List<String> cut = new java.util.ArrayList<>();
        robot.interact(() -> {
            ((Parent) stage.getScene().getRoot()).applyCss();
            ((Parent) stage.getScene().getRoot()).layout();
            for (javafx.scene.Node n : stage.getScene().getRoot().lookupAll(".table-cell")) {
                if (n instanceof TableCell<?, ?> c && c.getText() != null && c.isTextTruncated()
                        && !List.of("Why", "Trigger").contains(c.getTableColumn().getText())) {
                    cut.add(c.getTableColumn().getText() + ": " + c.getText().replace("\n", " / "));
                }
            }
        });
        assertEquals(List.of(), cut, "figures cut short in a window 1000 px wide");
    }

    /** A reason too long for its cell at 1000 px ends in "…" on screen, and is whole one hover away. */
    @Test
    void aReasonCutShortInAWindow1000PxWideIsWholeInItsTooltip(FxRobot robot) throws Exception {
        rehearsal = Connections.rehearse("steady-show", 7L, 1);
        feature = new TriggersFeature(() -> rehearsal, () -> 1_000);
        String reason = "hot-buyer also fired within 60 s for 60% of its sessions (most: surface-checkout), and its lift"
                + " of +1.2 points (-0.4 to +2.8) does not clear zero: a candidate to retire once the show has run an hour more";
        TriggerAudit audit = new TriggerAudit(21_600, 40_000, 39_800, 60, 0.975, 100, 0.5, 0.01, List.of(
                new TriggerAudit.Row(1, "badge", "grant-badge", 120_000, 30_000, 0.75, 333.3, 21_000, 0.7,
                        10_000, 5_000, 0.5, 0.012, -0.004, 0.028, Map.of(), TriggerVerdict.RETIRE_CANDIDATE, reason)));
        robot.interact(() -> {
            feature.model().answered(audit, 1_000);
            Scene scene = new Scene(new StackPane(feature.view()), 1000, 700);
            scene.getStylesheets().setAll(Theme.CONTRAST.tokenSheetUrl(), Theme.componentSheetUrl());
            stage.setScene(scene);
            stage.setWidth(1000);
            stage.show();
        });
        String[] seen = new String[2];
        double[] strip = new double[1];
        robot.interact(() -> {
            ((Parent) stage.getScene().getRoot()).applyCss();
            ((Parent) stage.getScene().getRoot()).layout();
            javafx.scene.control.TableView<?> table = (javafx.scene.control.TableView<?>) feature.view().lookup("#triggers-table");
            for (javafx.scene.Node n : table.lookupAll(".table-row-cell")) {
                if (n instanceof javafx.scene.control.TableRow<?> r && r.getIndex() == 0 && !r.isEmpty()) {
                    strip[0] = table.getHeight() - table.snappedBottomInset() - table.sceneToLocal(r.localToScene(0, r.getHeight())).getY();
                }
            }
            for (javafx.scene.Node n : stage.getScene().getRoot().lookupAll(".table-cell")) {
                if (n instanceof TableCell<?, ?> c && reason.equals(c.getText())) {
                    seen[0] = ((javafx.scene.text.Text) c.lookup(".text")).getText();
                    seen[1] = c.getTooltip() == null ? null : c.getTooltip().getText();
                }
            }
        });
        org.junit.jupiter.api.Assertions.assertTrue(seen[0] != null && !seen[0].equals(reason),
                "the reason is cut short on screen at 1000 px: " + seen[0]);
        assertEquals(reason, seen[1], "the whole reason, one hover away");
        org.junit.jupiter.api.Assertions.assertTrue(Math.abs(strip[0]) < 2, "the table ends with its last row, no empty strip: " + strip[0]);
    }
}
