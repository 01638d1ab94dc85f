package io.edgedeck.console.flags;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.common.FeatureView;
import io.edgedeck.console.common.OverlayHost;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.EngineTime;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.connection.ActingAs;
import io.edgedeck.console.connection.PermittedTable;
import io.edgedeck.console.flags.FlagsViewModel.FlagRow;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.ToggleSwitch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The flags tab: the flag table (switch, weights, scope, version, propagation, kill) above the
 * audit trail. Every change goes through the reason prompt.
 */
public final class FlagsView extends FeatureView {
    private final FlagsViewModel viewModel;
    private final Prompter prompter;
    private OverlayHost overlays;
    private final TableView<FlagRow> table = new TableView<>();
    private final TableView<AuditEntry> auditTable = new TableView<>();
    private final VBox root;
    private final PermittedTable<FlagRow> permitted;

    public FlagsView(FlagsViewModel viewModel, Prompter prompter, OverlayHost overlays) {
        super("Flags", viewModel);
        this.viewModel = viewModel;
        this.prompter = prompter;
        this.overlays = overlays;

        table.setId("flags-table");
        table.setItems(viewModel.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(52);
        table.setPrefHeight(52 * 4 + 40);
        table.setPlaceholder(new Label("Waiting for the first frame's flags"));
        TableColumn<FlagRow, FlagRow> key = Tables.column(table, "Flag", 200, r -> r);
        key.setCellFactory(c -> new KeyCell());
        if (viewModel.allowsChanges()) {
            TableColumn<FlagRow, FlagRow> on = Tables.column(table, "On", 90, r -> r);
            on.setCellFactory(c -> new SwitchCell());
        } else {
            Tables.column(table, "On", 90, r -> !r.switchable() ? "weights" : r.killed() ? "killed" : r.on() ? "on" : "off");
        }
        Tables.column(table, "Variants and weights", 300, FlagRow::variants);
        Tables.column(table, "Scope", 110, FlagRow::scope);
        Tables.column(table, "Version", 90, r -> "v" + r.version());
        Tables.column(table, "Propagation", 230, FlagRow::propagation);
        if (viewModel.allowsChanges()) {
            TableColumn<FlagRow, FlagRow> actions = Tables.column(table, "Actions", 260, r -> r);
            actions.setCellFactory(c -> new ActionsCell());
        }
        permitted = new PermittedTable<>(table, now -> viewModel.selectedKeyProperty().set(now == null ? null : now.key()));

        auditTable.setId("audit-table");
        auditTable.setItems(viewModel.audit());
        auditTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        auditTable.setPlaceholder(new Label("No changes yet"));
        auditTable.setFixedCellSize(52);
        Tables.column(auditTable, "Time", 70, e -> EngineTime.format(e.atMillis()));
        Tables.column(auditTable, "Who / action", 250, e -> e.actor() + "\n" + e.action());
        Tables.column(auditTable, "Target", 190, AuditEntry::target);
        Tables.column(auditTable, "Before → after", 400, e -> e.before() + "\n→ " + e.after());
        Tables.column(auditTable, "Why", 400, AuditEntry::reason);
        VBox.setVgrow(auditTable, Priority.ALWAYS);

        Label title = new Label("Flags");
        title.getStyleClass().add(StyleClasses.VIEW_TITLE);
        Label message = new Label();
        message.setId("flags-message");
        message.getStyleClass().add(StyleClasses.ACTION_MESSAGE);
        message.textProperty().bind(viewModel.messageProperty());
        Label auditTitle = new Label("Audit log · newest first");
        auditTitle.getStyleClass().add(StyleClasses.VIEW_TITLE);
        root = new VBox(10, title, table, message, auditTitle, auditTable);
        root.getStyleClass().add(StyleClasses.VIEW);
    }

    /** Where the weights editor goes; the main window, once it exists. */
    public void attachOverlays(OverlayHost host) {
        this.overlays = host;
    }

    /**
     * Offers changes only when the console may make them: a viewer's table shows every flag, with
     * "view only" where its switch and buttons were, and says why on hover. FX thread.
     */
    public void limitTo(ActingAs who) {
        permitted.limitTo(who);
    }

    private boolean mayChange() {
        return permitted.mayChange();
    }

    private Tooltip refusalTip() {
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(permitted.actingAs().refusalProperty());
        return tip;
    }

    private void askSwitch(FlagRow row, boolean on) {
        prompter.ask(viewModel.switchQuestion(row, on), reason -> viewModel.setOn(row, on, reason));
    }

    private void askKill(FlagRow row, boolean kill) {
        prompter.ask(viewModel.killQuestion(row, kill), reason -> viewModel.setKilled(row, kill, reason));
    }

    /** Kills the selected flag (or the first), after the same reason prompt as the button. */
    public void killSelected() {
        if (!permitted.permits(viewModel::refuse)) {
            return;
        }
        FlagRow row = viewModel.selectedOrFirst();
        if (row != null && !row.killed()) {
            askKill(row, true);
        }
    }

    /** A small form of one percentage per variant; "Next" checks the sum and asks for the reason. */
    private void editWeights(FlagRow row) {
        GridPane form = new GridPane();
        form.getStyleClass().add(StyleClasses.FORM);
        List<String> names = new ArrayList<>();
        List<TextField> fields = new ArrayList<>();
        for (VariantView v : row.flag().variants()) {
            TextField f = new TextField(Double.toString(v.weight() / 100.0).replaceAll("\\.0$", ""));
            f.setId("weight-" + v.name());
            f.setPrefColumnCount(6);
            names.add(v.name());
            fields.add(f);
            form.addRow(names.size() - 1, new Label(v.name() + (v.name().equals(row.flag().controlVariant()) ? " (control)" : "")),
                    f, new Label("%"));
        }
        Label title = new Label("Weights of " + row.key());
        title.getStyleClass().add(StyleClasses.PROMPT_TITLE);
        Label error = new Label();
        error.getStyleClass().add(StyleClasses.ACTION_MESSAGE);
        Button cancel = new Button("Cancel");
        cancel.setCancelButton(true);
        Button next = new Button("Next: say why");
        next.setId("weights-next");
        next.setDefaultButton(true);
        HBox buttons = new HBox(12, cancel, next);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(12, title, new Label("Percent of the audience per variant; they must add up to 100."),
                form, error, buttons);
        card.getStyleClass().add(StyleClasses.PROMPT_CARD);
        card.setMaxSize(560, VBox.USE_PREF_SIZE);
        StackPane backdrop = new StackPane(card);
        backdrop.getStyleClass().add(StyleClasses.OVERLAY_BACKDROP);
        backdrop.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                overlays.hideOverlay(backdrop);
            }
        });
        cancel.setOnAction(e -> overlays.hideOverlay(backdrop));
        next.setOnAction(e -> {
            try {
                List<VariantView> weights = FlagRules.fromPercents(names, fields.stream().map(TextField::getText).toList());
                overlays.hideOverlay(backdrop);
                prompter.ask(viewModel.weightsQuestion(row, weights), reason -> viewModel.setWeights(row, weights, reason));
            } catch (IllegalArgumentException ex) {
                error.setText(ex.getMessage());
            }
        });
        overlays.showOverlay(backdrop);
        fields.getFirst().requestFocus();
    }

    private final class KeyCell extends TableCell<FlagRow, FlagRow> {
        @Override
        protected void updateItem(FlagRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            setText(row.key());
            getStyleClass().remove(StyleClasses.STRONG);
            getStyleClass().add(StyleClasses.STRONG);
            setTooltip(new Tooltip(row.description()));
        }
    }

    /**
     * The switch shows what the edge serves, never what was clicked: a click is turned back at once
     * and becomes a question; the switch moves when a frame shows the new version.
     */
    private final class SwitchCell extends TableCell<FlagRow, FlagRow> {
        private final ToggleSwitch toggle = new ToggleSwitch();
        private boolean updating;

        SwitchCell() {
            toggle.selectedProperty().addListener((obs, was, now) -> {
                FlagRow row = getItem();
                if (updating || row == null || now == row.on()) {
                    return;
                }
                updating = true;
                toggle.setSelected(row.on());
                updating = false;
                askSwitch(row, now);
            });
        }

        @Override
        protected void updateItem(FlagRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null || !row.switchable()) {
                setGraphic(empty || row == null ? null : new Label("weights"));
                return;
            }
            updating = true;
            toggle.setSelected(row.on());
            updating = false;
            toggle.setDisable(row.killed() || !mayChange());
            toggle.setId("switch-" + row.key());
            setTooltip(mayChange() ? null : refusalTip());
            setGraphic(toggle);
        }
    }

    private final class ActionsCell extends TableCell<FlagRow, FlagRow> {
        private final Button kill = new Button();
        private final Button weights = new Button("Weights…");
        private final HBox box = new HBox(8, kill, weights);
        private final Label viewOnly = new Label("view only");

        ActionsCell() {
            box.setAlignment(Pos.CENTER_LEFT);
            kill.setOnAction(e -> askKill(getItem(), !getItem().killed()));
            weights.setOnAction(e -> editWeights(getItem()));
        }

        @Override
        protected void updateItem(FlagRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            if (!mayChange()) {
                viewOnly.getStyleClass().setAll("label", StyleClasses.MUTED);
                viewOnly.setId("view-only-" + row.key());
                setTooltip(refusalTip());
                setGraphic(viewOnly);
                return;
            }
            setTooltip(null);
            kill.setText(row.killed() ? "Revive" : "Kill");
            kill.setId("kill-" + row.key());
            kill.getStyleClass().remove(StyleClasses.DANGER_BUTTON);
            if (!row.killed()) {
                kill.getStyleClass().add(StyleClasses.DANGER_BUTTON);
            }
            weights.setDisable(row.killed());
            setGraphic(box);
        }
    }

    @Override
    public Node view() {
        return root;
    }

    @Override
    public List<Shortcut> shortcuts() {
        return Shortcut.offeredIf(viewModel.allowsChanges(), new Shortcut(new KeyCodeCombination(KeyCode.K,
                KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), "Kill the selected flag (or the first), with a reason",
                this::killSelected));
    }

    @Override
    public void dispose() {
        permitted.dispose();
    }

    public FlagsViewModel viewModel() {
        return viewModel;
    }
}
