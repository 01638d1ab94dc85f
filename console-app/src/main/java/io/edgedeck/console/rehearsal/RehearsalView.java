package io.edgedeck.console.rehearsal;

import io.edgedeck.console.common.FeatureView;
import io.edgedeck.console.common.Outcome;
import io.edgedeck.console.common.PopIds;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.rehearsal.RehearsalViewModel.ScenarioChoice;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.List;

/**
 * The rehearsal tab: pick a scenario, seed and speed, start, pause, resume or stop the show, and
 * fire faults and shifts by hand. Only the rehearsal console has it.
 */
public final class RehearsalView extends FeatureView {
    private final RehearsalViewModel viewModel;
    /** Built when the tab is first shown; until then only the view model follows the show. */
    private VBox root;

    public RehearsalView(RehearsalViewModel viewModel) {
        super("Rehearsal", viewModel);
        this.viewModel = viewModel;
    }

    /** The form, bound to the view model's current choices and state. FX thread. */
    private VBox build() {
        ComboBox<ScenarioChoice> scenario = new ComboBox<>();
        scenario.setId("rehearsal-scenario");
        scenario.getItems().setAll(viewModel.scenarios());
        scenario.valueProperty().bindBidirectional(viewModel.scenarioProperty());
        Label description = new Label();
        description.setWrapText(true);
        description.setMaxWidth(620);
        description.getStyleClass().add(StyleClasses.MUTED);
        description.textProperty().bind(viewModel.scenarioProperty().map(ScenarioChoice::description).orElse(""));
        TextField seed = new TextField();
        seed.setId("rehearsal-seed");
        seed.setPromptText("the scenario's own");
        seed.setPrefColumnCount(10);
        seed.textProperty().bindBidirectional(viewModel.seedProperty());
        ComboBox<String> speed = new ComboBox<>();
        speed.setId("rehearsal-speed");
        speed.getItems().setAll(RehearsalViewModel.SPEEDS);
        speed.valueProperty().bindBidirectional(viewModel.speedProperty());
        speed.setOnAction(e -> viewModel.applySpeed());

        GridPane show = new GridPane();
        show.getStyleClass().add(StyleClasses.FORM);
        show.addRow(0, new Label("Scenario"), scenario, description);
        show.addRow(1, new Label("Seed"), seed, hint("same seed, same show, every time"));
        show.addRow(2, new Label("Speed"), speed, hint("engine seconds per wall second; changes the running show at once"));

        Button start = button("Start from the beginning", "rehearsal-start", viewModel::start);
        start.getStyleClass().add(StyleClasses.ACCENT_BUTTON);
        start.disableProperty().bind(viewModel.busyProperty());
        Button pause = button("Pause", "rehearsal-pause", viewModel::pause);
        pause.disableProperty().bind(viewModel.runningProperty().not());
        Button resume = button("Resume", "rehearsal-resume", viewModel::resume);
        resume.disableProperty().bind(viewModel.runningProperty().or(viewModel.stoppedProperty()).or(viewModel.finishedProperty()));
        Button stop = button("Stop", "rehearsal-stop", viewModel::stop);
        // A finished show has nothing left to stop; the line under the state says so and that Start runs it again.
        stop.disableProperty().bind(viewModel.stoppedProperty().or(viewModel.finishedProperty()));
        Label state = new Label();
        state.setId("rehearsal-state");
        state.getStyleClass().add(StyleClasses.STRONG);
        state.textProperty().bind(viewModel.stateProperty());

        CueFormViewModel cues = viewModel.cues();
        ComboBox<String> cueType = new ComboBox<>();
        cueType.setId("cue-type");
        cueType.getItems().setAll(CueFormViewModel.TYPES);
        cueType.valueProperty().bindBidirectional(cues.typeProperty());
        ComboBox<String> pop = new ComboBox<>(cues.pops());
        pop.setId("cue-pop");
        pop.valueProperty().bindBidirectional(cues.popProperty());
        // "FRA" on the form, as every tab writes PoPs; the cue still names the node's id.
        pop.setConverter(new StringConverter<>() {
            @Override
            public String toString(String id) {
                return id == null ? "" : PopIds.shown(id);
            }

            @Override
            public String fromString(String shown) {
                return pop.getItems().stream().filter(id -> PopIds.shown(id).equals(shown)).findFirst().orElse(null);
            }
        });
        ComboBox<String> variant = new ComboBox<>(cues.variants());
        variant.setId("cue-variant");
        variant.valueProperty().bindBidirectional(cues.variantProperty());
        TextField magnitude = new TextField();
        magnitude.setId("cue-magnitude");
        magnitude.setPrefColumnCount(8);
        magnitude.textProperty().bindBidirectional(cues.magnitudeProperty());
        Label unit = new Label();
        unit.getStyleClass().add(StyleClasses.MUTED);
        unit.textProperty().bind(cues.typeProperty().map(CueFormViewModel::magnitudeUnit));
        // A cue without a magnitude shows no field for one, rather than an empty disabled box.
        magnitude.visibleProperty().bind(unit.textProperty().isNotEqualTo(CueFormViewModel.NOT_USED));
        magnitude.managedProperty().bind(magnitude.visibleProperty());
        TextField duration = new TextField();
        duration.setId("cue-duration");
        duration.setPrefColumnCount(8);
        duration.textProperty().bindBidirectional(cues.durationProperty());
        var used = cues.typeProperty().map(CueFormViewModel::rowsUsed);
        pop.visibleProperty().bind(used.map(rows -> rows.contains(CueFormViewModel.Row.POP)).orElse(false));
        variant.visibleProperty().bind(used.map(rows -> rows.contains(CueFormViewModel.Row.VARIANT)).orElse(false));

        GridPane cue = new GridPane();
        cue.getStyleClass().add(StyleClasses.FORM);
        Label popLabel = new Label("At PoP");
        popLabel.visibleProperty().bind(pop.visibleProperty());
        Label variantLabel = new Label("Variant");
        variantLabel.visibleProperty().bind(variant.visibleProperty());
        Label variantHint = hint("whose chat turns sour");
        variantHint.visibleProperty().bind(variant.visibleProperty());
        Label popHint = hint("faults hit one PoP; a surge hits everyone");
        popHint.visibleProperty().bind(pop.visibleProperty());
        // Only the rows the chosen cue uses, one under the other: a row left in place but hidden (the variant of a
        // PoP fault, the PoP of a surge) read as an empty line in the form. Laid out again when the cue changes.
        Node[] cueRow = {new Label("Cue"), cueType};
        Node[] popRow = {popLabel, pop, popHint};
        Node[] variantRow = {variantLabel, variant, variantHint};
        Node[] magnitudeRow = {new Label("Magnitude"), magnitude, unit};
        Node[] durationRow = {new Label("Duration (s)"), duration};
        // The view lives as long as the window: the subscription needs no removal.
        cues.typeProperty().subscribe(type -> {
            cue.getChildren().clear();
            List<Node[]> rows = new java.util.ArrayList<>();
            rows.add(cueRow);
            java.util.Set<CueFormViewModel.Row> uses = CueFormViewModel.rowsUsed(type);
            if (uses.contains(CueFormViewModel.Row.POP)) {
                rows.add(popRow);
            }
            if (uses.contains(CueFormViewModel.Row.VARIANT)) {
                rows.add(variantRow);
            }
            rows.add(magnitudeRow);
            rows.add(durationRow);
            for (int i = 0; i < rows.size(); i++) {
                cue.addRow(i, rows.get(i));
            }
        });
        Button fire = button("Fire cue now", "cue-fire", viewModel::fireCue);
        fire.getStyleClass().add(StyleClasses.ACCENT_BUTTON);
        fire.disableProperty().bind(viewModel.stoppedProperty().or(viewModel.finishedProperty()));
        Label ended = new Label(RehearsalViewModel.ENDED);
        ended.setId("rehearsal-ended");
        ended.getStyleClass().add(StyleClasses.STRONG);
        ended.visibleProperty().bind(viewModel.finishedProperty());
        ended.managedProperty().bind(ended.visibleProperty());

        Label message = new Label();
        message.setId("rehearsal-message");
        Outcome.show(message, viewModel.messageProperty(), viewModel.messageStatusProperty());

        VBox root = new VBox(14, title("Rehearsal"), state, ended, show, new HBox(12, start, pause, resume, stop), message,
                title("Fire a cue by hand"), cue, fire);
        root.getStyleClass().add(StyleClasses.VIEW);
        return root;
    }

    private static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(StyleClasses.VIEW_TITLE);
        return l;
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(StyleClasses.MUTED);
        return l;
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    @Override
    public Node view() {
        if (root == null) {
            root = build();
        }
        return root;
    }

    @Override
    public List<Shortcut> shortcuts() {
        return List.of(new Shortcut(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN),
                "Pause or resume the rehearsal", viewModel::togglePause));
    }

    @Override
    public void connectionOnline(boolean online) {
        viewModel.connectionChanged();
    }

    public RehearsalViewModel viewModel() {
        return viewModel;
    }
}
