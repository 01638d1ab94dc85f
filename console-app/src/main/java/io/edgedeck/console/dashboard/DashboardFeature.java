package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.Palette;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;

/** The wall of tiles, as a tab. */
public final class DashboardFeature implements Feature {
    private final DashboardViewModel viewModel;
    private final DashboardView view;
    private final ScrollPane scroll;

    public DashboardFeature(DashboardViewModel viewModel, Palette palette) {
        this.viewModel = viewModel;
        this.view = new DashboardView(viewModel, palette);
        this.scroll = new ScrollPane(view);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(io.edgedeck.console.common.StyleClasses.DASHBOARD);
    }

    @Override
    public String title() {
        return "Dashboard";
    }

    @Override
    public Node view() {
        return scroll;
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        viewModel.onTick(frame, fresh, millisSinceFrame);
    }

    @Override
    public void refreshColors() {
        view.refreshColors();
    }

    public DashboardView dashboardView() {
        return view;
    }

    public DashboardViewModel viewModel() {
        return viewModel;
    }
}
