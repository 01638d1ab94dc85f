package io.edgedeck.console.dashboard;

import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.StyleClasses;
import javafx.beans.value.ChangeListener;
import javafx.geometry.HPos;
import javafx.geometry.VPos;
import javafx.scene.control.Label;
import javafx.scene.text.Text;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.shape.Line;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One PoP on the wall: its name and health, the p95 in large type coloured by the objective or by
 * the PoP's learned normal (Settings), a sparkline of recent p95s under a dashed line where the
 * colour turns (the objective, or the top of the normal band), and p50, p99, jitter and loss
 * beneath. A tile too short for the detail beneath but wide enough (a wall of 6 in a narrow window)
 * keeps it beside the p95, on the left. The tile sheds decoration as it shrinks, so the p95 stays
 * readable on a wall of 24: first the detail line, then the sparkline. Its tooltip always holds every number. Colours come
 * from the theme sheet through style classes; nothing here names a colour.
 */
public final class PopTile extends Region {
    /** The detail breaks into at most this many lines; past that its last line is cut with an ellipsis. */
    private static final int DETAIL_MAX_LINES = 3;
    /** Below this height the detail line goes. */
    static final double DETAIL_MIN_HEIGHT = 150;
    /** Below this height the sparkline goes. */
    static final double SPARK_MIN_HEIGHT = 112;
    /** Between the p95 and a detail beside it. */
    private static final double BESIDE_GAP = 12;
    /** A detail beside the p95 has the tile's height below the title: it may take a line more than one beneath. */
    private static final int BESIDE_MAX_LINES = 4;
    /** The smallest a p95 beside its detail is drawn to keep its unit: still read as the tile's number across a room. */
    private static final double SMALLEST_BESIDE_VALUE = 30;

    private final PopTileViewModel viewModel;
    private final Label title = new Label();
    private final Label health = new Label();
    private final Label value = new Label();
    private final Label unit = new Label(UNIT);
    private final Label detail = new Label();
    private final Path spark = new Path();
    private final Line objective = new Line();
    private final Tooltip tooltip = new Tooltip();
    private final ChangeListener<Long> onSample = (obs, old, now) -> refresh();
    private final ChangeListener<Status> onStatus = (obs, old, now) -> restyle(now);
    private final ChangeListener<String> onHealth = (obs, old, now) -> refresh();
    private Status styledFor;
    /** Measures the detail line in the label's font, to break it between its parts rather than cut it. */
    private final Text measure = new Text();

    public PopTile(PopTileViewModel viewModel) {
        this.viewModel = viewModel;
        setId("pop-tile-" + viewModel.popId());
        getStyleClass().add(StyleClasses.POP_TILE);
        title.getStyleClass().add(StyleClasses.POP_TILE_TITLE);
        title.setText(viewModel.title());
        health.getStyleClass().add(StyleClasses.POP_TILE_HEALTH);
        health.setId("pop-health-" + viewModel.popId());
        value.getStyleClass().add(StyleClasses.POP_TILE_VALUE);
        value.setId("pop-value-" + viewModel.popId());
        unit.getStyleClass().add(StyleClasses.POP_TILE_UNIT);
        unit.setTextAlignment(javafx.scene.text.TextAlignment.RIGHT);
        detail.getStyleClass().add(StyleClasses.POP_TILE_DETAIL);
        detail.setId("pop-detail-" + viewModel.popId());
        spark.getStyleClass().add(StyleClasses.POP_TILE_SPARK);
        objective.getStyleClass().add(StyleClasses.POP_TILE_OBJECTIVE);
        objective.getStrokeDashArray().setAll(5.0, 4.0);
        for (Label l : new Label[]{title, health, value, unit, detail}) {
            l.setTextOverrun(OverrunStyle.ELLIPSIS);
            l.setMinWidth(0);
        }
        tooltip.setShowDelay(Duration.millis(300));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(420);
        Tooltip.install(this, tooltip);
        getChildren().addAll(objective, spark, title, health, value, unit, detail);
        viewModel.sampleSequenceProperty().addListener(onSample);
        viewModel.statusProperty().addListener(onStatus);
        viewModel.healthProperty().addListener(onHealth);
        restyle(viewModel.statusProperty().get());
        refresh();
    }

    public PopTileViewModel viewModel() {
        return viewModel;
    }

    /** The p95 as the tile shows it, e.g. "27". */
    public String valueText() {
        return value.getText();
    }

    /** Stops following the view model. FX thread. */
    public void dispose() {
        viewModel.sampleSequenceProperty().removeListener(onSample);
        viewModel.statusProperty().removeListener(onStatus);
        viewModel.healthProperty().removeListener(onHealth);
        Tooltip.uninstall(this, tooltip);
    }

    private void restyle(Status status) {
        if (styledFor != null) {
            getStyleClass().remove(styledFor.styleClass());
        }
        getStyleClass().add(status.styleClass());
        styledFor = status;
        refresh();
    }

    private void refresh() {
        // A figure that is not of now is never in large type: at arm's length a large number reads as live. The detail
        // says it, small: "last 123 ms, 45 s ago".
        boolean live = viewModel.served() && !viewModel.stale();
        value.setText(live ? String.format(Locale.ROOT, "%.0f", viewModel.p95Property().get()) : "–");
        tooltip.setText(viewModel.title() + "\n" + viewModel.healthProperty().get() + "\n"
                + (live ? String.format(Locale.ROOT, "p95 %.0f ms over the last 10 s (%s)\n%s", viewModel.p95Property().get(),
                viewModel.basis(), viewModel.detailProperty().get())
                : viewModel.stale() ? "no p95 now (" + viewModel.basis() + "): " + viewModel.detailProperty().get()
                + (viewModel.figures().isEmpty() ? "" : "\nthen: " + viewModel.figures())
                : "no p95 over the last 10 s (" + viewModel.basis() + ")\n" + viewModel.detailProperty().get()));
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        double pad = Math.max(6, Math.min(14, h * 0.07));
        double innerW = w - 2 * pad;
        boolean withDetail = h >= DETAIL_MIN_HEIGHT;
        boolean withSpark = h >= SPARK_MIN_HEIGHT;

        // The health word is read before the region, and before why: where all do not fit, the title is the PoP
        // alone ("FRA"), then the health its word alone ("degraded", the why in the tooltip).
        // The texts are measured before either label is set, and a label is set only when its text changes: setting
        // the full text and then the short one on every pass would change both labels twice a layout.
        String titleText = viewModel.title();
        String healthText = viewModel.healthProperty().get();
        if (labelWidth(title, titleText) + 6 + labelWidth(health, healthText) > innerW && titleText.contains(" · ")) {
            titleText = titleText.substring(0, titleText.indexOf(" · "));
        }
        if (labelWidth(title, titleText) + 6 + labelWidth(health, healthText) > innerW && healthText.contains(" (")) {
            healthText = healthText.substring(0, healthText.indexOf(" ("));
        }
        // A degraded PoP's cause is what explains a red number inside the objective: where "degraded: acquirer slow"
        // does not fit, the cause alone ("acquirer slow", the colour says degraded), and only then the word alone.
        int cause = healthText.indexOf(PopTileViewModel.CAUSE);
        if (labelWidth(title, titleText) + 6 + labelWidth(health, healthText) > innerW && cause > 0) {
            String reason = healthText.substring(cause + PopTileViewModel.CAUSE.length());
            healthText = labelWidth(title, titleText) + 6 + labelWidth(health, reason) <= innerW ? reason : healthText.substring(0, cause);
        }
        if (!titleText.equals(title.getText())) {
            title.setText(titleText);
        }
        if (!healthText.equals(health.getText())) {
            health.setText(healthText);
        }
        double titleH = Math.max(title.prefHeight(-1), health.prefHeight(-1));
        double healthW = Math.min(health.prefWidth(-1), Math.max(innerW * 0.55, innerW - title.prefWidth(-1) - 6));
        layoutInArea(title, pad, pad, innerW - healthW - 6, titleH, 0, HPos.LEFT, VPos.CENTER);
        layoutInArea(health, w - pad - healthW, pad, healthW, titleH, 0, HPos.RIGHT, VPos.CENTER);

        // The detail keeps every number: where one line is too narrow it breaks between its parts. Set here
        // only, once per layout, so a new sample does not set the line twice.
        String full = viewModel.detailProperty().get();
        if (withDetail) {
            setDetail(fitDetail(full, innerW, DETAIL_MAX_LINES));
        }
        // The p95 takes what the title, sparkline and detail leave, up to a size that reads across a room.
        double detailH = withDetail ? detail.prefHeight(-1) : 0;
        double sparkShare = withSpark ? 0.4 : 0;
        double valueSize = Math.clamp((h - titleH - detailH - 2 * pad) * (1 - sparkShare) * 0.85, 22, 64);
        // A neighbour of this size that had to draw its p95 smaller to keep its unit: every tile of the wall alike.
        if (!withDetail && getParent() != null && getParent().getProperties().get(WALL_VALUE_CAP) instanceof ValueCap cap
                && cap.width() == w && cap.height() == h) {
            valueSize = Math.min(valueSize, cap.size());
        }
        // The number is never cut short: a p95 of three or four digits in a narrow tile gets a smaller
        // font, and where even that does not fit, the unit goes (the tooltip still says "ms p95").
        setUnit(UNIT);
        double unitW = unit.prefWidth(-1);
        double room = innerW - unitW - 4;
        valueSize = fitValue(valueSize, room);
        boolean withUnit = value.prefWidth(-1) <= room;
        if (!withUnit) {
            unitW = 0;
            room = innerW;
            valueSize = fitValue(valueSize, room);
        }
        double valueTop = pad + titleH;

        // A tile too short for the detail under the p95 (a wall of 6 in a narrow window: wide and short) keeps it
        // beside the p95, in the room the number leaves on its left, where it fits there whole in up to
        // BESIDE_MAX_LINES lines. The p95 keeps its size for it: every tile of the wall shows its p95 alike. Where
        // the detail does not fit beside the unit (a two-digit jitter, a three-digit p95), the unit gives it its
        // room: the unit reads the same on every tile and in the wall's heading, the numbers are this PoP's own.
        double besideW = 0;
        if (!withDetail) {
            besideW = placeBeside(full, innerW - (withUnit ? unitW + 4 : 0) - Math.min(value.prefWidth(-1), room) - BESIDE_GAP,
                    h - pad - valueTop);
            if (besideW == 0 && withUnit) {
                // The unit on two lines, in its own size, takes half the width: the p95 keeps the size of its
                // neighbours' and its unit, and the detail the room it needs.
                setUnit(UNIT_STACKED);
                double stackedW = unit.prefWidth(-1);
                besideW = placeBeside(full, innerW - stackedW - 4 - Math.min(value.prefWidth(-1), innerW - stackedW - 4) - BESIDE_GAP,
                        h - pad - valueTop);
                if (besideW > 0) {
                    unitW = stackedW;
                    room = innerW - unitW - 4;
                } else {
                    setUnit(UNIT);
                }
            }
            if (besideW == 0 && withUnit) {
                // Then this tile's number a step smaller, its unit still on two lines: the unit is never dropped where
                // a smaller number lets the detail fit.
                setUnit(UNIT_STACKED);
                double stackedW = unit.prefWidth(-1);
                for (double size = valueSize - 4; size >= SMALLEST_BESIDE_VALUE && besideW == 0; size -= 4) {
                    fitValue(size, innerW - stackedW - 4);
                    besideW = placeBeside(full, innerW - stackedW - 4 - value.prefWidth(-1) - BESIDE_GAP, h - pad - valueTop);
                }
                if (besideW > 0) {
                    unitW = stackedW;
                    room = innerW - unitW - 4;
                    capWall(w, h, value.getFont().getSize());
                } else {
                    setUnit(UNIT);
                    valueSize = fitValue(valueSize, room);
                }
            }
            if (besideW == 0 && withUnit) {
                besideW = placeBeside(full, innerW - Math.min(value.prefWidth(-1), innerW) - BESIDE_GAP, h - pad - valueTop);
                if (besideW > 0) {
                    withUnit = false;
                    unitW = 0;
                    room = innerW;
                }
            }
        }
        unit.setVisible(withUnit);
        double valueW = Math.min(value.prefWidth(-1), room);
        double valueH = value.prefHeight(-1);
        layoutInArea(unit, w - pad - unitW, valueTop, unitW, valueH * 0.92, 0, HPos.RIGHT, VPos.BOTTOM);
        layoutInArea(value, w - pad - unitW - 4 - valueW, valueTop, valueW, valueH, 0, HPos.RIGHT, VPos.CENTER);
        detail.setVisible(withDetail || besideW > 0);
        if (withDetail) {
            layoutInArea(detail, pad, h - pad - detailH, innerW, detailH, 0, HPos.LEFT, VPos.BOTTOM);
        } else if (besideW > 0) {
            layoutInArea(detail, pad, valueTop, besideW, h - pad - valueTop, 0, HPos.LEFT, VPos.CENTER);
        }
        spark.setVisible(withSpark);
        objective.setVisible(withSpark);
        double sparkTop = valueTop + valueH + 2;
        double sparkBottom = h - pad - detailH - (withDetail ? 4 : 0);
        double sparkLeft = besideW > 0 ? pad + besideW + BESIDE_GAP : pad;
        if (withSpark && sparkBottom - sparkTop > 8) {
            drawSpark(sparkLeft, sparkTop, w - pad - sparkLeft, sparkBottom - sparkTop);
        } else {
            spark.setVisible(false);
            objective.setVisible(false);
        }
    }

    /** The unit as the wall's heading says it, on one line; and on two, where the tile is narrow for it beside the detail. */
    private static final String UNIT = "ms p95";
    private static final String UNIT_STACKED = "ms\np95";

    /** The parent's property that holds the p95's size for every tile of the wall of one size, once one had to shrink it. */
    private static final String WALL_VALUE_CAP = "edgedeck.popValueCap";

    private record ValueCap(double width, double height, double size) {
    }

    /** Has every tile of this size in the wall draw its p95 at {@code size} at most, and lays the others out again. */
    private void capWall(double w, double h, double size) {
        if (getParent() == null) {
            return;
        }
        if (getParent().getProperties().get(WALL_VALUE_CAP) instanceof ValueCap cap && cap.width() == w && cap.height() == h
                && cap.size() <= size) {
            return;
        }
        getParent().getProperties().put(WALL_VALUE_CAP, new ValueCap(w, h, size));
        for (javafx.scene.Node n : getParent().getChildrenUnmodifiable()) {
            if (n != this && n instanceof PopTile tile) {
                tile.requestLayout();
            }
        }
    }

    /** Sets the unit's text where it changes: setting it on every layout would ask for another. */
    private void setUnit(String text) {
        if (!text.equals(unit.getText())) {
            unit.setText(text);
        }
    }

    /**
     * The detail as it fits {@code width} in {@code maxLines}: broken between its parts; where that takes too
     * many lines, without the why of a frozen normal (the tooltip keeps it); under the p95 ({@link
     * #DETAIL_MAX_LINES}), then with its last line cut; beside it, null.
     */
    private String fitDetail(String full, double width, int maxLines) {
        String fitted = breakBetweenParts(full, width, maxLines, false);
        if (fitted != null) {
            return fitted;
        }
        String shorter = java.util.Arrays.stream(full.split(" · ")).filter(p -> !p.startsWith(PopTileViewModel.FROZEN_PART))
                .collect(java.util.stream.Collectors.joining(" · "));
        fitted = breakBetweenParts(shorter, width, maxLines, false);
        return fitted != null || maxLines != DETAIL_MAX_LINES ? fitted : breakBetweenParts(shorter, width, maxLines, true);
    }

    /**
     * Sets the detail to {@code full} as it fits beside the p95 in {@code width} and {@code height}, and returns that
     * width; 0 (the detail's text perhaps set, but not to be shown) where it does not fit whole.
     */
    private double placeBeside(String full, double width, double height) {
        // One part a line where the tile has the height: every tile of a wall has the same, so each reads its p50,
        // p99, jitter and loss on the same lines as its neighbours, whatever the width of its own numbers.
        String column = width > 0 ? onePartALine(full, width) : null;
        if (column != null) {
            setDetail(column);
            if (detail.prefHeight(-1) <= height) {
                return width;
            }
        }
        String fitted = width > 0 ? fitDetail(full, width, BESIDE_MAX_LINES) : null;
        if (fitted == null) {
            return 0;
        }
        setDetail(fitted);
        return detail.prefHeight(-1) <= height ? width : 0;
    }

    /**
     * {@code full} with each of its parts on a line of its own, without the why of a frozen normal where that
     * takes more than {@value #BESIDE_MAX_LINES} lines; null where a part is wider than {@code width} or there are
     * still too many.
     */
    private String onePartALine(String full, double width) {
        measure.setFont(detail.getFont());
        List<String> parts = List.of(full.split(" · "));
        if (parts.size() > BESIDE_MAX_LINES) {
            parts = parts.stream().filter(p -> !p.startsWith(PopTileViewModel.FROZEN_PART)).toList();
        }
        if (parts.size() > BESIDE_MAX_LINES || parts.stream().anyMatch(p -> widthOf(p) > width)) {
            return null;
        }
        return String.join("\n", parts);
    }

    /** Sets the detail's text where it changed. */
    private void setDetail(String text) {
        if (!text.equals(detail.getText())) {
            detail.setText(text);
        }
    }

    /**
     * {@code text} as it fits {@code width}: on one line when it can, else broken at its " · " separators
     * into at most {@value #DETAIL_MAX_LINES} lines, each filled with as many whole parts as fit; null
     * when it does not fit in those lines.
     */
    String breakBetweenParts(String text, double width) {
        return breakBetweenParts(text, width, DETAIL_MAX_LINES, false);
    }

    /**
     * The same in at most {@code maxLines}; with {@code cutLast}, what does not fit goes on the last line, which
     * the label then cuts.
     */
    private String breakBetweenParts(String text, double width, int maxLines, boolean cutLast) {
        measure.setFont(detail.getFont());
        if (widthOf(text) <= width) {
            return text;
        }
        String[] parts = text.split(" · ");
        StringBuilder out = new StringBuilder(parts[0]);
        String line = parts[0];
        int lines = 1;
        boolean fits = widthOf(line) <= width;
        for (int i = 1; i < parts.length; i++) {
            String longer = line + " · " + parts[i];
            if (widthOf(longer) <= width || lines == maxLines) {
                out.append(" · ").append(parts[i]);
                line = longer;
            } else {
                out.append('\n').append(parts[i]);
                line = parts[i];
                lines++;
            }
            fits &= widthOf(line) <= width;
        }
        return fits || cutLast ? out.toString() : null;
    }

    /** The width {@code label} would want for {@code text}, without setting it. */
    private double labelWidth(Label label, String text) {
        measure.setFont(label.getFont());
        return Math.ceil(widthOf(text)) + label.snappedLeftInset() + label.snappedRightInset();
    }

    private double widthOf(String s) {
        measure.setText(s);
        return measure.getLayoutBounds().getWidth();
    }

    /** Sets the p95's font to {@code size}, or smaller until the number fits {@code room}; returns the size set. */
    private double fitValue(double size, double room) {
        double fitted = size;
        value.setStyle("-fx-font-size: " + Math.round(fitted) + "px;");
        value.applyCss();
        double wanted = value.prefWidth(-1);
        if (wanted > room && room > 0) {
            fitted = Math.max(14, Math.floor(fitted * room / wanted));
            value.setStyle("-fx-font-size: " + Math.round(fitted) + "px;");
            value.applyCss();
        }
        return fitted;
    }

    /**
     * The recent p95s on a scale from zero to above the objective (or the highest sample, if higher),
     * so a wobble of a few ms looks like one and a climb towards the objective stands out; the
     * objective is the dashed line. A frame missed, or a moment the PoP served nothing, is a gap in the line.
     */
    private void drawSpark(double x, double y, double width, double height) {
        double[] samples = viewModel.recentP95();
        double target = viewModel.objectiveMs();
        double top = target * 1.15;
        for (double s : samples) {
            if (Double.isFinite(s)) {
                top = Math.max(top, s * 1.05);
            }
        }
        double oy = y + height - height * target / top;
        objective.setStartX(x);
        objective.setEndX(x + width);
        objective.setStartY(oy);
        objective.setEndY(oy);
        spark.getElements().setAll(sparkPath(samples, x, y, width, height, top));
    }

    /**
     * The path of {@code samples} across {@code width}, 0 ms at the bottom and {@code top} at {@code y}: one run of
     * lines per stretch between gaps (NaN), a lone sample between two gaps a dash a pixel wide. Fewer than two
     * samples draw nothing.
     */
    static List<PathElement> sparkPath(double[] samples, double x, double y, double width, double height, double top) {
        List<PathElement> path = new ArrayList<>();
        if (samples.length < 2) {
            return path;
        }
        boolean inRun = false;
        for (int i = 0; i < samples.length; i++) {
            if (Double.isNaN(samples[i])) {
                inRun = false;
                continue;
            }
            double px = x + width * i / (samples.length - 1);
            double py = y + height - height * samples[i] / top;
            boolean alone = (i + 1 == samples.length || Double.isNaN(samples[i + 1])) && !inRun;
            if (alone) {
                path.add(new MoveTo(px - 0.5, py));
                path.add(new LineTo(px + 0.5, py));
            } else if (inRun) {
                path.add(new LineTo(px, py));
            } else {
                path.add(new MoveTo(px, py));
            }
            inRun = true;
        }
        return path;
    }

    @Override
    protected double computePrefWidth(double height) {
        return 300;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 200;
    }
}
