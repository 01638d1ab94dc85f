package io.edgedeck.console.rehearsal;

import io.edgedeck.console.Console;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.connection.Connections;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Rehearsal tab's cue form shows the rows the chosen cue uses, one under the other: no empty row where a
 * field the cue does not use (the variant of a PoP fault, the PoP of a surge) would be.
 */
@ExtendWith(ApplicationExtension.class)
class CueFormRowsUiTest {
    private Console console;

    @Start
    void start(Stage stage) throws Exception {
        console = TestConsoles.show(stage, Connections.rehearse("steady-show", 7L, 1));
    }

    @AfterEach
    void close() {
        console.ticker().close();
        console.session().connection().close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachCueShowsItsRowsWithNoEmptyRowBetween(FxRobot robot) {
        for (String type : List.of("latency-shift", "sentiment-shift", "traffic-surge")) {
            List<String> labels = new ArrayList<>();
            List<Double> pitches = new ArrayList<>();
            robot.interact(() -> {
                console.showTab("rehearsal");
                ComboBox<String> cueType = (ComboBox<String>) console.scene().lookup("#cue-type");
                cueType.setValue(type);
                console.scene().getRoot().applyCss();
                console.scene().getRoot().layout();
                GridPane form = (GridPane) cueType.getParent();
                List<Label> shown = form.getChildren().stream()
                        .filter(n -> GridPane.getColumnIndex(n) == null || GridPane.getColumnIndex(n) == 0)
                        .filter(Node::isVisible).map(n -> (Label) n)
                        .sorted(java.util.Comparator.comparingDouble(Node::getLayoutY)).toList();
                for (int i = 0; i < shown.size(); i++) {
                    labels.add(shown.get(i).getText());
                    if (i > 0) {
                        pitches.add(shown.get(i).getLayoutY() - shown.get(i - 1).getLayoutY());
                    }
                }
            });
            assertTrue(labels.contains("Magnitude") && labels.contains("Duration (s)"), type + ": " + labels);
            double least = pitches.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            for (int i = 0; i < pitches.size(); i++) {
                // One row's pitch each: an empty row between two labels would double it.
                assertTrue(pitches.get(i) < least * 1.5, type + ": an empty row between " + labels.get(i) + " and "
                        + labels.get(i + 1) + " (" + pitches + ")");
            }
        }
    }

    /** The cue's PoP reads as every tab writes PoPs, "FRA", while the cue sent names the node's id, fra. */
    @Test
    @SuppressWarnings("unchecked")
    void thePopChoiceShowsPopsInCapitalsAndSendsTheirIds(FxRobot robot) {
        List<String> shown = new ArrayList<>();
        String[] chosen = new String[2];
        robot.interact(() -> {
            console.showTab("rehearsal");
            ((ComboBox<String>) console.scene().lookup("#cue-type")).setValue("pop-outage");
            ComboBox<String> pop = (ComboBox<String>) console.scene().lookup("#cue-pop");
            pop.setValue(pop.getItems().getFirst());
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
        });
        robot.interact(() -> {
            ComboBox<String> pop = (ComboBox<String>) console.scene().lookup("#cue-pop");
            pop.getItems().forEach(id -> shown.add(pop.getConverter().toString(id)));
            chosen[0] = pop.getValue();
            // The closed choice's cell is the one with text (the list's own cells are empty until it opens).
            chosen[1] = pop.lookupAll(".list-cell").stream().map(c -> ((ListCell<String>) c).getText())
                    .filter(java.util.Objects::nonNull).toList().toString();
        });
        assertEquals("fra", chosen[0], "the cue names the node's own id");
        assertEquals("[FRA]", chosen[1], "the choice on the form");
        assertEquals(List.of("FRA", "AMS", "IAD", "ORD", "SIN", "NRT"), shown);
    }
}
