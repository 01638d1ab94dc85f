package io.edgedeck.console.flags;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.console.common.FeatureView;
import io.edgedeck.console.common.Outcome;
import io.edgedeck.console.common.OverlayHost;
import io.edgedeck.console.common.PopIds;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.common.WallClock;
import io.edgedeck.console.common.WeightsForm;
import io.edgedeck.console.connection.ActingAs;
import io.edgedeck.console.connection.PermittedTable;
import io.edgedeck.console.flags.FlagsViewModel.FlagRow;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.ToggleSwitch;

import java.util.List;
import java.util.Locale;

/**
 * The flags tab: the flag table (switch, weights, scope, version, propagation, kill) above the
 * audit trail. Every change goes through the reason prompt.
 */
public final class FlagsView extends FeatureView {
    /** How times are shown: the wall clock on a live node, the show's clock in a rehearsal. */
    private io.edgedeck.console.common.ShowClock times = new io.edgedeck.console.common.ShowClock();

    private final FlagsViewModel viewModel;
    private final Prompter prompter;
    private OverlayHost overlays;
    private final TableView<FlagRow> table = new TableView<>();
    private final TableView<AuditEntry> auditTable = new TableView<>();
    private final VBox root;
    private final PermittedTable<FlagRow> permitted;
    private boolean online = true;
    /** True while the node's frames are late (a node that answers but sends none): what they said may be old. */
    private boolean framesStale;
    /** Wall-clock time of the last frame before the console lost the node; meaningful while not {@link #online}. */
    private long staleSinceMillis;

    /** Why the switch, Kill and Weights… are not offered while the node does not answer. */
    private static final int ROW_HEIGHT = 86;
    static final String NOT_CONNECTED = "Not connected to the node: nothing can change it until it answers again";

    public FlagsView(FlagsViewModel viewModel, Prompter prompter, OverlayHost overlays) {
        super("Flags", viewModel);
        this.viewModel = viewModel;
        this.prompter = prompter;
        this.overlays = overlays;

        table.setId("flags-table");
        table.setItems(viewModel.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // Room under the weights for a note that wraps to two lines (what they do not say is served, or a held
        // change) and the buttons that undo what the note says.
        table.setFixedCellSize(ROW_HEIGHT);
        table.setPrefHeight(ROW_HEIGHT * 3 + 40);
        table.setPlaceholder(placeholder(WAITING_FOR_FLAGS));
        TableColumn<FlagRow, FlagRow> key = Tables.column(table, "Flag", 180, r -> r);
        key.setCellFactory(c -> new KeyCell());
        if (viewModel.allowsChanges()) {
            // The switch serves the treatment or not: under it, what is served (its share, control only, or killed),
            // so a rolled-back flag at 0% does not read as switched off or killed.
            TableColumn<FlagRow, FlagRow> on = Tables.column(table, "Treatment", 120, r -> r);
            on.setCellFactory(c -> new SwitchCell());
        } else {
            Tables.column(table, "Treatment", 120, r -> FlagRules.switchNote(r.flag()));
        }
        TableColumn<FlagRow, FlagRow> variants = Tables.column(table, "Variants and weights", 370, r -> r);
        variants.setCellFactory(c -> new VariantsCell());
        // A PoP in capitals, as every tab writes it ("pop:FRA"); the row keeps the node's scope for what it sends.
        Tables.column(table, "Scope", 80, r -> PopIds.scope(r.scope()));
        // Wide enough for its title at the window's smallest width, where the columns are squeezed.
        Tables.column(table, "Version", 86, r -> "v" + r.version()).setMinWidth(86);
        Tables.statusColumn(table, "Propagation", 210, this::propagation, r -> heard() ? Status.OK : Status.STALE)
                .setId("propagation-column");
        if (viewModel.allowsChanges() || viewModel.offersHistory()) {
            TableColumn<FlagRow, FlagRow> actions = Tables.column(table, "Actions", 300, r -> r);
            actions.setCellFactory(c -> new ActionsCell());
        }
        permitted = new PermittedTable<>(table, now -> viewModel.selectedKeyProperty().set(now == null ? null : now.key()));

        auditTable.setId("audit-table");
        auditTable.setItems(viewModel.audit());
        auditTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        auditTable.setPlaceholder(placeholder(NO_CHANGES));
        auditTable.setFixedCellSize(52);
        Tables.column(auditTable, "Time", 110, e -> times.format(e.atMillis()));
        Tables.column(auditTable, "Who / action", 250, e -> e.actor() + "\n" + e.action());
        // Wide enough for a flag and its variant on one line ("offer-banner / treatment") at the window's smallest width; a
        // longer pair breaks at the slash.
        Tables.column(auditTable, "Target", 190, e -> auditTarget(e.target())).setMinWidth(180);
        // What a playbook's run, a cue's or schedule's change or a fleet's apply changed; blank where the target is all it changed.
        Tables.column(auditTable, "Touched", 160, e -> String.join(", ", e.touched())).setId("audit-touched-column");
        // What changed first (a kill's "killed" is otherwise the part of the after that does not fit), then the whole; the
        // show's PoPs in capitals ("scope=pop:FRA", "at FRA, AMS"), as every tab writes them.
        Tables.wrappingColumn(auditTable, "What changed · before → after", 380,
                e -> PopIds.inText(auditChange(e.before(), e.after()), viewModel.popIds()));
        // A guardrail's reason is long (the figures that made it fire, "(at 95% ...)"): wrapped over the row's two lines,
        // then whole in the tooltip and under the table for the entry picked.
        Tables.wrappingColumn(auditTable, "Why", 340, AuditEntry::reason).setId("audit-why-column");
        VBox.setVgrow(auditTable, Priority.ALWAYS);

        Label title = new Label("Flags");
        title.getStyleClass().add(StyleClasses.VIEW_TITLE);
        Label message = new Label();
        message.setId("flags-message");
        Outcome.show(message, viewModel.messageProperty(), viewModel.messageStatusProperty());
        // Read whole, however long: why a change did not apply is the part a producer needs.
        message.setWrapText(true);
        message.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        Node draftBar = draftBar();
        Label auditTitle = new Label("Audit log · newest first");
        auditTitle.getStyleClass().add(StyleClasses.VIEW_TITLE);
        Label auditSummary = new Label();
        auditSummary.setId("audit-summary");
        auditSummary.getStyleClass().add(StyleClasses.MUTED);
        auditSummary.textProperty().bind(viewModel.auditSummaryProperty());
        HBox auditHeader = new HBox(16, auditTitle, auditSummary);
        auditHeader.setAlignment(Pos.BASELINE_LEFT);
        if (viewModel.showsAudit()) {
            root = new VBox(10, title, table, message, draftBar, auditHeader, auditFilters(), auditTable, auditWhy());
        } else {
            // A fleet aggregator keeps no audit: each node keeps its own, so no table that could only stay empty.
            Label elsewhere = new Label("Audit log: each node keeps its own; connect to a node to read who changed what");
            elsewhere.setId("audit-elsewhere");
            elsewhere.getStyleClass().add(StyleClasses.MUTED);
            root = new VBox(10, title, table, message, draftBar, elsewhere);
        }
        root.getStyleClass().add(StyleClasses.VIEW);
    }

    /**
     * The whole of why the audit entry picked in the table was made, under the table, however long: a producer reads
     * why a variant was rolled back there, not only in a cell that has two lines. The entry stays picked as the audit
     * refreshes (found again by its sequence number); before any is picked, the newest entry's, and how to read another.
     * The pick is forgotten when the person clears the selection, and when the connection changes: a restarted
     * rehearsal numbers its audit from 1 again, and its entry of the same number is another change.
     */
    private Node auditWhy() {
        Label why = new Label();
        why.setId("audit-why");
        why.setWrapText(true);
        why.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        why.setMaxWidth(Double.MAX_VALUE);
        long[] picked = {-1};
        Runnable tell = () -> {
            AuditEntry e = auditTable.getItems().stream().filter(a -> a.sequence() == picked[0]).findFirst().orElse(null);
            if (e != null) {
                why.setText(auditWhy("this change", e));
            } else if (!auditTable.getItems().isEmpty()) {
                // Nothing picked yet: the newest change's, which after a rollback is the rollback's.
                why.setText(auditWhy("the newest change", auditTable.getItems().getFirst()) + " Click a change above to read its why here.");
            } else {
                why.setText("");
            }
        };
        why.managedProperty().bind(why.textProperty().isNotEmpty());
        why.visibleProperty().bind(why.managedProperty());
        // Cleared while the picked entry is still in the table: a person cleared it (Ctrl+click), and the newest is
        // read again. The table also clears its selection by itself as its rows are replaced: when the picked entry is
        // among the new rows it is selected again at once (picked again here); when a filter left it out, it is not
        // in the table, and the pick is kept for when it is back.
        auditTable.getSelectionModel().selectedItemProperty().subscribe(now -> {
            if (now != null) {
                picked[0] = now.sequence();
            } else if (auditTable.getItems().stream().anyMatch(a -> a.sequence() == picked[0])) {
                picked[0] = -1;
            }
            tell.run();
        });
        viewModel.connectionProperty().subscribe((old, now) -> {
            picked[0] = -1;
            auditTable.getSelectionModel().clearSelection();
            tell.run();
        });
        // The audit is refilled as it changes: the picked entry is picked again in the new list.
        auditTable.getItems().addListener((javafx.collections.ListChangeListener<AuditEntry>) change -> {
            for (int i = 0; i < auditTable.getItems().size(); i++) {
                if (auditTable.getItems().get(i).sequence() == picked[0]) {
                    auditTable.getSelectionModel().select(i);
                    break;
                }
            }
            tell.run();
        });
        tell.run();
        return why;
    }

    /**
     * An audit entry's reason whole, after when, who and what: "Why this change was made (05:19, guardrail:sentiment-guard,
     * flag.rollback): ...".
     */
    private String auditWhy(String which, AuditEntry e) {
        String reason = e.reason() == null || e.reason().isBlank() ? "no reason was given." : e.reason();
        return "Why " + which + " was made (" + times.format(e.atMillis()) + ", " + e.actor() + ", " + e.action() + "): "
                + reason + (reason.endsWith(".") ? "" : ".");
    }

    /**
     * While a change the node refused as based on an old version is kept: apply it on the version the flag is at
     * now (the prompt asks again, with its reason as typed), edit its weights first, or discard it.
     */
    private Node draftBar() {
        Button apply = new Button();
        apply.setId("draft-apply");
        Button edit = new Button("Edit mine…");
        edit.setId("draft-edit");
        Button discard = new Button("Discard mine");
        discard.setId("draft-discard");
        HBox bar = new HBox(8, apply, edit, discard);
        bar.setId("draft-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.managedProperty().bind(bar.visibleProperty());
        viewModel.draftProperty().subscribe(d -> {
            bar.setVisible(d != null && viewModel.allowsChanges());
            apply.setText(d == null || d.now() == null ? "Apply mine…" : "Apply mine on v" + d.now().version() + "…");
            apply.setDisable(d == null || d.now() == null);
            edit.setDisable(d == null || d.now() == null);
        });
        apply.setOnAction(e -> {
            FlagsViewModel.Draft d = viewModel.draftProperty().get();
            if (d != null && d.now() != null && permitted.permits(viewModel::refuse)) {
                prompter.ask(viewModel.draftQuestion(d), reason -> viewModel.applyDraft(d, d.weights(), reason));
            }
        });
        edit.setOnAction(e -> {
            FlagsViewModel.Draft d = viewModel.draftProperty().get();
            if (d != null && d.now() != null && permitted.permits(viewModel::refuse)) {
                WeightsForm.show(overlays, "Your weights for " + d.key() + " (now v" + d.now().version() + ")", d.weights(),
                        d.now().controlVariant(), weights -> prompter.ask(viewModel.draftQuestion(
                                new FlagsViewModel.Draft(d.key(), d.basedOn(), weights, d.reason(), d.now())),
                                reason -> viewModel.applyDraft(d, weights, reason)));
            }
        });
        discard.setOnAction(e -> viewModel.discardDraft());
        return bar;
    }

    /**
     * Person, flag and kind filters over the audit (the edge filters; blank is everything), and where
     * the edge has its own export, a file and Export: the node's JSON lines of the filtered entries.
     */
    private Node auditFilters() {
        ComboBox<String> person = filterBox("audit-person", "person: anyone", viewModel.people(), viewModel.personFilterProperty());
        ComboBox<String> flag = filterBox("audit-flag", "flag: any", viewModel.targets(), viewModel.flagFilterProperty());
        ComboBox<String> kind = filterBox("audit-kind", "kind: any", viewModel.kinds(), viewModel.kindFilterProperty());
        Button clear = new Button("All entries");
        clear.setId("audit-clear");
        clear.setOnAction(e -> {
            person.setValue("");
            flag.setValue("");
            kind.setValue("");
        });
        HBox bar = new HBox(8, whole(new Label("Filter")), person, flag, kind, whole(clear));
        bar.setAlignment(Pos.CENTER_LEFT);
        if (viewModel.offersExport()) {
            TextField file = new TextField(FlagsViewModel.DEFAULT_EXPORT);
            java.nio.file.Path home = java.nio.file.Path.of(System.getProperty("user.home"));
            file.setId("audit-export-path");
            file.setPrefColumnCount(22);
            HBox.setHgrow(file, Priority.ALWAYS);
            Button choose = new Button("Choose…");
            choose.setOnAction(e -> {
                javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
                chooser.setTitle("Export the audit as JSON lines");
                chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("JSON lines", "*.jsonl"));
                java.nio.file.Path now = FlagsViewModel.exportFile(file.getText().isBlank() ? "audit.jsonl" : file.getText().strip(), home);
                if (now.toAbsolutePath().getParent() != null && java.nio.file.Files.isDirectory(now.toAbsolutePath().getParent())) {
                    chooser.setInitialDirectory(now.toAbsolutePath().getParent().toFile());
                }
                chooser.setInitialFileName(now.getFileName().toString());
                java.io.File picked = chooser.showSaveDialog(root.getScene().getWindow());
                if (picked != null) {
                    file.setText(picked.getPath());
                }
            });
            Button export = new Button("Export");
            export.setId("audit-export");
            export.setTooltip(new Tooltip("Saves the node's own export of the entries the filters keep, one JSON object a line"));
            export.disableProperty().bind(file.textProperty().map(String::isBlank));
            export.setOnAction(e -> viewModel.exportAudit(FlagsViewModel.exportFile(file.getText().strip(), home)));
            file.setMinWidth(120);
            bar.getChildren().addAll(whole(new Label("Export to")), file, whole(choose), whole(export));
        }
        return bar;
    }

    /** A label or button that is never cut short: the path field gives way instead. */
    private static <T extends javafx.scene.layout.Region> T whole(T control) {
        control.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return control;
    }

    /** An editable choice that filters the audit as soon as it is picked or typed (Enter). */
    private ComboBox<String> filterBox(String id, String prompt, javafx.collections.ObservableList<String> choices,
                                       javafx.beans.property.StringProperty filter) {
        ComboBox<String> box = new ComboBox<>(choices);
        box.setId(id);
        box.setEditable(true);
        box.setPromptText(prompt);
        box.setPrefWidth(180);
        box.setMinWidth(120);
        // The box lives as long as this view: the listener needs no removal.
        box.valueProperty().subscribe((old, now) -> {
            String value = now == null ? "" : now.strip();
            if (!value.equals(filter.get())) {
                filter.set(value);
                viewModel.refreshAudit();
            }
        });
        return box;
    }

    /** The versions of a flag, newest first, each with "Restore" where the console may change the show. */
    private void showHistory(FlagRow row) {
        viewModel.loadHistory(row.key());
        TableView<FlagVersion> versions = new TableView<>(viewModel.history());
        versions.setId("history-table");
        versions.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        versions.setFixedCellSize(52);
        versions.setPrefSize(1000, 52 * 6 + 40);
        versions.setPlaceholder(new Label("asking the edge…"));
        Tables.column(versions, "Version", 80, v -> "v" + v.version() + (v.killed() ? "\nkilled" : ""));
        Tables.column(versions, "When", 110, v -> times.format(v.atMillis()));
        Tables.column(versions, "Who / action", 190, v -> v.actor() + "\n" + v.action());
        Tables.column(versions, "Weights · scope", 300, v -> FlagRules.describe(v.variants()) + "\n" + PopIds.scope(v.scope()));
        Tables.column(versions, "Why", 260, FlagVersion::reason);
        TableColumn<FlagVersion, FlagVersion> restore = Tables.column(versions, "", 120, v -> v);
        restore.setCellFactory(c -> new RestoreCell(row));
        Label heading = new Label("History of " + row.key());
        heading.getStyleClass().add(StyleClasses.PROMPT_TITLE);
        Label status = new Label();
        status.setId("history-message");
        status.textProperty().bind(viewModel.historyMessageProperty());
        Button close = new Button("Close");
        close.setId("history-close");
        close.setCancelButton(true);
        HBox buttons = new HBox(close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(12, heading, status, versions, buttons);
        card.getStyleClass().add(StyleClasses.PROMPT_CARD);
        card.setMaxSize(1080, VBox.USE_PREF_SIZE);
        StackPane backdrop = new StackPane(card);
        backdrop.setId("history");
        backdrop.getStyleClass().add(StyleClasses.OVERLAY_BACKDROP);
        Runnable hide = () -> overlays.hideOverlay(backdrop);
        backdrop.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                hide.run();
            }
        });
        close.setOnAction(e -> hide.run());
        historyHide = hide;
        overlays.showOverlay(backdrop);
    }

    private Runnable historyHide = () -> { };

    /**
     * "Restore" on every version but the newest (the one the flag is at) and those whose weights and
     * scope are the flag's now, where the console may change the show.
     */
    private final class RestoreCell extends TableCell<FlagVersion, FlagVersion> {
        private final FlagRow row;
        private final Button restore = new Button();

        RestoreCell(FlagRow row) {
            this.row = row;
            restore.setOnAction(e -> {
                FlagVersion v = getItem();
                FlagRow now = viewModel.row(row.key());
                historyHide.run();
                prompter.ask(viewModel.restoreQuestion(now, v), reason -> viewModel.restore(now, v, reason));
            });
        }

        @Override
        protected void updateItem(FlagVersion v, boolean empty) {
            super.updateItem(v, empty);
            FlagRow now = empty || v == null ? null : viewModel.row(row.key());
            if (now == null) {
                setGraphic(null);
                return;
            }
            // The history's newest version is the flag's current one: read from the list itself, so a
            // history that arrives before the flag's row catches up still offers the right versions.
            long newest = getTableView().getItems().stream().mapToLong(FlagVersion::version).max().orElse(now.version());
            if (v.version() == newest) {
                Label current = new Label("now");
                current.getStyleClass().add(StyleClasses.MUTED);
                setGraphic(current);
            } else if (v.variants().equals(now.flag().variants()) && java.util.Objects.equals(v.scope(), now.flag().scope())) {
                // a kill or unkill since leaves the weights and scope as they were: restoring them would
                // change nothing, and the node refuses a change that changes nothing
                Label same = new Label("same as now");
                same.getStyleClass().add(StyleClasses.MUTED);
                setGraphic(same);
            } else if (viewModel.allowsChanges() && mayChange()) {
                restore.setText("Restore v" + v.version());
                restore.setId("restore-v" + v.version());
                setGraphic(restore);
            } else {
                setGraphic(null);
            }
        }
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

    private static Tooltip notConnectedTip() {
        return new Tooltip(NOT_CONNECTED);
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
        if (!online) {
            viewModel.refuse(NOT_CONNECTED);
            return;
        }
        FlagRow row = viewModel.selectedOrFirst();
        if (row != null && !row.killed()) {
            askKill(row, true);
        }
    }

    /** "→ killed" on its own line, then the whole before and after; the whole only where nothing but the version changed. */
    /**
     * An audit entry's target as the Target column shows it: a flag and its variant with spaces about the slash, as
     * the Guardrails tab writes them, so a long pair breaks between them rather than inside a word.
     */
    static String auditTarget(String target) {
        return target.replace("/", " / ");
    }

    /** What an audit entry changed, then the whole of it; once where the change is the whole (every word changed). */
    static String auditChange(String before, String after) {
        String changed = FlagRules.whatChanged(before, after);
        String whole = before + " → " + after;
        return changed.isEmpty() || changed.equals(whole) ? whole : changed + "\n" + whole;
    }

    /** The weights form; "Next" checks the sum and asks for the reason. */
    private void editWeights(FlagRow row) {
        WeightsForm.show(overlays, "Weights of " + row.key(), row.flag().variants(), row.flag().controlVariant(),
                weights -> prompter.ask(viewModel.weightsQuestion(row, weights), reason -> viewModel.setWeights(row, weights, reason)));
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
        private final Label note = new Label();
        private final VBox box = new VBox(4, toggle, note);
        private boolean updating;

        SwitchCell() {
            note.getStyleClass().add(StyleClasses.MUTED);
            note.setWrapText(true);
            note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            // The cell lives as long as its table: the binding needs no removal.
            note.prefWidthProperty().bind(widthProperty().subtract(12));
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
                setGraphic(empty || row == null ? null : new Label(row.killed() ? FlagRules.switchNote(row.flag()) : "weights"));
                return;
            }
            note.setText(FlagRules.switchNote(row.flag()));
            note.setId("switch-note-" + row.key());
            updating = true;
            toggle.setSelected(row.on());
            updating = false;
            toggle.setDisable(row.killed() || !mayChange() || !online);
            toggle.setId("switch-" + row.key());
            setTooltip(!mayChange() ? refusalTip() : online ? null : notConnectedTip());
            setGraphic(box);
        }
    }

    /**
     * The weights; under them, in amber, what they do not say is served (a variant rolled back at some
     * PoPs, or paused), with what undoes it while the operator may change flags (Serve again while a
     * variant is rolled back at some PoPs, Resume while one is paused; both disabled, the cell saying why,
     * while the node does not answer), and what waits for approval while a change of the flag is held.
     */
    private final class VariantsCell extends TableCell<FlagRow, FlagRow> {
        private final Label weights = new Label();
        private final Button serveAgain = new Button("Serve again…");
        private final Label overrides = new Label();
        private final Label held = new Label();
        private final Button resume = new Button("Resume…");
        private final HBox undo = new HBox(4, serveAgain, resume);
        private final VBox box = new VBox(2, weights, overrides, undo, held);
        private String shownKey;

        VariantsCell() {
            undo.setAlignment(Pos.CENTER_LEFT);
            // The split wraps between variants, never inside one ("friendly 33.33%" stays whole on its line), where the
            // column is too narrow for all of them on one line; still too long, it ends in "…", whole in the tooltip.
            weights.setWrapText(true);
            weights.setMinWidth(0);
            weights.prefWidthProperty().bind(widthProperty().subtract(16));
            undo.managedProperty().bind(undo.visibleProperty());
            for (Button b : List.of(serveAgain, resume)) {
                b.setStyle("-fx-padding: 1 4 1 4;");
                b.managedProperty().bind(b.visibleProperty());
            }
            resume.setOnAction(e -> {
                FlagRow row = shownKey == null ? null : viewModel.row(shownKey);
                if (row != null && permitted.permits(viewModel::refuse)) {
                    prompter.ask(viewModel.resumeQuestion(row), reason -> viewModel.resume(row, reason));
                }
            });
            serveAgain.setOnAction(e -> {
                FlagRow row = shownKey == null ? null : viewModel.row(shownKey);
                if (row != null && permitted.permits(viewModel::refuse)) {
                    prompter.ask(viewModel.rollbackClearQuestion(row), reason -> viewModel.clearRollbacks(row, reason));
                }
            });
            for (Label note : List.of(overrides, held)) {
                note.getStyleClass().add(io.edgedeck.console.common.Status.WARN.styleClass());
                note.setWrapText(true);
                note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
                // The cell lives as long as its table: the binding needs no removal.
                note.prefWidthProperty().bind(widthProperty().subtract(16));
                note.managedProperty().bind(note.visibleProperty());
            }
        }

        @Override
        protected void updateItem(FlagRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            shownKey = row.key();
            weights.setText(row.variants().replace(' ', '\u00A0').replace("\u00A0·\u00A0", "\u00A0· "));
            serveAgain.setId("serve-again-" + row.key());
            serveAgain.setVisible(viewModel.allowsChanges() && mayChange() && viewModel.offersRollbackClear(row));
            resume.setId("resume-" + row.key());
            resume.setVisible(viewModel.allowsChanges() && mayChange() && viewModel.offersResume(row));
            for (Button b : List.of(serveAgain, resume)) {
                // A disabled button shows no tooltip of its own: the cell's says why.
                b.setDisable(!online);
                b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            }
            undo.setVisible(serveAgain.isVisible() || resume.isVisible());
            overrides.setText(row.overrides() == null ? "" : row.overrides());
            overrides.setId("overrides-" + row.key());
            overrides.setVisible(row.overrides() != null);
            held.setText(row.held() == null ? "" : row.held());
            held.setId("held-" + row.key());
            held.setVisible(row.held() != null);
            boolean offered = serveAgain.isVisible() || resume.isVisible();
            setTooltip(new Tooltip(row.variants() + (row.overrides() == null ? "" : "\n" + row.overrides())
                    + (row.held() == null ? "" : "\n" + row.held()) + (offered && !online ? "\n" + NOT_CONNECTED : "")));
            setGraphic(box);
        }
    }

    private final class ActionsCell extends TableCell<FlagRow, FlagRow> {
        private final Button kill = new Button();
        private final Button weights = new Button("Weights…");
        private final Button history = new Button("History…");
        private final HBox box = new HBox(8, kill, weights);
        private final Label viewOnly = new Label("view only");
        private final HBox viewOnlyBox = new HBox(8, viewOnly);

        ActionsCell() {
            box.setAlignment(Pos.CENTER_LEFT);
            viewOnlyBox.setAlignment(Pos.CENTER_LEFT);
            kill.setOnAction(e -> withShown(row -> askKill(row, !row.killed())));
            weights.setOnAction(e -> withShown(FlagsView.this::editWeights));
            history.setOnAction(e -> withShown(FlagsView.this::showHistory));
            if (viewModel.offersHistory()) {
                box.getChildren().add(history);
            }
        }

        /**
         * The flag this cell's buttons were drawn for, as the table holds it now: a frame may refresh
         * the rows between the drawing and the click, leaving the cell empty for a moment.
         */
        private void withShown(java.util.function.Consumer<FlagRow> action) {
            FlagRow row = shownKey == null ? null : viewModel.row(shownKey);
            if (row != null) {
                action.accept(row);
            }
        }

        private String shownKey;

        @Override
        protected void updateItem(FlagRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            shownKey = row.key();
            history.setId("history-" + row.key());
            if (!viewModel.allowsChanges() || !mayChange()) {
                viewOnly.getStyleClass().setAll("label", StyleClasses.MUTED);
                viewOnly.setId("view-only-" + row.key());
                viewOnly.setVisible(viewModel.allowsChanges());
                viewOnly.setManaged(viewModel.allowsChanges());
                if (viewModel.offersHistory() && !viewOnlyBox.getChildren().contains(history)) {
                    viewOnlyBox.getChildren().add(history);
                }
                setTooltip(viewModel.allowsChanges() ? refusalTip() : null);
                setGraphic(viewOnlyBox);
                return;
            }
            if (!box.getChildren().contains(history) && viewModel.offersHistory()) {
                box.getChildren().add(history);
            }
            // A disabled button shows no tooltip: the cell says why.
            setTooltip(online ? null : notConnectedTip());
            kill.setDisable(!online);
            kill.setText(row.killed() ? "Revive" : "Kill");
            kill.setId("kill-" + row.key());
            weights.setId("weights-" + row.key());
            kill.getStyleClass().remove(StyleClasses.DANGER_BUTTON);
            if (!row.killed()) {
                kill.getStyleClass().add(StyleClasses.DANGER_BUTTON);
            }
            weights.setDisable(row.killed() || !online);
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

    /**
     * Offers Kill, Weights… and the switch only while the node answers: a change asked of a node that cannot
     * hear it would only be refused after its reason was typed. They come back when the node does.
     */
    @Override
    public void connectionOnline(boolean online) {
        viewModel.connectionChanged();
        if (this.online != online) {
            boolean wasHeard = heard();
            this.online = online;
            showHeard(wasHeard);
        }
    }

    private static final String WAITING_FOR_FLAGS = "Waiting for the first frame's flags";
    private static final String NO_CHANGES = "No changes yet";

    private static Label placeholder(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        return label;
    }

    /**
     * {@code why} the node will not let this console read anything (its token refused), or empty: the empty flag list and
     * audit log then say they could not be read, not that there is nothing in them. FX thread.
     */
    public void notReadable(String why) {
        table.setPlaceholder(placeholder(why.isEmpty() ? WAITING_FOR_FLAGS
                : "The flags could not be read: the node did not let this token in (see above)"));
        auditTable.setPlaceholder(placeholder(why.isEmpty() ? NO_CHANGES
                : "The audit log could not be read: the node did not let this token in (see above)"));
    }

    /**
     * Marks what the frames said (propagation) stale while they are late, as the dashboard's tiles are, even
     * while the connection stands (a stalled node answers no frames but may still take a kill, so the actions
     * stay offered). FX thread.
     */
    public void framesStale(boolean stale) {
        if (this.framesStale != stale) {
            boolean wasHeard = heard();
            this.framesStale = stale;
            showHeard(wasHeard);
        }
    }

    /** Whether the node's frames are current: connected, and not late. */
    private boolean heard() {
        return online && !framesStale;
    }

    private void showHeard(boolean wasHeard) {
        if (wasHeard && !heard()) {
            // stale from the last frame heard, as the status bar's "last frame" says
            long last = times.lastFrameWallMillis();
            staleSinceMillis = last > 0 ? last : System.currentTimeMillis();
        }
        table.refresh();
    }

    /**
     * How far the flag has spread, as the node last said; while the node or its frames are not heard, marked as what it was
     * then ("stale since 23:05:12 UTC · was live at all 3 PoPs"), as it may have changed since.
     */
    private String propagation(FlagRow row) {
        // The last frame's time as the clock has it now, the one the status bar's "last frame" reads.
        long last = times.lastFrameWallMillis();
        return heard() ? row.propagation()
                : "stale since " + WallClock.format(last > 0 ? last : staleSinceMillis) + " · was " + row.propagation();
    }

    /** Shows times by {@code clock}: the console's, which the frame ticker feeds. FX thread. */
    public void showTimesBy(io.edgedeck.console.common.ShowClock clock) {
        times = clock;
        auditTable.refresh();
    }

    @Override
    public void dispose() {
        permitted.dispose();
        viewModel.dispose();
    }

    public FlagsViewModel viewModel() {
        return viewModel;
    }
}
