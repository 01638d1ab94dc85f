package io.edgedeck.console.approvals;

import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.approvals.RequestsViewModel.Row;
import io.edgedeck.console.approvals.RequestsViewModel.Step;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.ListHeader;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.OverlayHost;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.common.WeightsForm;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The Requests tab: the node's change requests (risky changes its approval lanes hold for a second
 * person), with the buttons this person's role may use on each, and nothing else. Offered only where
 * the edge has approval lanes (a node). The list is asked for every {@link #POLL_MILLIS} by a
 * {@link NodePoller}, and after every step taken here; each frame tick applies the newest answer.
 */
public final class RequestsView implements Feature {
    /** How often the node is asked. */
    public static final long POLL_MILLIS = 1000;

    private final RequestsViewModel model;
    private final NodePoller<List<ChangeRequest>> poller;
    private final Prompter prompter;
    private final LongSupplier clock;
    private OverlayHost overlays;
    private final VBox view;
    private final Label statusLine = new Label();

    /**
     * @param poller asks the node for its requests; the model's {@code askAgain} should be its {@link NodePoller#askNow()}
     */
    public RequestsView(RequestsViewModel model, NodePoller<List<ChangeRequest>> poller, Prompter prompter, LongSupplier clockMillis) {
        this.model = model;
        this.poller = poller;
        this.prompter = prompter;
        this.clock = clockMillis;

        TableView<Row> table = new TableView<>(model.rows());
        table.setId("requests-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(84);
        table.setPlaceholder(new Label("No change requests: every change so far applied at once"));
        Tables.column(table, "#", 44, r -> "#" + r.id());
        Tables.column(table, "Asked by", 130, r -> r.requester() + "\n" + r.when());
        // Read whole: the weights first, as they are what is approved, then why the node held it; wrapped, never cut.
        Tables.wrappingColumn(table, "What · held because", 490, r -> RequestsViewModel.numbersFirst(r) + "\n" + r.risks());
        Tables.column(table, "Why", 180, Row::why);
        Tables.column(table, "Where it stands", 180, Row::state);
        TableColumn<Row, Row> steps = Tables.column(table, "", 270, r -> r);
        steps.setCellFactory(c -> new StepsCell());
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(Row row, boolean empty) {
                super.updateItem(row, empty);
                for (Status s : Status.values()) {
                    getStyleClass().remove(s.styleClass());
                }
                if (!empty && row != null && row.status() != Status.OK) {
                    getStyleClass().add(row.status().styleClass());
                }
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);

        view = ListHeader.view("requests", "Change requests", "Risky changes wait here for a second person: an approver"
                + " approves or rejects another's request, its requester edits or withdraws it, an operator applies it once"
                + " approved. Amber: waiting; grey: decided, or not heard from the node lately.", model.summaryProperty(),
                model.problemProperty(), model.messageProperty(), model.messageStatusProperty(), table);

        statusLine.setId("requests-status");
        statusLine.textProperty().bind(model.summaryProperty());
        // The label lives as long as this view: the subscription needs no removal.
        model.statusProperty().subscribe((old, now) -> {
            if (old != null) {
                statusLine.getStyleClass().remove(old.styleClass());
            }
            statusLine.getStyleClass().add(now.styleClass());
        });
        statusLine.getStyleClass().add(model.statusProperty().get().styleClass());
    }

    /** Where the weights form of an edit goes; the main window, once it exists. */
    public void attachOverlays(OverlayHost host) {
        this.overlays = host;
    }

    /** The status bar's line: how many requests are open, how many wait for this person. */
    public Label statusLine() {
        return statusLine;
    }

    public RequestsViewModel model() {
        return model;
    }

    private void take(Row row, Step step) {
        switch (step) {
            case APPROVE -> prompter.ask(model.approveQuestion(row), reason -> model.approve(row, reason));
            case REJECT -> prompter.ask(model.rejectQuestion(row), reason -> model.reject(row, reason));
            case WITHDRAW -> prompter.ask(model.withdrawQuestion(row), reason -> model.withdraw(row, reason));
            case APPLY -> model.apply(row);
            case EDIT -> {
                ChangeRequest r = row.request();
                if (r.operation().equals(ChangeRequest.FLAG_CHANGE) && r.change() != null && r.change().variants() != null) {
                    WeightsForm.show(overlays, "Request #" + row.id() + ": weights of " + r.target(), r.change().variants(), null,
                            weights -> prompter.ask(model.editWeightsQuestion(row, weights),
                                    reason -> model.editWeights(row, weights, reason)));
                } else {
                    prompter.ask(model.editReasonQuestion(row), reason -> model.editReason(row, reason));
                }
            }
        }
    }

    private static String label(Step step) {
        return switch (step) {
            case APPROVE -> "Approve";
            case REJECT -> "Reject";
            case EDIT -> "Edit…";
            case WITHDRAW -> "Withdraw";
            case APPLY -> "Apply";
        };
    }

    /** One button per step the person may take; none for a viewer, a decided request, or a stale list. */
    private final class StepsCell extends TableCell<Row, Row> {
        private final HBox box = new HBox(8);

        StepsCell() {
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(Row row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null || row.offers().isEmpty()) {
                setGraphic(null);
                return;
            }
            box.getChildren().clear();
            for (Step step : row.offers()) {
                Button b = new Button(label(step));
                b.setMinWidth(Button.USE_PREF_SIZE);
                b.setId(step.name().toLowerCase(java.util.Locale.ROOT) + "-" + row.id());
                if (step == Step.APPROVE || step == Step.APPLY) {
                    b.getStyleClass().add(StyleClasses.ACCENT_BUTTON);
                }
                if (step == Step.APPLY) {
                    b.setTooltip(new javafx.scene.control.Tooltip("Applies it now, as " + row.requester() + " asked and "
                            + row.request().decidedBy() + " approved: the LIVE show changes"));
                }
                b.setOnAction(e -> take(row, step));
                box.getChildren().add(b);
            }
            setGraphic(box);
        }
    }

    @Override
    public String title() {
        return "Requests";
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        // Answers are taken on every tick, frames or none: takeAnswer.
    }

    /**
     * Takes the newest answer, or ages the last: on every tick, frames or none, so a node that answers but sends no
     * frame (or refuses the token) is not shown as still being asked. FX thread.
     */
    public void takeAnswer() {
        long now = clock.getAsLong();
        switch (poller.take()) {
            case null -> model.refresh(now);
            case NodePoller.Outcome.Answered<List<ChangeRequest>> a -> model.answered(a.value(), now);
            case NodePoller.Outcome.Failed<List<ChangeRequest>> f -> model.failed(f.why(), now);
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
        model.dispose();
    }
}
