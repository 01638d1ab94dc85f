package io.edgedeck.console.common;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.List;

/** The keyboard help: every shortcut the console has, as the scene's accelerators know them. */
public final class HelpOverlay {
    private HelpOverlay() {
    }

    /** Builds the overlay; {@code close} removes it. FX thread. */
    public static Node build(List<Feature.Shortcut> shortcuts, Runnable close) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add(StyleClasses.FORM);
        int row = 0;
        for (Feature.Shortcut s : shortcuts) {
            Label keys = new Label(s.keys().getDisplayText());
            keys.getStyleClass().add(StyleClasses.HELP_KEYS);
            Label what = new Label(s.description());
            what.setWrapText(true);
            grid.addRow(row++, keys, what);
        }
        Label keys = new Label("Esc");
        keys.getStyleClass().add(StyleClasses.HELP_KEYS);
        grid.addRow(row, keys, new Label("Close this help or a confirmation without acting"));
        Label title = new Label("Keyboard shortcuts");
        title.getStyleClass().add(StyleClasses.PROMPT_TITLE);
        Button ok = new Button("Close");
        ok.setOnAction(e -> close.run());
        ok.setCancelButton(true);
        VBox card = new VBox(16, title, grid, ok);
        card.setAlignment(Pos.TOP_LEFT);
        card.getStyleClass().add(StyleClasses.PROMPT_CARD);
        card.setMaxSize(820, VBox.USE_PREF_SIZE);
        StackPane backdrop = new StackPane(card);
        backdrop.setId("help-overlay");
        backdrop.getStyleClass().add(StyleClasses.OVERLAY_BACKDROP);
        backdrop.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE || e.getCode() == KeyCode.F1) {
                close.run();
                e.consume();
            }
        });
        return backdrop;
    }
}
