package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.Palette;
import javafx.scene.Node;
import io.edgedeck.console.common.StyleClasses;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;

/** The wall of tiles, as a tab. */
public final class DashboardFeature implements Feature {
    private final DashboardViewModel viewModel;
    private final DashboardView view;
    private final ShowTilesView showTiles;
    private final EncoderTileViewModel encoderModel = new EncoderTileViewModel();
    private final EncoderTile encoder;
    private final ScrollPane scroll;

    public DashboardFeature(DashboardViewModel viewModel, Palette palette) {
        this.viewModel = viewModel;
        this.view = new DashboardView(viewModel, palette);
        this.showTiles = new ShowTilesView(viewModel.showTiles(), palette);
        Label showTitle = new Label("Show");
        showTitle.getStyleClass().add(StyleClasses.SECTION_TITLE);
        Label popTitle = new Label("Points of presence · p95 latency against the objective");
        popTitle.getStyleClass().add(StyleClasses.SECTION_TITLE);
        this.encoder = new EncoderTile(encoderModel, palette);
        VBox content = new VBox(4, showTitle, showTiles, encoder.node(), popTitle, view);
        content.getStyleClass().add(StyleClasses.DASHBOARD);
        this.scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(StyleClasses.DASHBOARD);
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
        encoderModel.update(frame == null ? null : frame.encoder(), millisSinceFrame, System.currentTimeMillis());
    }

    @Override
    public void refreshColors() {
        view.refreshColors();
        showTiles.refreshColors();
        encoder.refreshColors();
    }

    @Override
    public void dispose() {
        showTiles.dispose();
        encoder.dispose();
    }

    /** The encoder tile's view model (shown once frames carry OBS's health). */
    public EncoderTileViewModel encoderModel() {
        return encoderModel;
    }

    public ShowTilesView showTilesView() {
        return showTiles;
    }

    public DashboardView dashboardView() {
        return view;
    }

    public DashboardViewModel viewModel() {
        return viewModel;
    }
}
