package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.fonts.Fonts;
import eu.hansolo.tilesfx.skins.SparkLineTileSkin;
import javafx.scene.shape.Circle;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.Line;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

import java.util.function.DoubleUnaryOperator;

/**
 * TilesFX's sparkline skin reads its scale's colours only when it is made, so a theme switch makes
 * a new one; this one sizes itself at once to the tile it replaces a skin on (the stock skin waits
 * for the tile's size to change, and until then draws its dashed lines with dashes of length zero,
 * which the renderer refuses). It draws once per {@link Redraws#batch} of changes.
 *
 * <p>The stock skin stretches whatever the line spans over the full height, so a 1% wobble in
 * throughput reads as a collapse from across the room. This one draws over at least
 * {@link #MIN_SPAN} of the line's level (see {@link #span}), labels the area's top and bottom
 * (the stock grid, which marks the line's own range, is hidden), and keeps its small texts (those
 * labels, the footer) at the theme's smallest size, {@link #MIN_FONT_PX}.
 */
final class ThemedSparkLineSkin extends SparkLineTileSkin implements Redraws.Held {
    /**
     * The least the y-axis spans, as a share of the line's level: ±10%. Throughput and the chat rate
     * wander by a few percent minute to minute; a change smaller than that is drawn as small as it is,
     * one larger fills the tile. A zero baseline would flatten a real 30% drop to a third of the tile.
     */
    static final double MIN_SPAN = 0.20;
    /** The smallest text the theme sets (components.css: section titles, PoP tile details). */
    static final double MIN_FONT_PX = TileTexts.MIN_PX;

    /** Null while the stock skin's constructor draws the tile the first time. */
    private final Redraws redraws;

    ThemedSparkLineSkin(Tile tile) {
        super(tile);
        redraws = new Redraws(this::redrawInPlace, this::resizeOnSpan);
        if (tile.getWidth() > 0 && tile.getHeight() > 0) {
            resize();
        }
    }

    /**
     * The y-range to draw {@code [low, high]} over: at least {@link #MIN_SPAN} of the level, centred on
     * the line. A line that never went below zero (a rate, a count) is never drawn below zero: a tenth
     * of its level is less than its level.
     */
    static double[] span(double low, double high) {
        double mid = (low + high) / 2;
        double half = Math.max((high - low) / 2, Math.abs(mid) * MIN_SPAN / 2);
        return new double[] {mid - half, mid + half};
    }

    @Override
    protected void handleCurrentValue(double value) {
        super.handleCurrentValue(value);
        rescale();
    }

    /** Moves what the stock skin drew over [low, high] onto {@link #span}'s range. */
    private void rescale() {
        Rectangle bounds = (Rectangle) read("graphBounds");
        if (bounds == null || read("sparkLine") == null || read("tickLabelsY") == null) {
            return;
        }
        double low = (double) read("low");
        double high = (double) read("high");
        // The stock grid and its labels mark the line's own range, which is no longer the area's: the
        // labels at the top and bottom of the area name its ends instead.
        for (String name : new String[] {"tickLabelsY", "horizontalTickLines"}) {
            for (Object n : (java.util.List<?>) read(name)) {
                ((javafx.scene.Node) n).setVisible(false);
            }
        }
        if (!(high > low)) {
            return;
        }
        double[] to = span(low, high);
        double bottom = bounds.getY() + bounds.getHeight();
        double h = bounds.getHeight();
        DoubleUnaryOperator y = py -> bottom - ((low + (bottom - py) * (high - low) / h) - to[0]) * h / (to[1] - to[0]);
        for (PathElement e : ((Path) read("sparkLine")).getElements()) {
            if (e instanceof MoveTo m) {
                m.setY(y.applyAsDouble(m.getY()));
            } else if (e instanceof LineTo l) {
                l.setY(y.applyAsDouble(l.getY()));
            } else if (e instanceof CubicCurveTo c) {
                c.setControlY1(y.applyAsDouble(c.getControlY1()));
                c.setControlY2(y.applyAsDouble(c.getControlY2()));
                c.setY(y.applyAsDouble(c.getY()));
            }
        }
        Circle dot = (Circle) read("dot");
        dot.setCenterY(y.applyAsDouble(dot.getCenterY()));
        Line average = (Line) read("averageLine");
        average.setStartY(y.applyAsDouble(average.getStartY()));
        average.setEndY(y.applyAsDouble(average.getEndY()));
        Rectangle deviation = (Rectangle) read("stdDeviationArea");
        double top = y.applyAsDouble(deviation.getY());
        deviation.setHeight(y.applyAsDouble(deviation.getY() + deviation.getHeight()) - top);
        deviation.setY(top);
        ((Text) read("highText")).setText(String.format(locale, formatString, to[1]));
        ((Text) read("lowText")).setText(String.format(locale, formatString, to[0]));
        placeEndLabels();
    }

    @Override
    protected void resizeStaticText() {
        super.resizeStaticText();
        TileTexts.title((Text) read("titleText"), width - size * 0.1);
    }

    @Override
    protected void resizeDynamicText() {
        super.resizeDynamicText();
        for (String name : new String[] {"highText", "lowText", "averageText", "text"}) {
            Text t = (Text) read(name);
            if (t != null && t.getFont().getSize() < MIN_FONT_PX) {
                t.setFont(Fonts.latoRegular(MIN_FONT_PX));
            }
        }
        TileTexts.title((Text) read("titleText"), width - size * 0.1);
        Text footer = (Text) read("text");
        // Right-aligned as the stock skin places it, now in its larger font, on two lines where one is too short.
        if (footer != null && !footer.getText().isEmpty()) {
            TileTexts.footer(footer, width, size, height - size * 0.05);
        }
        placeEndLabels();
    }

    /**
     * The ends' labels inside the line's area, at its top and bottom corners: the line keeps to the middle of
     * its area, and the footer has the line under it to itself; the bottom one above the footer's first line.
     */
    private void placeEndLabels() {
        Rectangle bounds = (Rectangle) read("graphBounds");
        Text footer = (Text) read("text");
        if (bounds == null || footer == null) {
            return;
        }
        double footerTop = footer.getText().isEmpty() ? height : footer.getBoundsInParent().getMinY();
        ((Text) read("highText")).setY(bounds.getY() + MIN_FONT_PX);
        Text low = (Text) read("lowText");
        low.setTextOrigin(javafx.geometry.VPos.BASELINE);
        low.setY(Math.min(bounds.getY() + bounds.getHeight() - 2, footerTop - 4));
    }

    /** One of the stock skin's drawing parts; null while its constructor has not made it yet. */
    private Object read(String name) {
        return TileTexts.read(SparkLineTileSkin.class, this, name);
    }

    @Override
    protected void redraw() {
        Redraws.request(redraws, this::redrawInPlace);
    }

    /**
     * The stock redraw, then the footer placed for its new text: the stock skin sets a new footer where the old
     * one stood, so a longer one ran off the tile's right edge until the tile's size next changed.
     */
    private void redrawInPlace() {
        super.redraw();
        Text footer = (Text) read("text");
        if (footer != null && !footer.getText().isEmpty() && width > 0) {
            TileTexts.footer(footer, width, size, height - size * 0.05);
            placeEndLabels();
        }
    }

    @Override
    protected void resize() {
        Redraws.requestResize(redraws, this::resizeOnSpan);
    }

    /**
     * The stock resize, then the line moved onto {@link #span}'s range: the stock skin draws the line again
     * over its own range when the tile's size changes (a narrower window), and until the next value came
     * the tile showed a wobble of a few units from top to bottom.
     */
    private void resizeOnSpan() {
        super.resize();
        rescale();
    }

    @Override
    public Redraws redraws() {
        return redraws;
    }
}
