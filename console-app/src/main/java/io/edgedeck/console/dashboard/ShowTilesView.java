package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.StyleClasses;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.scene.Cursor;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.util.Duration;

import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The show-wide row of tiles above the PoP wall: sentiment gauge, reaction index, throughput and
 * delivery, degraded PoPs, the decision budget (once the edge has timed a decision), and one
 * conversion tile per variant. Every tile's tooltip holds its whole
 * text, so nothing a narrow tile cuts short is out of reach.
 */
public final class ShowTilesView extends FlowPane {
    static final double WIDTH = 185;
    static final double HEIGHT = 150;
    /** Rates have no natural ceiling; a tile clamps its value to its maximum, so set one no show reaches. */
    private static final double UNBOUNDED = 1e9;
    /** What a tile shows where there is no number, as the PoP tiles do. */
    static final String NO_NUMBER = "–";
    /**
     * A variant tile's number: conversions per 100 exposures. Not "%": a unit may convert more than once,
     * so the number is not a share of the units and may pass 100.
     */
    static final String RATE_UNIT = "conv/100 exp";

    private final ShowTilesViewModel viewModel;
    private final ChatTilesViewModel chat;
    private final TrafficTilesViewModel traffic;
    private final Palette palette;
    /** Every tile with the status it is coloured by, so a theme switch can recolour them all. */
    private final Map<Tile, Supplier<Status>> statusOf = new LinkedHashMap<>();
    private final Map<VariantTile, Tile> variantTiles = new LinkedHashMap<>();
    private final List<Runnable> updates = new ArrayList<>();
    /** The sparklines' points since the last update, one per engine frame. */
    private List<ShowTilesViewModel.SparkPoint> sparkPoints = List.of();
    /** The status each tile was last coloured for: colouring reads the palette, so only changes recolour. */
    private final Map<Tile, Status> coloured = new java.util.HashMap<>();
    private final Map<Tile, Tooltip> tooltips = new java.util.HashMap<>();
    private final Tile sentiment;
    private final Tile reactions;
    private final Tile throughput;
    private final Tile degraded;
    private final DecisionTile decisions;
    private final CostTile cost;
    private final ChangeListener<Number> onRevision = (obs, old, now) -> update();
    private final ListChangeListener<VariantTile> onVariants = change -> rebuildVariants();
    private final javafx.beans.InvalidationListener onWidth = o -> resize();
    private final ChangeListener<Boolean> onDecisionsPresent = (obs, old, now) -> showDecisions(now);
    private final ChangeListener<Boolean> onCostPresent = (obs, old, now) -> showCost(now);
    /** Tiles that colour themselves (the encoder's), last in the grid while they are present, with what follows their presence. */
    private final Map<Tile, Runnable> placedLast = new LinkedHashMap<>();

    public ShowTilesView(ShowTilesViewModel viewModel, Palette palette) {
        this.viewModel = viewModel;
        this.chat = viewModel.chat();
        this.traffic = viewModel.traffic();
        this.palette = palette;
        getStyleClass().add(StyleClasses.SHOW_TILES);
        setHgap(10);
        setVgap(10);

        // The gauge's bar and number take the status colour (red below neutral, amber around it, green above), the needle
        // points at the value. No sections: the bar covers them at this size, and the gauge skin makes a tooltip for each
        // section on every redraw, which cost a tenth of a second of every start.
        sentiment = tile(Tile.SkinType.GAUGE, "Chat sentiment", "net %", "show-tile-sentiment");
        sentiment.setMinValue(-100);
        sentiment.setMaxValue(100);
        sentiment.setThresholdVisible(false);
        sentiment.setSectionsVisible(false);
        track(sentiment, chat.sentimentStatusProperty(), () -> {
            sentiment.setValue(chat.netSentimentProperty().get());
            sentiment.setText(chat.sentimentDetailProperty().get());
            // The gauge skin draws no text or description: coverage and the interval go in its title.
            // and so does staleness, as the other tiles' footers say it.
            String stale = viewModel.staleTextProperty().get();
            // Before the title, which the skin fits as it is set.
            sentiment.getProperties().put(HeldGaugeTileSkin.SHORTER_TITLES, stale.isEmpty() ? chat.sentimentShorterTitlesProperty().get()
                    : List.of());
            sentiment.setTitle(stale.isEmpty() ? chat.sentimentTitleProperty().get() : "Chat · " + stale);
            sentiment.setDescription(staleOr(chat.sentimentTrendProperty().get()));
            double net = chat.netSentimentProperty().get();
            tooltip(sentiment, "Chat sentiment: net " + (Double.isNaN(net) ? NO_NUMBER : Math.round(net) + "%")
                    + " (positive minus negative messages over the last minute; within ±"
                    + Math.round(ChatTilesViewModel.NEUTRAL_NET) + " is neutral)\n" + chat.sentimentDetailProperty().get()
                    + "\n" + chat.sentimentCoverageProperty().get()
                    + "\n" + staleOr(chat.sentimentTrendProperty().get())
                    + "\n" + ChatTilesViewModel.NOT_SCORED_MEANING);
        });

        reactions = tile(Tile.SkinType.SPARK_LINE, "Reaction index", "msg/min", "show-tile-reactions");
        reactions.setMaxValue(UNBOUNDED);
        track(reactions, chat.reactionStatusProperty(), () -> {
            plot(reactions, ShowTilesViewModel.SparkPoint::messagesPerMinute);
            reactions.setValue(chat.messagesPerMinuteProperty().get());
            // The footer, which a sparkline tile shows in place of a description, says when the number is not current.
            reactions.setText(staleOr(chat.reactionDetailProperty().get()));
            tooltip(reactions, "Reaction index: " + whole(chat.messagesPerMinuteProperty().get())
                    + " chat messages a minute\n" + chat.reactionDetailProperty().get() + stale());
        });

        throughput = tile(Tile.SkinType.SPARK_LINE, "Throughput", "req/s", "show-tile-throughput");
        throughput.setMaxValue(UNBOUNDED);
        track(throughput, traffic.deliveryStatusProperty(), () -> {
            plot(throughput, ShowTilesViewModel.SparkPoint::throughputRps);
            throughput.setValue(traffic.throughputRpsProperty().get());
            throughput.setText(staleOr(traffic.deliveryDetailProperty().get()));
            tooltip(throughput, "Throughput: " + whole(traffic.throughputRpsProperty().get())
                    + " requests a second over all PoPs\nEvents " + traffic.deliveryDetailProperty().get() + stale());
        });

        degraded = tile(Tile.SkinType.NUMBER, "Degraded PoPs", "PoPs", "show-tile-degraded");
        track(degraded, traffic.degradedStatusProperty(), () -> {
            degraded.setValue(traffic.degradedPopsProperty().get());
            degraded.setUnit(pops(traffic.degradedPopsProperty().get()));
            degraded.setDescription(staleOr(traffic.degradedDetailProperty().get()));
            tooltip(degraded, whole(traffic.degradedPopsProperty().get()) + " " + pops(traffic.degradedPopsProperty().get()) + " not fully up, "
                    + traffic.degradedDetailProperty().get() + stale());
        });

        decisions = new DecisionTile(viewModel.decisions(), palette);
        updates.add(() -> {
            decisions.update(viewModel.staleTextProperty().get());
            DecisionTileViewModel d = viewModel.decisions();
            tooltip(decisions.node(), "Decision budget: how long one-click checkouts and triggered actions took per stage over the"
                    + " last 60 s (p50 / p95 / p99, ms) against each stage's budget: validate 50-200 ms, enrich 50-150 ms,"
                    + " act under 300 ms, all three under the 500 ms on-screen confirmation objective.\n" + d.headlineProperty().get()
                    + "\n" + d.detailProperty().get() + "\nGreen: p99 within budget; amber: p95 within, p99 over; red: p95 over,"
                    + " or more than 5% of decisions over 500 ms." + stale());
        });
        cost = new CostTile(viewModel.cost(), palette);
        updates.add(() -> {
            cost.update(viewModel.staleTextProperty().get());
            CostTileViewModel c = viewModel.cost();
            StringBuilder all = new StringBuilder();
            for (CostTileViewModel.PopRow r : c.rowsProperty().get()) {
                all.append(String.format(java.util.Locale.ROOT, "\n%s: cost %,.2f, %,d conversions (%s per unit), revenue %,.2f (%s per unit)",
                        r.pop(), r.cost(), r.conversions(), CostTile.perUnit(r.conversionsPerCost()), r.revenue(),
                        CostTile.perUnit(r.revenuePerCost())));
            }
            tooltip(cost.node(), "Conversions per unit of cost: what each PoP has cost so far at the node configuration's prices"
                    + " (per hour and per million requests) against the conversions of the sessions it is home to, most per unit"
                    + " first.\n" + c.headlineProperty().get() + all + "\n" + c.lastFiftyProperty().get()
                    + "\nFast seconds: a PoP's 10 s p95 under its normal + 50 ms; slow: at or over it. A comparison of seconds"
                    + " as they came, not an experiment (docs/COST.md)." + stale());
        });
        widthProperty().addListener(onWidth);
        viewModel.decisions().presentProperty().addListener(onDecisionsPresent);
        showDecisions(viewModel.decisions().presentProperty().get());
        viewModel.cost().presentProperty().addListener(onCostPresent);
        showCost(viewModel.cost().presentProperty().get());
        viewModel.conversion().tiles().addListener(onVariants);
        viewModel.revisionProperty().addListener(onRevision);
        rebuildVariants();
        update();
    }

    /** The degraded tile's unit for {@code count}: "1 PoP", "0 PoPs", "3 PoPs". */
    static String pops(double count) {
        return count == 1 ? "PoP" : "PoPs";
    }

    /** A whole number for a tooltip, or a dash where there is none (before the first frame). */
    private static String whole(double value) {
        return Double.isNaN(value) ? NO_NUMBER : Long.toString(Math.round(value));
    }

    /**
     * Before the first frame a sparkline's value is NaN (a dash); the line starts afresh with the first number, so no
     * point of "no number" stays in its range. Outside the tile's held redraws: the skin is replaced.
     */
    private void restartSparkLine(Tile tile, double value) {
        if (Double.isNaN(tile.getValue()) && !Double.isNaN(value)) {
            tile.setSkin(new ThemedSparkLineSkin(tile));
        }
    }

    private String staleOr(String text) {
        String stale = viewModel.staleTextProperty().get();
        return stale.isEmpty() ? text : stale;
    }

    private String stale() {
        String stale = viewModel.staleTextProperty().get();
        return stale.isEmpty() ? "" : stale.equals(ShowTilesViewModel.UNHEARD) ? "\nNo number yet: " + stale
                : stale.equals(ShowTilesViewModel.NOT_LET_IN) ? "\nNo number: " + stale + " (why is at the top)"
                : "\nNumbers " + stale + ": frames stopped arriving";
    }

    private Tile tile(Tile.SkinType skin, String title, String unit, String id) {
        return tile(skin, title, unit, id, 0);
    }

    private Tile tile(Tile.SkinType skin, String title, String unit, String id, int decimals) {
        Tile t = TileBuilder.create()
                .skinType(skin)
                .prefSize(WIDTH, HEIGHT)
                .title(title)
                .unit(unit)
                .decimals(decimals)
                .tickLabelDecimals(0)
                .minValue(0)
                .averageVisible(false)
                .animated(false)
                .smoothing(false)
                .textVisible(true)
                .textSize(Tile.TextSize.BIGGER)
                .build();
        t.setId(id);
        // A value of NaN is "no number" (no chat scored, no exposures yet): the tile shows a dash, as the PoP tiles do.
        t.setCustomDecimalFormat(numberOrDash(decimals));
        t.setCustomDecimalFormatEnabled(true);
        // Skins that draw once for a frame's several changes (Redraws); the sparklines get theirs with the theme's colours.
        switch (skin) {
            case NUMBER -> t.setSkin(new HeldNumberTileSkin(t));
            case GAUGE -> t.setSkin(new HeldGaugeTileSkin(t));
            default -> { }
        }
        return t;
    }

    /**
     * The tiles' number format: {@code decimals} places, rounded half up as {@code String.format} does, NaN as a dash, and
     * a figure that rounds to zero without a sign ("0", not "-0" for a net of -0.4%), as the sentiment tile's mean is.
     */
    static DecimalFormat numberOrDash(int decimals) {
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
        symbols.setNaN(NO_NUMBER);
        DecimalFormat format = new DecimalFormat(decimals == 0 ? "0" : "0." + "0".repeat(decimals), symbols) {
            @Override
            public StringBuffer format(double number, StringBuffer to, java.text.FieldPosition at) {
                int start = to.length();
                super.format(number, to, at);
                if (to.length() > start + 1 && to.charAt(start) == '-'
                        && to.substring(start + 1).chars().allMatch(c -> c == '0' || c == '.')) {
                    to.deleteCharAt(start);
                }
                return to;
            }
        };
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format;
    }

    private void tooltip(Tile tile, String text) {
        Tooltip tip = tooltips.computeIfAbsent(tile, t -> {
            Tooltip created = new Tooltip();
            created.setShowDelay(Duration.millis(300));
            created.setWrapText(true);
            created.setMaxWidth(460);
            Tooltip.install(t, created);
            return created;
        });
        if (!text.equals(tip.getText())) {
            tip.setText(text);
        }
    }

    /** Adds a point per engine frame to a sparkline, not one per redraw: the line is the show's, not the ticks'. */
    private void plot(Tile tile, java.util.function.ToDoubleFunction<ShowTilesViewModel.SparkPoint> value) {
        if (tile.getSkin() instanceof ThemedSparkLineSkin skin) {
            skin.plot(sparkPoints.stream().mapToDouble(value).toArray());
        }
    }

    private void track(Tile tile, ObservableValue<Status> status, Runnable update) {
        statusOf.put(tile, status::getValue);
        updates.add(() -> Redraws.batch(tile, update));
        addBeforePlacedLast(tile);
    }

    /**
     * Puts {@code t}, a tile that colours itself, last in the grid while {@code present} holds, sized as every
     * other tile is, so its edges line up with theirs; out of the grid (taking no room) while it does not. FX thread.
     */
    public void placeLast(Tile t, ObservableValue<Boolean> present) {
        ChangeListener<Boolean> follow = (obs, old, now) -> {
            getChildren().remove(t);
            if (Boolean.TRUE.equals(now)) {
                getChildren().add(t);
            }
            resize();
        };
        present.addListener(follow);
        placedLast.put(t, () -> present.removeListener(follow));
        follow.changed(present, null, present.getValue());
    }

    /** Adds a tile after the others, before those placed last. */
    private void addBeforePlacedLast(Tile t) {
        int at = getChildren().size();
        for (Tile last : placedLast.keySet()) {
            int i = getChildren().indexOf(last);
            if (i >= 0) {
                at = Math.min(at, i);
            }
        }
        getChildren().add(at, t);
    }

    /** The cost tile takes its place after the traffic and decision tiles while every PoP has a cost. */
    private void showCost(boolean present) {
        showOptional(cost.node(), viewModel.cost().statusProperty()::get, present,
                statusOf.containsKey(decisions.node()) ? decisions.node() : degraded);
    }

    /** The decision tile takes its place after the traffic tiles once the edge has timed a decision. */
    private void showDecisions(boolean present) {
        showOptional(decisions.node(), viewModel.decisions().statusProperty()::get, present, degraded);
    }

    /** Puts a tile shown only while it has something to say in after {@code after}, or takes it out. */
    private void showOptional(Tile t, java.util.function.Supplier<Status> status, boolean present, Tile after) {
        if (present && !statusOf.containsKey(t)) {
            statusOf.put(t, status);
            getChildren().add(getChildren().indexOf(after) + 1, t);
        } else if (!present && statusOf.containsKey(t)) {
            statusOf.remove(t);
            coloured.remove(t);
            getChildren().remove(t);
        }
        resize();
    }

    private void rebuildVariants() {
        for (Tile t : variantTiles.values()) {
            statusOf.remove(t);
            coloured.remove(t);
            Tooltip tip = tooltips.remove(t);
            if (tip != null) {
                Tooltip.uninstall(t, tip);
            }
            getChildren().remove(t);
        }
        variantTiles.clear();
        for (VariantTile v : viewModel.conversion().tiles()) {
            Tile t = tile(Tile.SkinType.NUMBER, v.title(), RATE_UNIT, "variant-tile-" + v.key().replace('/', '-'), 2);
            // A click says the operator has seen what happened to the variant.
            t.setOnMouseClicked(e -> {
                if (!v.actionProperty().get().isEmpty()) {
                    viewModel.conversion().acknowledge(v);
                }
            });
            variantTiles.put(v, t);
            statusOf.put(t, v::shownStatus);
            addBeforePlacedLast(t);
        }
        resize();
        update();
    }

    /**
     * A variant tile's description in fewer words, longest first, for a tile too narrow for it whole: its key line
     * {@code said} as {@link #shorterLines(String)} shortens it, and under it the moved cohort where there is one,
     * first in {@code movedShort}'s words, then in {@code movedShortest}'s; the tooltip keeps them whole.
     */
    static List<String> shorterLines(String said, String moved, String movedShort, String movedShortest) {
        if (moved.isEmpty()) {
            return shorterLines(said);
        }
        List<String> out = new java.util.ArrayList<>(List.of(said + "\n" + movedShort, said + "\n" + movedShortest));
        shorterLines(said).forEach(s -> out.add(s + "\n" + movedShortest));
        return out;
    }

    /**
     * A variant tile's key line in fewer words, longest first, for a tile too narrow for it whole: without its
     * closing "(n = 766)", then a quiet variant's without what follows "no exposures for 25 s"
     * ({@link ConversionTilesViewModel}'s words); an acted line without who acted ("rolled back at 11:12:49 UTC by
     * the fleet's aggregator" to "rolled back at 11:12:49 UTC"), then without its zone ("rolled back at 11:12:49"), then to the minute
     * ("rolled back at 11:12"). The tooltip keeps it whole.
     */
    static List<String> shorterLines(String line) {
        List<String> out = new java.util.ArrayList<>();
        String now = line;
        boolean acted = ACTED.matcher(line).lookingAt();
        for (String cut : acted ? ACTED_CUTS : KEY_LINE_CUTS) {
            String shorter = now.replaceFirst(cut, "");
            if (!shorter.equals(now) && !shorter.isBlank()) {
                out.add(shorter);
                now = shorter;
            }
        }
        return out;
    }

    /** A line saying what changed a variant at the edge: {@link EdgeActionsViewModel.EdgeAction#sentence()}. */
    private static final java.util.regex.Pattern ACTED = java.util.regex.Pattern.compile(
            java.util.Arrays.stream(EdgeActionsViewModel.Kind.values()).map(k -> java.util.regex.Pattern.quote(k.words))
                    .collect(java.util.stream.Collectors.joining("|", "(", ") (at|by) ")));
    /**
     * A key line's closing "(n = 766)"; then, on a variant gone quiet, all after "no exposures for 25 s" (the lift
     * or "control (baseline)", which the tooltip keeps).
     */
    private static final List<String> KEY_LINE_CUTS = List.of("\\s*\\([^()]*\\)$",
            "(?<=^no exposures for \\d{1,12} s(?: of show time)?)\\s+·\\s+.+$");
    /** Who acted, however many words name them; the zone; the seconds. */
    private static final List<String> ACTED_CUTS = List.of("\\s+by\\s+.+$", "\\s+UTC$", "(?<=\\d\\d:\\d\\d):\\d\\d$");

    /** Sizes every tile in the grid alike, those placed last among them. */
    private void resize() {
        TileGrid.fit(this, getChildren().stream().map(javafx.scene.layout.Region.class::cast).toList(), 0, WIDTH, HEIGHT, HEIGHT);
    }

    private void update() {
        sparkPoints = viewModel.takeSparkPoints();
        restartSparkLine(reactions, chat.messagesPerMinuteProperty().get());
        restartSparkLine(throughput, traffic.throughputRpsProperty().get());
        updates.forEach(Runnable::run);
        variantTiles.forEach((v, t) -> Redraws.batch(t, () -> {
            String action = v.actionProperty().get();
            t.setValue(v.ratePercentProperty().get());
            String moved = v.movedProperty().get();
            // The moved cohort on a line of its own under the lift: in the footer it would shrink
            // the footer's text past reading.
            String said = staleOr(action.isEmpty() ? v.liftProperty().get() : action);
            // Where the tile is too narrow for the whole line, it says it in fewer words; the tooltip keeps them all.
            t.getProperties().put(HeldNumberTileSkin.SHORT_DESCRIPTION,
                    shorterLines(said, moved, v.movedShortProperty().get(), v.movedShortestProperty().get()));
            t.setDescription(said + (moved.isEmpty() ? "" : "\n" + moved));
            t.setText(v.detailProperty().get());
            t.setCursor(action.isEmpty() ? Cursor.DEFAULT : Cursor.HAND);
            double rate = v.ratePercentProperty().get();
            tooltip(t, v.title() + ": " + (Double.isNaN(rate) ? "no exposures yet"
                            : String.format(Locale.ROOT, "%.2f conversions per 100 exposures", rate))
                    + "\n" + v.liftProperty().get() + "\n" + v.detailProperty().get() + (moved.isEmpty() ? "" : "\n" + moved)
                    + (action.isEmpty() ? "" : "\n" + action + " (click to acknowledge)") + stale());
        }));
        statusOf.forEach((tile, status) -> {
            Status now = status.get();
            if (coloured.get(tile) != now) {
                Redraws.batch(tile, () -> TileColors.apply(tile, palette, now));
                coloured.put(tile, now);
            }
        });
    }

    /** Re-reads the palette (after a theme switch) and each tile's status. FX thread. */
    public void refreshColors() {
        coloured.clear();
        update();
        // The sparkline skin reads its scale's colours once, when it is made: make it again in the new colours.
        for (Tile t : List.of(reactions, throughput)) {
            t.setSkin(new ThemedSparkLineSkin(t));
        }
    }

    /** Stops following the view model. FX thread. */
    public void dispose() {
        viewModel.conversion().tiles().removeListener(onVariants);
        viewModel.revisionProperty().removeListener(onRevision);
        viewModel.decisions().presentProperty().removeListener(onDecisionsPresent);
        viewModel.cost().presentProperty().removeListener(onCostPresent);
        placedLast.values().forEach(Runnable::run);
        widthProperty().removeListener(onWidth);
    }
}
