package io.edgedeck.console.jitter;

import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.PopIds;
import io.edgedeck.console.common.Tables;
import io.edgedeck.console.common.Together;
import io.edgedeck.console.jitter.JitterViewModel.PopRow;
import io.edgedeck.console.jitter.JitterViewModel.Span;
import io.edgedeck.client.analysis.JitterOnset;
import io.edgedeck.client.analysis.LossEpisode;
import io.edgedeck.client.analysis.SpanLatency;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.control.ScrollPane;
import io.edgedeck.console.common.WrapRow;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The jitter tab: span and threshold controls with the bundle buttons on top, the PoPs ranked by
 * jitter on the left, and the chosen PoP's chart with when it went bad and what changed then.
 */
final class JitterView extends BorderPane {
    private final JitterViewModel viewModel;
    private final Palette palette;
    private final JitterChart chart;
    private final TableView<PopRow> table = new TableView<>();
    /** Says how old the picture is while the history lags the show; hidden while it keeps up. */
    private final Label behind = new Label();
    /** From a person's pick until its picture is drawn: whose picture is still shown, and that the pick's is coming. */
    private final Label pickPending = new Label();
    private final Label headline = new Label();
    private final Label cause = new Label();
    private final Label earlier = new Label();
    private final Label latency = new Label();
    /** The active probes over the span; shown only where probes measure the PoP. */
    private final Label probeLatency = new Label();
    private final Label message = new Label();
    /** The ranking's newest-second column header: "ms at" over "06:39", the second its figures are of. */
    private final Label newestHeader = new Label(NEWEST_BEFORE_ANY);
    /**
     * Over the ranking: what it ranks, and on a live node the clock its times are on, the zone named once for the table
     * ("times: wall clock, UTC"), in sight where the foot of a low window's ranking is not.
     */
    private final Label rankingTitle = new Label(RANKING_TITLE);
    /** The faces of the times the "first held" column shows now, one a line ({@link #measureFaces}). */
    private final javafx.beans.property.StringProperty onsetFaces = new javafx.beans.property.SimpleStringProperty("");
    final Button exportButton = new Button("Export bundle…");
    final Button openButton = new Button("Open bundle…");
    final ProgressBar progress = new ProgressBar(0);
    final Label exportStatus = new Label();
    private final List<Subscription> subscriptions = new ArrayList<>();
    /** Whether a body this wide puts the ranking above the chart rather than beside it. */
    private java.util.function.DoublePredicate stacked;
    /**
     * Whether the body is stacked, decided on the tab's whole width: not on the width the body has beside the vertical
     * scroll bar, which shows or not as the body's height needs, which depends on this.
     */
    private boolean stackedNow;
    private ScrollPane bodyScroll;
    private boolean selecting;
    /** True while a person's mouse press or key press on the table is being handled. */
    private boolean picking;

    JitterView(JitterViewModel viewModel, Palette palette) {
        this.viewModel = viewModel;
        this.palette = palette;
        this.chart = new JitterChart(viewModel::times);
        getStyleClass().add(JitterStyles.VIEW);
        setId("jitter-view");
        setTop(controls());
        setCenter(body(ranking(), detail()));
        message.getStyleClass().add(JitterStyles.MUTED);
        message.setId("jitter-message");
        setBottom(message);
        BorderPane.setMargin(message, new Insets(4, 14, 8, 14));

        subscriptions.add(viewModel.messageProperty().subscribe(message::setText));
        subscriptions.add(viewModel.pictureProperty().subscribe(this::showPicture));
        subscriptions.add(viewModel.behindProperty().subscribe(behind::setText));
        subscriptions.add(viewModel.pickPendingProperty().subscribe(pickPending::setText));
        subscriptions.add(viewModel.previousPictureProperty().subscribe(this::greyPreviousPicture));
        ListChangeListener<PopRow> onRanking = change -> reselect();
        viewModel.ranking().addListener(onRanking);
        subscriptions.add(() -> viewModel.ranking().removeListener(onRanking));
        // Only a person's click or key pins a PoP. The table also moves its selection by itself when the
        // ranking's rows are replaced (it keeps the selected index, now another PoP's row); taking that
        // for a pick would pin whichever PoP slid into the row, and the picture would stop following
        // the ranking. Such a move is put back on the picture's PoP.
        // A click pins the row it went down on, whether or not it moves the selection (the row already selected is
        // the picture's PoP, and the table may select a row only when the button comes up): a pick all the same.
        table.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            picking = true;
            PopRow row = rowUnder(e);
            if (row != null) {
                viewModel.pinnedPopProperty().set(row.pop());
            }
        });
        table.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> Platform.runLater(() -> picking = false));
        table.addEventFilter(KeyEvent.KEY_PRESSED, e -> personPicking());
        subscriptions.add(table.getSelectionModel().selectedItemProperty().subscribe((old, row) -> {
            if (selecting || row == null) {
                return;
            }
            if (picking) {
                viewModel.pinnedPopProperty().set(row.pop());
            } else {
                Platform.runLater(this::reselect);
            }
        }));
    }

    /**
     * The toolbar, and under it the bundle jobs' status line: a long message (a failure naming a URL)
     * wraps there rather than squeezing the toolbar's buttons to "…".
     */
    private VBox controls() {
        Label spanLabel = new Label("Span");
        HBox spanGroup = new HBox(10, spanLabel);
        ToggleGroup spans = new ToggleGroup();
        for (Span s : Span.values()) {
            ToggleButton b = new ToggleButton(s.label);
            b.setId("jitter-span-" + s.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            b.setToggleGroup(spans);
            b.setUserData(s);
            b.setSelected(viewModel.spanProperty().get() == s);
            spanGroup.getChildren().add(b);
        }
        subscriptions.add(spans.selectedToggleProperty().subscribe((old, now) -> {
            if (now == null) {
                old.setSelected(true); // one span is always chosen
            } else {
                viewModel.spanProperty().set((Span) now.getUserData());
            }
        }));
        Label thresholdLabel = new Label("Threshold (ms)");
        Spinner<Double> threshold = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(1, 1000,
                viewModel.thresholdMsProperty().get(), 1));
        threshold.setId("jitter-threshold");
        threshold.setEditable(true);
        threshold.setPrefWidth(100);
        threshold.setTooltip(new Tooltip("Jitter above this, held for 3 s, counts as stutter"));
        subscriptions.add(threshold.valueProperty().subscribe(v -> {
            if (v != null) {
                viewModel.thresholdMsProperty().set(v);
            }
        }));
        exportButton.setId("jitter-export");
        openButton.setId("jitter-open");
        progress.setPrefWidth(140);
        progress.setVisible(false);
        // Room only while it shows: a hidden bar would keep the buttons a line lower on a narrow window.
        progress.managedProperty().bind(progress.visibleProperty());
        exportStatus.getStyleClass().add(JitterStyles.MUTED);
        exportStatus.setId("jitter-export-status");
        exportStatus.setWrapText(true);
        exportStatus.setMaxWidth(Double.MAX_VALUE);
        exportStatus.setAlignment(Pos.CENTER_RIGHT);
        exportStatus.setTextAlignment(javafx.scene.text.TextAlignment.RIGHT);
        exportStatus.managedProperty().bind(exportStatus.textProperty().isNotEmpty());
        exportStatus.visibleProperty().bind(exportStatus.managedProperty());
        HBox thresholdGroup = new HBox(10, thresholdLabel, threshold);
        HBox bundleGroup = new HBox(10, progress, exportButton, openButton);
        // Every control keeps its whole label: on a narrow window a group goes onto a line of its own, never a
        // button cut short or pushed past the window's edge; on a wide one the bundle's buttons sit at the right end.
        WrapRow bar = new WrapRow(28, 8, spanGroup, thresholdGroup, bundleGroup);
        for (HBox group : List.of(spanGroup, thresholdGroup, bundleGroup)) {
            group.getChildren().forEach(n -> ((Region) n).setMinWidth(Region.USE_PREF_SIZE));
            group.setAlignment(Pos.CENTER_LEFT);
            group.setMinWidth(Region.USE_PREF_SIZE);
        }
        bar.getStyleClass().add(JitterStyles.TOOLBAR);
        VBox top = new VBox(bar, exportStatus);
        VBox.setMargin(exportStatus, new Insets(0, 14, 4, 14));
        return top;
    }

    /** The ranking's height when it stands above the picture: its title, its header and about seven PoPs. */
    static final double STACKED_RANKING_HEIGHT = 300;

    /**
     * The least width the ranking takes beside the picture: its padding and a table whose columns, each shrunk towards
     * the width its header needs, still hold their figures. A fixed width, not the ranking's preferred one, which grows
     * with the newest column's header ("now", "at 06:39", a live node's "at 23:05:12"): the layout then does not
     * change when the first picture arrives, or when a rehearsal's clock passes an hour.
     */
    static final double RANKING_BESIDE = 554;

    /**
     * The ranking beside the picture wherever the width holds the ranking at {@link #RANKING_BESIDE} and the chart at
     * its least (a window 1000 px wide does); on a narrower window the ranking above the picture, each the window's
     * width, the tab then scrolling down rather than sideways.
     */
    private Node body(VBox ranking, VBox detail) {
        stacked = width -> width < RANKING_BESIDE + detail.minWidth(-1);
        Pane both = new Pane(ranking, detail) {
            /** The tab's choice, {@link #stackedNow}, at any width the body is asked about. */
            private boolean stacked(double width) {
                return stackedNow;
            }

            @Override
            public javafx.geometry.Orientation getContentBias() {
                return javafx.geometry.Orientation.HORIZONTAL;
            }

            @Override
            protected double computeMinWidth(double height) {
                return Math.max(ranking.minWidth(-1), detail.minWidth(-1));
            }

            @Override
            protected double computePrefWidth(double height) {
                return ranking.prefWidth(-1) + detail.prefWidth(-1);
            }

            /**
             * Side by side, what the picture's words and its chart at its least need: on a low window (1000x700) a
             * headline, its cause and what came before it take the height the span's summary needed, which was cut
             * off at the foot; the tab then scrolls down to it instead.
             */
            @Override
            protected double computeMinHeight(double width) {
                // Asked with no width (as the scroll pane asks whether to show its bar), the width it has.
                double w = width < 0 ? getWidth() : width;
                return w <= 0 || stacked(w) ? super.computeMinHeight(width) : detail.minHeight(w - rankingWidth(w));
            }

            /**
             * The ranking's width beside the picture in a body {@code width} wide: its own, less what the chart needs, and
             * never under {@link #RANKING_BESIDE}: where the vertical scroll bar takes the last pixels, the chart gives them.
             */
            private double rankingWidth(double width) {
                return Math.min(ranking.prefWidth(-1), Math.max(RANKING_BESIDE, width - detail.minWidth(-1)));
            }

            /** Side by side, the view's height, whatever it is; stacked, the ranking's and the picture's whole heights. */
            @Override
            protected double computePrefHeight(double width) {
                return width < 0 || !stacked(width) ? 0 : STACKED_RANKING_HEIGHT + 10 + detailHeight(width);
            }

            private double detailHeight(double width) {
                return Math.max(detail.minHeight(width), detail.prefHeight(width));
            }

            @Override
            protected void layoutChildren() {
                double w = getWidth();
                double h = getHeight();
                if (stacked(w)) {
                    // The whole width: the ranking's own padding is on its left, the scroll bar on its right.
                    ranking.resizeRelocate(0, 0, w, STACKED_RANKING_HEIGHT);
                    detail.resizeRelocate(0, STACKED_RANKING_HEIGHT + 10, w, Math.max(detailHeight(w), h - STACKED_RANKING_HEIGHT - 10));
                } else {
                    double left = rankingWidth(w);
                    ranking.resizeRelocate(0, 0, left, h);
                    detail.resizeRelocate(left, 0, w - left, h);
                }
            }
        };
        // The scroll pane decides its bar from the body's least height, which the body keeps until it is laid out
        // again; a new width alone does not ask for that, and on a show that stands still (a bundle) nothing else
        // does: narrowed, the body kept the height of the wider window, and the span's summary was cut off at the
        // foot with no bar to reach it.
        subscriptions.add(both.widthProperty().subscribe(w -> both.requestLayout()));
        bodyScroll = new ScrollPane(both);
        bodyScroll.setFitToWidth(true);
        bodyScroll.setFitToHeight(true);
        bodyScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        bodyScroll.getStyleClass().add(JitterStyles.BODY);
        return bodyScroll;
    }

    /**
     * Side by side the body takes the view's height (the chart takes what the ranking leaves); stacked, its own, the
     * view scrolling down to the chart. Told before the body is laid out, in the same pass.
     */
    @Override
    protected void layoutChildren() {
        boolean stack = stacked.test(getWidth() - snappedLeftInset() - snappedRightInset());
        if (stack != stackedNow) {
            stackedNow = stack;
            ((Pane) bodyScroll.getContent()).requestLayout();
        }
        if (bodyScroll.isFitToHeight() == stack) {
            bodyScroll.setFitToHeight(!stack);
        }
        super.layoutChildren();
    }

    private VBox ranking() {
        table.setId("jitter-ranking");
        TableColumn<PopRow, String> pop = Tables.column(table, "PoP", 55, r -> PopIds.shown(r.pop()));
        // The jitter columns' unit in their headers, under the words: a figure in each cell, which a 1,000 px window
        // holds beside the chart with every other column whole.
        TableColumn<PopRow, String> newest = Tables.column(table, "now", 75, r -> figure(r.nowMs()));
        TableColumn<PopRow, String> mean = Tables.column(table, "mean\nms", 75, r -> figure(r.meanMs()));
        TableColumn<PopRow, String> max = Tables.column(table, "max\nms", 75, r -> figure(r.maxMs()));
        TableColumn<PopRow, String> over = Tables.column(table, "s over", 70, r -> r.secondsOver() + " s");
        TableColumn<PopRow, String> lost = Tables.column(table, "lost", 60, r -> LossEpisode.percent(r.lossShare()));
        int held = JitterOnset.DEFAULT_SUSTAIN_SECONDS;
        // On two lines: the table beside the chart on a 1,000 px window has no room for the header on one line and a
        // "lost" column as wide as its widest share.
        TableColumn<PopRow, String> firstHeld = Tables.column(table, "first held\n" + held + " s", 125, viewModel::onsetText);
        Tables.leastWidth(pop, List::of);
        newest.setText(null);
        newest.setGraphic(newestHeader);
        Tables.leastWidth(mean, () -> List.of(WIDEST_FIGURE));
        Tables.leastWidth(max, () -> List.of(WIDEST_FIGURE));
        explain(over, "Seconds in the span at or over the threshold, each counted on its own: a lone second over the line"
                + " counts here.");
        Tables.leastWidth(over, List::of);
        explain(lost, "The share of the span's requests that got no answer (\"–\" when it had none). The chart's red ticks"
                + " mark the seconds with lost requests.");
        Tables.leastWidth(lost, () -> List.of(WIDEST_SHARE));
        explain(firstHeld, "The first second of the first run of at least " + held + " s at or over the threshold, in the"
                + " PoP's whole history. Lone seconds over the line are not an onset, so \"never\" can stand next to seconds"
                + " over.");
        // Its figure is a time: "04:00" in a rehearsal, "23:05:12" on a live node (the zone is named once over the
        // table), "02:40:00 GMT+02:00" for a time from the other side of a change of summer time. The column is measured
        // for the faces its cells and the newest second write (each time with every digit turned to 0), so it is
        // measured again when a face comes or goes (a zoned time appears, a rehearsal passes its hundredth minute), not
        // on every picture. Each face written with each digit in turn: the widest of them holds any time of that face.
        subscriptions.add(viewModel.pictureProperty().subscribe(p -> measureFaces()));
        subscriptions.add(viewModel.ranking().subscribe(this::measureFaces));
        Tables.leastWidth(firstHeld, () -> everyDigit(onsetFaces.get()), onsetFaces);
        newestHeader.setTooltip(new Tooltip("Each PoP's jitter in the newest whole second of history the ranking was"
                + " drawn from: the second named here, which the headline and the chart end on too."));
        newestHeader.setId("jitter-newest-header");
        // The column is as wide as its header, whatever second (or wall time on a live node) it names; the
        // table widens with it rather than cut the second short.
        javafx.beans.binding.DoubleBinding holds = Tables.leastWidth(newest, () -> List.of(WIDEST_FIGURE));
        javafx.beans.binding.DoubleBinding fits = javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.max(75, holds.get()), holds);
        newest.prefWidthProperty().bind(fits);
        table.setItems(viewModel.ranking());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // The table shares its width among the columns again when the newest column's header grows or shrinks ("now",
        // "at 06:39", a live node's wall time): by itself it does so only when its own width changes, and the other
        // columns would keep their widths, the last one running past the table's edge with its header cut off.
        subscriptions.add(fits.subscribe(w -> Tables.refit(table)));
        table.prefWidthProperty().bind(fits.add(590 - 75));
        table.setPlaceholder(new Label("waiting for history"));
        rankingTitle.getStyleClass().add(JitterStyles.SECTION_TITLE);
        rankingTitle.setId("jitter-ranking-title");
        rankingTitle.setWrapText(true);
        rankingTitle.setMinHeight(Region.USE_PREF_SIZE);
        VBox box = new VBox(6, rankingTitle, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        box.setPadding(new Insets(0, 0, 0, 14));
        return box;
    }

    /**
     * The faces of the times the "first held" column can show now: the newest second's and each row's onset, every digit
     * written 0 ("00:00:00", "00:00:00 GMT+00:00"), one a line. Set only when they change, so the column is measured
     * again only then.
     */
    private void measureFaces() {
        List<String> times = new ArrayList<>();
        JitterViewModel.Picture p = viewModel.pictureProperty().get();
        if (p != null) {
            times.add(viewModel.cellTime(p.newestSecond()));
        }
        for (PopRow row : viewModel.ranking()) {
            if (row.onsetSecond() >= 0) {
                times.add(viewModel.onsetText(row));
            }
        }
        onsetFaces.set(String.join("\n", times.stream().map(t -> t.replaceAll("[0-9]", "0")).distinct().sorted().toList()));
    }

    /** Each of {@code faces} (times with every digit written 0, one a line) written with each digit in turn: "00:00", "11:11", … "99:99". */
    private static List<String> everyDigit(String faces) {
        List<String> out = new ArrayList<>(List.of("never"));
        for (String face : faces.split("\n")) {
            for (char d = '0'; d <= '9'; d++) {
                out.add(face.replace('0', d));
            }
        }
        return out;
    }

    /** Puts {@code column}'s header in a label of its own that says, one hover away, what the column counts. */
    private static void explain(TableColumn<PopRow, ?> column, String tooltip) {
        Label label = new Label(column.getText());
        Tooltip tip = new Tooltip(tooltip);
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        label.setTooltip(tip);
        column.setText(null);
        column.setGraphic(label);
    }

    private VBox detail() {
        headline.getStyleClass().add(JitterStyles.HEADLINE);
        headline.setId("jitter-headline");
        headline.setWrapText(true);
        cause.setId("jitter-cause");
        cause.getStyleClass().add(JitterStyles.CAUSE);
        earlier.setId("jitter-earlier");
        earlier.getStyleClass().add(JitterStyles.MUTED);
        earlier.setWrapText(true);
        latency.setId("jitter-latency");
        latency.getStyleClass().add(JitterStyles.MUTED);
        latency.setWrapText(true);
        latency.setTooltip(new Tooltip("""
                As recorded: what the audience got. The engine's load is open-loop and includes queueing, \
                so these carry no coordinated omission.
                As a prober would see it: HdrHistogram's correction for coordinated omission at the span's \
                average request interval, i.e. what a monitor that waits for each answer before sending the \
                next would report. The percentiles (≈) come from the heatmap buckets, about ±15%; the max is the \
                largest recorded in the span's seconds."""));
        probeLatency.setId("jitter-probe-latency");
        probeLatency.getStyleClass().add(JitterStyles.MUTED);
        probeLatency.setWrapText(true);
        probeLatency.managedProperty().bind(probeLatency.visibleProperty());
        probeLatency.setVisible(false);
        // The chart gives up height before any line is cut to one line with an ellipsis: a number lost
        // from the end of a line is worse than a shorter chart.
        cause.setWrapText(true);
        for (Label l : List.of(behind, pickPending, headline, cause, earlier, latency, probeLatency)) {
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        behind.setId("jitter-behind");
        behind.getStyleClass().addAll("status-stale", JitterStyles.BEHIND);
        behind.setWrapText(true);
        behind.managedProperty().bind(behind.textProperty().isNotEmpty());
        behind.visibleProperty().bind(behind.textProperty().isNotEmpty());
        pickPending.setId("jitter-pick-pending");
        pickPending.getStyleClass().addAll("status-stale", JitterStyles.BEHIND);
        pickPending.setWrapText(true);
        pickPending.managedProperty().bind(pickPending.textProperty().isNotEmpty());
        pickPending.visibleProperty().bind(pickPending.textProperty().isNotEmpty());
        VBox box = new VBox(4, behind, pickPending, headline, cause, earlier, chart, latency, probeLatency);
        VBox.setVgrow(chart, Priority.ALWAYS);
        box.setPadding(new Insets(0, 14, 0, 14));
        return box;
    }

    /** How much of itself a picture shows while it is the previous pick's: greyed, so it never reads as the new one's. */
    static final double PREVIOUS_PICK_OPACITY = 0.35;

    /**
     * Greys the picture (its words and its chart) while it is one shown before the pick, of another PoP than the one
     * just picked, with the words saying so over it; whole again once an answer for the pick is drawn.
     */
    private void greyPreviousPicture(boolean previous) {
        double opacity = previous ? PREVIOUS_PICK_OPACITY : 1;
        for (Node n : List.of(headline, cause, earlier, chart, latency, probeLatency)) {
            n.setOpacity(opacity);
        }
    }

    private void showPicture(JitterViewModel.Picture p) {
        chart.show(p);
        // The ranking drawn with this picture is of its newest second: the column says which, so a picture
        // that lags the show never passes for now.
        newestHeader.setText(p == null ? NEWEST_BEFORE_ANY : "ms at\n" + viewModel.cellTime(p.newestSecond()));
        // A rehearsal's times are the show's mm:ss, as on every tab; the ranking's wall times, without their zone, say
        // which it is over the table.
        String title = p == null || !viewModel.times().wallClock() ? RANKING_TITLE
                : RANKING_TITLE + " · times: " + viewModel.times().clockName();
        if (!title.equals(rankingTitle.getText())) {
            // The cells write a time bare or with its zone by the zone the title names: drawn again with it.
            rankingTitle.setText(title);
            table.refresh();
        }
        reselect();
        if (p == null) {
            headline.setText("");
            cause.setText("");
            earlier.setText("");
            latency.setText("");
            probeLatency.setVisible(false);
            return;
        }
        double now = p.rows().rows() == 0 ? 0 : p.rows().jitterMs()[p.rows().rows() - 1];
        headline.setText(p.onset() == null
                ? String.format(Locale.ROOT, "%s: jitter never held over %.0f ms (%s at %s)", PopIds.shown(p.pop()), p.thresholdMs(),
                        Double.isNaN(now) ? "no requests" : String.format(Locale.ROOT, "%.1f ms", now), viewModel.time(p.newestSecond()))
                : String.format(Locale.ROOT, "%s: jitter first held over %.0f ms at %s (%.1f ms then)", PopIds.shown(p.pop()), p.thresholdMs(),
                        viewModel.time(p.onset().second()), p.onset().jitterMs()));
        List<String> changed = p.whatChanged().stream().map(viewModel::describe).toList();
        cause.setText(p.onset() == null ? "" : changed.isEmpty()
                ? "Nothing on the timeline changed in the 5 minutes before it."
                : "What changed just before: " + changed.getFirst());
        earlier.setText(changed.size() < 2 ? ""
                : "Also before it: " + String.join("  ·  ", changed.subList(1, changed.size())));
        SpanLatency s = p.latency();
        latency.setText(latencyText(s));
        probeLatency.setVisible(p.probes() != null);
        probeLatency.setText(probeText(p.probes()));
    }

    /**
     * The span's latency two ways. The percentiles come from the heatmap's buckets, so they carry "≈" and
     * the precision; the max is printed exactly when the rows recorded it.
     */
    static String latencyText(SpanLatency s) {
        if (s.requests() == 0) {
            return "No audience requests served in this span.";
        }
        return String.format(Locale.ROOT, "Span: %,d audience requests, %,d lost.  As recorded: max %s, p50/p95/p99 ≈\u00A0%s / %s / %s;"
                        + " as a prober sending every %s would see it: p50/p95/p99 ≈\u00A0%s / %s / %s (≈: heatmap buckets, ±%.0f%%)",
                s.requests(), s.lost(), max(s), msTogether(s.p50Ms()), msTogether(s.p95Ms()), msTogether(s.p99Ms()), msTogether(s.expectedIntervalMs()),
                msTogether(s.correctedP50Ms()), msTogether(s.correctedP95Ms()), msTogether(s.correctedP99Ms()), SpanLatency.BUCKET_PRECISION * 100);
    }

    /** A span's max: to 0.1 ms as recorded, or marked approximate where it comes from the heatmap. */
    private static String max(SpanLatency s) {
        return s.maxExact() ? Together.words(String.format(Locale.ROOT, "%.1f ms", s.maxMs())) : "≈\u00A0" + msTogether(s.maxMs());
    }

    /** The active probes over the span, or nothing where no probe measures the PoP. */
    private static String probeText(SpanLatency probes) {
        if (probes == null) {
            return "";
        }
        return probes.requests() == 0 ? String.format(Locale.ROOT, "Probes: none answered in this span, %,d lost.", probes.lost())
                : String.format(Locale.ROOT, "Probes: %,d answered, %,d lost; max %s, p50/p95 ≈\u00A0%s / %s.", probes.requests(),
                        probes.lost(), max(probes), msTogether(probes.p50Ms()), msTogether(probes.p95Ms()));
    }

    /** The ranking's row under a mouse event, or null off the rows. */
    private static PopRow rowUnder(MouseEvent e) {
        for (javafx.scene.Node n = e.getPickResult().getIntersectedNode(); n != null; n = n.getParent()) {
            if (n instanceof javafx.scene.control.TableRow<?> r) {
                return r.getItem() instanceof PopRow row ? row : null;
            }
        }
        return null;
    }

    /** A person is pressing a key on the table: the selection it makes is their pick. */
    private void personPicking() {
        picking = true;
        Platform.runLater(() -> picking = false);
    }

    /** Keeps the table's selection on the PoP the picture shows, without pinning it. */
    private void reselect() {
        JitterViewModel.Picture p = viewModel.pictureProperty().get();
        if (p == null) {
            return;
        }
        selecting = true;
        try {
            viewModel.ranking().stream().filter(r -> r.pop().equals(p.pop())).findFirst()
                    .ifPresent(r -> table.getSelectionModel().select(r));
        } finally {
            selecting = false;
        }
    }

    void refreshColors() {
        chart.setColors(new JitterChart.Colors(palette.color(Palette.Token.SURFACE), palette.color(Palette.Token.TEXT),
                palette.color(Palette.Token.TEXT_MUTED), palette.color(Palette.Token.SERIES), palette.color(Palette.Token.WARN),
                palette.color(Palette.Token.BAD), palette.color(Palette.Token.TEXT_MUTED).deriveColor(0, 1, 1, 0.35),
                palette.color(Palette.Token.PROBE_SERIES)));
    }

    JitterChart chart() {
        return chart;
    }

    void dispose() {
        subscriptions.forEach(Subscription::unsubscribe);
        subscriptions.clear();
    }

    /** {@link #ms} with its unit kept on the figure's line. */
    private static String msTogether(double v) {
        return Together.words(ms(v));
    }

    /** The widest share the "lost" column shows: all of a span's requests lost. */
    private static final String WIDEST_SHARE = LossEpisode.percent(1);

    /** The widest figure a jitter column shows ("99.9"; from 100 ms on, no tenths). */
    private static final String WIDEST_FIGURE = figure(99.9);

    private static final String RANKING_TITLE = "PoPs by mean jitter over the span";

    /** The newest column's header before the first picture. */
    private static final String NEWEST_BEFORE_ANY = "ms\nnow";

    /** Milliseconds as the ranking's cells show them, the unit in the column's header; NaN (nothing measured) as a dash. */
    static String figure(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Milliseconds with their unit; NaN (no requests, so nothing measured) as a dash. */
    static String ms(double v) {
        return Double.isNaN(v) ? "–" : figure(v) + " ms";
    }
}
