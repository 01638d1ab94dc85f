package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.fonts.Fonts;
import eu.hansolo.tilesfx.skins.SparkLineTileSkin;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * TilesFX's sparkline skin reads its scale's colours only when it is made, so a theme switch makes
 * a new one; this one sizes itself at once to the tile it replaces a skin on (the stock skin waits
 * for the tile's size to change, and until then draws its dashed lines with dashes of length zero,
 * which the renderer refuses). It draws once per {@link Redraws#batch} of changes.
 *
 * <p>The stock skin stretches whatever the line spans over the full height, so a 1% wobble in
 * throughput reads as a collapse from across the room. This one draws over at least
 * {@link #MIN_SPAN} of the line's level (see {@link #span}), a flat line too, labels the area's top and
 * bottom in a column left of the line (the stock grid, which marks the line's own range, is hidden), keeps
 * the line above the footer, and keeps its small texts (those labels, the footer) at the theme's smallest
 * size, {@link #MIN_FONT_PX}.
 */
final class ThemedSparkLineSkin extends SparkLineTileSkin implements Redraws.Held {
    /**
     * The least the y-axis spans, as a share of the line's level: ±10%. Throughput and the chat rate
     * wander by a few percent minute to minute; a change smaller than that is drawn as small as it is,
     * one larger fills the tile. A zero baseline would flatten a real 30% drop to a third of the tile.
     */
    static final double MIN_SPAN = 0.20;
    /** The smallest a tile's text is drawn: {@link TileTexts#MIN_PX}. */
    static final double MIN_FONT_PX = TileTexts.MIN_PX;
    /** The space between the ends' labels and the line, px. */
    private static final double LABEL_GAP = 6;

    /** Null while the stock skin's constructor draws the tile the first time. */
    private final Redraws redraws;
    /** Points come from {@link #plot}, not from the tile's value. */
    private boolean plotted;

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
     * of its level is less than its level. A line flat at zero (no traffic yet) lies at the bottom of a
     * range of one unit.
     */
    static double[] span(double low, double high) {
        double mid = (low + high) / 2;
        double half = Math.max((high - low) / 2, Math.abs(mid) * MIN_SPAN / 2);
        if (!(half > 0)) {
            return new double[] {low, low + 1};
        }
        return new double[] {mid - half, mid + half};
    }

    /**
     * The decimals the ends' labels take for a range {@code range} wide: the tile's own, or as many more (two at
     * most) as keep the two ends apart: a line at 1 req/s spans 0.9 to 1.1, which whole numbers name "1" and "1".
     */
    static int endDecimals(double range, int decimals) {
        int apart = range > 0 ? (int) Math.ceil(-Math.log10(range)) : 0;
        return Math.max(decimals, Math.min(2, apart));
    }

    @Override
    protected void handleCurrentValue(double value) {
        // Once points are plotted, the tile's value is the last of them: a change of it is no new point.
        if (!plotted) {
            super.handleCurrentValue(value);
        }
        rescale();
    }

    /**
     * Adds {@code values} to the line in order, one point each, equal neighbours too, and draws it once: the
     * line then holds one point per engine frame, the same for the same show however the redraws fell.
     *
     * <p>Only the last value goes through the stock skin's handling of a value, which places every point of the
     * line, formats and sets its texts and fits their sizes: what it draws depends only on the points held and on
     * that value. The ones before it are only added to the points. At full speed a tick brings tens of frames,
     * and fitting the texts for each one was a third of the FX thread's work on the show row.
     */
    void plot(double[] values) {
        if (values.length == 0) {
            return;
        }
        plotted = true;
        for (int i = 0; i < values.length - 1; i++) {
            addPoint(values[i]);
        }
        super.handleCurrentValue(values[values.length - 1]);
        rescale();
    }

    /** The stock skin's own adding of a point to the line (its points and their deviation), and nothing drawn. */
    private void addPoint(double value) {
        try {
            ADD_DATA.invoke(this, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("TilesFX's SparkLineTileSkin.addData cannot be called", e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException("TilesFX's SparkLineTileSkin.addData failed", e.getCause());
        }
    }

    private static final java.lang.reflect.Method ADD_DATA = addData();

    private static java.lang.reflect.Method addData() {
        try {
            java.lang.reflect.Method m = SparkLineTileSkin.class.getDeclaredMethod("addData", double.class);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("TilesFX's SparkLineTileSkin has no addData(double)", e);
        }
    }

    /**
     * Draws the line again over {@link #span}'s range, from its data points: the stock skin draws it over the
     * line's own range, or, for a flat line, over the tile's whole range (0 to 10⁹ on a rate tile, which put the
     * line on the floor and those numbers on its ends). The ends' labels take a column of their own at the left
     * and the line the width right of it, above the footer, so neither label nor footer lies under the line.
     * A smoothed line (curves between the points; no show tile smooths) keeps the stock drawing.
     */
    private void rescale() {
        Rectangle bounds = (Rectangle) read("graphBounds");
        Path line = (Path) read("sparkLine");
        if (bounds == null || line == null || read("tickLabelsY") == null) {
            return;
        }
        // The stock grid and its labels mark the line's own range, which is no longer the area's: the
        // labels at the top and bottom of the area name its ends instead.
        for (String name : new String[] {"tickLabelsY", "horizontalTickLines"}) {
            for (Object n : (List<?>) read(name)) {
                ((javafx.scene.Node) n).setVisible(false);
            }
        }
        // No number yet (before the first frame): no line and no ends, rather than a scale of nothing.
        boolean none = Double.isNaN(getSkinnable().getValue());
        line.setVisible(!none);
        ((Circle) read("dot")).setVisible(!none);
        if (none) {
            ((Text) read("highText")).setText("");
            ((Text) read("lowText")).setText("");
            return;
        }
        @SuppressWarnings("unchecked")
        List<Double> data = (List<Double>) read("dataList");
        List<PathElement> points = line.getElements();
        if (data == null || data.isEmpty() || points.size() != data.size()) {
            return;
        }
        double low = data.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).min().orElse(Double.NaN);
        double high = data.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).max().orElse(Double.NaN);
        if (Double.isNaN(low)) {
            return;
        }
        Text highText = (Text) read("highText");
        Text lowText = (Text) read("lowText");
        double[] to = span(low, high);
        String format = "%." + endDecimals(to[1] - to[0], getSkinnable().getDecimals()) + "f";
        highText.setText(String.format(locale, format, to[1]));
        lowText.setText(String.format(locale, format, to[0]));
        placeEndLabels();

        double right = bounds.getX() + bounds.getWidth();
        double labels = Math.max(highText.getLayoutBounds().getWidth(), lowText.getLayoutBounds().getWidth());
        double left = Math.min(bounds.getX() + labels + LABEL_GAP, right - bounds.getWidth() / 2);
        double top = bounds.getY();
        double bottom = Math.max(top + 1, Math.min(top + bounds.getHeight(), footerTop() - 2));
        DoubleUnaryOperator y = v -> bottom - (v - to[0]) * (bottom - top) / (to[1] - to[0]);
        double step = (right - left) / Math.max(1, points.size() - 1);
        for (int i = 0; i < points.size(); i++) {
            double px = left + i * step;
            double py = y.applyAsDouble(data.get(i));
            if (points.get(i) instanceof MoveTo m) {
                m.setX(px);
                m.setY(py);
            } else if (points.get(i) instanceof LineTo l) {
                l.setX(px);
                l.setY(py);
            }
        }
        Circle dot = (Circle) read("dot");
        dot.setCenterX(right);
        dot.setCenterY(y.applyAsDouble(data.getLast()));
        // The mean of the points drawn, not the tile's own average of the values it was given over wall-clock time.
        double mean = data.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).average().orElse(low);
        double averageY = Math.clamp(y.applyAsDouble(mean), top, bottom);
        Line average = (Line) read("averageLine");
        average.setStartX(left);
        average.setEndX(right);
        average.setStartY(averageY);
        average.setEndY(averageY);
        Rectangle deviation = (Rectangle) read("stdDeviationArea");
        double deviationHeight = (double) read("stdDeviation") * (bottom - top) / (to[1] - to[0]);
        deviation.setX(left);
        deviation.setWidth(right - left);
        deviation.setY(averageY - deviationHeight / 2);
        deviation.setHeight(deviationHeight);
    }

    /** The top of the footer's first line, or the tile's foot where it has none. */
    private double footerTop() {
        Text footer = (Text) read("text");
        return footer == null || footer.getText().isEmpty() ? height : footer.getBoundsInParent().getMinY();
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
     * The ends' labels at the left of the line's area, at its top and bottom ({@link #rescale} draws the line
     * right of them); the bottom one above the footer's first line.
     */
    private void placeEndLabels() {
        Rectangle bounds = (Rectangle) read("graphBounds");
        if (bounds == null || read("text") == null) {
            return;
        }
        double footerTop = footerTop();
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
            // A footer of another number of lines leaves the line another height.
            rescale();
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
