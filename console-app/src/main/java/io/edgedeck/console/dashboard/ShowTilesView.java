package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.StyleClasses;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.scene.layout.FlowPane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The show-wide row of tiles above the PoP wall: sentiment gauge, reaction index, throughput and
 * delivery, degraded PoPs, and one conversion tile per variant.
 */
public final class ShowTilesView extends FlowPane {
    static final double WIDTH = 185;
    static final double HEIGHT = 160;
    /** Rates have no natural ceiling; a tile clamps its value to its maximum, so set one no show reaches. */
    private static final double UNBOUNDED = 1e9;

    private final ShowTilesViewModel viewModel;
    private final Palette palette;
    /** Every tile with the status it is coloured by, so a theme switch can recolour them all. */
    private final Map<Tile, Supplier<Status>> statusOf = new LinkedHashMap<>();
    private final Map<ShowTilesViewModel.VariantTile, Tile> variantTiles = new LinkedHashMap<>();
    private final List<Runnable> updates = new ArrayList<>();
    /** The status each tile was last coloured for: colouring reads the palette, so only changes recolour. */
    private final Map<Tile, Status> coloured = new java.util.HashMap<>();
    private final Tile sentiment;
    private final Tile reactions;
    private final Tile throughput;
    private final Tile degraded;
    private final ChangeListener<Number> onRevision = (obs, old, now) -> update();
    private final ListChangeListener<ShowTilesViewModel.VariantTile> onVariants = change -> rebuildVariants();
    private final javafx.beans.InvalidationListener onWidth = o -> resize();

    public ShowTilesView(ShowTilesViewModel viewModel, Palette palette) {
        this.viewModel = viewModel;
        this.palette = palette;
        getStyleClass().add(StyleClasses.SHOW_TILES);
        setHgap(12);
        setVgap(12);

        sentiment = tile(Tile.SkinType.GAUGE, "Chat sentiment", "net %", "show-tile-sentiment");
        sentiment.setMinValue(-100);
        sentiment.setMaxValue(100);
        sentiment.setThreshold(0);
        sentiment.setThresholdVisible(true);
        track(sentiment, viewModel.sentimentStatusProperty(), () -> {
            sentiment.setValue(viewModel.netSentimentProperty().get());
            sentiment.setText(viewModel.sentimentDetailProperty().get());
            // The gauge skin draws no text or description: coverage and the interval go in its title.
            sentiment.setTitle(viewModel.sentimentTitleProperty().get());
        });

        reactions = tile(Tile.SkinType.SPARK_LINE, "Reaction index", "msg/min", "show-tile-reactions");
        reactions.setMaxValue(UNBOUNDED);
        track(reactions, viewModel.reactionStatusProperty(), () -> {
            reactions.setValue(viewModel.messagesPerMinuteProperty().get());
            reactions.setText(viewModel.reactionDetailProperty().get());
        });

        throughput = tile(Tile.SkinType.SPARK_LINE, "Throughput", "req/s", "show-tile-throughput");
        throughput.setMaxValue(UNBOUNDED);
        track(throughput, viewModel.deliveryStatusProperty(), () -> {
            throughput.setValue(viewModel.throughputRpsProperty().get());
            throughput.setText(viewModel.deliveryDetailProperty().get());
        });

        degraded = tile(Tile.SkinType.NUMBER, "Degraded PoPs", "PoPs", "show-tile-degraded");
        track(degraded, viewModel.degradedStatusProperty(), () -> {
            degraded.setValue(viewModel.degradedPopsProperty().get());
            degraded.setDescription(viewModel.degradedDetailProperty().get());
        });

        widthProperty().addListener(onWidth);
        viewModel.variants().addListener(onVariants);
        viewModel.revisionProperty().addListener(onRevision);
        rebuildVariants();
        update();
    }

    private Tile tile(Tile.SkinType skin, String title, String unit, String id) {
        Tile t = TileBuilder.create()
                .skinType(skin)
                .prefSize(WIDTH, HEIGHT)
                .title(title)
                .unit(unit)
                .decimals(0)
                .tickLabelDecimals(0)
                .minValue(0)
                .averageVisible(false)
                .animated(false)
                .smoothing(false)
                .textVisible(true)
                .build();
        t.setId(id);
        return t;
    }

    private void track(Tile tile, ObservableValue<Status> status, Runnable update) {
        statusOf.put(tile, status::getValue);
        updates.add(update);
        getChildren().add(tile);
    }

    private void rebuildVariants() {
        for (Tile t : variantTiles.values()) {
            statusOf.remove(t);
            coloured.remove(t);
            getChildren().remove(t);
        }
        variantTiles.clear();
        for (ShowTilesViewModel.VariantTile v : viewModel.variants()) {
            Tile t = tile(Tile.SkinType.NUMBER, v.title(), "% converted", "variant-tile-" + v.key().replace('/', '-'));
            t.setDecimals(2);
            variantTiles.put(v, t);
            statusOf.put(t, () -> v.statusProperty().get());
            getChildren().add(t);
        }
        resize();
        update();
    }

    private void resize() {
        TileGrid.fit(this, statusOf.keySet(), WIDTH, HEIGHT, 175);
    }

    private void update() {
        updates.forEach(Runnable::run);
        variantTiles.forEach((v, t) -> {
            t.setValue(v.ratePercentProperty().get());
            t.setDescription(v.liftProperty().get());
            t.setText(v.detailProperty().get());
        });
        statusOf.forEach((tile, status) -> {
            Status now = status.get();
            if (coloured.get(tile) != now) {
                TileColors.apply(tile, palette, now);
                coloured.put(tile, now);
            }
        });
    }

    /** Re-reads the palette (after a theme switch) and each tile's status. FX thread. */
    public void refreshColors() {
        coloured.clear();
        update();
    }

    /** Stops following the view model. FX thread. */
    public void dispose() {
        viewModel.variants().removeListener(onVariants);
        viewModel.revisionProperty().removeListener(onRevision);
        widthProperty().removeListener(onWidth);
    }
}
