package io.edgedeck.console.playbooks;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.HoldToConfirm;
import io.edgedeck.console.common.ListHeader;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.playbooks.PlaybooksViewModel.Row;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The Playbooks tab: the node's playbooks with the changes each makes, and a run that must be held to
 * confirm (the Run button, or Ctrl+Shift+P for the selected or first one, opens it). Offered only
 * where the edge keeps playbooks (a node). The list is asked for every {@link #POLL_MILLIS} by a
 * {@link NodePoller}, and again after a run; each frame tick applies the newest answer.
 */
public final class PlaybooksView implements Feature {
    /** How often the node is asked. */
    public static final long POLL_MILLIS = 1000;
    /** Room for Run… and Retire… side by side, with the cell's padding. */
    private static final double ACTIONS_WIDTH = 190;

    private final PlaybooksViewModel model;
    private final NodePoller<List<Playbook>> poller;
    private final Prompter prompter;
    private final LongSupplier clock;
    private final TableView<Row> table;
    private final VBox view;

    /**
     * @param poller asks the node for its playbooks; the model's {@code askAgain} should be its {@link NodePoller#askNow()}
     */
    public PlaybooksView(PlaybooksViewModel model, NodePoller<List<Playbook>> poller, Prompter prompter, LongSupplier clockMillis) {
        this.model = model;
        this.poller = poller;
        this.prompter = prompter;
        this.clock = clockMillis;

        table = new TableView<>(model.rows());
        table.setId("playbooks-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(78);
        // An empty table says the node has none only once it answered: before, nothing is known of its playbooks.
        Label empty = new Label();
        empty.setId("playbooks-empty");
        empty.textProperty().bind(model.answeredProperty().map(heard -> heard
                ? "The node has no playbooks: a show declares them in its playbooks, people make more with POST /api/v1/playbooks"
                : "Not heard from the node yet: its playbooks show here once it answers"));
        table.setPlaceholder(empty);
        // Its description read whole, wrapped under its name, not cut at the column's edge.
        Tables.wrappingColumn(table, "Playbook", 380, r -> r.id() + (r.description().isBlank() ? "" : "\n" + r.description()));
        Tables.column(table, "Changes, made as one", 400, Row::actions);
        Tables.column(table, "State", 170, Row::state);
        Tables.column(table, "Made by", 115, Row::madeBy);
        TableColumn<Row, Row> run = Tables.column(table, "", ACTIONS_WIDTH, r -> r);
        // Run… and Retire… stay whole in a narrow window (1000 px): the text columns, which wrap, give up the room.
        run.setMinWidth(ACTIONS_WIDTH);
        run.setCellFactory(c -> new ActionsCell());
        Tables.statusRows(table, Row::status);
        VBox.setVgrow(table, Priority.ALWAYS);

        view = ListHeader.view("playbooks", "Playbooks", "Sets of changes prepared before the show, each applied by the node"
                + " at once, or not at all, and audited as one entry. Run… (or Ctrl+Shift+P for the selected playbook) asks you to"
                + " hold the button or the space bar for " + (long) HoldToConfirm.HOLD.toMillis() + " ms; letting go early sends"
                + " nothing. Retire… takes one out of use for good. Grey: not heard from the node lately, when nothing is offered.", model.summaryProperty(),
                model.problemProperty(), model.messageProperty(), model.messageStatusProperty(), table);
    }

    public PlaybooksViewModel model() {
        return model;
    }

    /** Opens the hold-to-confirm run of the selected playbook, or of the first when none is selected. FX thread. */
    public void requestRun() {
        Row selected = table.getSelectionModel().getSelectedItem();
        int number = selected != null ? selected.number() : 1;
        model.runnable(number).ifPresentOrElse(this::ask, () -> model.say(model.whyNot(number)));
    }

    private void ask(Row row) {
        prompter.ask(model.runQuestion(row), reason -> model.run(row, reason));
    }

    /** Run… for a playbook this console may run now, Retire… for one it may retire; nothing for the others. */
    private final class ActionsCell extends TableCell<Row, Row> {
        @Override
        protected void updateItem(Row row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null || !(row.runnable() || row.retirable())) {
                setGraphic(null);
                return;
            }
            HBox buttons = new HBox(8);
            buttons.setAlignment(Pos.CENTER_LEFT);
            if (row.runnable()) {
                Button b = new Button("Run…");
                b.setId("run-" + row.id());
                b.setMinWidth(Button.USE_PREF_SIZE);
                b.getStyleClass().add(StyleClasses.ACCENT_BUTTON);
                b.setTooltip(new Tooltip("Asks you to hold to confirm; then the LIVE show changes: " + row.actions().replace("\n", "; ")));
                b.setOnAction(e -> ask(row));
                buttons.getChildren().add(b);
            }
            if (row.retirable()) {
                Button b = new Button("Retire…");
                b.setId("retire-" + row.id());
                b.setMinWidth(Button.USE_PREF_SIZE);
                b.setTooltip(new Tooltip("Takes the playbook out of use for good: listed as retired, never run again (audited)"));
                b.setOnAction(e -> prompter.ask(model.retireQuestion(row), reason -> model.retire(row, reason)));
                buttons.getChildren().add(b);
            }
            setAlignment(Pos.CENTER_LEFT);
            setGraphic(buttons);
        }
    }

    @Override
    public String title() {
        return "Playbooks";
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public List<Shortcut> shortcuts() {
        return List.of(new Shortcut(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                "Run the selected (or first) playbook: hold to confirm", this::requestRun));
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        long now = clock.getAsLong();
        switch (poller.take()) {
            case null -> model.refresh(now);
            case NodePoller.Outcome.Answered<List<Playbook>> a -> model.answered(a.value(), now);
            case NodePoller.Outcome.Failed<List<Playbook>> f -> model.failed(f.why(), now);
        }
    }

    /** The edge answers again: asked at once, not a period later. FX thread. */
    @Override
    public void connectionOnline(boolean online) {
        poller.connectionOnline(online);
    }

    @Override
    public void dispose() {
        poller.close();
    }
}
