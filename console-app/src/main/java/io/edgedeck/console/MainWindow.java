package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.OverlayHost;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.connection.ActingAs;
import io.edgedeck.console.connection.ConnectionStatusViewModel;
import io.edgedeck.console.dashboard.DashboardViewModel;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The main window's content: the mode banner (LIVE red, REHEARSAL teal, OFFLINE BUNDLE violet) with
 * the show clock, one tab per feature, and a status bar with totals and staleness.
 */
public final class MainWindow extends StackPane implements OverlayHost {
    private final TabPane tabs = new TabPane();
    private final HBox bannerExtras = new HBox(12);
    private final FlowPane statusBar = new FlowPane();
    private final Label target = new Label();
    private final Label notice = new Label();
    private final Label clock = new Label();
    private final ConnectionMode environment;
    private final BorderPane layout = new BorderPane();
    /** Puts the clock, and what the banner points at, on the banner's line or lines of their own: every layout pass. */
    private final Runnable arrangeBanner;

    public MainWindow(EdgeConnection connection, DashboardViewModel dashboardModel, Palette palette, List<Feature> features) {

        ConnectionMode connectionMode = connection.mode();
        this.environment = connectionMode;
        Label mode = new Label(switch (connectionMode) {
            case LIVE -> "LIVE";
            case REHEARSAL -> "REHEARSAL";
            case OFFLINE -> "OFFLINE BUNDLE";
        });
        String modeClass = switch (connectionMode) {
            case LIVE -> StyleClasses.LIVE;
            case REHEARSAL -> StyleClasses.REHEARSAL;
            case OFFLINE -> StyleClasses.OFFLINE;
        };
        mode.getStyleClass().add(StyleClasses.MODE_NAME);
        mode.setId("mode-name");
        // Which environment a click hits is never cut short; what it points at may be, and is then a hover away.
        mode.setMinWidth(Region.USE_PREF_SIZE);
        target.setText(connection.target());
        target.setId("mode-target");
        target.setMinWidth(60);
        Tooltip targetTip = new Tooltip();
        targetTip.textProperty().bind(target.textProperty());
        target.setTooltip(targetTip);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        clock.setId("show-clock");
        clock.textProperty().bind(dashboardModel.clockProperty());
        clock.setMinWidth(Region.USE_PREF_SIZE);
        HBox banner = new HBox(mode, target, spacer, bannerExtras, clock);
        if (!connectionMode.allowsChanges()) {
            // What a bundle is, said whole, in two phrases that each stay on one line: where the banner is too narrow
            // for both on one line, the second takes a line of its own, so no word is ever left alone on a line.
            FlowPane readOnly = new FlowPane(6, 0) {
                /** Both phrases on one line wherever they fit; the pane's least width is its wider phrase's. */
                @Override
                protected double computePrefWidth(double height) {
                    double width = snappedLeftInset() + snappedRightInset() + getHgap() * Math.max(0, getManagedChildren().size() - 1);
                    for (Node phrase : getManagedChildren()) {
                        width += phrase.prefWidth(-1);
                    }
                    return width;
                }
            };
            readOnly.setId("mode-read-only");
            for (String phrase : READ_ONLY_NOTE) {
                Label said = new Label(phrase);
                said.getStyleClass().add(StyleClasses.MODE_NOTE);
                said.setMinWidth(Region.USE_PREF_SIZE);
                readOnly.getChildren().add(said);
            }
            VBox what = new VBox(0, target, readOnly);
            HBox.setHgrow(what, Priority.SOMETIMES);
            banner.getChildren().set(1, what);
        }
        banner.getStyleClass().addAll(StyleClasses.MODE_BANNER, modeClass);
        // Where the window is too narrow for the banner on one line, the show's clock, and then what the banner points
        // at (an offline bundle's note), take lines of their own under it, in the banner's colour: the clock is never
        // pushed off the window, and wraps rather than being cut.
        VBox below = new VBox(2);
        below.getStyleClass().addAll(StyleClasses.MODE_BANNER, StyleClasses.MODE_BANNER_BELOW, modeClass);
        below.setFillWidth(true);
        below.setVisible(false);
        below.setManaged(false);
        clock.setAlignment(javafx.geometry.Pos.CENTER_RIGHT);
        clock.setTextAlignment(javafx.scene.text.TextAlignment.RIGHT);
        Node pointedAt = banner.getChildren().get(1);
        VBox top = new VBox(banner, below) {
            /** As narrow as the banner gets with its clock, and what it points at, on lines of their own. */
            @Override
            protected double computeMinWidth(double height) {
                return narrowestBanner(banner, below, pointedAt);
            }
        };
        // Arranged in the layout pass, before the window lays out its content (layoutChildren): a new width or a clock
        // text that no longer fits moves the clock in the same pulse that draws them, never one pulse later.
        arrangeBanner = () -> arrangeBanner(bannerWidth(top), banner, below, pointedAt);
        layout.setTop(top);

        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (Feature f : features) {
            // Only the first tab's view joins the scene now: a tab pane styles and lays out every tab's
            // content, shown or not, so the others join when first selected and the window opens sooner.
            Tab tab = new Tab(f.title(), tabs.getTabs().isEmpty() ? f.view() : null);
            tab.setId("tab-" + f.title().toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
            tab.setUserData(f);
            tabs.getTabs().add(tab);
        }
        // The tab pane lives as long as this window, so the listener needs no removal.
        tabs.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null && now.getUserData() instanceof Feature f) {
                if (now.getContent() == null) {
                    now.setContent(f.view());
                }
                f.onShown();
            }
        });
        layout.setCenter(tabs);

        Label totals = statusText("totals");
        totals.textProperty().bind(dashboardModel.totalsProperty());
        Label stale = statusText("stale-message");
        stale.getStyleClass().add(StyleClasses.STALE_WARNING);
        stale.textProperty().bind(dashboardModel.staleMessageProperty());
        statusText(notice, "notice");
        notice.getStyleClass().add(StyleClasses.NOTICE);
        // A status bar that wraps rather than cutting a sentence short; each text is also its own tooltip.
        statusBar.getChildren().addAll(totals, stale, notice);
        statusBar.getStyleClass().add(StyleClasses.STATUS_BAR);
        statusBar.prefWrapLengthProperty().bind(widthProperty());
        // A flow pane's own min width is its widest child's whole text, which would widen the window:
        // it takes the window's width instead, and each text in it is cut short to fit (fitInStatusBar).
        statusBar.setMinWidth(0);
        layout.setBottom(statusBar);

        getStyleClass().addAll(StyleClasses.MAIN_WINDOW, modeClass);
        bannerExtras.setAlignment(javafx.geometry.Pos.CENTER);
        getChildren().addAll(palette.probes(), layout);
    }

    private Label statusText(String id) {
        return statusText(new Label(), id);
    }

    /** A status bar text: whole, wrapped within the window if it must be, and readable again as a tooltip. */
    private Label statusText(Label label, String id) {
        label.setId(id);
        label.setWrapText(true);
        fitInStatusBar(label);
        label.managedProperty().bind(label.textProperty().isNotEmpty());
        label.visibleProperty().bind(label.managedProperty());
        Tooltip tip = new Tooltip();
        tip.setWrapText(true);
        tip.setMaxWidth(600);
        tip.textProperty().bind(label.textProperty());
        label.setTooltip(tip);
        return label;
    }

    /** Shows the connection's state in the status bar: online, reconnecting and why, offline. FX thread. */
    public void showConnectionStatus(ConnectionStatusViewModel connectionStatus) {
        Label label = statusText("connection-status");
        label.textProperty().bind(connectionStatus.textProperty());
        // A bundle is offline by nature, not by fault: only a connection that should be heard from goes red.
        connectionStatus.onlineProperty().subscribe(online -> label.pseudoClassStateChanged(DISCONNECTED,
                !online && environment.allowsChanges()));
        // A node that resumed from its journal alone after a restart: its sessions and counters are new since then.
        Label restarted = statusText("restart-notice");
        restarted.getStyleClass().add(StyleClasses.RESTART_NOTICE);
        restarted.textProperty().bind(connectionStatus.restartProperty());
        restarted.getTooltip().textProperty().bind(connectionStatus.restartWhyProperty());
        statusBar.getChildren().addFirst(restarted);
        statusBar.getChildren().addFirst(label);
        // What is wrong with the node itself, in the banner where nobody misses it: read-only (amber), failed (red).
        Label problem = new Label();
        problem.setId("node-problem");
        problem.getStyleClass().add(StyleClasses.NODE_PROBLEM);
        problem.setWrapText(true);
        problem.textProperty().bind(connectionStatus.nodeProblemProperty());
        problem.visibleProperty().bind(connectionStatus.nodeProblemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        connectionStatus.nodeFailedProperty().subscribe(failed -> problem.pseudoClassStateChanged(FAILED, failed));
        Tooltip full = new Tooltip();
        full.textProperty().bind(connectionStatus.nodeProblemProperty());
        problem.setTooltip(full);
        bannerExtras.getChildren().addFirst(problem);
        // A node that will not let this token in: one message across the window, above every tab, naming the token
        // file, the cause and what fixes it; only the tabs the key can still fill stay below it.
        Label refused = new Label();
        refused.setId("token-refused");
        refused.getStyleClass().add(StyleClasses.TOKEN_REFUSED);
        refused.setWrapText(true);
        refused.setMaxWidth(Double.MAX_VALUE);
        // All of it, on as many lines as it takes: the cause and the remedy are at its end.
        refused.setMinHeight(Region.USE_PREF_SIZE);
        refused.textProperty().bind(connectionStatus.refusalProperty());
        refused.visibleProperty().bind(connectionStatus.refusalProperty().isNotEmpty());
        refused.managedProperty().bind(refused.visibleProperty());
        // Nor does the show's clock wait for a first frame that will not come: it says why there is none.
        connectionStatus.refusalProperty().subscribe(refusal -> {
            if (!refusal.isEmpty()) {
                clock.textProperty().unbind();
                clock.setText(connectionStatus.readKeyProperty().get() || connectionStatus.ingestKeyProperty().get()
                        ? NO_CLOCK_KEY : NO_CLOCK_NOT_LET_IN);
            }
        });
        layout.setCenter(new VBox(refused, tabs));
        VBox.setVgrow(tabs, Priority.ALWAYS);
        // On a key that may not read the show, only the tabs that key can fill: the rest could show nothing and change
        // nothing. The window lives as long as the console: the subscription needs no removal.
        onKeyThatMayNotReadTheShow(connectionStatus, kept -> {
            this.kept = kept;
            tabs.getTabs().removeIf(t -> !(t.getUserData() instanceof Feature f) || !kept.contains(f.title()));
            // and the status lines of the tabs that went (the change requests', the sources'), reads this key never gets.
            statusBar.getChildren().removeIf(n -> !keeps(n));
        });
    }

    /**
     * The banner on one line where {@code width} holds it, the clock at its whole width at the end; else the clock on a
     * line of its own under it, wrapping, and where even the rest does not fit, what the banner points at ({@code
     * pointedAt}: the target, or an offline bundle's note) on a line between them. FX thread.
     */
    private void arrangeBanner(double width, HBox banner, VBox below, Node pointedAt) {
        if (width <= 0) {
            return;
        }
        java.util.List<Node> row = new java.util.ArrayList<>(banner.getChildren());
        row.remove(clock);
        row.remove(pointedAt);
        // The row's least width without the clock and what it points at: its insets, the rest's least widths, the gaps.
        double rest = banner.snappedLeftInset() + banner.snappedRightInset();
        for (Node n : row) {
            rest += n.minWidth(-1);
        }
        double gap = banner.getSpacing();
        double withPointedAt = rest + pointedAt.minWidth(-1) + gap * row.size();
        // Hysteresis: a clock on the first line stays while it fits; one on its own line comes back only with room for
        // " · STALE" to spare, so a clock whose text grows and shrinks (STALE on and off, "up 59:59" to "up 1:00:00",
        // a state word) near the threshold does not move the tabs below up and down a line each time.
        double clockNeeds = withPointedAt + gap + clock.prefWidth(-1);
        boolean clockInRow = banner.getChildren().contains(clock) ? clockNeeds <= width
                : clockNeeds + clockSpare() <= width;
        boolean pointedAtInRow = clockInRow || withPointedAt <= width;
        java.util.List<Node> wanted = new java.util.ArrayList<>(row);
        if (pointedAtInRow) {
            wanted.add(1, pointedAt);
        }
        if (clockInRow) {
            wanted.add(clock);
        }
        java.util.List<Node> under = new java.util.ArrayList<>();
        if (!pointedAtInRow) {
            under.add(pointedAt);
        }
        if (!clockInRow) {
            under.add(clock);
        }
        clock.setWrapText(!clockInRow);
        clock.setMinWidth(clockInRow ? Region.USE_PREF_SIZE : clockWidestWord());
        if (wanted.equals(banner.getChildren()) && under.equals(below.getChildren())) {
            return;
        }
        clock.setMaxWidth(clockInRow ? Region.USE_PREF_SIZE : Double.MAX_VALUE);
        banner.getChildren().setAll(wanted);
        below.getChildren().setAll(under);
        below.setVisible(!under.isEmpty());
        below.setManaged(!under.isEmpty());
    }

    /**
     * Arranges the banner for the width this pass gives it, then lays the window out: whatever changed since the last
     * pass (the window's width, the clock's text, what the banner holds) is weighed before anything is placed.
     */
    @Override
    protected void layoutChildren() {
        arrangeBanner.run();
        super.layoutChildren();
    }

    /** The width {@code top} (the banner and the line under it) takes in this layout pass: the window's, less its insets. */
    private double bannerWidth(VBox top) {
        return getWidth() - snappedLeftInset() - snappedRightInset() - layout.snappedLeftInset() - layout.snappedRightInset()
                - top.snappedLeftInset() - top.snappedRightInset();
    }

    /** The room a clock coming back to the first line must have beyond its text: " · STALE" in its font. */
    private double clockSpare() {
        javafx.scene.text.Text spare = new javafx.scene.text.Text(" · STALE");
        spare.setFont(clock.getFont());
        return spare.getLayoutBounds().getWidth();
    }

    /** The banner's least width: its first line without the clock and what the banner points at, or either alone. */
    private double narrowestBanner(HBox banner, VBox below, Node pointedAt) {
        double insets = banner.snappedLeftInset() + banner.snappedRightInset();
        double rest = insets;
        int others = 0;
        for (Node n : banner.getChildren()) {
            if (n != clock && n != pointedAt) {
                rest += n.minWidth(-1);
                others++;
            }
        }
        rest += banner.getSpacing() * Math.max(0, others - 1);
        return Math.max(rest, insets + Math.max(pointedAt.minWidth(-1), clockWidestWord()));
    }

    /** The width of the clock's widest word, the least it wraps to without cutting a word. */
    private double clockWidestWord() {
        javafx.scene.text.Text word = new javafx.scene.text.Text();
        word.setFont(clock.getFont());
        double widest = 0;
        for (String w : (clock.getText() == null ? "" : clock.getText()).split("\\s+")) {
            word.setText(w);
            widest = Math.max(widest, word.getLayoutBounds().getWidth());
        }
        return Math.ceil(widest) + clock.snappedLeftInset() + clock.snappedRightInset();
    }

    /** What an offline bundle's banner says it is, in the phrases it wraps between. */
    static final List<String> READ_ONLY_NOTE = List.of("read-only: nothing here is live,", "and nothing changes an edge");

    /** The show clock's words on a key the node knows that may not read the show (its read key, its ingest key). */
    static final String NO_CLOCK_KEY = "no show clock: this key does not read the show";
    /** The show clock's words when the node did not let this console in: no frame comes to it. */
    static final String NO_CLOCK_NOT_LET_IN = "no show clock: not let in";

    /** The tabs a console connected with the node's read key keeps: what the diagnostic reads show, and Settings. */
    static final java.util.Set<String> READ_KEY_TABS = java.util.Set.of("Sources", "Triggers", "Settings");
    /**
     * The tab a console keeps on a key that reads nothing (a live node's ingest key, a token the node does not know or
     * revoked): Settings, this console's own.
     */
    static final java.util.Set<String> INGEST_KEY_TABS = java.util.Set.of("Settings");

    /**
     * Calls {@code keep} with the tabs a console keeps once the node says its key may not read the show: the read key's
     * ({@link #READ_KEY_TABS}), or those of the ingest key and of a token the node refuses ({@link #INGEST_KEY_TABS}). FX
     * thread; for as long as the console lives.
     */
    static void onKeyThatMayNotReadTheShow(ConnectionStatusViewModel connectionStatus, java.util.function.Consumer<java.util.Set<String>> keep) {
        connectionStatus.readKeyProperty().subscribe(readKey -> {
            if (readKey) {
                keep.accept(READ_KEY_TABS);
            }
        });
        // Keys that read nothing: a live node's ingest key, a token the node does not know or revoked.
        for (var readsNothing : List.of(connectionStatus.ingestKeyProperty(), connectionStatus.tokenRefusedProperty())) {
            readsNothing.subscribe(nothing -> {
                if (nothing) {
                    keep.accept(INGEST_KEY_TABS);
                }
            });
        }
    }

    /** Says who a LIVE console acts as, beside the connection's state; nothing in a rehearsal. FX thread. */
    public void showActingAs(ActingAs actingAs) {
        Label label = new Label();
        label.setId("acting-as");
        fitInStatusBar(label);
        label.textProperty().bind(actingAs.statusTextProperty());
        label.visibleProperty().bind(actingAs.statusTextProperty().isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        Tooltip why = new Tooltip();
        why.textProperty().bind(actingAs.refusalProperty());
        actingAs.refusalProperty().subscribe(text -> label.setTooltip(text.isEmpty() ? null : why));
        int afterConnection = statusBar.getChildren().isEmpty() ? 0 : 1;
        statusBar.getChildren().add(Math.min(afterConnection, statusBar.getChildren().size()), label);
    }

    private static final javafx.css.PseudoClass DISCONNECTED = javafx.css.PseudoClass.getPseudoClass("disconnected");
    private static final javafx.css.PseudoClass FAILED = javafx.css.PseudoClass.getPseudoClass("failed");

    public TabPane tabs() {
        return tabs;
    }

    /** Selects the tab of a feature by its title. FX thread. */
    public void show(String featureTitle) {
        tabs.getTabs().stream().filter(t -> t.getText().equals(featureTitle)).findFirst()
                .ifPresent(t -> tabs.getSelectionModel().select(t));
    }

    /**
     * Adds a control to the end of the status bar. A text there is cut short with an ellipsis rather
     * than widen the window, and keeps its whole text in a tooltip (its own, if it has one). FX thread.
     */
    public void addToStatusBar(Node node) {
        if (node instanceof Label label) {
            fitInStatusBar(label);
            if (label.getTooltip() == null) {
                Tooltip whole = new Tooltip();
                whole.setWrapText(true);
                whole.setMaxWidth(600);
                whole.textProperty().bind(label.textProperty());
                label.setTooltip(whole);
            }
        }
        if (!keeps(node)) {
            return;
        }
        statusBar.getChildren().add(node);
    }

    /** The status bar's lines that belong to a tab, by the tab: they go with it. */
    private static final java.util.Map<String, String> TAB_STATUS_LINES = java.util.Map.of("requests-status", "Requests",
            "sources-status", "Sources");
    /** The tabs this console keeps on a key that may not read the show; null while it offers every tab. FX thread. */
    private java.util.Set<String> kept;

    /** Whether the status bar keeps {@code node}: anything but the line of a tab not offered. */
    private boolean keeps(Node node) {
        // A line with no id is no tab's (Map.of answers a null key with an exception, not null).
        String tab = node.getId() == null ? null : TAB_STATUS_LINES.get(node.getId());
        return kept == null || tab == null || kept.contains(tab);
    }

    /**
     * A status bar holds its widest text in one row, so a text as wide as it likes would make the whole
     * window's content wider than the window (and the dashboard reflow, and the right edge go missing).
     */
    private void fitInStatusBar(Label label) {
        label.setMinWidth(0);
        label.maxWidthProperty().bind(widthProperty().subtract(40));
    }

    /** Room in the banner for always-visible controls (a rollback button, the connection state). */
    public HBox bannerExtras() {
        return bannerExtras;
    }

    /** Lays an overlay (help, a confirmation) over everything and gives it the keyboard. FX thread. */
    @Override
    public void showOverlay(Node overlay) {
        getChildren().add(overlay);
        overlay.requestFocus();
    }

    @Override
    public void hideOverlay(Node overlay) {
        getChildren().remove(overlay);
    }

    /** True while a prompt or the help lies over the window. */
    public boolean hasOverlay() {
        return getChildren().size() > 2;
    }

    /** Follows what the connection points at; a restarted rehearsal names its new show. FX thread. */
    public void bindTarget(javafx.beans.value.ObservableValue<String> text) {
        target.textProperty().bind(text);
    }

    /** A sentence in the status bar that stays until replaced (e.g. a settings file was unreadable). */
    public void showNotice(String text) {
        notice.setText(text == null ? "" : text);
    }
}
