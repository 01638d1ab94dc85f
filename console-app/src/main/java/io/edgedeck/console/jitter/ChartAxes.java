package io.edgedeck.console.jitter;

import io.edgedeck.console.common.RoundScale;
import io.edgedeck.console.common.ShowClock;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * The Jitter chart's frame: the shared time axis, value grids with round labels, panel titles with
 * their legends, and the polyline every series is drawn with. Draws onto a canvas it is handed; FX
 * thread only.
 */
final class ChartAxes {
    static final Font LABEL = Font.font(14);
    static final Font TITLE = Font.font(null, FontWeight.BOLD, 14);
    private static final long[] TIME_STEPS = {5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400};
    private static final double SWATCH = 26;
    /** A narrower legend's swatch and gaps, for a panel too narrow for the full one. */
    private static final double COMPACT_SWATCH = 14;
    /** The narrowest legend's swatch, for a panel too narrow for the compact one with the short title. */
    private static final double TIGHT_SWATCH = 10;
    /** The least distance between two value labels on an axis: a 14 px label's height and some air. */
    static final double MIN_LABEL_GAP = 22;

    /** Engine seconds {@code [from, to)} across {@code width} pixels from {@code left}. */
    record Axis(long from, long to, double left, double width) {
        double at(double second) {
            return left + (second - from) / (double) (to - from) * width;
        }
    }

    /** How a legend entry's swatch is drawn: a line (solid, or with {@code dashes}, of a width) or a filled block. */
    record Swatch(String label, Color color, double lineWidth, double[] dashes, boolean block) {
        static Swatch line(String label, Color color, double width) {
            return new Swatch(label, color, width, null, false);
        }

        static Swatch dashed(String label, Color color, double width, double... dashes) {
            return new Swatch(label, color, width, dashes, false);
        }

        static Swatch block(String label, Color color) {
            return new Swatch(label, color, 0, null, true);
        }
    }

    /** Dashes of the probe series, long enough to tell from a solid line across a room. */
    static final double[] PROBE_DASHES = {12, 7};

    private ChartAxes() {
    }

    /** A panel's title in the gap above it, its legend to the right of the title. */
    static void title(GraphicsContext g, JitterChart.Colors colors, String text, double left, double top, Swatch... legend) {
        title(g, colors, text, text, left, Double.MAX_VALUE, top, legend);
    }

    /**
     * A panel's title in the gap above it, its legend to the right of the title, all before {@code right}:
     * where the full legend does not fit, its swatches and gaps narrow, and then {@code shortText} stands
     * for the title, so the last entry (a threshold's value) is never cut.
     */
    static double title(GraphicsContext g, JitterChart.Colors colors, String text, String shortText, double left, double right,
                      double top, Swatch... legend) {
        double[] labels = new double[legend.length];
        for (int i = 0; i < legend.length; i++) {
            labels[i] = textWidth(legend[i].label(), LABEL);
        }
        int fit = legendFit(textWidth(text, TITLE), textWidth(shortText, TITLE), labels, right - left);
        String shown = fit >= FIT_SHORT_TITLE ? shortText : text;
        double swatch = fit == FIT_FULL ? SWATCH : fit == FIT_TIGHT ? TIGHT_SWATCH : COMPACT_SWATCH;
        double gap = fit == FIT_FULL ? 18 : fit == FIT_TIGHT ? 6 : 10;
        g.setFill(colors.muted());
        g.setFont(TITLE);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(shown, left, top - 4);
        double x = left + textWidth(shown, TITLE) + gap + 6;
        for (int i = 0; i < legend.length; i++) {
            Swatch s = legend[i];
            double y = top - 11;
            if (s.block()) {
                g.setFill(s.color());
                g.fillRect(x, y - 6, swatch, 12);
            } else {
                g.setStroke(s.color());
                g.setLineWidth(s.lineWidth());
                g.setLineDashes(s.dashes());
                g.strokeLine(x, y, x + swatch, y);
                g.setLineDashes();
            }
            g.setFill(colors.text());
            g.setFont(LABEL);
            g.fillText(s.label(), x + swatch + 6, top - 4);
            x += swatch + 6 + labels[i] + gap;
        }
        // Where the last thing drawn ends: no gap after the last entry.
        return legend.length == 0 ? left + textWidth(shown, TITLE) : x - gap;
    }

    /** Words drawn on the chart, and where they end, px. */
    record Drawn(String text, double right) {
    }

    /**
     * A panel's title with no legend in the gap above it: the first of {@code longestFirst} that fits before
     * {@code right}, else the last, shortest one. Returns what was drawn.
     */
    static Drawn heading(GraphicsContext g, JitterChart.Colors colors, double left, double right, double top, String... longestFirst) {
        String shown = longestFirst[longestFirst.length - 1];
        for (String text : longestFirst) {
            if (left + textWidth(text, TITLE) <= right) {
                shown = text;
                break;
            }
        }
        g.setFill(colors.muted());
        g.setFont(TITLE);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(shown, left, top - 4);
        return new Drawn(shown, left + textWidth(shown, TITLE));
    }

    static final int FIT_FULL = 0;
    static final int FIT_COMPACT = 1;
    static final int FIT_SHORT_TITLE = 2;
    static final int FIT_TIGHT = 3;

    /**
     * How a title of {@code titleWidth} (or {@code shortTitleWidth}) and legend labels of {@code labelWidths}
     * fit in {@code available} px: {@link #FIT_FULL}, {@link #FIT_COMPACT} (narrower swatches and gaps),
     * {@link #FIT_SHORT_TITLE} (those and the short title) or {@link #FIT_TIGHT} (the short title and the narrowest
     * swatches and gaps: a chart beside the ranking on a 1000x700 window, whose tab scrolls down).
     */
    static int legendFit(double titleWidth, double shortTitleWidth, double[] labelWidths, double available) {
        double full = titleWidth + 24;
        double compact = titleWidth + 16;
        double shortened = shortTitleWidth + 16;
        for (double w : labelWidths) {
            full += SWATCH + 6 + w + 18;
            compact += COMPACT_SWATCH + 6 + w + 10;
            shortened += COMPACT_SWATCH + 6 + w + 10;
        }
        // The last entry's trailing gap is not drawn.
        return full - 18 <= available ? FIT_FULL : compact - 10 <= available ? FIT_COMPACT
                : shortened - 10 <= available ? FIT_SHORT_TITLE : FIT_TIGHT;
    }

    /** Label every this many grid lines {@code spacing} px apart, so labels stay {@link #MIN_LABEL_GAP} apart. */
    static int labelEvery(double spacing) {
        return spacing >= MIN_LABEL_GAP ? 1 : (int) Math.ceil(MIN_LABEL_GAP / Math.max(spacing, 1e-9));
    }

    private static double textWidth(String text, Font font) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(text);
        t.setFont(font);
        return t.getLayoutBounds().getWidth();
    }

    /**
     * A framed panel with a horizontal grid from 0 to {@code max}, every label a round number. Returns the grid's lines
     * from the foot up, each with its label (empty where a short panel leaves it out).
     */
    static java.util.List<ValueMark> grid(GraphicsContext g, JitterChart.Colors colors, double left, double right, double top,
                                          double height, double max) {
        g.setStroke(colors.grid());
        g.setLineWidth(1);
        g.strokeRect(left, top, right - left, height);
        g.setFill(colors.muted());
        g.setFont(LABEL);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        // Round steps (1, 2 or 5 times a power of ten), four or five of them up to a round top: 0, 20, 40 … 100, never 25.
        double step = RoundScale.step(max, 4);
        int steps = (int) Math.round(max / step);
        // A short panel keeps every grid line but labels fewer, from 0 up, so no two labels touch.
        int every = labelEvery(height / steps);
        java.util.List<ValueMark> lines = new java.util.ArrayList<>();
        for (int i = 0; i <= steps; i++) {
            double v = Double.parseDouble(new java.math.BigDecimal(Double.toString(step)).multiply(java.math.BigDecimal.valueOf(i))
                    .toPlainString());
            double y = top + height - height * v / max;
            g.strokeLine(left, y, right, y);
            String label = i % every == 0 ? roundMs(v) : "";
            if (!label.isEmpty()) {
                g.fillText(label, left - 8, y);
            }
            lines.add(new ValueMark(v, label, y));
        }
        return java.util.List.copyOf(lines);
    }

    /** The least space between two time labels, about two characters: less, and "00:00 01:00" reads as one number. */
    static final double MIN_TIME_GAP = 16;

    /** A time axis's mark as drawn: the time it names, and the left and right ends of its label, px. */
    record TimeMark(ShowClock.Tick tick, double left, double right) {
    }

    /**
     * The time axis under the last panel: marks at the times they name on {@code clock} (a live node's wall clock,
     * else the show's), the shortest round step of at most eight marks whose labels stay {@link #MIN_TIME_GAP} apart
     * across the plot's width (a chart beside the ranking on a 1,000 px window has room for fewer). Returns the marks
     * drawn.
     */
    static java.util.List<TimeMark> timeAxis(GraphicsContext g, JitterChart.Colors colors, Axis x, double y, ShowClock clock) {
        long span = x.to() - x.from();
        // The last mark stays whole inside the canvas, moved left of its time where it would run past the edge.
        double edge = g.getCanvas().getWidth() - 2;
        java.util.List<TimeMark> marks = java.util.List.of();
        for (long step : TIME_STEPS) {
            if (span / step > 8 && step != TIME_STEPS[TIME_STEPS.length - 1]) {
                continue;
            }
            marks = place(x, edge, clock.ticks(x.from() * 1000, x.to() * 1000, step * 1000));
            if (apart(marks)) {
                break;
            }
        }
        g.setFill(colors.muted());
        g.setFont(LABEL);
        g.setTextBaseline(VPos.TOP);
        // The clock is named in the tab's words ("00:00 to 06:00 (show time)"), never here.
        g.setTextAlign(TextAlignment.CENTER);
        for (TimeMark m : marks) {
            g.fillText(m.tick().label(), (m.left() + m.right()) / 2, y + 6);
        }
        return marks;
    }

    private static java.util.List<TimeMark> place(Axis x, double edge, java.util.List<ShowClock.Tick> ticks) {
        java.util.List<TimeMark> marks = new java.util.ArrayList<>();
        for (ShowClock.Tick t : ticks) {
            double half = textWidth(t.label(), LABEL) / 2;
            double at = Math.min(x.at(t.engineMillis() / 1000.0), edge - half);
            marks.add(new TimeMark(t, at - half, at + half));
        }
        return java.util.List.copyOf(marks);
    }

    /** True when each label ends at least {@link #MIN_TIME_GAP} before the next begins. */
    static boolean apart(java.util.List<TimeMark> marks) {
        for (int i = 1; i < marks.size(); i++) {
            if (marks.get(i).left() - marks.get(i - 1).right() < MIN_TIME_GAP) {
                return false;
            }
        }
        return true;
    }

    /** A line through each column's centre at {@code y}; NaN leaves a gap. Stroke and dashes as already set. */
    static void polyline(GraphicsContext g, JitterColumns c, Axis x, IntToDoubleFunction y) {
        boolean drawing = false;
        g.beginPath();
        for (int col = 0; col < c.count(); col++) {
            double v = y.applyAsDouble(col);
            double px = (x.at(c.start()[col]) + x.at(c.end()[col])) / 2;
            if (Double.isNaN(v)) {
                drawing = false;
                continue;
            }
            if (drawing) {
                g.lineTo(px, v);
            } else {
                g.moveTo(px, v);
                drawing = true;
            }
        }
        g.stroke();
    }

    /** A value on a scale: where it was drawn ({@code y}, px) and what its label says. */
    record ValueMark(double value, String label, double y) {
    }

    /**
     * Round marks for a log scale from {@code from} to {@code to} (both above 0), {@code y} placing a value: 1, 2 and 5
     * in each decade where those stay {@link #MIN_LABEL_GAP} apart, else 1 and 3, else each power of ten, else every
     * second or third one; from the foot up.
     */
    static java.util.List<ValueMark> logMarks(double from, double to, java.util.function.DoubleUnaryOperator y) {
        java.util.List<ValueMark> marks = java.util.List.of();
        for (double[] set : new double[][] {{1, 2, 5}, {1, 3}, {1}}) {
            for (int decades = 1; decades <= (set.length > 1 ? 1 : 3); decades++) {
                marks = logMarks(from, to, y, set, decades);
                boolean apart = true;
                for (int i = 1; i < marks.size(); i++) {
                    apart &= Math.abs(marks.get(i).y() - marks.get(i - 1).y()) >= MIN_LABEL_GAP;
                }
                if (apart) {
                    return marks;
                }
            }
        }
        return marks;
    }

    private static java.util.List<ValueMark> logMarks(double from, double to, java.util.function.DoubleUnaryOperator y,
                                                     double[] multiples, int everyDecades) {
        java.util.List<ValueMark> marks = new java.util.ArrayList<>();
        int low = (int) Math.floor(Math.log10(from));
        int high = (int) Math.ceil(Math.log10(to));
        for (int d = low; d <= high; d++) {
            if (Math.floorMod(d, everyDecades) != 0) {
                continue;
            }
            for (double m : multiples) {
                // Parsed from its digits, so 0.2 is 0.2 and not 2 × 0.1000…01.
                double v = Double.parseDouble((int) m + "e" + d);
                if (v >= from * (1 - 1e-9) && v <= to * (1 + 1e-9)) {
                    marks.add(new ValueMark(v, roundMs(v), y.applyAsDouble(v)));
                }
            }
        }
        return java.util.List.copyOf(marks);
    }

    /** A round latency as a person writes it: "5 ms", "0.5 ms", "200 ms", "1 s", "2.5 s". */
    static String roundMs(double v) {
        boolean seconds = v >= 1000;
        String digits = new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", seconds ? v / 1000 : v))
                .stripTrailingZeros().toPlainString();
        return digits + (seconds ? " s" : " ms");
    }
}
