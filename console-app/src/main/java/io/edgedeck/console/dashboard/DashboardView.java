package io.edgedeck.console.dashboard;

import io.edgedeck.console.common.StyleClasses;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.layout.FlowPane;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wall of PoP tiles, in the order the view model gives (the edge's, or worst first), sized so
 * the whole wall fits the room the dashboard leaves it: 12 PoPs at 1320x820, 24 at 1600x1000.
 */
public final class DashboardView extends FlowPane {
    /** The narrowest and lowest tile whose p95 still reads across a room. */
    static final double MIN_TILE_WIDTH = 150;
    static final double MIN_TILE_HEIGHT = 96;
    static final double MAX_TILE_HEIGHT = 230;

    private final DashboardViewModel viewModel;
    private final Map<PopTileViewModel, PopTile> tiles = new HashMap<>();
    private double roomHeight;
    private TileGrid.Fit fit;

    public DashboardView(DashboardViewModel viewModel) {
        this.viewModel = viewModel;
        getStyleClass().add(StyleClasses.POP_WALL);
        setPadding(new Insets(8, 14, 8, 14));
        setHgap(10);
        setVgap(10);
        // The view lives as long as the view model: these listeners need no removal.
        widthProperty().addListener((obs, old, now) -> resizeTiles());
        viewModel.tiles().addListener((ListChangeListener<PopTileViewModel>) change -> sync());
        sync();
    }

    /** The tile showing a PoP, for tests and snapshots. */
    public PopTile tileFor(String popId) {
        PopTileViewModel vm = viewModel.tile(popId);
        return vm == null ? null : tiles.get(vm);
    }

    /** How the wall is laid out now: columns, rows and tile size. */
    TileGrid.Fit fit() {
        return fit;
    }

    /** The height the wall may take without scrolling; the dashboard sets it as the window changes. FX thread. */
    void setRoomHeight(double height) {
        if (Math.abs(height - roomHeight) >= 1) {
            roomHeight = height;
            resizeTiles();
        }
    }

    /** Puts the tiles in the view model's order, making tiles for new PoPs and dropping gone ones. */
    private void sync() {
        List<PopTile> ordered = new ArrayList<>();
        Map<PopTileViewModel, PopTile> kept = new HashMap<>();
        for (PopTileViewModel vm : viewModel.tiles()) {
            PopTile tile = tiles.remove(vm);
            if (tile == null) {
                tile = new PopTile(vm);
            }
            kept.put(vm, tile);
            ordered.add(tile);
        }
        tiles.values().forEach(PopTile::dispose);
        tiles.clear();
        tiles.putAll(kept);
        if (!getChildren().equals(ordered)) {
            getChildren().setAll(ordered);
        }
        resizeTiles();
    }

    private void resizeTiles() {
        fit = TileGrid.fit(this, tiles.values(), roomHeight, MIN_TILE_WIDTH, MIN_TILE_HEIGHT, MAX_TILE_HEIGHT);
    }
}
