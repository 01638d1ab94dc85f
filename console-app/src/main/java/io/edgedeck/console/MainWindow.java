package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.dashboard.DashboardView;
import io.edgedeck.console.dashboard.DashboardViewModel;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/**
 * The main window's content: the mode banner (LIVE red, REHEARSAL teal), the dashboard, and a
 * status bar with totals and staleness.
 */
public final class MainWindow extends StackPane {
    private final DashboardView dashboard;

    public MainWindow(EdgeConnection connection, DashboardViewModel dashboardModel, Palette palette) {
        BorderPane layout = new BorderPane();

        boolean live = connection.mode() == ConnectionMode.LIVE;
        Label mode = new Label(live ? "LIVE" : "REHEARSAL");
        mode.getStyleClass().add(StyleClasses.MODE_NAME);
        mode.setId("mode-name");
        Label target = new Label(connection.target());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label clock = new Label();
        clock.setId("show-clock");
        clock.textProperty().bind(dashboardModel.clockProperty());
        HBox banner = new HBox(mode, target, spacer, clock);
        banner.getStyleClass().addAll(StyleClasses.MODE_BANNER, live ? StyleClasses.LIVE : StyleClasses.REHEARSAL);
        layout.setTop(banner);

        dashboard = new DashboardView(dashboardModel, palette);
        ScrollPane scroll = new ScrollPane(dashboard);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(StyleClasses.DASHBOARD);
        layout.setCenter(scroll);

        Label totals = new Label();
        totals.setId("totals");
        totals.textProperty().bind(dashboardModel.totalsProperty());
        Label stale = new Label();
        stale.getStyleClass().add(StyleClasses.STALE_WARNING);
        stale.textProperty().bind(dashboardModel.staleMessageProperty());
        HBox status = new HBox(totals, stale);
        status.getStyleClass().add(StyleClasses.STATUS_BAR);
        layout.setBottom(status);

        getChildren().addAll(palette.probes(), layout);
    }

    public DashboardView dashboard() {
        return dashboard;
    }
}
