package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.TileColouring;
import javafx.beans.InvalidationListener;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The dashboard tab: the show tiles, then the wall of PoPs, which gets whatever height is left so
 * the whole wall is in view without scrolling (up to 12 PoPs at 1320x820, 24 at 1600x1000).
 */
public final class DashboardFeature implements Feature {
    private final DashboardViewModel viewModel;
    private final DashboardView view;
    private final ShowTilesView showTiles;
    private final EncoderTileViewModel encoderModel = new EncoderTileViewModel();
    private final EncoderTile encoder;
    private final ScrollPane scroll;
    private final VBox content;
    private final ToggleButton worstFirst = new ToggleButton("Worst first");

    /** @param worstFirstSetting the setting the "Worst first" switch follows and changes */
    public DashboardFeature(DashboardViewModel viewModel, Palette palette, BooleanProperty worstFirstSetting) {
        this.viewModel = viewModel;
        this.view = new DashboardView(viewModel);
        this.showTiles = new ShowTilesView(viewModel.showTiles(), palette);
        Label showTitle = new Label("Show");
        showTitle.getStyleClass().add(StyleClasses.SECTION_TITLE);
        Label popTitle = new Label();
        // Feature and view model live as long as the console: the binding needs no removal.
        popTitle.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> "Points of presence · p95 latency against "
                        + (viewModel.sloProperty().get().colouring() == TileColouring.ADAPTIVE ? "each PoP's normal"
                        : Slo.describe(viewModel.objectivesProperty().get())),
                viewModel.sloProperty(), viewModel.objectivesProperty()));
        popTitle.getStyleClass().add(StyleClasses.SECTION_TITLE);
        // Whole, on two lines where the window is too narrow for it beside Worst first (600 px): never pushing the
        // dashboard wider than the window, which would scroll sideways.
        popTitle.setWrapText(true);
        popTitle.setMinWidth(120);
        popTitle.setMinHeight(Region.USE_PREF_SIZE);
        worstFirst.setMinWidth(Region.USE_PREF_SIZE);
        worstFirst.setId("wall-worst-first");
        worstFirst.setTooltip(new Tooltip("Red PoPs first, then PoPs with no figures of now, then amber, then the rest in the edge's order"));
        // Feature, view model and setting live as long as the console: the bindings need no removal.
        worstFirst.selectedProperty().bindBidirectional(worstFirstSetting);
        viewModel.worstFirstProperty().bind(worstFirstSetting);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox popHeader = new HBox(12, popTitle, spacer, worstFirst);
        popHeader.setAlignment(Pos.CENTER_LEFT);
        popHeader.getStyleClass().add(StyleClasses.SECTION_HEADER);
        this.encoder = new EncoderTile(encoderModel, palette);
        showTiles.placeLast(encoder.node(), encoderModel.presentProperty());
        content = new VBox(4, showTitle, showTiles, popHeader, view);
        content.getStyleClass().add(StyleClasses.DASHBOARD);
        this.scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(StyleClasses.DASHBOARD);
        InvalidationListener room = o -> view.setRoomHeight(roomForWall());
        scroll.viewportBoundsProperty().addListener(room);
        showTiles.heightProperty().addListener(room);
        popHeader.heightProperty().addListener(room);
    }

    /**
     * Runs {@code show}, the window showing for the first time, drawing each tile once at the end
     * instead of once for every change it was told before it was shown. FX thread.
     */
    public static void drawingTilesOnceWhile(Runnable show) {
        Redraws.holdingAll(show);
    }

    /** The viewport's height less everything above the wall. */
    private double roomForWall() {
        double used = content.snappedTopInset() + content.snappedBottomInset();
        for (Node n : content.getChildren()) {
            if (n != view) {
                used += n.getLayoutBounds().getHeight() + content.getSpacing();
            }
        }
        return scroll.getViewportBounds().getHeight() - used;
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
        encoderModel.update(frame == null ? null : frame.encoder(), millisSinceFrame,
                EncoderTileViewModel.readClockMillis(frame, System.currentTimeMillis()));
    }

    @Override
    public void onPassed(MetricsFrame frame) {
        viewModel.onPassed(frame);
    }

    @Override
    public void refreshColors() {
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
