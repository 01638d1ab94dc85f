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
}
