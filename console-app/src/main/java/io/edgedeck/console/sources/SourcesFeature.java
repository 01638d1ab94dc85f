package io.edgedeck.console.sources;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Sources tab and the status bar's sources line: what feeds the node. Offered only on a
 * connection that can list its sources ({@link EdgeConnection#hasSources()}, a live node). Asks the
 * node every {@link #POLL_MILLIS} on its own thread, and at once when the connection comes back; the
 * answer waits in an atomic reference for the next frame tick, which applies it on the FX thread.
 */
public final class SourcesFeature implements Feature {
    /** How often the node is asked. */
    public static final long POLL_MILLIS = 2000;

    private final SourcesViewModel model = new SourcesViewModel();
    private final LongSupplier clock;
    private final NodePoller<List<SourceStatus>> poll;
    private final VBox view;
    private final Label statusLine = new Label();

    public SourcesFeature(Supplier<EdgeConnection> connection, LongSupplier clockMillis) {
        this(connection, clockMillis, POLL_MILLIS);
    }

    /** @param pollMillis how often the node is asked, after each answer */
    SourcesFeature(Supplier<EdgeConnection> connection, LongSupplier clockMillis, long pollMillis) {
        this.clock = clockMillis;
        this.poll = new NodePoller<>("edgedeck-sources", pollMillis, () -> connection.get().sources());

        TableView<SourcesViewModel.Row> table = new TableView<>(model.rows());
        table.setId("sources-table");
        table.setPlaceholder(new Label("asking the node what feeds it…"));
        // The window's width, never a scroll sideways: the last column gives way and its words wrap.
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(52);
        Tables.column(table, "Source", 190, SourcesViewModel.Row::source);
        Tables.wrappingColumn(table, "State", 180, SourcesViewModel.Row::state);
        Tables.column(table, "Events/s · total", 140, SourcesViewModel.Row::rate);
        Tables.column(table, "Duplicates", 112, SourcesViewModel.Row::duplicates);
        // "Last event (wall clock)" where the show runs at another pace, as the status line says: on a second line of
        // the header, so neither it nor its neighbours are cut.
        Tables.column(table, SourcesViewModel.LAST_EVENT, 110, SourcesViewModel.Row::lastEvent).textProperty()
                .bind(model.lastEventHeaderProperty());
        Tables.wrappingColumn(table, "Errors", 180, SourcesViewModel.Row::errors);
        Tables.wrappingColumn(table, "Why", 380, SourcesViewModel.Row::why);
        Tables.statusRows(table, SourcesViewModel.Row::status);
        VBox.setVgrow(table, Priority.ALWAYS);
        Label heading = new Label(SourcesViewModel.LEGEND);
        heading.setWrapText(true);
        Label problem = new Label();
        problem.setId("sources-problem");
        problem.getStyleClass().add(StyleClasses.NOTICE);
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        view = new VBox(8, heading, problem, table);
        view.setId("sources-view");
        view.getStyleClass().add("sources-view");

        statusLine.setId("sources-status");
        statusLine.textProperty().bind(model.summaryProperty());
        Tooltip detail = new Tooltip();
        detail.setWrapText(true);
        detail.setMaxWidth(600);
        detail.textProperty().bind(model.summaryDetailProperty());
        statusLine.setTooltip(detail);
        model.statusProperty().subscribe((old, now) -> {
            if (old != null) {
                statusLine.getStyleClass().remove(old.styleClass());
            }
            statusLine.getStyleClass().add(now.styleClass());
        });
        statusLine.getStyleClass().add(model.statusProperty().get().styleClass());
    }

    public SourcesViewModel model() {
        return model;
    }

    /** The status bar's line: how many sources, their events per second, errors, the one that needs a look. */
    public Label statusLine() {
        return statusLine;
    }

    @Override
    public String title() {
        return "Sources";
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        model.nodeFailed(frame.node().status() == io.edgedeck.client.model.NodeCondition.Status.FAILED ? frame.node().detail() : null);
        model.showSpeed(frame.speed());
    }

    /**
     * The node answers again: it is asked at once, so the line does not say "not heard for 12 s" beside a
     * connection that is back for up to a period. FX thread.
     */
    @Override
    public void connectionOnline(boolean online) {
        poll.connectionOnline(online);
    }

    /**
     * Takes the newest answer, or ages the last: on every tick, frames or none, so a node that answers but sends no
     * frame (or refuses the token) is not shown as still being asked. FX thread.
     */
    public void takeAnswer() {
        long now = clock.getAsLong();
        switch (poll.take()) {
            case null -> model.refresh(now);
            case NodePoller.Outcome.Answered<List<SourceStatus>> s -> model.answered(s.value(), now);
            case NodePoller.Outcome.Failed<List<SourceStatus>> f -> model.failed(f.why(), now);
        }
    }

    @Override
    public void dispose() {
        poll.close();
    }
}
