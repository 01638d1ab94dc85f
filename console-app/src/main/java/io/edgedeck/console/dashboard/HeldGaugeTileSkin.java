package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.skins.GaugeTileSkin;
import javafx.scene.text.Text;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.transform.Rotate;

import java.util.ArrayList;
import java.util.List;

/**
 * TilesFX's gauge skin, drawing once per {@link Redraws#batch} of changes, and without a needle
 * while the value is NaN (no number: the tile's format shows a dash); the needle is drawn as a shape,
 * not a cached image, so a value always draws it alike. Its title and the labels at the
 * scale's ends are set at {@link TileTexts#MIN_PX} at least (the stock skin draws those at 10 px).
 */
final class HeldGaugeTileSkin extends GaugeTileSkin implements Redraws.Held {
    /**
     * The tile's property holding shorter titles (a list of Strings, longest first; empty for none): where the whole title
     * does not fit in the tile's width, the first of them that fits is shown, else the last, losing its last parts.
     */
    static final String SHORTER_TITLES = "edgedeck.shorterTitles";
    /** Null while the stock skin's constructor draws the tile the first time. */
    private final Redraws redraws;
    /** The needle's parts (the stock skin's only nodes turned by a {@link Rotate}); null until the first NaN. */
    private List<Node> needle;
    /** True while the title is being fitted, which sets its text: no fitting within a fitting. */
    private boolean fitting;

    HeldGaugeTileSkin(Tile tile) {
        super(tile);
        redraws = new Redraws(super::redraw, super::resize);
        // The stock skin puts a new title into its text, and sets its font, outside our redraw and resize: fit it then too.
        Text title = (Text) TileTexts.read(GaugeTileSkin.class, this, "titleText");
        if (title != null) {
            javafx.beans.InvalidationListener fit = o -> legible();
            title.textProperty().addListener(fit);
            title.fontProperty().addListener(fit);
        }
    }

    @Override
    protected void redraw() {
        Redraws.request(redraws, super::redraw);
    }

    @Override
    protected void resize() {
        Redraws.requestResize(redraws, () -> {
            super.resize();
            uncacheNeedle();
            legible();
        });
    }

    /**
     * The stock skin draws its needle once into a cached image that is then turned for each value (a cache for
     * turning): the image is made at whichever angle the needle had when the cache was last made, so the same
     * value drew a needle whose anti-aliased edge differed by a few pixels from run to run and after each resize.
     * Drawn as a shape, the needle at a value is the same pixels whatever came before.
     */
    private void uncacheNeedle() {
        if (TileTexts.read(GaugeTileSkin.class, this, "needle") instanceof Node n) {
            n.setCache(false);
        }
    }

    @Override
    protected void resizeStaticText() {
        super.resizeStaticText();
        legible();
    }

    private void legible() {
        Text title = (Text) TileTexts.read(GaugeTileSkin.class, this, "titleText");
        if (title == null || fitting) {
            return;
        }
        fitting = true;
        try {
            fitTitle(title, width - size * 0.1);
        } finally {
            fitting = false;
        }
        for (String name : new String[] {"unitText", "upperUnitText"}) {
            TileTexts.atLeastMin((Text) TileTexts.read(GaugeTileSkin.class, this, name));
        }
        for (String name : new String[] {"minValueText", "maxValueText"}) {
            TileTexts.keepingPlace((Text) TileTexts.read(GaugeTileSkin.class, this, name));
        }
    }

    /**
     * The whole title where it fits in {@code room} px, else the first shorter one that fits (where the tile has them),
     * else the shortest, losing its last parts if it must.
     */
    private void fitTitle(Text title, double room) {
        title.setText(getSkinnable().getTitle());
        TileTexts.atLeastMin(title);
        if (getSkinnable().getProperties().get(SHORTER_TITLES) instanceof List<?> shorter) {
            for (int i = 0; i < shorter.size() && title.getLayoutBounds().getWidth() > room; i++) {
                title.setText(String.valueOf(shorter.get(i)));
            }
        }
        TileTexts.title(title, room);
    }

    @Override
    protected void handleCurrentValue(double value) {
        super.handleCurrentValue(value);
        // The stock skin turns its needle by the value's angle, and for NaN it points at the
        // gauge's far end, which would read as the best value there is. No number, no needle.
        if (Double.isNaN(value)) {
            if (needle == null) {
                needle = new ArrayList<>();
                collectTurned(getChildren(), needle);
            }
            needle.forEach(n -> n.setVisible(false));
        } else if (needle != null) {
            needle.forEach(n -> n.setVisible(true));
        }
    }

    private static void collectTurned(List<Node> nodes, List<Node> into) {
        for (Node n : nodes) {
            if (n.getTransforms().stream().anyMatch(Rotate.class::isInstance)) {
                into.add(n);
            }
            if (n instanceof Parent p) {
                collectTurned(p.getChildrenUnmodifiable(), into);
            }
        }
    }

    @Override
    public Redraws redraws() {
        return redraws;
    }
}
