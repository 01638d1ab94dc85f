package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.StyleClasses;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.layout.FlowPane;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wall of PoP tiles: one TilesFX sparkline tile per PoP showing p95 latency over the last
 * 10 s, with p50, p99, jitter and loss beneath, coloured by the SLO. The wall reflows to the
 * window, from 3 PoPs to 24.
 */
public final class DashboardView extends FlowPane {
    static final double TILE_WIDTH = 300;
    static final double TILE_HEIGHT = 210;
    static final double MIN_TILE_WIDTH = 280;
    static final double SMALL_TILE_WIDTH = 220;
    /** Points each sparkline keeps: at 10 Hz frames, about the last minute of a 4 Hz engine. */
    private static final int SPARK_POINTS = 60;

    private final DashboardViewModel viewModel;
    private final Palette palette;
    private final Map<PopTileViewModel, Tile> tiles = new HashMap<>();
    private final Map<PopTileViewModel, List<Runnable>> unbinders = new HashMap<>();

    public DashboardView(DashboardViewModel viewModel, Palette palette) {
        this.viewModel = viewModel;
        this.palette = palette;
        getStyleClass().add(StyleClasses.DASHBOARD);
        setPadding(new Insets(14));
        setHgap(12);
        setVgap(12);
        viewModel.tiles().forEach(this::addTile);
        widthProperty().addListener((obs, old, now) -> resizeTiles());
        viewModel.tiles().addListener((ListChangeListener<PopTileViewModel>) change -> {
            while (change.next()) {
                change.getRemoved().forEach(this::removeTile);
                change.getAddedSubList().forEach(this::addTile);
            }
        });
    }

    /** The tile showing a PoP, for tests and snapshots. */
    public Tile tileFor(String popId) {
        PopTileViewModel vm = viewModel.tile(popId);
        return vm == null ? null : tiles.get(vm);
    }

    private void addTile(PopTileViewModel vm) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.SPARK_LINE)
                .prefSize(TILE_WIDTH, TILE_HEIGHT)
                .title(vm.title())
                .unit("ms p95")
                .decimals(0)
                .minValue(0)
                .maxValue(300)
                .averagingPeriod(SPARK_POINTS)
                .averageVisible(false)
                .animated(false)
                .smoothing(false)
                .textVisible(true)
                .build();
        tile.setId("pop-tile-" + vm.popId());
        recolor(tile, vm.statusProperty().get());
        ChangeListener<Long> onSample = (obs, old, now) -> {
            tile.setValue(vm.p95Property().get());
            tile.setText(vm.detailProperty().get());
            tile.setDescription(vm.healthProperty().get());
        };
        ChangeListener<Status> onStatus = (obs, old, now) -> {
            recolor(tile, now);
            tile.setDescription(vm.healthProperty().get());
        };
        vm.sampleSequenceProperty().addListener(onSample);
        vm.statusProperty().addListener(onStatus);
        unbinders.put(vm, List.of(
                () -> vm.sampleSequenceProperty().removeListener(onSample),
                () -> vm.statusProperty().removeListener(onStatus)));
        tiles.put(vm, tile);
        getChildren().add(tile);
        resizeTiles();
    }

    private void removeTile(PopTileViewModel vm) {
        List<Runnable> u = unbinders.remove(vm);
        if (u != null) {
            u.forEach(Runnable::run);
        }
        Tile tile = tiles.remove(vm);
        getChildren().remove(tile);
        resizeTiles();
    }

    private void recolor(Tile tile, Status status) {
        TileColors.apply(tile, palette, status);
    }

    /** Smaller tiles once a wall passes 12 PoPs, so 24 still fit a laptop screen. */
    private void resizeTiles() {
        boolean large = tiles.size() > 12;
        TileGrid.fit(this, tiles.values(), large ? SMALL_TILE_WIDTH : MIN_TILE_WIDTH, large ? 150 : 180, TILE_HEIGHT);
    }

    /** Re-reads the palette after a theme change. FX thread. */
    public void refreshColors() {
        tiles.forEach((vm, tile) -> recolor(tile, vm.statusProperty().get()));
    }
}
