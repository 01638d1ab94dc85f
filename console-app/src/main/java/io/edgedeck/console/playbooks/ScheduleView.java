package io.edgedeck.console.playbooks;

import io.edgedeck.console.common.Outcome;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.playbooks.ScheduleViewModel.Row;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The scheduled changes, for the Timeline tab: what will happen and when, each pending change with
 * Cancel…, and a Fire cue … button for every named cue a change waits for (hold to confirm; Ctrl+Shift+D
 * fires the next one the same way); above the list, each change a fleet node could not confirm, with Retry…. Offered only
 * where the edge keeps a schedule (a node). The list is
 * asked for every {@link #POLL_MILLIS} by a {@link NodePoller}, and again after each step taken here;
 * each frame tick applies the newest answer.
 */
public final class ScheduleView implements FrameTicker.Sink {
    /** How often the node is asked. */
    public static final long POLL_MILLIS = 1000;

    private final ScheduleViewModel model;
    private final NodePoller<List<ScheduledChange>> poller;
    private final Prompter prompter;
    private final LongSupplier clock;
    private final HBox cueButtons = new HBox(8);
    private final VBox unconfirmed = new VBox(4);
    private List<String> unconfirmedShape = List.of();
    private final VBox view;

    /**
     * @param poller      asks the node for its schedule; the model's {@code askAgain} should be its {@link NodePoller#askNow()}
     * @param clockMillis this machine's wall clock, epoch ms
     */
    public ScheduleView(ScheduleViewModel model, NodePoller<List<ScheduledChange>> poller, Prompter prompter, LongSupplier clockMillis) {
        this.model = model;
        this.poller = poller;
        this.prompter = prompter;
        this.clock = clockMillis;

        TableView<Row> table = new TableView<>(model.rows());
        table.setId("schedule-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(32);
        table.setPrefHeight(26 + 32 * 4);
        table.setMinHeight(26 + 32 * 3);
        table.setPlaceholder(new Label("No scheduled changes: POST /api/v1/schedule makes one for a named cue or a time"));
        Tables.column(table, "#", 44, r -> "#" + r.id());
        Tables.column(table, "When", 220, Row::when);
        Tables.column(table, "What will happen", 380, Row::what);
        Tables.column(table, "Made by · why", 260, Row::who);
        Tables.column(table, "State", 200, Row::state);
        TableColumn<Row, Row> cancel = Tables.column(table, "", 110, r -> r);
        cancel.setCellFactory(c -> new CancelCell());
        Tables.statusRows(table, Row::status);

        Label title = new Label("Coming up: scheduled changes");
        title.getStyleClass().add(StyleClasses.STRONG);
        Label summary = new Label();
        summary.setId("schedule-summary");
        summary.getStyleClass().add(StyleClasses.STRONG);
        summary.textProperty().bind(model.summaryProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        cueButtons.setAlignment(Pos.CENTER_RIGHT);
        HBox top = new HBox(16, title, summary, spacer, cueButtons);
        top.setAlignment(Pos.CENTER_LEFT);
        Label problem = new Label();
        problem.setId("schedule-problem");
        problem.getStyleClass().add(StyleClasses.NOTICE);
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        Label message = new Label();
        message.setId("schedule-message");
        Outcome.show(message, model.messageProperty(), model.messageStatusProperty());
        unconfirmed.setId("schedule-unconfirmed");
        unconfirmed.managedProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(unconfirmed.getChildren()));
        view = new VBox(6, top, problem, message, unconfirmed, table);
        view.setId("schedule-view");
        // The buttons live as long as this view: the listener needs no removal.
        model.cues().addListener((ListChangeListener<String>) c -> showCueButtons());
        showCueButtons();
        model.unconfirmed().addListener((ListChangeListener<ScheduleViewModel.Unconfirmed>) c -> showUnconfirmed());
        showUnconfirmed();
    }

    /** A line per change not confirmed (its seconds move on each tick), with Retry… while it may be retried from here. */
    private void showUnconfirmed() {
        List<String> shape = model.unconfirmed().stream().map(u -> u.id() + ":" + u.retryable() + ":" + u.sending() + ":" + u.status()
                + ":" + u.held()).toList();
        if (shape.equals(unconfirmedShape)) {
            // The same lines, their counts moved on: the texts change, the buttons stay under the pointer.
            for (ScheduleViewModel.Unconfirmed u : model.unconfirmed()) {
                ((Label) ((HBox) unconfirmed.getChildren().get(model.unconfirmed().indexOf(u))).getChildren().getFirst()).setText(u.text());
            }
            return;
        }
        unconfirmedShape = shape;
        unconfirmed.getChildren().clear();
        for (ScheduleViewModel.Unconfirmed u : model.unconfirmed()) {
            Label line = new Label(u.text());
            line.setId("schedule-unconfirmed-" + u.id());
            line.setWrapText(true);
            line.getStyleClass().addAll(StyleClasses.ACTION_MESSAGE, u.status().styleClass());
            line.setMinHeight(Region.USE_PREF_SIZE);
            HBox.setHgrow(line, Priority.ALWAYS);
            line.setMaxWidth(Double.MAX_VALUE);
            HBox row = new HBox(12, line);
            row.setAlignment(Pos.CENTER_LEFT);
            Button retry = new Button("Retry…");
            retry.setId("retry-scheduled-" + u.id());
            retry.getStyleClass().add(StyleClasses.ACCENT_BUTTON);
            retry.setMinWidth(Button.USE_PREF_SIZE);
            // Disabled while it is not offered (one retry at a time from here; a node not answering; a viewer), saying why.
            retry.setDisable(u.held() != null);
            // A disabled button shows no tooltip of its own: the box around it says why.
            StackPane holder = new StackPane(retry);
            holder.setId("retry-held-" + u.id());
            if (u.held() != null) {
                Tooltip.install(holder, new Tooltip(u.held()));
            } else {
                retry.setTooltip(new Tooltip("Tries #" + u.id() + " again on the node, with a reason it audits"));
            }
            long id = u.id();
            // As the node last said it when clicked: the line may have been told again since it was made.
            retry.setOnAction(e -> model.unconfirmed().stream().filter(now -> now.id() == id && now.retryable() && !now.sending()).findFirst()
                    .ifPresent(now -> prompter.ask(model.retryQuestion(now), reason -> model.retry(now, reason))));
            row.getChildren().add(holder);
            unconfirmed.getChildren().add(row);
        }
    }

    private void showCueButtons() {
        cueButtons.getChildren().clear();
        for (String cue : model.cues()) {
            Button b = new Button("Fire cue " + cue + "…");
            b.setId("fire-cue-" + cue);
            b.getStyleClass().add(StyleClasses.ACCENT_BUTTON);
            b.setMinWidth(Button.USE_PREF_SIZE);
            b.setTooltip(new Tooltip("Fires every change waiting for cue " + cue + ": hold to confirm"
                    + (cue.equals(model.nextCue().orElse(null)) ? " (Ctrl+Shift+D)" : "")));
            b.setOnAction(e -> askFire(cue));
            cueButtons.getChildren().add(b);
        }
    }

    private void askFire(String cue) {
        prompter.ask(model.fireCueQuestion(cue), reason -> model.fireCue(cue, reason));
    }

    /** Opens the hold-to-confirm firing of the cue the oldest pending change waits for. FX thread. */
    public void requestNextCue() {
        model.nextCue().ifPresentOrElse(this::askFire, () -> model.say("No cue to fire: " + model.summaryProperty().get()));
    }

    public ScheduleViewModel model() {
        return model;
    }

    /** The panel, for the Timeline tab. */
    public Node view() {
        return view;
    }

    private final class CancelCell extends TableCell<Row, Row> {
        @Override
        protected void updateItem(Row row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null || !row.cancellable()) {
                setGraphic(null);
                return;
            }
            Button b = new Button("Cancel…");
            b.setId("cancel-scheduled-" + row.id());
            b.setMinWidth(Button.USE_PREF_SIZE);
            b.setOnAction(e -> prompter.ask(model.cancelQuestion(row), reason -> model.cancel(row, reason)));
            setGraphic(b);
        }
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        long now = clock.getAsLong();
        switch (poller.take()) {
            case null -> model.refresh(now);
            case NodePoller.Outcome.Answered<List<ScheduledChange>> a -> model.answered(a.value(), now);
            case NodePoller.Outcome.Failed<List<ScheduledChange>> f -> model.failed(f.why(), now);
        }
    }

    /**
     * Told whether the console hears from the node, as every tab is: when it answers again the schedule is asked at
     * once, not a period later. FX thread.
     */
    public void connectionOnline(boolean online) {
        poller.connectionOnline(online);
    }

    /** Stops asking the node. FX thread. */
    public void dispose() {
        poller.close();
    }
}
