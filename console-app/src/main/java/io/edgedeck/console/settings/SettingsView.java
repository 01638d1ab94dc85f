package io.edgedeck.console.settings;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.console.common.FeatureView;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.TileColouring;
import io.edgedeck.themes.Theme;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;


/** The settings tab: operator name, latency objective, what tiles are coloured against, theme, and where the file lives. */
public final class SettingsView extends FeatureView {
    private final SettingsViewModel viewModel;
    private final VBox root;

    /** @param mode the console's mode: who the audit names depends on it */
    public SettingsView(SettingsViewModel viewModel, ConnectionMode mode) {
        super("Settings", (frame, fresh, since) -> { });
        this.viewModel = viewModel;
        TextField operator = new TextField();
        operator.setId("settings-operator");
        operator.textProperty().bindBidirectional(viewModel.operatorProperty());
        TextField p95 = new TextField();
        p95.setId("settings-p95");
        p95.textProperty().bindBidirectional(viewModel.p95TargetProperty());
        ComboBox<Theme> theme = new ComboBox<>();
        theme.getItems().setAll(Theme.values());
        theme.setConverter(new StringConverter<>() {
            @Override
            public String toString(Theme t) {
                return t == null ? "" : switch (t) {
                    case DARK -> "Dark (for a dark room)";
                    case LIGHT -> "Light (lit office, projector)";
                    case CONTRAST -> "High contrast";
                };
            }

            @Override
            public Theme fromString(String s) {
                return null;
            }
        });
        theme.valueProperty().bindBidirectional(viewModel.themeProperty());

        ComboBox<TileColouring> colouring = new ComboBox<>();
        colouring.setId("settings-colouring");
        colouring.getItems().setAll(TileColouring.values());
        colouring.setConverter(new StringConverter<>() {
            @Override
            public String toString(TileColouring c) {
                return c == null ? "" : c.label();
            }

            @Override
            public TileColouring fromString(String s) {
                return null;
            }
        });
        colouring.valueProperty().bindBidirectional(viewModel.tileColouringProperty());

        GridPane form = new GridPane();
        form.getStyleClass().add(StyleClasses.FORM);
        Label operatorHint = hint(operatorHint(mode));
        operatorHint.setId("settings-operator-hint");
        form.addRow(0, new Label("Operator name"), operator, operatorHint);
        form.addRow(1, new Label("p95 objective (ms)"), p95, hint("tiles: amber above 80%, red above it"));
        // the words beside the choice describe the choice made, not always the same one
        Label colouringHint = hint("");
        colouringHint.textProperty().bind(colouring.valueProperty().map(TileColouring::hint).orElse(""));
        form.addRow(2, new Label("PoP tile colours"), colouring, colouringHint);
        form.addRow(3, new Label("Theme"), theme, hint("also Ctrl+T"));

        Button apply = new Button("Save");
        apply.setId("settings-save");
        apply.setDefaultButton(true);
        apply.getStyleClass().add(StyleClasses.ACCENT_BUTTON);
        apply.setOnAction(e -> viewModel.apply());
        Button revert = new Button("Revert");
        revert.setOnAction(e -> viewModel.revert());
        Label message = new Label();
        message.setId("settings-message");
        message.setWrapText(true);
        message.textProperty().bind(viewModel.messageProperty());
        Label file = new Label("Stored in " + viewModel.fileLocation());
        file.getStyleClass().add(StyleClasses.MUTED);

        Label title = new Label("Settings");
        title.getStyleClass().add(StyleClasses.VIEW_TITLE);
        root = new VBox(16, title, form, new HBox(12, apply, revert), message, file);
        root.getStyleClass().add(StyleClasses.VIEW);
    }

    /**
     * What the operator name is for in this mode: a rehearsal audits it, but a LIVE node audits the owner of
     * the token the console uses, whatever the name here, and a bundle changes nothing.
     */
    static String operatorHint(ConnectionMode mode) {
        return switch (mode) {
            case REHEARSAL -> "named in every audit entry";
            case LIVE -> "rehearsals only: a LIVE node audits the token's owner";
            case OFFLINE -> "rehearsals only: a bundle changes nothing";
        };
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(StyleClasses.MUTED);
        return l;
    }

    @Override
    public Node view() {
        return root;
    }

    @Override
    public void dispose() {
        viewModel.dispose();
    }
}
