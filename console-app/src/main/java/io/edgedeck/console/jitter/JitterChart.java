package io.edgedeck.console.jitter;

import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.analysis.WhatChanged;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.Locale;

/**
 * One PoP over time, in three panels sharing the time axis: a latency heatmap (time x log latency
 * bucket, colour by request count), percentile bands the way SmokePing draws them (p50 line over
 * p5-p95 shading, p99 lighter above), and the RFC 3550 jitter line against its threshold. Lost
 * requests are marked in red under the bands; the first sustained crossing is a red line through
 * all three panels. When there are more rows than pixels, each pixel column summarises its rows
 * (counts summed, p5 lowest, p95/p99/jitter highest) so a short spike never disappears.
 * FX thread only.
 */
final class JitterChart extends Region {
    /** The chart's colours, from the theme. */
    record Colors(Color background, Color text, Color muted, Color accent, Color warn, Color bad, Color grid) {
    }

    private static final double LEFT = 72;
    private static final double RIGHT = 18;
    private static final double TOP = 6;
    private static final double BOTTOM = 28;
    private static final double GAP = 30;
    private static final Font LABEL = Font.font(14);
    private static final Font TITLE = Font.font(null, FontWeight.BOLD, 14);
    private static final long[] TIME_STEPS = {5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400};

    private final Canvas canvas = new Canvas();
    private JitterViewModel.Picture picture;
    private Colors colors = new Colors(Color.web("#0e1116"), Color.WHITE, Color.GRAY, Color.web("#4ea8ff"),
            Color.ORANGE, Color.RED, Color.web("#2c3545"));

    JitterChart() {
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

    /** Rows summarised into pixel columns. */
    private record Columns(int count, long[] start, long[] end, long[] requests, long[] lost, double[] p5, double[] p50,
                           double[] p95, double[] p99, double[] jitter, long[][] heat) {

        static Columns of(PopHistory h, int maxColumns) {
            int n = h.rows();
            int cols = Math.max(0, Math.min(n, maxColumns));
            Columns c = new Columns(cols, new long[cols], new long[cols], new long[cols], new long[cols], new double[cols],
                    new double[cols], new double[cols], new double[cols], new double[cols], new long[cols][h.buckets()]);
            for (int col = 0; col < cols; col++) {
                int r0 = (int) ((long) col * n / cols);
                int r1 = (int) ((long) (col + 1) * n / cols);
                c.start[col] = h.startSecond()[r0];
                c.end[col] = h.startSecond()[r1 - 1] + h.resolutionSeconds();
                c.p5[col] = Double.MAX_VALUE;
                double p50Sum = 0;
                int served = 0;
                for (int r = r0; r < r1; r++) {
                    c.lost[col] += h.lost()[r];
                    c.jitter[col] = Math.max(c.jitter[col], h.jitterMs()[r]);
                    for (int b = 0; b < h.buckets(); b++) {
                        c.heat[col][b] += h.heat(r, b);
                    }
                    if (h.requests()[r] > 0) {
                        c.requests[col] += h.requests()[r];
                        c.p5[col] = Math.min(c.p5[col], h.p5Ms()[r]);
                        c.p95[col] = Math.max(c.p95[col], h.p95Ms()[r]);
                        c.p99[col] = Math.max(c.p99[col], h.p99Ms()[r]);
                        p50Sum += h.p50Ms()[r];
                        served++;
                    }
                }
                c.p50[col] = served == 0 ? 0 : p50Sum / served;
            }
            return c;
        }
    }

    private void draw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(colors.background());
        g.fillRect(0, 0, w, h);
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
        Columns c = Columns.of(picture.rows(), (int) plotW);

        drawHeatmap(g, c, x, heatTop, heatH);
        drawBands(g, c, x, bandTop, bandH);
        drawJitter(g, c, x, jitterTop, jitterH);
        drawTimeAxis(g, x, jitterTop + jitterH);
        if (picture.onset() != null && picture.onset().second() >= picture.fromSecond()) {
            double ox = x.at(picture.onset().second());
            g.setStroke(colors.bad());
            g.setLineWidth(2);
            g.strokeLine(ox, heatTop - 4, ox, jitterTop + jitterH);
            g.setFill(colors.bad());
            g.setFont(TITLE);
            g.setTextBaseline(VPos.TOP);
            String text = String.format(Locale.ROOT, "first over %.0f ms at %s", picture.thresholdMs(),
                    WhatChanged.clock(picture.onset().second()));
            boolean roomRight = ox + 8 + text.length() * 8 < w - RIGHT;
            g.setTextAlign(roomRight ? TextAlignment.LEFT : TextAlignment.RIGHT);
            g.fillText(text, roomRight ? ox + 6 : ox - 6, bandTop + 2);
        }
    }

    private record Axis(long from, long to, double left, double width) {
        double at(double second) {
            return left + (second - from) / (double) (to - from) * width;
        }
    }

    private void panelTitle(GraphicsContext g, String text, double top) {
        g.setFill(colors.muted());
        g.setFont(TITLE);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(text, LEFT, top - 4);
    }

    private void drawHeatmap(GraphicsContext g, Columns c, Axis x, double top, double height) {
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
        panelTitle(g, "latency heatmap: requests per latency bucket (brighter = more)", top);
        g.setStroke(colors.grid());
        g.setLineWidth(1);
        g.strokeRect(LEFT, top, x.width(), height);
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
        g.setFill(colors.muted());
        g.setFont(LABEL);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int k = lo; k <= hi + 1; k += 2) {
            g.fillText(ms(edges[k]), LEFT - 8, top + height - (k - lo) * cellH);
        }
    }

    /** Dim accent for few requests through to warm amber for the most. */
    private Color ramp(double t) {
        Color dim = colors.background().interpolate(colors.accent(), 0.35);
        return t < 0.6 ? dim.interpolate(colors.accent(), t / 0.6) : colors.accent().interpolate(colors.warn(), (t - 0.6) / 0.4);
    }

    private void drawBands(GraphicsContext g, Columns c, Axis x, double top, double height) {
        double max = 10;
        for (int col = 0; col < c.count(); col++) {
            max = Math.max(max, c.p99()[col]);
        }
        double top99 = niceCeiling(max * 1.05);
        panelTitle(g, "latency (ms): p50 line, p5-p95 band, p99 lighter; red ticks = lost requests", top);
        drawGrid(g, top, height, top99);
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
            g.setFill(colors.accent().deriveColor(0, 1, 1, 0.22));
            g.fillRect(x0, y99, x1 - x0, y95 - y99);
            g.setFill(colors.accent().deriveColor(0, 1, 1, 0.5));
            g.fillRect(x0, y95, x1 - x0, y5 - y95);
        }
        g.setStroke(colors.text());
        g.setLineWidth(2);
        polyline(g, c, x, col -> c.requests()[col] == 0 ? Double.NaN : bottom - c.p50()[col] / top99 * height);
        g.setFill(colors.bad());
        for (int col = 0; col < c.count(); col++) {
            if (c.lost()[col] > 0) {
                double x0 = x.at(c.start()[col]);
                g.fillRect(x0, bottom - 7, Math.max(2, x.at(c.end()[col]) - x0), 7);
            }
        }
    }

    private void drawJitter(GraphicsContext g, Columns c, Axis x, double top, double height) {
        double threshold = picture.thresholdMs();
        double max = threshold * 1.5;
        for (int col = 0; col < c.count(); col++) {
            max = Math.max(max, c.jitter()[col]);
        }
        max = niceCeiling(max * 1.05);
        panelTitle(g, String.format(Locale.ROOT, "RFC 3550 jitter (ms); dashed: threshold %.0f ms", threshold), top);
        drawGrid(g, top, height, max);
        double bottom = top + height;
        double ty = bottom - threshold / max * height;
        g.setStroke(colors.warn());
        g.setLineWidth(1.5);
        g.setLineDashes(8, 6);
        g.strokeLine(LEFT, ty, LEFT + x.width(), ty);
        g.setLineDashes();
        double finalMax = max;
        g.setLineWidth(2);
        g.setStroke(colors.accent());
        polyline(g, c, x, col -> bottom - c.jitter()[col] / finalMax * height);
        g.setStroke(colors.bad());
        g.setLineWidth(2.5);
        polyline(g, c, x, col -> c.jitter()[col] >= threshold ? bottom - c.jitter()[col] / finalMax * height : Double.NaN);
    }

    private void polyline(GraphicsContext g, Columns c, Axis x, java.util.function.IntToDoubleFunction y) {
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

    private void drawGrid(GraphicsContext g, double top, double height, double max) {
        g.setStroke(colors.grid());
        g.setLineWidth(1);
        g.strokeRect(LEFT, top, canvas.getWidth() - LEFT - RIGHT, height);
        g.setFill(colors.muted());
        g.setFont(LABEL);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        // Five steps for tops like 50 or 250 and four for 100 or 200, so every label is a round number.
        double leading = max / Math.pow(10, Math.floor(Math.log10(max)));
        int steps = leading == 5 || leading == 2.5 ? 5 : 4;
        for (int i = 0; i <= steps; i++) {
            double v = max * i / steps;
            double y = top + height - height * i / steps;
            g.strokeLine(LEFT, y, canvas.getWidth() - RIGHT, y);
            g.fillText(ms(v), LEFT - 8, y);
        }
    }

    private void drawTimeAxis(GraphicsContext g, Axis x, double y) {
        long span = x.to() - x.from();
        long step = TIME_STEPS[TIME_STEPS.length - 1];
        for (long s : TIME_STEPS) {
            if (span / s <= 8) {
                step = s;
                break;
            }
        }
        g.setFill(colors.muted());
        g.setFont(LABEL);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        for (long t = Math.ceilDiv(x.from(), step) * step; t <= x.to(); t += step) {
            g.fillText(WhatChanged.clock(t), x.at(t), y + 6);
        }
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String ms(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%.3g s", v / 1000);
        }
        return v >= 10 || v == 0 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.1f ms", v);
    }
}
