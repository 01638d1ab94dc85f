package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.OverlayHost;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.connection.ConnectionStatusViewModel;
import io.edgedeck.console.dashboard.DashboardViewModel;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

import java.util.List;

/**
 * The main window's content: the mode banner (LIVE red, REHEARSAL teal) with the show clock, one
 * tab per feature, and a status bar with totals and staleness.
 */
public final class MainWindow extends StackPane implements OverlayHost {
    private final TabPane tabs = new TabPane();
    private final HBox bannerExtras = new HBox(12);
    private final HBox statusBar;
    private final Label target = new Label();
    private final Label notice = new Label();

    public MainWindow(EdgeConnection connection, DashboardViewModel dashboardModel, Palette palette, List<Feature> features) {
        BorderPane layout = new BorderPane();

        boolean live = connection.mode() == ConnectionMode.LIVE;
        Label mode = new Label(live ? "LIVE" : "REHEARSAL");
        mode.getStyleClass().add(StyleClasses.MODE_NAME);
        mode.setId("mode-name");
        target.setText(connection.target());
        target.setId("mode-target");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label clock = new Label();
        clock.setId("show-clock");
        clock.textProperty().bind(dashboardModel.clockProperty());
        HBox banner = new HBox(mode, target, spacer, bannerExtras, clock);
        banner.getStyleClass().addAll(StyleClasses.MODE_BANNER, live ? StyleClasses.LIVE : StyleClasses.REHEARSAL);
        layout.setTop(banner);

        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (Feature f : features) {
            Tab tab = new Tab(f.title(), f.view());
            tab.setId("tab-" + f.title().toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
            tab.setUserData(f);
            tabs.getTabs().add(tab);
        }
        // The tab pane lives as long as this window, so the listener needs no removal.
        tabs.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null && now.getUserData() instanceof Feature f) {
                f.onShown();
            }
        });
        layout.setCenter(tabs);

        Label totals = new Label();
        totals.setId("totals");
        totals.textProperty().bind(dashboardModel.totalsProperty());
        Label stale = new Label();
        stale.getStyleClass().add(StyleClasses.STALE_WARNING);
        stale.textProperty().bind(dashboardModel.staleMessageProperty());
        notice.setId("notice");
        notice.getStyleClass().add(StyleClasses.NOTICE);
        notice.setWrapText(true);
        statusBar = new HBox(totals, stale, notice);
        statusBar.getStyleClass().add(StyleClasses.STATUS_BAR);
        layout.setBottom(statusBar);

        getStyleClass().addAll(StyleClasses.MAIN_WINDOW, live ? StyleClasses.LIVE : StyleClasses.REHEARSAL);
        bannerExtras.setAlignment(javafx.geometry.Pos.CENTER);
        getChildren().addAll(palette.probes(), layout);
    }

    /** Shows the connection's state in the status bar: online, reconnecting and why, offline. FX thread. */
    public void showConnectionStatus(ConnectionStatusViewModel connectionStatus) {
        Label label = new Label();
        label.setId("connection-status");
        label.textProperty().bind(connectionStatus.textProperty());
        connectionStatus.onlineProperty().subscribe(online -> label.pseudoClassStateChanged(DISCONNECTED, !online));
        statusBar.getChildren().addFirst(label);
    }

    /** Adds a label to the end of the status bar (what feeds the node, on a live connection). FX thread. */
    public void addToStatusBar(Node label) {
        statusBar.getChildren().add(label);
    }

    private static final javafx.css.PseudoClass DISCONNECTED = javafx.css.PseudoClass.getPseudoClass("disconnected");

    public TabPane tabs() {
        return tabs;
    }

    /** Selects the tab of a feature by its title. FX thread. */
    public void show(String featureTitle) {
        tabs.getTabs().stream().filter(t -> t.getText().equals(featureTitle)).findFirst()
                .ifPresent(t -> tabs.getSelectionModel().select(t));
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
