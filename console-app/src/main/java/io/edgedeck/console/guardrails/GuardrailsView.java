package io.edgedeck.console.guardrails;

import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.console.common.FeatureView;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.EngineTime;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.guardrails.GuardrailsViewModel.RuleRow;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The guardrails tab: the large Roll back action, each rule with its live values against
 * thresholds and its armed state, and the firings so far. (The dashboard's edge actions notify
 * of automatic rollbacks.)
 */
public final class GuardrailsView extends FeatureView {
    private final GuardrailsViewModel viewModel;
    private final Prompter prompter;
    private final TableView<RuleRow> table = new TableView<>();
    private final TableView<GuardrailFiring> firingsTable = new TableView<>();
    private final VBox root;
    private final ChangeListener<RuleRow> onSelect;

    public GuardrailsView(GuardrailsViewModel viewModel, Prompter prompter) {
        super("Guardrails", viewModel);
        this.viewModel = viewModel;
        this.prompter = prompter;

        Button rollback = new Button("ROLL BACK");
        rollback.setId("rollback-button");
        rollback.getStyleClass().addAll(StyleClasses.DANGER_BUTTON, StyleClasses.ROLLBACK_LARGE);
        rollback.setOnAction(e -> requestRollback());
        rollback.disableProperty().bind(viewModel.targetProperty().isNull());
        Label target = new Label();
        target.getStyleClass().add(StyleClasses.ROLLBACK_TARGET);
        target.textProperty().bind(viewModel.targetProperty().map(t -> t.describe()).orElse("waiting for the first frame"));
        Label hint = new Label("Opens a confirmation you hold for 1.2 s · Ctrl+Shift+R from any tab");
        hint.getStyleClass().add(StyleClasses.MUTED);
        VBox targetBox = new VBox(4, new Label("Rolls back the selected rule's variant"), target, hint);
        HBox rollbackBar = new HBox(24, rollback, targetBox);
        rollbackBar.setAlignment(Pos.CENTER_LEFT);
        rollbackBar.getStyleClass().add(StyleClasses.ROLLBACK_BAR);

        table.setId("guardrails-table");
        table.setItems(viewModel.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(86);
        table.setPrefHeight(86 * 2 + 40);
        table.setPlaceholder(new Label("This show has no guardrails"));
        Tables.column(table, "Rule", 150, RuleRow::id);
        Tables.column(table, "Watches", 200, RuleRow::target);
        TableColumn<RuleRow, RuleRow> armed = Tables.column(table, "Armed", 190, r -> r);
        armed.setCellFactory(c -> new ArmedCell());
        TableColumn<RuleRow, RuleRow> state = Tables.column(table, "State", 170, r -> r);
        state.setCellFactory(c -> new StateCell());
        Tables.column(table, "Live values against thresholds: estimate [interval]", 560, RuleRow::conditions);
        onSelect = (obs, old, now) -> viewModel.selectedIdProperty().set(now == null ? null : now.id());
        table.getSelectionModel().selectedItemProperty().addListener(onSelect);

        firingsTable.setId("firings-table");
        firingsTable.setItems(viewModel.firings());
        firingsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        firingsTable.setPlaceholder(new Label("No rollbacks yet"));
        firingsTable.setFixedCellSize(52);
        Tables.column(firingsTable, "Time", 70, f -> EngineTime.format(f.atMillis()));
        Tables.column(firingsTable, "Rule / by", 190, f -> f.rule() + "\n" + (f.automatic() ? "automatic" : f.actor()));
        Tables.column(firingsTable, "Variant", 220, f -> f.flag() + " / " + f.variant() + "\n" + f.action());
        Tables.column(firingsTable, "Values when it fired", 300, f -> GuardrailsViewModel.values(f.values()).replace(", ", "\n"));
        Tables.column(firingsTable, "Why", 500, GuardrailFiring::reason);
        VBox.setVgrow(firingsTable, Priority.ALWAYS);

        Label title = new Label("Guardrails");
        title.getStyleClass().add(StyleClasses.VIEW_TITLE);
        Label message = new Label();
        message.setId("guardrails-message");
        message.getStyleClass().add(StyleClasses.ACTION_MESSAGE);
        message.textProperty().bind(viewModel.messageProperty());
        Label firingsTitle = new Label("Firings · newest first");
        firingsTitle.getStyleClass().add(StyleClasses.VIEW_TITLE);
        root = new VBox(10, rollbackBar, message, title, table, firingsTitle, firingsTable);
        if (!viewModel.allowsChanges()) {
            // A bundle opened offline: nothing to roll back or arm, so no button offers to.
            root.getChildren().remove(rollbackBar);
        }
        root.getStyleClass().add(StyleClasses.VIEW);
    }

    /** Opens the hold-to-confirm rollback for the current target. FX thread. */
    public void requestRollback() {
        GuardrailsViewModel.Target t = viewModel.targetProperty().get();
        if (t != null) {
            prompter.ask(viewModel.rollbackQuestion(t), reason -> viewModel.rollback(t, reason));
        }
    }

    private final class ArmedCell extends TableCell<RuleRow, RuleRow> {
        private final Label state = new Label();
        private final Button toggle = new Button();
        private final HBox box = new HBox(8, state, toggle);

        ArmedCell() {
            box.setAlignment(Pos.CENTER_LEFT);
            toggle.setOnAction(e -> {
                RuleRow row = getItem();
                prompter.ask(viewModel.armQuestion(row, !row.armed()), reason -> viewModel.setArmed(row, !row.armed(), reason));
            });
        }

        @Override
        protected void updateItem(RuleRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            state.setText(row.armed() ? "ARMED" : "off");
            state.getStyleClass().setAll("label", StyleClasses.STRONG, (row.armed() ? Status.OK : Status.STALE).styleClass());
            toggle.setText(row.armed() ? "Disarm" : "Arm");
            toggle.setId("arm-" + row.id());
            toggle.setVisible(viewModel.allowsChanges());
            setGraphic(box);
        }
    }

    private static final class StateCell extends TableCell<RuleRow, RuleRow> {
        @Override
        protected void updateItem(RuleRow row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().removeIf(c -> c.startsWith(StyleClasses.STATUS_PREFIX));
            if (empty || row == null) {
                setText(null);
                return;
            }
            setText(row.state());
            getStyleClass().add(row.status().styleClass());
        }
    }

    @Override
    public Node view() {
        return root;
    }

    @Override
    public List<Shortcut> shortcuts() {
        if (!viewModel.allowsChanges()) {
            return List.of();
        }
        return List.of(new Shortcut(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                "Roll back the selected (or first) guardrail's variant: hold to confirm", this::requestRollback));
    }

    @Override
    public void dispose() {
        table.getSelectionModel().selectedItemProperty().removeListener(onSelect);
    }

    public GuardrailsViewModel viewModel() {
        return viewModel;
    }
}
