package io.edgedeck.console.fleet;

import io.edgedeck.console.common.PopIds;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.FleetView;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.ListHeader;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.Outcome;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import javafx.beans.binding.Bindings;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Fleet tab: every node a fleet aggregator hears from, with the PoPs it serves and how long since it
 * was last heard of, and every PoP with the nodes serving it (docs/FLEET.md); and a show cue fired on every node at
 * once ({@link FleetCueViewModel}), with the aggregator's admin token. Offered only on a connection
 * to an aggregator ({@link EdgeConnection#hasFleet()}). Asks every {@link #POLL_MILLIS} on its own thread;
 * the answer waits in an atomic reference for the next tick ({@link #tick()}, run by the frame ticker on
 * every tick, frames or not: the fleet's health is not in the frames), which applies it on the FX thread.
 */
public final class FleetFeature implements Feature {
    /** How often the aggregator is asked: a node's age matters to the second. */
    public static final long POLL_MILLIS = 1000;
    static final String VIEW_CLASS = "fleet-view";
    static final String SUMMARY_CLASS = "fleet-summary";
    private static final double ROW_HEIGHT = 40;
    private static final double HEADER_HEIGHT = 40;

    private final FleetViewModel model = new FleetViewModel();
    private final LongSupplier clock;
    private final NodePoller<FleetView> poll;
    private final FleetCueViewModel cues;
    private final Prompter prompter;
    private final TextField cueName = new TextField();
    private final VBox view;

    /**
     * @param cues     the cue fired on every node from this tab
     * @param prompter asks for the reason, and a hold, before a cue is fired
     */
    public FleetFeature(Supplier<EdgeConnection> connection, LongSupplier clockMillis, FleetCueViewModel cues, Prompter prompter) {
        this.clock = clockMillis;
        this.cues = cues;
        this.prompter = prompter;
        this.poll = new NodePoller<>("edgedeck-fleet", POLL_MILLIS, () -> connection.get().fleet());
        // A cue's answer names a silent node's seconds as the headline counts them, not as the aggregator did.
        cues.countSilencesBy(model);

        Label heading = new Label("Every node the aggregator hears from (each sends a frame a second): last seen turns amber past "
                + FleetViewModel.LATE_AFTER_MILLIS / 1000 + " s and red past " + FleetViewModel.SILENT_AFTER_MILLIS / 1000
                + " s. Each PoP with the nodes serving it; one served by two nodes is amber, one whose nodes are all silent grey (its figures are stale). Grey everywhere: the aggregator has not answered lately.");
        heading.setWrapText(true);
        Label summary = new Label();
        summary.setId("fleet-summary");
        Outcome.show(summary, model.summaryProperty(), model.statusProperty());
        summary.getStyleClass().add(SUMMARY_CLASS);
        Label aggregator = new Label();
        aggregator.setId("fleet-aggregator");
        Outcome.show(aggregator, model.aggregatorProperty(), model.aggregatorStatusProperty());
        Label problem = ListHeader.problem("fleet-problem", model.problemProperty());

        TableView<FleetViewModel.NodeRow> nodes = table("fleet-nodes", model.nodes(), "no node has been heard of yet");
        Tables.column(nodes, "Node", 110, FleetViewModel.NodeRow::node);
        // Where the node's API is: what its frames say, and where the aggregator sends the OFREP evaluations it takes.
        Tables.column(nodes, "API", 250, FleetViewModel.NodeRow::api);
        Tables.column(nodes, "Serves", 140, FleetViewModel.NodeRow::serves);
        Tables.column(nodes, "Last seen", 170, FleetViewModel.NodeRow::lastSeen);
        Tables.column(nodes, "Control topic", 130, FleetViewModel.NodeRow::control);
        Tables.column(nodes, "Spool", 150, FleetViewModel.NodeRow::spool);
        Tables.column(nodes, "Records", 200, FleetViewModel.NodeRow::records);
        Tables.statusRows(nodes, FleetViewModel.NodeRow::status);

        TableView<FleetViewModel.PopRow> pops = table("fleet-pops", model.pops(), "no PoP served yet");
        Tables.column(pops, "PoP", 90, r -> PopIds.shown(r.pop()));
        Tables.column(pops, "Served by", 200, FleetViewModel.PopRow::servedBy);
        Tables.column(pops, "Requests, last 60 s", 210, FleetViewModel.PopRow::requests);
        Tables.column(pops, "p95, last 60 s", 140, FleetViewModel.PopRow::p95);
        Tables.column(pops, "Needs a look", 420, FleetViewModel.PopRow::note);
        Tables.statusRows(pops, FleetViewModel.PopRow::status);

        Label nodesTitle = new Label("Nodes");
        nodesTitle.getStyleClass().add(StyleClasses.STRONG);
        Label popsTitle = new Label("PoPs");
        popsTitle.getStyleClass().add(StyleClasses.STRONG);
        view = new VBox(10, heading, summary, aggregator, problem, cueControl(), nodesTitle, nodes, popsTitle, pops);
        view.setId("fleet-view");
        view.getStyleClass().add(VIEW_CLASS);
    }

    /**
     * A cue's name, Fire on every node… (a reason and a hold to confirm, as a node's own cue asks), why it cannot be
     * fired now when it cannot, and what the aggregator said of the last one.
     */
    private VBox cueControl() {
        Label title = new Label("Fire a show cue on every node:");
        title.getStyleClass().add(StyleClasses.STRONG);
        TextField name = cueName;
        name.setId("fleet-cue-name");
        name.setPromptText("cue name, e.g. drop");
        name.setPrefColumnCount(16);
        name.textProperty().bindBidirectional(cues.cueProperty());
        Label nameLabel = new Label("Cue");
        nameLabel.setLabelFor(name);
        Button fire = new Button("Fire on every node…");
        fire.setId("fleet-cue-fire");
        fire.getStyleClass().add(StyleClasses.ACCENT_BUTTON);
        fire.setMinWidth(Button.USE_PREF_SIZE);
        fire.disableProperty().bind(cues.mayFireProperty().not());
        fire.setOnAction(e -> ask());
        name.setOnAction(e -> ask());
        // A disabled button shows no tooltip: why it is off is said beside it.
        Label whyNot = new Label();
        whyNot.setId("fleet-cue-why-not");
        whyNot.getStyleClass().add(StyleClasses.MUTED);
        whyNot.setWrapText(true);
        whyNot.textProperty().bind(cues.whyNotProperty());
        whyNot.visibleProperty().bind(whyNot.textProperty().isNotEmpty());
        whyNot.managedProperty().bind(whyNot.visibleProperty());
        nameLabel.setMinWidth(Label.USE_PREF_SIZE);
        // Under the row, not in it: a long line in the row would widen the tab past its window instead of wrapping.
        title.setMinWidth(Label.USE_PREF_SIZE);
        HBox row = new HBox(10, title, nameLabel, name, fire);
        row.setAlignment(Pos.CENTER_LEFT);
        Label message = new Label();
        message.setId("fleet-cue-message");
        Outcome.show(message, cues.messageProperty(), cues.messageStatusProperty());
        VBox control = new VBox(6, row, whyNot, message);
        control.setId("fleet-cue");
        return control;
    }

    /** Asks for the reason and the hold, then fires the cue typed, when it may be fired now. FX thread. */
    private boolean ask() {
        if (!cues.mayFireProperty().get()) {
            return false;
        }
        String cue = cueName.getText().strip();
        prompter.ask(cues.fireQuestion(), reason -> cues.fire(cue, reason));
        return true;
    }

    /**
     * Fire on every node…, from any tab (Ctrl+Shift+D, as a node's console fires its next cue): the cue typed in this
     * tab, after the reason and the hold; when it cannot be fired now, the tab says why, and with no name typed its field
     * takes the focus. FX thread.
     */
    public void requestFire() {
        if (!ask()) {
            cues.refuse();
            if (cueName.getText() == null || cueName.getText().isBlank()) {
                cueName.requestFocus();
            }
        }
    }

    @Override
    public List<Shortcut> shortcuts() {
        return List.of(new Shortcut(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                "Fire the cue typed in the Fleet tab on every node: a reason, then hold to confirm", this::requestFire));
    }

    /** A table as tall as its rows (so the next one sits under it), as wide as the window, the last column taking the rest. */
    private static <R> TableView<R> table(String id, ObservableList<R> rows, String empty) {
        TableView<R> table = new TableView<>(rows);
        table.setId(id);
        table.setPlaceholder(new Label(empty));
        table.setFixedCellSize(ROW_HEIGHT);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.prefHeightProperty().bind(Bindings.max(2, Bindings.size(rows)).multiply(ROW_HEIGHT).add(HEADER_HEIGHT));
        table.setMinHeight(ROW_HEIGHT * 2 + HEADER_HEIGHT);
        return table;
    }

    public FleetViewModel model() {
        return model;
    }

    public FleetCueViewModel cues() {
        return cues;
    }

    @Override
    public void connectionOnline(boolean online) {
        cues.connectionOnline(online);
        poll.connectionOnline(online);
    }

    @Override
    public String title() {
        return "Fleet";
    }

    @Override
    public Node view() {
        return view;
    }

    /** Applies the newest answer, or ages what is shown. FX thread, every tick of the frame ticker. */
    public void tick() {
        long now = clock.getAsLong();
        switch (poll.take()) {
            case null -> model.refresh(now);
            case NodePoller.Outcome.Answered<FleetView> a -> model.answered(a.value(), now);
            case NodePoller.Outcome.Failed<FleetView> f -> model.failed(f.why(), now);
        }
        cues.retell();
    }

    @Override
    public void dispose() {
        poll.close();
    }
}
