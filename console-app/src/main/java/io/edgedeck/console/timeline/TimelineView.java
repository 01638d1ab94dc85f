package io.edgedeck.console.timeline;

import io.edgedeck.console.common.FeatureView;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.dashboard.Slo;
import io.edgedeck.console.timeline.TimelineViewModel.Mark;
import io.edgedeck.console.timeline.TimelineViewModel.MarkKind;
import io.edgedeck.console.timeline.TimelineViewModel.Sample;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ObservableValue;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The timeline tab: one time axis with the show's changes as vertical marks across three stacked
 * panels (worst and mean PoP p95, conversion per variant, chat sentiment), and the marks as a table
 * beneath, newest first. The axis is on the clock the marks are read on: a live node's wall clock,
 * else the show's; the title and the axis's end say which. Each panel's title and legend have a band
 * of their own at its top, which no value is drawn into. Drawn on a canvas: thousands of points
 * redraw in one pass.
 */
public final class TimelineView extends FeatureView {
    /** How times are shown: the wall clock on a live node, the show's clock in a rehearsal. */
    private io.edgedeck.console.common.ShowClock times = new io.edgedeck.console.common.ShowClock();
    /** Whether the show is a rehearsal's: the history note speaks of its engine, not of a node. */
    private boolean rehearsal;

    private static final double LEFT = 90;
    private static final double RIGHT = 24;
    private static final double MARK_LANE = 34;
    private static final double AXIS = 30;
    private static final double GAP = 18;
    /** The height at a panel's top that its title and legend take (bold 14-15 px from 4 px down). */
    public static final double LEGEND_BAND = 26;
    private static final String CONVERSION_TITLE = "conversions per 100 exposures, last 60 s";
    /** Scheduled changes further ahead than this are listed, not drawn: the past would shrink to nothing. */
    static final long AHEAD_HORIZON_SECONDS = 30 * 60;
    /** A first frame this far into the show means the console joined it running (a rehearsal's first comes at once). */
    static final long JOINED_LATE_MILLIS = 5_000;

    private final TimelineViewModel viewModel;
    private final Palette palette;
    private final ObservableValue<List<Slo.Objective>> objectives;
    private final Canvas canvas = new Canvas();
    private final Pane canvasHolder = new Pane(canvas);
    private final TableView<Mark> markTable = new TableView<>();
    private final List<Mark> newestFirst = new ArrayList<>();
    /** The marks' Time column's least width: its times measured again when the clock they are shown by changes. */
    private final javafx.beans.binding.DoubleBinding timeWidth;
    private final VBox root;
    private final Label note = new Label();
    private final Label title = new Label();
    /** The time axis's marks as last drawn: each where it was drawn, in engine time, and what it said. */
    private List<io.edgedeck.console.common.ShowClock.Tick> axis = List.of();
    private final InvalidationListener redraw = o -> draw();
    private List<ScaleMark> scale = List.of();
    private List<double[]> legendBands = List.of();
    private final List<double[]> verticals = new ArrayList<>();

    /** @param objectives the p95 objectives the PoPs are judged against, each with where it comes from */
    public TimelineView(TimelineViewModel viewModel, Palette palette, ObservableValue<List<Slo.Objective>> objectives) {
        super("Timeline", viewModel);
        this.viewModel = viewModel;
        this.palette = palette;
        this.objectives = objectives;
        canvas.setId("timeline-canvas");
        canvasHolder.setMinHeight(420);
        canvasHolder.setPrefHeight(520);
        canvas.widthProperty().bind(canvasHolder.widthProperty());
        canvas.heightProperty().bind(canvasHolder.heightProperty());
        canvas.widthProperty().addListener(redraw);
        canvas.heightProperty().addListener(redraw);
        viewModel.revisionProperty().addListener(redraw);
        objectives.addListener(redraw);
        VBox.setVgrow(canvasHolder, Priority.ALWAYS);

        markTable.setId("timeline-marks");
        markTable.setPrefHeight(200);
        markTable.setMinHeight(160);
        markTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        markTable.setPlaceholder(new Label("Nothing has changed the show yet"));
        TableColumn<Mark, String> time = Tables.column(markTable, "Time", 110, m -> times.format(m.atMillis()));
        // A time whole ("05:15", a live node's wall time), never wrapped inside itself
        timeWidth = Tables.leastWidth(time, () -> markTable.getItems().stream().map(m -> times.format(m.atMillis())).toList(), markTable.getItems());
        TableColumn<Mark, Mark> kind = Tables.column(markTable, "What", 130, m -> m);
        kind.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Mark m, boolean empty) {
                super.updateItem(m, empty);
                getStyleClass().removeIf(s -> s.startsWith(StyleClasses.STATUS_PREFIX));
                if (empty || m == null) {
                    setText(null);
                    return;
                }
                setText(kindName(m));
                getStyleClass().add(switch (m.kind()) {
                    case ROLLBACK -> io.edgedeck.console.common.Status.BAD.styleClass();
                    case FAULT, AUDIENCE, GUARDRAIL -> io.edgedeck.console.common.Status.WARN.styleClass();
                    // set-up, neither good nor bad news
                    case CONFIG -> io.edgedeck.console.common.Status.NEUTRAL.styleClass();
                    default -> io.edgedeck.console.common.Status.OK.styleClass();
                });
            }
        });
        // Never narrower than its longest word, "AUTO ROLLBACK", in the bold its colour comes with.
        Tables.leastWidth(kind, TimelineView::kindNames);
        // Read whole, however long: wrapped, each row as tall as its mark needs.
        Tables.wholeTextColumn(markTable, "Mark", 900, Mark::label);
        viewModel.marks().addListener(redraw);

        title.setId("timeline-title");
        title.setText(titleText());
        title.getStyleClass().add(StyleClasses.VIEW_TITLE);
        note.setId("timeline-history-note");
        note.setWrapText(true);
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        note.getStyleClass().add(StyleClasses.MUTED);
        note.managedProperty().bind(note.visibleProperty());
        viewModel.revisionProperty().addListener(o -> {
            String text = historyNote();
            note.setText(text);
            note.setVisible(!text.isEmpty());
        });
        note.setVisible(false);
        root = new VBox(8, title, note, canvasHolder, markTable);
        root.getStyleClass().add(StyleClasses.VIEW);
    }

    static String kindName(Mark m) {
        return kindName(m.kind(), m.automatic());
    }

    /** Every word the What column shows: each kind's name, a rollback's both ways. */
    private static List<String> kindNames() {
        List<String> names = new ArrayList<>();
        for (MarkKind k : MarkKind.values()) {
            names.add(kindName(k, false));
            names.add(kindName(k, true));
        }
        return names;
    }

    private static String kindName(MarkKind kind, boolean automatic) {
        return switch (kind) {
            case FAULT -> "fault";
            case AUDIENCE -> "audience";
            case FLAG -> "flag change";
            case OPERATOR -> "operator";
            case CONFIG -> "node config";
            case GUARDRAIL -> "guardrail";
            case ROLLBACK -> automatic ? "AUTO ROLLBACK" : "rollback";
        };
    }

    private void syncMarkTable() {
        newestFirst.clear();
        newestFirst.addAll(viewModel.marks());
        Collections.reverse(newestFirst);
        if (!markTable.getItems().equals(newestFirst)) {
            markTable.getItems().setAll(newestFirst);
        }
    }

    /** A hidden tab's canvas is not drawn: at full speed that would be ten redraws a second for nobody. */
    private boolean showing() {
        for (Node n = canvas; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return canvas.getScene() != null;
    }

    @Override
    public void onShown() {
        draw();
    }

    private void draw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        if (w < 200 || h < 200 || !showing()) {
            return;
        }
        syncMarkTable();
        GraphicsContext g = canvas.getGraphicsContext2D();
        Color bg = palette.color(Palette.Token.SURFACE);
        Color text = palette.color(Palette.Token.TEXT);
        Color muted = palette.color(Palette.Token.TEXT_MUTED);
        g.setFill(bg);
        g.fillRect(0, 0, w, h);

        List<Sample> samples = viewModel.samples();
        long now = viewModel.engineMillis();
        List<TimelineViewModel.Ahead> ahead = viewModel.ahead();
        long lastAhead = ahead.stream().filter(a -> a.inSeconds() >= 0 && a.inSeconds() <= AHEAD_HORIZON_SECONDS)
                .mapToLong(a -> now + a.inSeconds() * 1000).max().orElse(now);
        long end = Math.max(Math.max(now, 60_000), lastAhead + (lastAhead > now ? Math.max(10_000, (lastAhead - now) / 10) : 0));
        double plotW = w - LEFT - RIGHT;
        double panelH = (h - MARK_LANE - AXIS - GAP * 2) / 3;
        double top1 = MARK_LANE;
        double top2 = top1 + panelH + GAP;
        double top3 = top2 + panelH + GAP;
        ToDoubleFunction<Long> x = t -> LEFT + plotW * t / end;

        title.setText(titleText());
        List<Slo.Objective> lines = objectives.getValue();
        double highest = lines.stream().mapToDouble(Slo.Objective::ms).max().orElse(Slo.DEFAULT.p95TargetMs());
        double maxLatency = roundTop(latencyCeiling(highest,
                samples.stream().mapToDouble(Sample::worstP95Ms).filter(v -> !Double.isNaN(v)).max().orElse(0)));
        List<String> latencyNames = List.of("worst PoP", "mean of PoPs");
        double band1 = band(w, "p95 latency", latencyNames);
        List<ScaleMark> drawnScale = new ArrayList<>();
        drawnScale.addAll(panel(g, top1, panelH, band1, w, "p95 latency", "ms", 0, maxLatency, muted, text));
        // One line per objective, each saying whose it is and, where PoPs differ, for which PoPs; lines too close
        // for a label each share one, under the lowest.
        boolean shareLabel = objectivesCrowded(lines, maxLatency, panelH - band1);
        double lowest = lines.stream().mapToDouble(Slo.Objective::ms).min().orElse(highest);
        for (Slo.Objective o : lines) {
            String label = !shareLabel ? o.label(lines.size() > 1) : o.ms() == lowest ? Slo.describe(lines) : "";
            dashed(g, x, end, top1, panelH, band1, 0, maxLatency, o.ms(), palette.color(Palette.Token.WARN), label);
        }
        List<Color> latencyColors = latencyColors();
        line(g, samples, x, top1, panelH, band1, 0, maxLatency, Sample::worstP95Ms, latencyColors.get(0), 2.5);
        line(g, samples, x, top1, panelH, band1, 0, maxLatency, Sample::meanP95Ms, latencyColors.get(1), 2);
        legend(g, w, top1, "p95 latency", latencyNames, latencyColors);

        List<String> variants = viewModel.variantKeys();
        double maxConv = roundTop(Math.max(5, samples.stream().flatMap(s -> s.conversion().values().stream())
                .mapToDouble(Double::doubleValue).max().orElse(0) * 1.2));
        double band2 = band(w, CONVERSION_TITLE, variants);
        drawnScale.addAll(panel(g, top2, panelH, band2, w, CONVERSION_TITLE, "", 0, maxConv, muted, text));
        List<Color> colors = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            String key = variants.get(i);
            Color c = seriesColor(i);
            colors.add(c);
            line(g, samples, x, top2, panelH, band2, 0, maxConv, s -> s.conversion().getOrDefault(key, Double.NaN), c, 2.5);
        }
        legend(g, w, top2, CONVERSION_TITLE, variants, colors);

        unkept(g, x, top2, panelH, band2, muted);
        double band3 = band(w, "chat sentiment (mean)", List.of());
        drawnScale.addAll(panel(g, top3, panelH, band3, w, "chat sentiment (mean)", "", -1, 1, muted, text));
        scale = List.copyOf(drawnScale);
        // The bands at the panels' tops, where their titles and legends are: no vertical line is drawn through them.
        legendBands = List.of(new double[] {top1, top1 + band1}, new double[] {top2, top2 + band2}, new double[] {top3, top3 + band3});
        verticals.clear();
        unkept(g, x, top3, panelH, band3, muted);
        dashed(g, x, end, top3, panelH, band3, -1, 1, 0, muted, "neutral");
        line(g, samples, x, top3, panelH, band3, -1, 1, Sample::chatMean, palette.color(Palette.Token.OK), 2.5);

        // Marks last, across all three panels, so a rollback lines up with what it changed.
        g.setFont(Font.font(null, FontWeight.BOLD, 14));
        g.setTextBaseline(VPos.CENTER);
        double lastLabelEnd = -1;
        for (Mark m : viewModel.marks()) {
            double mx = x.applyAsDouble(m.atMillis());
            Color c = markColor(m.kind());
            g.setStroke(c);
            g.setLineWidth(m.kind() == MarkKind.ROLLBACK ? 3 : 1.5);
            g.setLineDashes(m.kind() == MarkKind.ROLLBACK ? null : new double[]{5, 4});
            vertical(g, mx, MARK_LANE - 6, top3 + panelH);
            g.setLineDashes(null);
            if (m.kind() == MarkKind.ROLLBACK && mx > lastLabelEnd) {
                String label = times.format(m.atMillis()) + " " + (m.automatic() ? "AUTO ROLLBACK" : "ROLLBACK");
                g.setFill(c);
                g.setTextAlign(mx > w - 260 ? TextAlignment.RIGHT : TextAlignment.LEFT);
                g.fillText(label, mx > w - 260 ? mx - 6 : mx + 6, MARK_LANE / 2);
                lastLabelEnd = mx + 240;
            }
        }
        g.setTextAlign(TextAlignment.LEFT);
        drawAhead(g, ahead, now, x, w, top3 + panelH);

        // The time axis, once, under the last panel: its marks at the times they name, on the clock the marks
        // above are read on, which the title names: every mark keeps its place, the show's last minute included.
        g.setFill(muted);
        Font axisFont = Font.font(13);
        g.setFont(axisFont);
        g.setTextBaseline(VPos.TOP);
        List<io.edgedeck.console.common.ShowClock.Tick> drawn = new ArrayList<>();
        g.setTextAlign(TextAlignment.CENTER);
        // A mark from the other side of a change of summer time than the title's zone carries its own zone
        // ("02:30 GMT+02:00"): longer marks, so the step grows until the labels stand apart.
        List<double[]> placed = List.of();
        for (long step = tickStep(end); ; step = nextTickStep(step)) {
            List<io.edgedeck.console.common.ShowClock.Tick> ticks = times.ticks(0, end, step);
            List<double[]> at = new ArrayList<>();
            for (io.edgedeck.console.common.ShowClock.Tick t : ticks) {
                double half = textWidth(t.label(), axisFont) / 2;
                at.add(new double[] {Math.max(Math.min(x.applyAsDouble(t.engineMillis()), w - half - 2), half), half});
            }
            drawn.clear();
            drawn.addAll(ticks);
            placed = at;
            if (labelsApart(at) || step >= LONGEST_TICK_STEP) {
                break;
            }
        }
        for (int i = 0; i < drawn.size(); i++) {
            g.fillText(drawn.get(i).label(), placed.get(i)[0], top3 + panelH + 8);
        }
        axis = List.copyOf(drawn);
        g.setTextAlign(TextAlignment.LEFT);
    }

    /**
     * A vertical line at {@code x} from {@code from} down to {@code to}, in the stroke as set, broken where it would
     * cross a panel's title and legend.
     */
    private void vertical(GraphicsContext g, double x, double from, double to) {
        double y = from;
        for (double[] band : legendBands) {
            if (band[1] <= y || band[0] >= to) {
                continue;
            }
            if (band[0] > y) {
                g.strokeLine(x, y, x, band[0]);
                verticals.add(new double[] {x, y, band[0]});
            }
            y = band[1];
        }
        if (y < to) {
            g.strokeLine(x, y, x, to);
            verticals.add(new double[] {x, y, to});
        }
    }

    /** The bands {top, bottom} in px at the panels' tops, where their titles and legends are, as last drawn. FX thread. */
    public List<double[]> legendBands() {
        return legendBands;
    }

    /** The vertical lines (marks, now, scheduled changes) as last drawn, each stretch {x, top, bottom} in px. FX thread. */
    public List<double[]> verticalLines() {
        return List.copyOf(verticals);
    }

    /** A value on a panel's scale and its label, as last drawn. */
    public record ScaleMark(double value, String label) {
    }

    /** The panels' scales as last drawn, top panel first, each from its foot up. FX thread. */
    public List<ScaleMark> scaleMarks() {
        return scale;
    }

    /** The top of a scale from 0 marked at its foot, its middle and its top, all round numbers ({@link io.edgedeck.console.common.RoundScale#top}). */
    static double roundTop(double v) {
        return io.edgedeck.console.common.RoundScale.top(v);
    }

    /** A scale's label: the value it marks, never rounded to another ("7.5", not "8"), with its unit. */
    static String scaleLabel(double value, String unit) {
        String digits = new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", value)).stripTrailingZeros().toPlainString();
        return unit.isEmpty() ? digits : digits + " " + unit;
    }

    /** The title: what the tab is and which clock its times are on. */
    private String titleText() {
        return "Timeline · " + times.clockName();
    }

    /** The time axis's marks as last drawn, left to right: where each is, in engine time, and what it says. FX thread. */
    public List<io.edgedeck.console.common.ShowClock.Tick> axisTicks() {
        return axis;
    }

    /**
     * What is scheduled: past a solid "now" line, each wall-clock change as a dashed line at its time
     * with what it will do; the changes waiting for a named cue, which has no time, in words at the right.
     */
    private void drawAhead(GraphicsContext g, List<TimelineViewModel.Ahead> ahead, long now, ToDoubleFunction<Long> x, double w,
                           double bottom) {
        if (ahead.isEmpty()) {
            return;
        }
        Color series = palette.color(Palette.Token.SERIES);
        Color text = palette.color(Palette.Token.TEXT);
        double nowX = x.applyAsDouble(now);
        g.setFill(series.deriveColor(0, 1, 1, 0.08));
        g.fillRect(nowX, MARK_LANE - 6, w - RIGHT - nowX, bottom - MARK_LANE + 6);
        g.setStroke(text);
        g.setLineWidth(2);
        vertical(g, nowX, MARK_LANE - 6, bottom);
        g.setFont(Font.font(null, FontWeight.BOLD, 14));
        g.setTextBaseline(VPos.CENTER);
        List<String> onCue = ahead.stream().filter(a -> a.inSeconds() < 0).map(TimelineViewModel.Ahead::label).toList();
        // The changes on a cue have no time: they are said in words just past now, the wall-clock ones at their time.
        double taken = nowX + 4;
        if (!onCue.isEmpty()) {
            String cueText = onCue.getFirst() + (onCue.size() == 1 ? "" : " (+" + (onCue.size() - 1) + " more)");
            g.setFill(series);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(cueText, nowX + 8, MARK_LANE / 2);
            taken = nowX + 8 + textWidth(cueText) + 16;
        }
        for (TimelineViewModel.Ahead a : ahead) {
            if (a.inSeconds() < 0 || a.inSeconds() > AHEAD_HORIZON_SECONDS) {
                continue;
            }
            double ax = x.applyAsDouble(now + a.inSeconds() * 1000);
            g.setStroke(series);
            g.setLineWidth(2);
            g.setLineDashes(7, 5);
            vertical(g, ax, MARK_LANE - 6, bottom);
            g.setLineDashes(null);
            String label = a.label() + " ◂";
            double width = textWidth(label);
            boolean leftOfLine = ax + 6 + width > w - RIGHT;
            double start = leftOfLine ? ax - 6 - width : ax + 6;
            if (start > taken) {
                g.setFill(series);
                g.setTextAlign(TextAlignment.LEFT);
                g.fillText(leftOfLine ? label : "▸ " + a.label(), start, MARK_LANE / 2);
                taken = start + width + 16;
            }
        }
        g.setTextAlign(TextAlignment.LEFT);
    }

    /**
     * The colours of the latency panel's series, worst PoP then mean: red for the worst, the theme's series
     * colour for the mean, never the mode accent, which in a LIVE window is a second red. FX thread.
     */
    public List<Color> latencyColors() {
        return List.of(palette.color(Palette.Token.BAD), palette.color(Palette.Token.SERIES));
    }

    /** The top of the latency panel's scale: a quarter above the objective, and room above the worst PoP. */
    public static double latencyCeiling(double objectiveMs, double worstMs) {
        return Math.max(objectiveMs * 1.25, worstMs * 1.1);
    }

    /** The height an objective's 12 px label takes under its line, with air. */
    static final double OBJECTIVE_LABEL_HEIGHT = 17;

    /** Whether two objective lines lie closer on a panel {@code panelHeight} px tall than a label is high. */
    static boolean objectivesCrowded(List<Slo.Objective> objectives, double maxLatency, double panelHeight) {
        List<Double> ys = objectives.stream().map(o -> panelHeight * o.ms() / maxLatency).sorted().toList();
        for (int i = 1; i < ys.size(); i++) {
            if (ys.get(i) - ys.get(i - 1) < OBJECTIVE_LABEL_HEIGHT) {
                return true;
            }
        }
        return false;
    }

    /** About how wide {@code text} is in the bold 14 px mark font: enough to keep two labels apart. */
    private static double textWidth(String text) {
        return text.length() * 8.2;
    }

    private Color seriesColor(int i) {
        return switch (i % 4) {
            case 0 -> palette.color(Palette.Token.TEXT_MUTED);
            case 1 -> palette.color(Palette.Token.SERIES);
            case 2 -> palette.color(Palette.Token.WARN);
            default -> palette.color(Palette.Token.OK);
        };
    }

    private Color markColor(MarkKind kind) {
        return switch (kind) {
            case ROLLBACK -> palette.color(Palette.Token.BAD);
            case FAULT, AUDIENCE -> palette.color(Palette.Token.WARN);
            case GUARDRAIL -> palette.color(Palette.Token.TEXT);
            case FLAG -> palette.color(Palette.Token.SERIES);
            case OPERATOR -> palette.color(Palette.Token.TEXT);
            case CONFIG -> palette.color(Palette.Token.TEXT_MUTED);
        };
    }

    static long tickStep(long endMillis) {
        for (long s : TICK_STEPS) {
            if (endMillis / s <= 10) {
                return s;
            }
        }
        return LONGEST_TICK_STEP;
    }

    private static final long[] TICK_STEPS = {10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000};
    private static final long LONGEST_TICK_STEP = 7_200_000;
    /** The least space between two of the axis's labels, px: less, and "02:00 02:30" reads as one. */
    private static final double TICK_GAP = 16;

    /** The round step after {@code step}, for an axis whose labels would run into each other. */
    static long nextTickStep(long step) {
        for (long s : TICK_STEPS) {
            if (s > step) {
                return s;
            }
        }
        return LONGEST_TICK_STEP;
    }

    /** True when each label ({centre, half width}, left to right) ends {@link #TICK_GAP} before the next begins. */
    private static boolean labelsApart(List<double[]> labels) {
        for (int i = 1; i < labels.size(); i++) {
            if (labels.get(i)[0] - labels.get(i)[1] - (labels.get(i - 1)[0] + labels.get(i - 1)[1]) < TICK_GAP) {
                return false;
            }
        }
        return true;
    }

    /**
     * Before the first frame this console saw, a line no connection keeps a history of has nothing to
     * draw: the stretch is shaded and says so, so it does not read as a show with no conversions or chat.
     */
    private void unkept(GraphicsContext g, ToDoubleFunction<Long> x, double top, double height, double band, Color muted) {
        long from = viewModel.liveFromMillis();
        if (!joinedLate(from)) {
            return;
        }
        double x0 = x.applyAsDouble(0L);
        double x1 = x.applyAsDouble(from);
        g.setFill(muted.deriveColor(0, 1, 1, 0.12));
        g.fillRect(x0, top + band, x1 - x0, height - band);
        g.setStroke(muted);
        g.setLineWidth(1.5);
        g.setLineDashes(3, 3);
        g.strokeLine(x1, top + band, x1, top + height);
        g.setLineDashes(null);
        String label = "not kept before " + times.format(from) + " (connected)";
        if (x1 - x0 > textWidth(label) + 16) {
            g.setFill(muted);
            g.setFont(Font.font(13));
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            // Above the middle, where the chat panel's neutral line runs: the line would strike the words through.
            g.fillText(label, (x0 + x1) / 2, top + band + (height - band) * 0.3);
            g.setTextAlign(TextAlignment.LEFT);
        }
    }

    /** True when the console's first frame came well into the show: there is a stretch before it to account for. */
    static boolean joinedLate(long liveFromMillis) {
        return liveFromMillis >= JOINED_LATE_MILLIS;
    }

    /**
     * What the lines before this console's first frame are drawn from, in words under the title; empty
     * when it saw the show from its start. FX thread.
     */
    public String historyNote() {
        long from = viewModel.liveFromMillis();
        if (!joinedLate(from)) {
            return "";
        }
        return historyNote(times.format(from), viewModel.latencyBackfilled(), rehearsal);
    }

    /**
     * The note for lines that start at {@code at}: on a node, when this console connected; in a rehearsal
     * (no node, no connection), when this console first saw the show.
     */
    static String historyNote(String at, boolean latencyBackfilled, boolean rehearsal) {
        String since = rehearsal ? ", when this console first saw the show: " : ", when this console connected: ";
        return (latencyBackfilled
                ? "p95 before " + at + " from the PoPs' history (each second's p95; from then on, the last 10 s). "
                : "p95 from " + at + since + "no PoP history could be read. ")
                + "Conversion and chat sentiment from " + at + since
                + (rehearsal ? "the rehearsal engine" : "the node") + " keeps no history of them.";
    }

    /** Words the history note in a rehearsal's terms (no node, no connection) rather than a node's. FX thread. */
    public void describeHistoryOfARehearsal(boolean inRehearsal) {
        this.rehearsal = inRehearsal;
    }

    /**
     * A panel: its frame, its title in the band at its top, and its scale from {@code min} at the bottom to
     * {@code max} at the foot of that band.
     */
    private static List<ScaleMark> panel(GraphicsContext g, double top, double height, double band, double w, String title, String unit,
                                         double min, double max, Color muted, Color text) {
        g.setStroke(muted.deriveColor(0, 1, 1, 0.35));
        g.setLineWidth(1);
        g.strokeRect(LEFT, top, w - LEFT - RIGHT, height);
        g.setFill(text);
        g.setFont(Font.font(null, FontWeight.BOLD, 15));
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(title, LEFT + 8, top + 4);
        g.setFill(muted);
        g.setFont(Font.font(13));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        List<ScaleMark> marks = new ArrayList<>();
        for (int i = 0; i <= 2; i++) {
            double v = min + (max - min) * i / 2;
            double y = valueY(v, min, max, top, height, band);
            String label = min < 0 ? String.format(Locale.ROOT, "%+.1f", v) : scaleLabel(v, unit);
            g.fillText(label, LEFT - 8, y);
            marks.add(new ScaleMark(v, label));
        }
        g.setTextAlign(TextAlignment.LEFT);
        return marks;
    }

    private static void line(GraphicsContext g, List<Sample> samples, ToDoubleFunction<Long> x, double top, double height,
                             double band, double min, double max, ToDoubleFunction<Sample> value, Color color, double width) {
        g.setStroke(color);
        g.setLineWidth(width);
        g.beginPath();
        boolean drawing = false;
        for (Sample s : samples) {
            double v = value.applyAsDouble(s);
            if (Double.isNaN(v)) {
                drawing = false;
                continue;
            }
            double y = valueY(v, min, max, top, height, band);
            double sx = x.applyAsDouble(s.atMillis());
            // Seconds whose frames never arrived are left blank, not bridged by a straight line.
            if (drawing && !s.afterGap()) {
                g.lineTo(sx, y);
            } else {
                g.moveTo(sx, y);
                drawing = true;
            }
        }
        g.stroke();
    }

    private static void dashed(GraphicsContext g, ToDoubleFunction<Long> x, long end, double top, double height,
                               double band, double min, double max, double value, Color color, String label) {
        double y = valueY(value, min, max, top, height, band);
        g.setStroke(color);
        g.setLineWidth(1.5);
        g.setLineDashes(8, 6);
        g.strokeLine(x.applyAsDouble(0L), y, x.applyAsDouble(end), y);
        g.setLineDashes(null);
        if (label.isEmpty()) {
            return;
        }
        g.setFill(color);
        g.setFont(Font.font(12));
        // Under the line, so it never collides with the legend in the panel's top corner.
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(label, x.applyAsDouble(end) - 6, y + 3);
        g.setTextAlign(TextAlignment.LEFT);
    }

    /**
     * The series' names in their colours, right of the panel's title on its line and, where they do not all fit
     * there, on lines under it, all in the panel's band ({@link #band}): never over the title, however many series
     * (a three-way test's variants) or however long their names, and never over a value.
     */
    private static void legend(GraphicsContext g, double w, double top, String title, List<String> names, List<Color> colors) {
        Font font = Font.font(null, FontWeight.BOLD, 14);
        List<double[]> at = legendLayout(w, title, names);
        g.setFont(font);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        for (int i = 0; i < names.size(); i++) {
            g.setFill(colors.get(i));
            g.fillText(LEGEND_SWATCH + names.get(i), at.get(i)[0], top + 4 + at.get(i)[1] * LEGEND_LINE);
        }
    }

    /** Where each of a panel's legend entries goes, {x, line}, on a canvas {@code w} px wide. */
    private static List<double[]> legendLayout(double w, String title, List<String> names) {
        Font font = Font.font(null, FontWeight.BOLD, 14);
        List<Double> widths = names.stream().map(n -> textWidth(LEGEND_SWATCH + n, font)).toList();
        double titleRight = LEFT + 8 + textWidth(title, Font.font(null, FontWeight.BOLD, 15));
        return legendLayout(titleRight, w - RIGHT - 10, widths);
    }

    /** The height of the band at a panel's top that its title and its legend's lines take, on a canvas {@code w} px wide. */
    private static double band(double w, String title, List<String> names) {
        return bandHeight((int) legendLayout(w, title, names).stream().mapToDouble(p -> p[1]).max().orElse(0) + 1);
    }

    /** The band of a panel whose title and legend take {@code lines} lines: the title's, and each further legend line. */
    static double bandHeight(int lines) {
        return LEGEND_BAND + (Math.max(1, lines) - 1) * LEGEND_LINE;
    }

    /**
     * Where {@code value} is drawn on a panel {@code height} px tall from {@code top}, its scale {@code min} to
     * {@code max} (a value beyond it at the end it passed): at the bottom for {@code min}, at the foot of the band
     * {@code band} px tall at the panel's top for {@code max}, so no value is drawn where the title and legend are.
     */
    static double valueY(double value, double min, double max, double top, double height, double band) {
        double plot = Math.max(1, height - band);
        return top + height - plot * (Math.clamp(value, min, max) - min) / (max - min);
    }

    private static final String LEGEND_SWATCH = "━ ";
    /** A legend line's height, px: bold 14 px text and its leading. */
    static final double LEGEND_LINE = 19;
    /** The space between two legend entries, and between the title and the first, px. */
    static final double LEGEND_SPACING = 20;

    private static double textWidth(String text, Font font) {
        javafx.scene.text.Text probe = new javafx.scene.text.Text(text);
        probe.setFont(font);
        return probe.getLayoutBounds().getWidth();
    }

    /**
     * Where each legend entry goes, {x, line}: entries flow right-aligned on the title's line from {@code right}
     * leftwards while they stay clear of {@code titleRight}; the rest on the lines under it, each right-aligned
     * too, in order. An entry wider than a whole line gets a line of its own.
     */
    static List<double[]> legendLayout(double titleRight, double right, List<Double> widths) {
        // Lines filled in order, each with as many entries as fit its room: the title's line right of the title, the others the panel's width.
        List<List<Integer>> lines = new ArrayList<>();
        List<Integer> line = new ArrayList<>();
        double room = right - titleRight - LEGEND_SPACING;
        double used = 0;
        for (int i = 0; i < widths.size(); i++) {
            double need = widths.get(i) + (line.isEmpty() ? 0 : LEGEND_SPACING);
            if (!line.isEmpty() && used + need > room || line.isEmpty() && lines.isEmpty() && need > room) {
                lines.add(line);
                line = new ArrayList<>();
                used = 0;
                room = right - LEFT - 8;
                need = widths.get(i);
            }
            line.add(i);
            used += need;
        }
        lines.add(line);
        double[][] out = new double[widths.size()][];
        for (int l = 0; l < lines.size(); l++) {
            double x = right;
            List<Integer> entries = lines.get(l);
            for (int k = entries.size() - 1; k >= 0; k--) {
                int i = entries.get(k);
                x -= widths.get(i);
                out[i] = new double[]{x, l};
                x -= LEGEND_SPACING;
            }
        }
        return List.of(out);
    }

    @Override
    public Node view() {
        return root;
    }

    @Override
    public void refreshColors() {
        draw();
    }

    /** Shows times by {@code clock}: the console's, which the frame ticker feeds. FX thread. */
    public void showTimesBy(io.edgedeck.console.common.ShowClock clock) {
        times = clock;
        timeWidth.invalidate();
        markTable.refresh();
        draw();
    }

    @Override
    public void dispose() {
        viewModel.revisionProperty().removeListener(redraw);
        viewModel.marks().removeListener(redraw);
        objectives.removeListener(redraw);
    }

    /** Shows a panel (a node's scheduled changes) between the chart and the list of marks. FX thread. */
    public void showSchedule(Node panel) {
        root.getChildren().add(root.getChildren().indexOf(markTable), panel);
        markTable.setPrefHeight(120);
        markTable.setMinHeight(90);
        canvasHolder.setMinHeight(300);
    }

    public TimelineViewModel viewModel() {
        return viewModel;
    }
}
