package io.edgedeck.console.jitter;

import javafx.scene.Node;

import java.util.List;

/** What the Jitter tab's chart last drew, for tests outside its package. FX thread. */
public final class JitterChartProbe {
    private final JitterChart chart;

    private JitterChartProbe(JitterChart chart) {
        this.chart = chart;
    }

    /** The chart of the Jitter tab's view {@code view}. */
    public static JitterChartProbe of(Node view) {
        return new JitterChartProbe(((JitterView) view).chart());
    }

    /** The time axis's labels, left to right, each {left, right} in px. */
    public List<double[]> timeLabels() {
        return chart.axisLabels().stream().map(m -> new double[] {m.left(), m.right()}).toList();
    }

    /** The time axis's labels' words, left to right. */
    public List<String> timeLabelTexts() {
        return chart.axisLabels().stream().map(m -> m.tick().label()).toList();
    }

    public String heatmapTitle() {
        return chart.heatmapTitle() == null ? "" : chart.heatmapTitle().text();
    }

    /** Where the heatmap's title ends, px; 0 before it is drawn. */
    public double heatmapTitleRight() {
        return chart.heatmapTitle() == null ? 0 : chart.heatmapTitle().right();
    }

    /** Where the latency and jitter panels' legends end at the furthest, px. */
    public double legendsRight() {
        return chart.legendsRight();
    }

    public double plotRight() {
        return chart.plotRight();
    }
}
