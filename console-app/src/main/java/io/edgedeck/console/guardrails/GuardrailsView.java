package io.edgedeck.console.guardrails;

import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.console.common.FeatureView;
import io.edgedeck.console.common.Outcome;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.connection.ActingAs;
import io.edgedeck.console.connection.PermittedTable;
import io.edgedeck.console.guardrails.GuardrailsViewModel.RuleRow;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
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
    private final PermittedTable<RuleRow> permitted;
    private final Button rollback = new Button("ROLL BACK");
    private final Label hint = new Label("Opens a confirmation you hold for 1.2 s · Ctrl+Shift+R from any tab");
    private javafx.beans.value.ObservableStringValue nodeProblem;
    private java.util.function.Consumer<String> sayRefusal = why -> { };

    public GuardrailsView(GuardrailsViewModel viewModel, Prompter prompter) {
        super("Guardrails", viewModel);
        this.viewModel = viewModel;
        this.prompter = prompter;

        rollback.setId("rollback-button");
        rollback.getStyleClass().addAll(StyleClasses.DANGER_BUTTON, StyleClasses.ROLLBACK_LARGE);
        rollback.setOnAction(e -> requestRollback());
        rollback.disableProperty().bind(offered().not());
        Label target = new Label();
        target.getStyleClass().add(StyleClasses.ROLLBACK_TARGET);
        target.textProperty().bind(viewModel.targetProperty().map(t -> t.describe()).orElse("waiting for the first frame"));
        hint.setId("rollback-hint");
        hint.getStyleClass().add(StyleClasses.MUTED);
        VBox targetBox = new VBox(4, new Label("Rolls back the selected rule's variant"), target, hint);
        HBox rollbackBar = new HBox(24, rollback, targetBox);
        rollbackBar.setAlignment(Pos.CENTER_LEFT);
        rollbackBar.getStyleClass().add(StyleClasses.ROLLBACK_BAR);

        table.setId("guardrails-table");
        table.setItems(viewModel.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // room for the evidence of two conditions, each wrapped over two lines, and the exposures under them
        table.setFixedCellSize(120);
        table.setPrefHeight(120 * 2 + 40);
        // the firings table below takes what is left; this one keeps room for two rules
        table.setMinHeight(Region.USE_PREF_SIZE);
        table.setPlaceholder(new Label("This show has no guardrails"));
        Tables.column(table, "Rule", 180, RuleRow::id).setCellFactory(c -> new WrappingCell());
        // flag and variant on lines of their own, as in the firings below: a long flag name wrapped
        // inside the word ("checkout-redesig / n") reads as another flag
        Tables.column(table, "Watches", 190, r -> r.target().replace(" / ", "\n")).setCellFactory(c -> new WrappingCell());
        TableColumn<RuleRow, RuleRow> armed = Tables.column(table, "Armed", 150, r -> r);
        armed.setCellFactory(c -> new ArmedCell());
        armed.setMinWidth(175);
        TableColumn<RuleRow, RuleRow> state = Tables.column(table, "State", 150, r -> r);
        state.setCellFactory(c -> new StateCell());
        // room for "last fired 12:34" under the state
        state.setMinWidth(140);
        TableColumn<RuleRow, String> live = Tables.column(table, "", 420, RuleRow::conditions);
        live.setCellFactory(c -> new WrappingCell());
        // A header short enough to read whole; what its numbers are is one hover away.
        Label liveHeader = new Label("Live: what the evidence says");
        liveHeader.setTooltip(new Tooltip("Each condition's estimate over its evidence, and the end of its anytime"
                + " interval that matters. A rule fires when a condition's estimate is past its threshold and its whole"
                + " interval is clear of no harm (docs/GUARDRAILS.md, When a rule fires)"));
        live.setGraphic(liveHeader);
        TableColumn<RuleRow, String> preflight = Tables.column(table, "Pre-flight", 260, RuleRow::preflight);
        preflight.setCellFactory(c -> new WrappingCell());
        // Only where a pre-flight can run (a rehearsal): elsewhere it could only stay empty, and the evidence needs its room.
        preflight.visibleProperty().bind(viewModel.preflight().availableProperty());
        permitted = new PermittedTable<>(table, now -> viewModel.selectedIdProperty().set(now == null ? null : now.id()));

        firingsTable.setId("firings-table");
        firingsTable.setItems(viewModel.firings());
        firingsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        firingsTable.setPlaceholder(new Label("No rollbacks yet"));
        // Each row as tall as its reason wrapped in the Why column: why a rule rolled a variant back is read whole.
        Tables.column(firingsTable, "Time", 120, f -> viewModel.time(f.atMillis()));
        Tables.column(firingsTable, "Rule / by", 190, f -> f.rule() + "\n" + (f.automatic() ? "automatic" : f.actor()));
        Tables.column(firingsTable, "Variant", 220, f -> f.flag() + "\n" + f.variant() + " · " + f.action().wireName());
        Tables.column(firingsTable, "Values when it fired", 300, f -> GuardrailsViewModel.values(f.values()).replace(", ", "\n"));
        TableColumn<GuardrailFiring, String> why = Tables.column(firingsTable, "Why", 500, GuardrailFiring::reason);
        why.setCellFactory(ReasonCell::new);
        VBox.setVgrow(firingsTable, Priority.ALWAYS);

        Label title = new Label("Guardrails");
        title.getStyleClass().add(StyleClasses.VIEW_TITLE);
        Label message = new Label();
        message.setId("guardrails-message");
        Outcome.show(message, viewModel.messageProperty(), viewModel.messageStatusProperty());
        Label firingsTitle = new Label("Firings · newest first");
        firingsTitle.getStyleClass().add(StyleClasses.VIEW_TITLE);
        root = new VBox(10, rollbackBar, message, title, table, preflightBar(viewModel.preflight()), firingsTitle, firingsTable);
        if (!viewModel.allowsChanges()) {
            // A bundle opened offline: nothing to roll back or arm, so no button offers to.
            root.getChildren().remove(rollbackBar);
        }
        root.getStyleClass().add(StyleClasses.VIEW);
    }

    /**
     * Offers changes only when the console may make them: for a viewer the Roll back button is
     * disabled with the reason beside it, and each rule shows its armed state without a button. FX thread.
     */
    public void limitTo(ActingAs who) {
        rollback.disableProperty().bind(offered().not().or(who.mayChangeProperty().not()));
        hint.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            String why = who.refusalProperty().get();
            GuardrailsViewModel.Target t = viewModel.targetProperty().get();
            if (!why.isEmpty()) {
                return why;
            }
            if (t != null && t.showEnded()) {
                return "Nothing to roll back: the show has ended";
            }
            // the line above names the variant and its 0%
            return t != null && !t.serving() ? "Nothing to roll back until it serves someone again"
                    : "Opens a confirmation you hold for 1.2 s · Ctrl+Shift+R from any tab";
        }, who.refusalProperty(), viewModel.targetProperty()));
        permitted.limitTo(who);
    }

    /** True while there is a variant to roll back: a target that still serves someone, in a show still playing. */
    public javafx.beans.binding.BooleanBinding offered() {
        return javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            GuardrailsViewModel.Target t = viewModel.targetProperty().get();
            return t != null && t.offered();
        }, viewModel.targetProperty());
    }

    private boolean mayChange() {
        return permitted.mayChange();
    }

    /**
     * Refuses the rollback (button and Ctrl+Shift+R) while the node takes no change, saying why
     * through {@code say} (the status bar) and in the outcome line: a failed node would only answer
     * 503. {@code nodeProblem} is empty while the node takes changes. FX thread.
     */
    public void refuseWhile(javafx.beans.value.ObservableStringValue nodeProblem, java.util.function.Consumer<String> say) {
        this.nodeProblem = nodeProblem;
        this.sayRefusal = say;
    }

    /** The pre-flight controls: which harm, start or cancel, progress; shown only where it works (rehearsal). */
    private static Node preflightBar(PreflightViewModel viewModel) {
        ChoiceBox<PreflightEffect> effect = new ChoiceBox<>();
        effect.setId("preflight-effect");
        effect.getItems().setAll(PreflightEffect.values());
        effect.valueProperty().bindBidirectional(viewModel.effectProperty());
        effect.disableProperty().bind(viewModel.runningProperty());
        Button run = new Button();
        run.setId("preflight-button");
        run.textProperty().bind(viewModel.runningProperty().map(r -> r ? "Cancel" : "Estimate"));
        run.setOnAction(e -> viewModel.toggle());
        ProgressBar progress = new ProgressBar();
        progress.setId("preflight-progress");
        progress.progressProperty().bind(viewModel.progressProperty());
        progress.visibleProperty().bind(viewModel.runningProperty());
        progress.setPrefWidth(160);
        Label message = new Label();
        message.setId("preflight-message");
        message.getStyleClass().add(StyleClasses.MUTED);
        message.setWrapText(true);
        message.setMinHeight(Region.USE_PREF_SIZE);
        message.textProperty().bind(viewModel.messageProperty());
        Label title = new Label("Pre-flight: what if the variant");
        title.getStyleClass().add(StyleClasses.STRONG);
        title.setMinWidth(Region.USE_PREF_SIZE);
        run.setMinWidth(Region.USE_PREF_SIZE);
        effect.setMinWidth(Region.USE_PREF_SIZE);
        HBox controls = new HBox(10, title, effect, run, progress);
        controls.setAlignment(Pos.CENTER_LEFT);
        // the message is a sentence or two: on a line of its own, so it never squeezes the controls
        VBox bar = new VBox(6, controls, message);
        bar.visibleProperty().bind(viewModel.availableProperty());
        bar.managedProperty().bind(bar.visibleProperty());
        return bar;
    }

    /** Opens the hold-to-confirm rollback for the current target. FX thread. */
    public void requestRollback() {
        String problem = nodeProblem == null ? "" : nodeProblem.get();
        if (problem != null && !problem.isEmpty()) {
            String why = "Roll back not offered: " + problem + "; the node takes no change until it runs again";
            viewModel.refuse(why);
            sayRefusal.accept(why);
            return;
        }
        if (!permitted.permits(viewModel::refuse)) {
            return;
        }
        GuardrailsViewModel.Target t = viewModel.targetProperty().get();
        if (t != null && !t.offered()) {
            viewModel.refuse(t.notOffered());
            sayRefusal.accept(t.notOffered());
        } else if (t != null) {
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
            toggle.setVisible(viewModel.allowsChanges() && mayChange());
            toggle.setManaged(viewModel.allowsChanges() && mayChange());
            setGraphic(box);
        }
    }

    /** A rule's words and its pre-flight estimate are sentences: they wrap, and the whole is in the tooltip. */
    private static final class WrappingCell extends TableCell<RuleRow, String> {
        WrappingCell() {
            setWrapText(true);
        }

        @Override
        protected void updateItem(String text, boolean empty) {
            super.updateItem(text, empty);
            setText(empty ? null : text);
            setTooltip(empty || text == null || text.isEmpty() ? null : new javafx.scene.control.Tooltip(text));
        }
    }

    /**
     * Why a rule fired, whole: wrapped to the column's width, its row as tall as it needs (a cell's own text
     * would be sized to one row's height and cut short with "…"); also a tooltip.
     */
    private static final class ReasonCell extends TableCell<GuardrailFiring, String> {
        private final javafx.scene.text.Text text = new javafx.scene.text.Text();

        ReasonCell(TableColumn<GuardrailFiring, String> column) {
            text.wrappingWidthProperty().bind(column.widthProperty().subtract(16));
            text.fontProperty().bind(fontProperty());
            text.fillProperty().bind(textFillProperty());
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(String reason, boolean empty) {
            super.updateItem(reason, empty);
            boolean none = empty || reason == null || reason.isEmpty();
            text.setText(none ? null : reason);
            setGraphic(none ? null : text);
            setTooltip(none ? null : new Tooltip(reason));
        }
    }

    private static final class StateCell extends TableCell<RuleRow, RuleRow> {
        @Override
        protected void updateItem(RuleRow row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().removeIf(c -> c.startsWith(StyleClasses.STATUS_PREFIX));
            if (empty || row == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            setWrapText(true);
            setText(row.state());
            setTooltip(io.edgedeck.client.model.GuardrailStatus.DECIDED_BY_FLEET.equals(row.guardrail().decidedBy())
                    ? new javafx.scene.control.Tooltip("The fleet's aggregator decides this rule on every node's evidence;"
                    + " this node judges it on its own part and never fires it (docs/FLEET.md)") : null);
            getStyleClass().add(row.status().styleClass());
        }
    }

    @Override
    public Node view() {
        return root;
    }

    @Override
    public List<Shortcut> shortcuts() {
        return Shortcut.offeredIf(viewModel.allowsChanges(), new Shortcut(new KeyCodeCombination(KeyCode.R,
                KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                "Roll back the selected (or first) guardrail's variant: hold to confirm", this::requestRollback));
    }

    @Override
    public void dispose() {
        permitted.dispose();
        rollback.disableProperty().unbind();
        hint.textProperty().unbind();
        viewModel.dispose();
    }

    @Override
    public void connectionOnline(boolean online) {
        viewModel.connectionChanged();
    }

    public GuardrailsViewModel viewModel() {
        return viewModel;
    }
}
