package io.edgedeck.console.jitter;

import io.edgedeck.client.model.PopHistory;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.console.jitter.ChartAxes.Axis;
import io.edgedeck.console.jitter.ChartAxes.Swatch;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One PoP over time, in three panels sharing the time axis: the audience's latency heatmap (time x
 * log latency bucket, colour by request count), percentile bands the way SmokePing draws them (p50
 * line over p5-p95 shading, p99 lighter above), and the RFC 3550 jitter line against its threshold.
 * Lost requests are marked in red under the bands; the first sustained crossing is a red line
 * through all three panels. Where the node's active probes measure the PoP, their p50 and jitter
 * are drawn beside the audience's in their own colour, dashed and thicker, each panel's legend
 * naming both; where nothing probes it, nothing of a probe is drawn. The frame (axes, grids,
 * legends) is {@link ChartAxes}, the pixel columns {@link JitterColumns}. FX thread only.
 */
final class JitterChart extends Region {
    /**
     * The chart's colours, from the theme; {@code series} draws the audience's data in every mode (never the
     * accent, which is red in a LIVE window like {@code bad}), {@code probe} the active probes'.
     */
    record Colors(Color background, Color text, Color muted, Color series, Color warn, Color bad, Color grid, Color probe) {
    }

    private static final double LEFT = 72;
    private static final double RIGHT = 18;
    private static final double TOP = 6;
    private static final double BOTTOM = 28;
    private static final double GAP = 30;
    private static final double PROBE_WIDTH = 3;
    private static final double[] THRESHOLD_DASHES = {8, 6};

    private final Canvas canvas = new Canvas();
    private JitterViewModel.Picture picture;
    private Colors colors = new Colors(Color.web("#0e1116"), Color.WHITE, Color.GRAY, Color.web("#4ea8ff"),
            Color.ORANGE, Color.RED, Color.web("#2c3545"), Color.web("#f472d0"));

    /** The clock times are read on, the console's: the wall clock on a live node, the show's elsewhere. */
    private final java.util.function.Supplier<ShowClock> times;
    /** The time axis's marks as last drawn. */
    private List<ChartAxes.TimeMark> axis = List.of();
    /** The heatmap's title as last drawn. */
    private ChartAxes.Drawn heatTitle;
    /** Where the other panels' titles and legends, as last drawn, end at the furthest, px. */
    private double legendsRight;
    private List<ChartAxes.ValueMark> heatMarks = List.of();
    private List<ChartAxes.ValueMark> latencyScale = List.of();
    private List<ChartAxes.ValueMark> jitterScale = List.of();
    private List<double[]> panels = List.of();
    private List<double[]> onsetLine = List.of();

    /** @param times the clock the axis and the onset's label are on, as on every other tab */
    JitterChart(java.util.function.Supplier<ShowClock> times) {
        this.times = times;
        // Unmanaged, so the canvas's last size never feeds back into the size the layout gives the chart.
        canvas.setManaged(false);
        getChildren().add(canvas);
        setMinSize(400, 240);
        setPrefSize(800, 480);
    }

    void show(JitterViewModel.Picture p) {
        picture = p;
        draw();
    }

    void setColors(Colors c) {
        colors = c;
        draw();
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth());
        double h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            draw();
        }
    }

    private void draw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(colors.background());
        g.fillRect(0, 0, w, h);
        // What the last drawing placed is gone with it: a picture not drawn (none yet, or no room) reports nothing.
        axis = List.of();
        heatTitle = null;
        legendsRight = 0;
        if (picture == null || w < LEFT + RIGHT + 10 || h < TOP + BOTTOM + 3 * GAP) {
            return;
        }
        double plotW = w - LEFT - RIGHT;
        // Each panel has its title in the gap above it: 0.6 of a gap above the first, a full gap above the others.
        double plotH = h - TOP - BOTTOM - 2.6 * GAP;
        double heatH = plotH * 0.42;
        double bandH = plotH * 0.33;
        double jitterH = plotH - heatH - bandH;
        double heatTop = TOP + GAP * 0.6;
        double bandTop = heatTop + heatH + GAP;
        double jitterTop = bandTop + bandH + GAP;
        Axis x = new Axis(picture.fromSecond(), Math.max(picture.toSecond(), picture.fromSecond() + 1), LEFT, plotW);
        JitterColumns c = JitterColumns.of(picture.rows(), (int) plotW);
        PopHistory probeRows = picture.rows().probes();
        JitterColumns probes = probeRows == null ? null : JitterColumns.of(probeRows, (int) plotW);

        drawHeatmap(g, c, x, heatTop, heatH);
        drawBands(g, c, probes, x, bandTop, bandH);
        drawJitter(g, c, probes, x, jitterTop, jitterH);
        axis = ChartAxes.timeAxis(g, colors, x, jitterTop + jitterH, times.get());
        panels = List.of(new double[] {heatTop, heatTop + heatH}, new double[] {bandTop, bandTop + bandH},
                new double[] {jitterTop, jitterTop + jitterH});
        onsetLine = List.of();
        if (picture.onset() != null && picture.onset().second() >= picture.fromSecond()) {
            double ox = x.at(picture.onset().second());
            g.setStroke(colors.bad());
            g.setLineWidth(2);
            // Through each panel, not the gaps between them, where the panels' titles and legends are.
            for (double[] p : panels) {
                g.strokeLine(ox, p[0], ox, p[1]);
            }
            onsetLine = panels;
            g.setFill(colors.bad());
            g.setFont(ChartAxes.TITLE);
            g.setTextBaseline(VPos.TOP);
            String at = times.get().format(picture.onset().second() * 1000);
            OnsetLabel label = OnsetLabel.place(ox, LEFT, w - RIGHT,
                    String.format(Locale.ROOT, "first held over %.0f ms at %s", picture.thresholdMs(), at),
                    String.format(Locale.ROOT, "held > %.0f ms at %s", picture.thresholdMs(), at), at);
            g.setTextAlign(label.right() ? TextAlignment.LEFT : TextAlignment.RIGHT);
            g.fillText(label.text(), label.right() ? ox + 6 : ox - 6, bandTop + 2);
        }
    }

    /**
     * Where the onset line's words go: right of the line when they fit before the plot's right edge, else left of it
     * when they fit after its left edge (the latency scale's labels are left of that), else the same test with
     * shorter words, down to the time alone; a narrow chart (a 1,000 px window beside the ranking) had the whole words
     * run over the scale's labels. Widths are estimated at 8 px a character, as the title font draws them at most.
     */
    record OnsetLabel(String text, boolean right) {
        static final double CHAR_WIDTH = 8;

        static OnsetLabel place(double lineX, double plotLeft, double plotRight, String... longestFirst) {
            for (String text : longestFirst) {
                double width = text.length() * CHAR_WIDTH;
                if (lineX + 6 + width <= plotRight) {
                    return new OnsetLabel(text, true);
                }
                if (lineX - 6 - width >= plotLeft) {
                    return new OnsetLabel(text, false);
                }
            }
            String last = longestFirst[longestFirst.length - 1];
            return new OnsetLabel(last, plotRight - lineX >= lineX - plotLeft);
        }
    }

    /** The time axis's marks as last drawn, left to right: where each is, in engine time, and what it says. FX thread. */
    List<ShowClock.Tick> axisTicks() {
        return axis.stream().map(ChartAxes.TimeMark::tick).toList();
    }

    /** The time axis's labels as last drawn, left to right, each with where it begins and ends. FX thread. */
    List<ChartAxes.TimeMark> axisLabels() {
        return axis;
    }

    /** The heatmap's title as last drawn, and where it ends; null before the first picture. FX thread. */
    ChartAxes.Drawn heatmapTitle() {
        return heatTitle;
    }

    /** Where the latency and jitter panels' titles and legends end at the furthest, as last drawn, px. FX thread. */
    double legendsRight() {
        return legendsRight;
    }

    /** Where the plots end on the right, px: titles and legends end there too. FX thread. */
    double plotRight() {
        return canvas.getWidth() - RIGHT;
    }

    /** The heatmap's latency scale as last drawn, from its foot up. FX thread. */
    List<ChartAxes.ValueMark> heatmapMarks() {
        return heatMarks;
    }

    /** The latency panel's grid as last drawn, from its foot up, each line with its label (empty where left out). FX thread. */
    List<ChartAxes.ValueMark> latencyScale() {
        return latencyScale;
    }

    /** The jitter panel's grid as last drawn, from its foot up, each line with its label (empty where left out). FX thread. */
    List<ChartAxes.ValueMark> jitterScale() {
        return jitterScale;
    }

    /** The three panels as last drawn, top to foot, {top, bottom} in px: their titles and legends are in the gaps above. FX thread. */
    List<double[]> panels() {
        return panels;
    }

    /** The stretches {top, bottom} in px the onset's line was last drawn over; none without an onset. FX thread. */
    List<double[]> onsetLine() {
        return onsetLine;
    }

    private void drawHeatmap(GraphicsContext g, JitterColumns c, Axis x, double top, double height) {
        double[] edges = picture.rows().bucketEdgesMs();
        int buckets = edges.length - 1;
        int lo = buckets;
        int hi = -1;
        long most = 0;
        for (int col = 0; col < c.count(); col++) {
            for (int b = 0; b < buckets; b++) {
                if (c.heat()[col][b] > 0) {
                    lo = Math.min(lo, b);
                    hi = Math.max(hi, b);
                    most = Math.max(most, c.heat()[col][b]);
                }
            }
        }
        // Narrower beside the ranking on a 1,000 px window: the same words, fewer of them, never cut at the canvas's edge.
        heatTitle = ChartAxes.heading(g, colors, LEFT, LEFT + x.width(), top, "audience latency: requests per bucket (brighter = more)",
                "audience latency (brighter = more requests)", "audience latency (brighter = more)", "audience latency");
        g.setStroke(colors.grid());
        g.setLineWidth(1);
        g.strokeRect(LEFT, top, x.width(), height);
        heatMarks = List.of();
        if (hi < 0) {
            return;
        }
        // Show the buckets in use and a little room around them, at least eight so cells stay readable.
        lo = Math.max(0, lo - 1);
        hi = Math.min(buckets - 1, hi + 1);
        while (hi - lo < 7) {
            if (lo > 0) lo--;
            if (hi - lo < 7 && hi < buckets - 1) hi++;
        }
        double cellH = height / (hi - lo + 1);
        double logMost = Math.log1p(most);
        for (int col = 0; col < c.count(); col++) {
            double x0 = x.at(c.start()[col]);
            double x1 = Math.max(x0 + 1, x.at(c.end()[col]));
            for (int b = lo; b <= hi; b++) {
                long n = c.heat()[col][b];
                if (n > 0) {
                    g.setFill(ramp(Math.log1p(n) / logMost));
                    g.fillRect(x0, top + height - (b - lo + 1) * cellH, x1 - x0, cellH + 0.5);
                }
            }
        }
        // The scale in round numbers (1, 2, 5 in each decade, or fewer where the panel is short), each where its
        // value falls between the edges of the buckets drawn; the buckets' own edges are not round.
        int first = lo;
        int last = hi;
        double bottom = top + height;
        java.util.function.DoubleUnaryOperator y = v -> {
            int k = first;
            while (k < last && edges[k + 1] <= v) {
                k++;
            }
            double a = edges[k];
            double b = edges[k + 1];
            double within = a > 0 ? Math.log(v / a) / Math.log(b / a) : (v - a) / (b - a);
            return bottom - (k - first + Math.clamp(within, 0, 1)) * cellH;
        };
        double from = edges[lo] > 0 ? edges[lo] : edges[lo + 1];
        heatMarks = ChartAxes.logMarks(from, edges[hi + 1], y);
        g.setFill(colors.muted());
        g.setStroke(colors.muted());
        g.setFont(ChartAxes.LABEL);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (ChartAxes.ValueMark m : heatMarks) {
            g.strokeLine(LEFT - 5, m.y(), LEFT, m.y());
            g.fillText(m.label(), LEFT - 8, m.y());
        }
    }

    /** Dim series colour for few requests through to warm amber for the most. */
    private Color ramp(double t) {
        Color dim = colors.background().interpolate(colors.series(), 0.35);
        return t < 0.6 ? dim.interpolate(colors.series(), t / 0.6) : colors.series().interpolate(colors.warn(), (t - 0.6) / 0.4);
    }

    private void drawBands(GraphicsContext g, JitterColumns c, JitterColumns probes, Axis x, double top, double height) {
        double max = 10;
        for (int col = 0; col < c.count(); col++) {
            max = Math.max(max, c.p99()[col]);
        }
        for (int col = 0; probes != null && col < probes.count(); col++) {
            max = probes.requests()[col] > 0 ? Math.max(max, probes.p50()[col]) : max;
        }
        double top99 = io.edgedeck.console.common.RoundScale.top(max * 1.05);
        List<Swatch> legend = new ArrayList<>(List.of(Swatch.line("audience p50", colors.text(), 2),
                Swatch.block("p5-p95", colors.series().deriveColor(0, 1, 1, 0.5)), Swatch.block("lost", colors.bad())));
        if (probes != null) {
            legend.add(Swatch.dashed("probe p50", colors.probe(), PROBE_WIDTH, ChartAxes.PROBE_DASHES));
            legend.add(Swatch.block("probe lost", colors.probe()));
        }
        legendsRight = ChartAxes.title(g, colors, "latency (ms)", "latency", LEFT, LEFT + x.width(), top, legend.toArray(Swatch[]::new));
        latencyScale = ChartAxes.grid(g, colors, LEFT, LEFT + x.width(), top, height, top99);
        double bottom = top + height;
        for (int col = 0; col < c.count(); col++) {
            if (c.requests()[col] == 0) {
                continue;
            }
            double x0 = x.at(c.start()[col]);
            double x1 = Math.max(x0 + 1, x.at(c.end()[col]));
            double y5 = bottom - c.p5()[col] / top99 * height;
            double y95 = bottom - c.p95()[col] / top99 * height;
            double y99 = bottom - c.p99()[col] / top99 * height;
            g.setFill(colors.series().deriveColor(0, 1, 1, 0.22));
            g.fillRect(x0, y99, x1 - x0, y95 - y99);
            g.setFill(colors.series().deriveColor(0, 1, 1, 0.5));
            g.fillRect(x0, y95, x1 - x0, y5 - y95);
        }
        g.setStroke(colors.text());
        g.setLineWidth(2);
        ChartAxes.polyline(g, c, x, col -> c.requests()[col] == 0 ? Double.NaN : bottom - c.p50()[col] / top99 * height);
        lostTicks(g, c, x, bottom, colors.bad());
        if (probes != null) {
            g.setStroke(colors.probe());
            g.setLineWidth(PROBE_WIDTH);
            g.setLineDashes(ChartAxes.PROBE_DASHES);
            ChartAxes.polyline(g, probes, x, col -> probes.requests()[col] == 0 ? Double.NaN : bottom - probes.p50()[col] / top99 * height);
            g.setLineDashes();
            lostTicks(g, probes, x, top + 7, colors.probe());
        }
    }

    /** A tick at {@code y} (its lower edge) under every column with a lost request. */
    private static void lostTicks(GraphicsContext g, JitterColumns c, Axis x, double y, Color color) {
        g.setFill(color);
        for (int col = 0; col < c.count(); col++) {
            if (c.lost()[col] > 0) {
                double x0 = x.at(c.start()[col]);
                g.fillRect(x0, y - 7, Math.max(2, x.at(c.end()[col]) - x0), 7);
            }
        }
    }

    private void drawJitter(GraphicsContext g, JitterColumns c, JitterColumns probes, Axis x, double top, double height) {
        double threshold = picture.thresholdMs();
        double max = threshold * 1.5;
        for (int col = 0; col < c.count(); col++) {
            max = JitterColumns.highest(max, c.jitter()[col]);
        }
        for (int col = 0; probes != null && col < probes.count(); col++) {
            max = JitterColumns.highest(max, probes.jitter()[col]);
        }
        max = io.edgedeck.console.common.RoundScale.top(max * 1.05);
        List<Swatch> legend = new ArrayList<>(List.of(Swatch.line("audience", colors.series(), 2)));
        if (probes != null) {
            legend.add(Swatch.dashed("probes", colors.probe(), PROBE_WIDTH, ChartAxes.PROBE_DASHES));
        }
        legend.add(Swatch.dashed(String.format(Locale.ROOT, "threshold %.0f ms", threshold), colors.warn(), 1.5, THRESHOLD_DASHES));
        legendsRight = Math.max(legendsRight, ChartAxes.title(g, colors, "RFC 3550 jitter (ms)", "jitter (ms)", LEFT, LEFT + x.width(),
                top, legend.toArray(Swatch[]::new)));
        jitterScale = ChartAxes.grid(g, colors, LEFT, LEFT + x.width(), top, height, max);
        double bottom = top + height;
        double ty = bottom - threshold / max * height;
        g.setStroke(colors.warn());
        g.setLineWidth(1.5);
        g.setLineDashes(THRESHOLD_DASHES);
        g.strokeLine(LEFT, ty, LEFT + x.width(), ty);
        g.setLineDashes();
        double finalMax = max;
        g.setLineWidth(2);
        g.setStroke(colors.series());
        ChartAxes.polyline(g, c, x, col -> bottom - c.jitter()[col] / finalMax * height);
        g.setStroke(colors.bad());
        g.setLineWidth(2.5);
        ChartAxes.polyline(g, c, x, col -> c.jitter()[col] >= threshold ? bottom - c.jitter()[col] / finalMax * height : Double.NaN);
        if (probes != null) {
            g.setStroke(colors.probe());
            g.setLineWidth(PROBE_WIDTH);
            g.setLineDashes(ChartAxes.PROBE_DASHES);
            ChartAxes.polyline(g, probes, x, col -> bottom - probes.jitter()[col] / finalMax * height);
            g.setLineDashes();
        }
    }
}
