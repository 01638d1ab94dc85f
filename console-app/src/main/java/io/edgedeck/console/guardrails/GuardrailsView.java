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
    private final javafx.scene.control.ScrollPane scroll;
    /**
     * Whether the tables take their narrow form: fewer columns, the rest folded into lines of a cell, so that names and
     * headers are read whole in a window too narrow for every column (600 px beside the show).
     */
    private final javafx.beans.property.BooleanProperty narrow = new javafx.beans.property.SimpleBooleanProperty();
    /**
     * How much wider than its full form's columns need the rules table must be to leave its narrow form: a table on the
     * edge (a scroll bar coming and going, a rule's name changing) does not switch back and forth.
     */
    static final double WIDE_AGAIN_MARGIN = 40;
    /** Two rules' rows in the full form before the table scrolls inside: its height until the rows are drawn. */
    private static final double TWO_ROWS = 280;
    /**
     * The full form's evidence column's least width, whatever the evidence says: the evidence changes every frame, and
     * the form must not follow it (a rollback resets it, a rule nearing its threshold lengthens it). Its rows are as
     * tall as their text, so a longer line takes more lines, never "…".
     */
    static final double EVIDENCE_LEAST = 300;
    /** The pre-flight column's least width: its estimate in a handful of lines, not one word a line. */
    static final double PREFLIGHT_LEAST = 200;
    /** Room for the rules table's own vertical scroll bar, shown once it holds more than two rules. */
    static final double ROWS_BAR = 16;
    /** The room a rule's row is given before any is drawn: the armed state, its button and the rule's state under them. */
    private static final double NARROW_ROW_LEAST = 90;
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
        Label what = new Label("Rolls back the selected rule's variant");
        // In a narrow window the words wrap, never cut: which variant goes back, and why not now, are read whole.
        for (Label l : List.of(what, target, hint)) {
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        rollback.setMinWidth(Region.USE_PREF_SIZE);
        VBox targetBox = new VBox(4, what, target, hint);
        Region rollbackBar = new RollbackBar(rollback, targetBox);
        rollbackBar.getStyleClass().add(StyleClasses.ROLLBACK_BAR);

        table.setId("guardrails-table");
        table.setItems(viewModel.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // In both forms each row as tall as its text (a rule with three conditions, a pre-flight's estimate under them).
        table.setMinHeight(Region.USE_PREF_SIZE);
        table.setPlaceholder(new Label("This show has no guardrails"));
        javafx.collections.ObservableList<RuleRow> rows = viewModel.rows();
        // The rules' names, flags and variants, replaced only when they change: the columns measured for them are not
        // measured again each time a row's evidence changes (every frame).
        javafx.beans.property.ObjectProperty<List<String>> named = new javafx.beans.property.SimpleObjectProperty<>(names(rows));
        rows.addListener((javafx.collections.ListChangeListener<RuleRow>) c -> {
            List<String> now = names(rows);
            if (!now.equals(named.get())) {
                named.set(now);
            }
        });
        // The narrow form: the rule over what it watches, its armed state over its state, and the evidence (with the
        // pre-flight's estimate under it) in the rest of the width.
        TableColumn<RuleRow, String> ruleWatches = Tables.column(table, "Rule · watches", 150,
                r -> r.id() + "\n" + r.target().replace(" / ", "\n"));
        Tables.wholeNames(ruleWatches);
        // As wide as its names and no wider: the evidence takes the rest. Where the width is short (600 px, a rule's name
        // of 32 characters) a name wraps after its hyphens rather than the table scrolling sideways; whole on hover.
        Tables.leastWidth(ruleWatches, () -> Tables.nameParts(named.get()), named);
        ruleWatches.prefWidthProperty().bind(Tables.wholeWidth(ruleWatches, named::get, named));
        TableColumn<RuleRow, RuleRow> armedState = Tables.column(table, "Armed · state", 175, r -> r);
        armedState.setCellFactory(c -> new ArmedCell(true));
        // "ARMED" and its Disarm button side by side
        armedState.setMinWidth(160);
        armedState.setPrefWidth(160);
        TableColumn<RuleRow, String> liveNarrow = Tables.column(table, "", 900,
                r -> r.preflight().isEmpty() ? r.conditions() : r.conditions() + "\nPre-flight: " + r.preflight());
        Tables.wholeText(liveNarrow);
        liveNarrow.setGraphic(liveHeader("Live evidence"));
        Tables.leastWidth(liveNarrow, List::of);
        // Each cell's lines from the top of the row in both forms, as a rule's words are read (components.css).
        for (TableColumn<RuleRow, ?> c : List.of(ruleWatches, armedState, liveNarrow)) {
            c.visibleProperty().bind(narrow);
        }
        // The firings table below takes what is left; this one keeps room for as many rules as there are up to two, each
        // as tall as its text: their heights as drawn, read after each layout (a row's height does not depend on the
        // table's, so this settles at once). Rows recycled out of sight are not counted.
        table.setPrefHeight(TWO_ROWS);
        table.needsLayoutProperty().subscribe(needs -> {
            if (needs) {
                return;
            }
            double drawn = 0;
            for (Node n : table.lookupAll(".table-row-cell")) {
                if (n instanceof javafx.scene.control.TableRow<?> r && r.isVisible() && !r.isEmpty() && r.getIndex() < 2) {
                    drawn += r.getHeight();
                }
            }
            if (drawn == 0 && !rows.isEmpty()) {
                // scrolled past the first two rules: keep the height they had
                return;
            }
            Node header = table.lookup(".column-header-background");
            double want = (drawn > 0 ? drawn : NARROW_ROW_LEAST) + (header == null ? 40 : header.getLayoutBounds().getHeight())
                    + table.snappedTopInset() + table.snappedBottomInset() + 2;
            if (Math.abs(want - table.getPrefHeight()) > 1) {
                table.setPrefHeight(want);
            }
        });
        TableColumn<RuleRow, String> rule = Tables.column(table, "Rule", 180, RuleRow::id);
        Tables.wholeText(rule);
        Tables.leastWidth(rule, () -> rows.stream().map(RuleRow::id).toList(), named);
        // flag and variant on lines of their own, as in the firings below: a long flag name wrapped
        // inside the word ("checkout-redesig / n") reads as another flag
        TableColumn<RuleRow, String> watches = Tables.column(table, "Watches", 190, r -> r.target().replace(" / ", "\n"));
        Tables.wholeText(watches);
        Tables.leastWidth(watches, () -> rows.stream().flatMap(r -> List.of(r.target().split(" / ")).stream()).toList(), named);
        TableColumn<RuleRow, RuleRow> armed = Tables.column(table, "Armed", 150, r -> r);
        armed.setCellFactory(c -> new ArmedCell(false));
        armed.setMinWidth(175);
        TableColumn<RuleRow, RuleRow> state = Tables.column(table, "State", 150, r -> r);
        state.setCellFactory(c -> new StateCell());
        // room for "last fired 12:34" under the state
        state.setMinWidth(140);
        TableColumn<RuleRow, String> live = Tables.column(table, "", 420, RuleRow::conditions);
        Tables.wholeText(live);
        live.setGraphic(liveHeader("Live: what the evidence says"));
        live.setMinWidth(EVIDENCE_LEAST);
        TableColumn<RuleRow, String> preflight = Tables.column(table, "Pre-flight", 260, RuleRow::preflight);
        Tables.wholeText(preflight);
        preflight.setMinWidth(PREFLIGHT_LEAST);
        for (TableColumn<RuleRow, ?> c : List.of(rule, watches, armed, state, live)) {
            c.visibleProperty().bind(narrow.not());
        }
        // Only where a pre-flight can run (a rehearsal): elsewhere it could only stay empty, and the evidence needs its room.
        preflight.visibleProperty().bind(viewModel.preflight().availableProperty().and(narrow.not()));
        // The narrow form once the full form's columns no longer fit side by side at their least widths (a long rule or
        // flag name, the pre-flight's column, the table's own scroll bar past two rules): never a sideways scroll. Back to
        // the full form only with room to spare. What this depends on changes with the window's width and the rules and
        // flags shown, never with a frame's evidence: with the window held still the form holds still.
        javafx.beans.binding.IntegerBinding ruleCount = javafx.beans.binding.Bindings.size(rows);
        javafx.beans.binding.DoubleBinding fullNeeds = javafx.beans.binding.Bindings.createDoubleBinding(() -> {
            double sum = 0;
            for (TableColumn<RuleRow, ?> c : List.of(rule, watches, armed, state, live)) {
                sum += c.getMinWidth();
            }
            return sum + (viewModel.preflight().availableProperty().get() ? preflight.getMinWidth() : 0)
                    + (ruleCount.get() > 2 ? ROWS_BAR : 0);
        }, ruleCount, rule.minWidthProperty(), watches.minWidthProperty(), armed.minWidthProperty(), state.minWidthProperty(),
                live.minWidthProperty(), preflight.minWidthProperty(), viewModel.preflight().availableProperty());
        Runnable decide = () -> {
            double w = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset();
            if (table.getWidth() > 0) {
                narrow.set(narrow.get() ? w < fullNeeds.get() + WIDE_AGAIN_MARGIN : w < fullNeeds.get());
            }
        };
        table.widthProperty().subscribe(w -> decide.run());
        fullNeeds.subscribe(n -> decide.run());
        permitted = new PermittedTable<>(table, now -> viewModel.selectedIdProperty().set(now == null ? null : now.id()));

        firingsTable.setId("firings-table");
        firingsTable.setItems(viewModel.firings());
        firingsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        firingsTable.setPlaceholder(new Label("No rollbacks yet"));
        // Each row as tall as its reason wrapped in the Why column: why a rule rolled a variant back is read whole.
        javafx.collections.ObservableList<GuardrailFiring> firings = viewModel.firings();
        // The narrow form: when, by whom, which rule and which variant in one column, the reason beside it (its values
        // are in the reason's words).
        TableColumn<GuardrailFiring, String> fired = Tables.column(firingsTable, "Fired", 170, f -> viewModel.time(f.atMillis())
                + " · " + by(f) + "\n" + f.rule() + "\n" + f.flag() + "\n" + f.variant() + " · " + f.action().wireName());
        // its lines whole where there is room; a long name broken after its hyphens where there is not, whole on hover
        Tables.wholeNames(fired);
        java.util.function.Supplier<List<String>> firedLines = () -> firings.stream().flatMap(f -> List.of(viewModel.time(f.atMillis())
                + " · " + by(f), f.rule(), f.flag(), f.variant() + " · " + f.action().wireName()).stream()).toList();
        Tables.leastWidth(fired, () -> Tables.nameParts(firedLines.get()), firings);
        fired.prefWidthProperty().bind(Tables.wholeWidth(fired, firedLines, firings));
        fired.visibleProperty().bind(narrow);
        TableColumn<GuardrailFiring, String> time = Tables.column(firingsTable, "Time", 120, f -> viewModel.time(f.atMillis()));
        Tables.leastWidth(time, () -> firings.stream().map(f -> viewModel.time(f.atMillis())).toList(), firings);
        TableColumn<GuardrailFiring, String> ruleBy = Tables.column(firingsTable, "Rule / by", 190, f -> f.rule() + "\n" + by(f));
        TableColumn<GuardrailFiring, String> variant = Tables.column(firingsTable, "Variant", 220,
                f -> f.flag() + "\n" + f.variant() + " · " + f.action().wireName());
        TableColumn<GuardrailFiring, String> values = Tables.column(firingsTable, "Values when it fired", 300,
                f -> GuardrailsViewModel.values(f.values()).replace(", ", "\n"));
        Tables.leastWidth(values, List::of);
        for (TableColumn<GuardrailFiring, ?> c : List.of(time, ruleBy, variant, values)) {
            c.visibleProperty().bind(narrow.not());
        }
        Tables.wholeTextColumn(firingsTable, "Why", 500, GuardrailFiring::reason);
        VBox.setVgrow(firingsTable, Priority.ALWAYS);
        // In the narrow form the tab scrolls down rather than squeeze the firings to their header: room for one.
        firingsTable.minHeightProperty().bind(narrow.map(n -> n ? 200.0 : Region.USE_COMPUTED_SIZE));

        Label title = new Label("Guardrails");
        title.getStyleClass().add(StyleClasses.VIEW_TITLE);
        Label message = new Label();
        message.setId("guardrails-message");
        Outcome.show(message, viewModel.messageProperty(), viewModel.messageStatusProperty());
        Label firingsTitle = new Label("Firings · newest first");
        firingsTitle.getStyleClass().add(StyleClasses.VIEW_TITLE);
        root = new VBox(10, rollbackBar, message, title, table, preflightBar(viewModel.preflight()), firingsTitle, firingsTable) {
            @Override
            public javafx.geometry.Orientation getContentBias() {
                // its height follows its width: the banner's words and the pre-flight's message wrap
                return javafx.geometry.Orientation.HORIZONTAL;
            }
        };
        if (!viewModel.allowsChanges()) {
            // A bundle opened offline: nothing to roll back or arm, so no button offers to.
            root.getChildren().remove(rollbackBar);
        }
        root.getStyleClass().add(StyleClasses.VIEW);
        // Down to the firings in a window too low for the whole tab, with a scroll bar; never sideways.
        scroll = new javafx.scene.control.ScrollPane(root);
        scroll.setId("guardrails-scroll");
        scroll.getStyleClass().add(StyleClasses.VIEW_SCROLL);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
    }

    /** Who made a firing: "automatic" for the rule itself, else the operator. */
    private static String by(GuardrailFiring f) {
        return f.automatic() ? "automatic" : f.actor();
    }

    /** Each rule's name, flag and variant: the words the narrow form's first column shows whole on their lines. */
    private static List<String> names(List<RuleRow> rows) {
        return rows.stream().flatMap(r -> java.util.stream.Stream.concat(java.util.stream.Stream.of(r.id()),
                java.util.stream.Stream.of(r.target().split(" / ")))).toList();
    }

    /** The evidence column's header: short enough to read whole; what its numbers are is one hover away. */
    private static Label liveHeader(String words) {
        Label header = new Label(words);
        header.setTooltip(new Tooltip("Each condition's estimate over its evidence, and the end of its anytime"
                + " interval that matters. A rule fires when a condition's estimate is past its threshold and its whole"
                + " interval is clear of no harm (docs/GUARDRAILS.md, When a rule fires)"));
        return header;
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

    /** Whether the rule is armed, and the button that changes it; in the narrow form its state under them. */
    private final class ArmedCell extends TableCell<RuleRow, RuleRow> {
        private final Label state = new Label();
        private final Button toggle = new Button();
        private final HBox box = new HBox(8, state, toggle);
        /** The rule's state ("waiting", "last fired 05:15"), or null where a column of its own shows it. */
        private final Label stateBelow;
        private final Node graphic;

        /**
         * As tall as its state, its button and (narrow) the state under them at the column's width. The stock height of a
         * cell whose graphic wraps is the height it was last given: a row once laid out tall (before its columns had their
         * widths) stayed that tall, a one-rule row 138 px for 104 px of text.
         */
        @Override
        protected double computePrefHeight(double width) {
            Node g = getGraphic();
            if (g == null || getTableColumn() == null) {
                return super.computePrefHeight(width);
            }
            double inside = (width > 0 ? width : getTableColumn().getWidth()) - snappedLeftInset() - snappedRightInset();
            return snappedTopInset() + g.prefHeight(inside) + snappedBottomInset();
        }

        ArmedCell(boolean withState) {
            box.setAlignment(Pos.CENTER_LEFT);
            stateBelow = withState ? new Label() : null;
            if (withState) {
                stateBelow.setWrapText(true);
                // never squeezed to its first line ("waiting…" for "waiting" over "last fired 05:15")
                stateBelow.setMinHeight(Region.USE_PREF_SIZE);
                graphic = new VBox(6, box, stateBelow);
            } else {
                // in a box of its own, which fills the cell: the state and its button keep their height at its top
                graphic = new VBox(box);
            }
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
            if (stateBelow != null) {
                stateBelow.setText(row.state());
                stateBelow.getStyleClass().setAll("label", row.status().styleClass());
                stateBelow.setTooltip(StateCell.fleetNote(row));
            }
            setGraphic(graphic);
            // The row's height is its cells' heights, kept until it is asked again: asked again when the state under
            // the button gains or loses a line, which does not reach the row by itself.
            if (getTableRow() != null) {
                getTableRow().requestLayout();
            }
        }
    }

    /** A rule's words and its pre-flight estimate are sentences: they wrap, and the whole is in the tooltip. */
    /**
     * The Roll back button and the words about it: the words beside the button while they have {@link #WORDS_BESIDE} px
     * (or all they need), else under it, wrapped to the width there is. The button stays whole and where it is, the first
     * thing in the tab at every width.
     */
    static final class RollbackBar extends javafx.scene.layout.Pane {
        static final double WORDS_BESIDE = 360;
        private static final double GAP = 24;
        private static final double GAP_UNDER = 12;
        private final Region button;
        private final Region words;

        RollbackBar(Region button, Region words) {
            super(button, words);
            this.button = button;
            this.words = words;
        }

        @Override
        public javafx.geometry.Orientation getContentBias() {
            return javafx.geometry.Orientation.HORIZONTAL;
        }

        private boolean beside(double width) {
            double room = width - snappedLeftInset() - snappedRightInset() - button.prefWidth(-1) - GAP;
            return width < 0 || room >= Math.min(WORDS_BESIDE, words.prefWidth(-1));
        }

        @Override
        protected double computeMinWidth(double height) {
            return snappedLeftInset() + button.prefWidth(-1) + snappedRightInset();
        }

        @Override
        protected double computePrefWidth(double height) {
            return snappedLeftInset() + button.prefWidth(-1) + GAP + words.prefWidth(-1) + snappedRightInset();
        }

        @Override
        protected double computeMinHeight(double width) {
            return computePrefHeight(width);
        }

        @Override
        protected double computePrefHeight(double width) {
            double inside = width < 0 ? -1 : width - snappedLeftInset() - snappedRightInset();
            double buttonHeight = button.prefHeight(-1);
            double height = beside(width)
                    ? Math.max(buttonHeight, words.prefHeight(inside < 0 ? -1 : inside - button.prefWidth(-1) - GAP))
                    : buttonHeight + GAP_UNDER + words.prefHeight(inside);
            return snappedTopInset() + height + snappedBottomInset();
        }

        @Override
        protected void layoutChildren() {
            double x = snappedLeftInset();
            double y = snappedTopInset();
            double inside = getWidth() - x - snappedRightInset();
            double height = getHeight() - y - snappedBottomInset();
            double buttonWidth = button.prefWidth(-1);
            double buttonHeight = button.prefHeight(-1);
            if (beside(getWidth())) {
                layoutInArea(button, x, y, buttonWidth, height, 0, javafx.geometry.HPos.LEFT, javafx.geometry.VPos.CENTER);
                double wordsWidth = inside - buttonWidth - GAP;
                layoutInArea(words, x + buttonWidth + GAP, y, wordsWidth, height, 0, javafx.geometry.HPos.LEFT,
                        javafx.geometry.VPos.CENTER);
            } else {
                layoutInArea(button, x, y, buttonWidth, buttonHeight, 0, javafx.geometry.HPos.LEFT, javafx.geometry.VPos.TOP);
                layoutInArea(words, x, y + buttonHeight + GAP_UNDER, inside, height - buttonHeight - GAP_UNDER, 0,
                        javafx.geometry.HPos.LEFT, javafx.geometry.VPos.TOP);
            }
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
            setTooltip(fleetNote(row));
            getStyleClass().add(row.status().styleClass());
        }

        /** For a rule the fleet decides, what that means; else null. */
        static Tooltip fleetNote(RuleRow row) {
            return io.edgedeck.client.model.GuardrailStatus.DECIDED_BY_FLEET.equals(row.guardrail().decidedBy())
                    ? new Tooltip("The fleet's aggregator decides this rule on every node's evidence;"
                    + " this node judges it on its own part and never fires it (docs/FLEET.md)") : null;
        }
    }

    @Override
    public Node view() {
        return scroll;
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
