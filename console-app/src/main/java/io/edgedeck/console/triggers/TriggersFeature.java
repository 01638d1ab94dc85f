package io.edgedeck.console.triggers;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Triggers tab: the trigger audit ranked, each trigger's verdict under the retire rule, and the
 * overlap matrix (docs/TRIGGERS.md). Offered on a connection that can serve the audit (a rehearsal,
 * a node). Asks every {@link #POLL_MILLIS} on its own thread; the answer waits in an atomic reference
 * for the next tick ({@link #takeAnswer}), which applies it on the FX thread.
 */
public final class TriggersFeature implements Feature {
    /** How often the edge is asked. */
    public static final long POLL_MILLIS = 2000;
    static final String VIEW_CLASS = "triggers-view";
    static final String OVERLAP_CELL = "overlap-cell";
    static final String OVERLAP_HEADER = "overlap-header";
    private static final double ROW_HEIGHT = 64;
    /** The column headers, with room for the table's border, until the header is drawn and its height known. */
    private static final double HEADER_HEIGHT = 44;

    private final TriggersViewModel model = new TriggersViewModel();
    private final LongSupplier clock;
    private final NodePoller<TriggerAudit> poll;
    /** Built when the tab is first shown; until then only the model follows the polls. */
    private VBox view;
    private final GridPane matrix = new GridPane();
    /** Asked again at once since the last outcome, for a show at rest that the audit shown is behind. */
    private boolean askedAtRest;
    /** Whether the last outcome was an answer: a failing read is not asked again faster than every poll. */
    private boolean lastAnswered = true;

    public TriggersFeature(Supplier<EdgeConnection> connection, LongSupplier clockMillis) {
        this(connection, clockMillis, POLL_MILLIS);
    }

    /** @param pollMillis how often the edge is asked, after each answer */
    public TriggersFeature(Supplier<EdgeConnection> connection, LongSupplier clockMillis, long pollMillis) {
        this.clock = clockMillis;
        this.poll = new NodePoller<>("edgedeck-triggers", pollMillis, () -> connection.get().triggerAudit());
    }

    /** The tab's nodes, built when it is first shown, from the model's current rows and matrix. FX thread. */
    private VBox build() {
        TableView<TriggersViewModel.Row> table = new TableView<>(model.rows());
        table.setId("triggers-table");
        // "no trigger" only once the edge answered: before, nothing is known of its triggers.
        Label empty = new Label();
        empty.setId("triggers-empty");
        empty.textProperty().bind(model.answeredProperty().map(heard -> heard ? "no trigger to audit"
                : "not heard from the edge yet: its triggers show here once it answers"));
        table.setPlaceholder(empty);
        // The figures keep their width in a narrow window (1000 px): only the trigger's name (whole in its
        // tooltip) and the reasons, which wrap, give up room, so no number ends in "…".
        whole(Tables.column(table, "Rank", 60, TriggersViewModel.Row::rank));
        Tables.column(table, "Trigger", 170, TriggersViewModel.Row::trigger).setMinWidth(100);
        whole(Tables.column(table, "Firings", 200, TriggersViewModel.Row::fires));
        whole(Tables.column(table, "Conversion", 130, TriggersViewModel.Row::conversion));
        whole(Tables.column(table, "Lift (95%)", 160, TriggersViewModel.Row::lift));
        whole(Tables.column(table, "Verdict", 90, TriggersViewModel.Row::verdict));
        Tables.column(table, "Why", 560, TriggersViewModel.Row::why).setMinWidth(180);
        table.setFixedCellSize(ROW_HEIGHT);
        // As wide as the window, the reasons wrapping in the last column, so no row needs a sideways scroll
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // and as tall as its rows and the header as drawn (the theme's font sets its height), so the matrix sits right
        // under them, with no empty strip between.
        javafx.beans.property.DoubleProperty header = new javafx.beans.property.SimpleDoubleProperty(HEADER_HEIGHT);
        table.skinProperty().subscribe(skin -> {
            if (skin != null && table.lookup(".column-header-background") instanceof javafx.scene.layout.Region drawn) {
                drawn.heightProperty().subscribe(h -> {
                    if (h.doubleValue() > 0) {
                        header.set(h.doubleValue() + table.snappedTopInset() + table.snappedBottomInset());
                    }
                });
            }
        });
        // Room for one row at least (the placeholder's, before the edge answers); in a short window it gives up rows
        // down to two, which then scroll.
        javafx.beans.binding.IntegerBinding rowCount = javafx.beans.binding.Bindings.size(model.rows());
        table.prefHeightProperty().bind(javafx.beans.binding.Bindings.max(rowCount, 1).multiply(ROW_HEIGHT).add(header));
        table.minHeightProperty().bind(javafx.beans.binding.Bindings.min(table.prefHeightProperty(), header.add(ROW_HEIGHT * 2)));
        Tables.statusRows(table, TriggersViewModel.Row::status);
        Label heading = new Label("Each trigger ranked by how surely it lifts conversion: sessions that converted after it fired "
                + "against sessions it never fired for (an association, not an experiment). Amber: low lift and high overlap, "
                + "a candidate to retire.");
        heading.setWrapText(true);
        Label summary = new Label();
        summary.setId("triggers-summary");
        summary.getStyleClass().add(StyleClasses.STRONG);
        summary.textProperty().bind(model.summaryProperty());
        Label problem = new Label();
        problem.setId("triggers-problem");
        problem.getStyleClass().add(StyleClasses.NOTICE);
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        Label matrixTitle = new Label();
        matrixTitle.setId("triggers-overlap-title");
        matrixTitle.getStyleClass().add(StyleClasses.STRONG);
        matrixTitle.textProperty().bind(model.overlapTitleProperty());
        matrixTitle.visibleProperty().bind(model.overlapTitleProperty().isNotEmpty());
        matrixTitle.managedProperty().bind(matrixTitle.visibleProperty());
        matrix.setId("triggers-overlap");
        matrix.setHgap(18);
        matrix.setVgap(4);
        // The view lives as long as the window: the subscription needs no removal.
        model.matrixProperty().subscribe(this::drawMatrix);
        VBox view = new VBox(10, heading, summary, problem, table, matrixTitle, matrix);
        view.setId("triggers-view");
        view.getStyleClass().add(VIEW_CLASS);
        return view;
    }

    /** A column of figures, never narrower than it was made. */
    private static void whole(javafx.scene.control.TableColumn<?, ?> column) {
        column.setMinWidth(column.getPrefWidth());
    }

    private void drawMatrix(TriggersViewModel.Matrix m) {
        matrix.getChildren().clear();
        List<String> ids = m.ids();
        for (int j = 0; j < ids.size(); j++) {
            matrix.add(header(ids.get(j)), j + 1, 0);
        }
        for (int i = 0; i < ids.size(); i++) {
            matrix.add(header(ids.get(i)), 0, i + 1);
            for (int j = 0; j < ids.size(); j++) {
                Label cell = new Label(m.cells().get(i).get(j));
                cell.getStyleClass().addAll(OVERLAP_CELL, m.statuses().get(i).get(j).styleClass());
                cell.setAlignment(Pos.CENTER);
                cell.setMaxWidth(Double.MAX_VALUE);
                matrix.add(cell, j + 1, i + 1);
            }
        }
    }

    private static Label header(String id) {
        Label l = new Label(id);
        l.getStyleClass().add(OVERLAP_HEADER);
        return l;
    }

    public TriggersViewModel model() {
        return model;
    }

    @Override
    public String title() {
        return "Triggers";
    }

    @Override
    public Node view() {
        if (view == null) {
            view = build();
        }
        return view;
    }

    /**
     * Applies the newest answer, or why there was none, and ages what is shown. Called on every tick, whether or not
     * a frame arrived: a node that cannot be reached sends no frame, and the tab says it cannot read the audit. FX thread.
     */
    public void takeAnswer() {
        long now = clock.getAsLong();
        switch (poll.take()) {
            case null -> model.refresh(now);
            case NodePoller.Outcome.Answered<TriggerAudit> audit -> {
                model.answered(audit.value(), now);
                askedAtRest = false;
                lastAnswered = true;
            }
            case NodePoller.Outcome.Failed<TriggerAudit> f -> {
                model.failed(f.why(), now);
                askedAtRest = false;
                lastAnswered = false;
            }
        }
    }

    /**
     * A paused or finished show stands still at the frame's second: an audit from before it (asked up to a poll
     * earlier) is asked again at once, so the tab's "of show" is the clock's, not a poll behind it. FX thread.
     */
    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        boolean atRest = frame.state() == ShowState.PAUSED || frame.state() == ShowState.FINISHED;
        if (atRest && lastAnswered && !askedAtRest && model.shownSecond() >= 0 && model.shownSecond() < frame.engineMillis() / 1000) {
            askedAtRest = true;
            poll.askNow();
        }
    }

    /** The edge answers again: asked at once, not a period later. FX thread. */
    @Override
    public void connectionOnline(boolean online) {
        poll.connectionOnline(online);
    }

    @Override
    public void dispose() {
        poll.close();
    }
}
