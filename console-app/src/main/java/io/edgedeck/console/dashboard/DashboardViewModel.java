package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.ShowChange;
import io.edgedeck.console.common.WallClock;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's state: one tile view model per PoP, in the order the edge reports them or worst
 * first, plus the show clock and totals. Fed by the frame ticker on the FX thread; knows nothing of nodes.
 */
public final class DashboardViewModel implements FrameTicker.Sink {
    private final ObservableList<PopTileViewModel> tiles = FXCollections.observableArrayList();
    /** The tiles in the order the edge reports its PoPs. */
    private final List<PopTileViewModel> edgeOrder = new ArrayList<>();
    private final BooleanProperty worstFirst = new SimpleBooleanProperty(this, "worstFirst");
    private final ObservableList<PopTileViewModel> readOnlyTiles = FXCollections.unmodifiableObservableList(tiles);
    private final Map<String, PopTileViewModel> byId = new HashMap<>();
    private final ObjectProperty<Slo> slo = new SimpleObjectProperty<>(this, "slo", Slo.DEFAULT);
    private final javafx.beans.property.ReadOnlyObjectWrapper<List<Slo.Objective>> objectives =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "objectives", Slo.DEFAULT.objectives(List.of()));
    private boolean snapshot;
    private final ReadOnlyStringWrapper clock = new ReadOnlyStringWrapper(this, "clock", "waiting for the first frame");
    private final ReadOnlyStringWrapper totals = new ReadOnlyStringWrapper(this, "totals", "");
    private final ReadOnlyStringWrapper staleMessage = new ReadOnlyStringWrapper(this, "staleMessage", "");
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(this, "stale", false);
    private boolean connectionOnline = true;
    private final EdgeActionsViewModel edgeActions = new EdgeActionsViewModel();
    private final ShowTilesViewModel showTiles = new ShowTilesViewModel(edgeActions);
    private final ShowChange showChange = new ShowChange();
    private MetricsFrame lastApplied;
    /** A PoP's faults in words: the frame's, or at an aggregator with a silent node's seconds told by the Fleet tab's count. */
    private java.util.function.BiFunction<PopMetrics, NodeCondition, List<String>> popFaults = (m, condition) -> m.faults();
    private final java.util.function.LongSupplier wallClock;
    /** Wall-clock time the newest frame arrived; 0 before the ticker gave one. */
    private long frameWallMillis;
    /** The banner clock as the last frame applied gave it, before any stale mark. */
    private String clockText = "";

    public DashboardViewModel() {
        this(System::currentTimeMillis);
    }

    /** @param wallClock milliseconds since the epoch; tests pass their own */
    public DashboardViewModel(java.util.function.LongSupplier wallClock) {
        this.wallClock = wallClock;
        // A new objective recolours the tiles at once, even while the show is paused.
        slo.addListener((obs, old, now) -> {
            if (lastApplied != null) {
                applyPops(lastApplied);
            } else {
                objectives.set(now.objectives(List.of()));
            }
        });
        worstFirst.addListener((obs, old, now) -> reorder());
    }

    /**
     * Whether the connection hears from the edge. While it does not, a paused or finished show's
     * last frame is no longer known to be current either, so the tiles go stale whatever its state. FX thread.
     */
    public void setConnectionOnline(boolean online) {
        this.connectionOnline = online;
    }

    /**
     * Whether the frames are a snapshot (a bundle opened offline): the clock then says when it was taken,
     * "snapshot at 06:00 of 15:00", not "paused", as nothing can resume it. FX thread, before the first frame.
     */
    public void setSnapshot(boolean snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        if (fresh || frameWallMillis == 0) {
            frameWallMillis = wallClock.getAsLong() - millisSinceFrame;
        }
        boolean expectFrames = frame.state() == ShowState.RUNNING;
        if (!connectionOnline || expectFrames && millisSinceFrame > FrameTicker.STALE_AFTER_MILLIS) {
            // The connection can drop before the first tick: show the last known numbers, greyed, not nothing.
            if (fresh || tiles.isEmpty()) {
                apply(frame);
            }
            long seconds = millisSinceFrame / 1000;
            tiles.forEach(t -> t.markStale(seconds));
            showTiles.markStale(seconds);
            reorder();
            stale.set(true);
            // The wall clock, to find the moment in the node's logs.
            String since = " (last frame " + WallClock.format(frameWallMillis) + ")";
            staleMessage.set(connectionOnline ? "No frames for " + seconds + " s: numbers are stale" + since
                    : "Numbers stale for " + seconds + " s" + since);
            // The banner's clock is the last frame's, not now: it says so where the eye goes first.
            clock.set(clockText + " · STALE");
            return;
        }
        stale.set(false);
        clock.set(clockText);
        staleMessage.set("");
        if (fresh || tiles.isEmpty()) {
            apply(frame);
        }
    }

    /**
     * A frame that arrived between ticks and was not the newest: its points on the sparklines (each PoP's
     * p95, throughput, the reaction index), so the lines hold every frame of the engine's. FX thread.
     */
    @Override
    public void onPassed(MetricsFrame frame) {
        forgetIfNewShow(frame);
        for (PopMetrics m : frame.pops()) {
            PopTileViewModel tile = byId.get(m.id());
            if (tile != null) {
                tile.record(m, frame.sequence(), frame.engineMillis());
            }
        }
        showTiles.record(frame);
    }

    private void forgetIfNewShow(MetricsFrame frame) {
        if (showChange.isNewShow(frame)) {
            tiles.clear();
            edgeOrder.clear();
            byId.clear();
            showTiles.reset();
            edgeActions.reset();
        }
    }

    /**
     * At an aggregator, tells each PoP's faults by {@code faults} ({@code FleetViewModel.popFaults}): a silent node's
     * seconds by the Fleet tab's count, as the banner and the headline give them. FX thread.
     */
    public void tellPopFaultsBy(java.util.function.BiFunction<PopMetrics, NodeCondition, List<String>> faults) {
        this.popFaults = faults;
    }

    /**
     * Tells the PoP tiles' health again from the frame last applied, after the count {@link #tellPopFaultsBy} gives moved
     * on; a tile marked stale stays so. FX thread, every tick.
     */
    public void retellPopFaults() {
        if (lastApplied == null || stale.get()) {
            return;
        }
        for (PopMetrics m : lastApplied.pops()) {
            PopTileViewModel tile = byId.get(m.id());
            if (tile != null) {
                tile.tellHealth(m, popFaults.apply(m, lastApplied.node()));
            }
        }
    }

    /** Applies one frame. FX thread. */
    public void apply(MetricsFrame frame) {
        forgetIfNewShow(frame);
        lastApplied = frame;
        applyPops(frame);
        edgeActions.apply(frame);
        showTiles.apply(frame);
        clockText = snapshot ? snapshotClock(frame) : frame.durationSeconds() > 0
                ? String.format(Locale.ROOT, "%s · %s / %s · %s", frame.scenario(),
                        mmss(frame.engineMillis() / 1000), mmss(frame.durationSeconds()), stateText(frame))
                // A live node has no planned end: how long it has run, on its own clock.
                : String.format(Locale.ROOT, "%s · up %s · %s", frame.scenario(), uptime(frame.engineMillis() / 1000), stateText(frame))
                        // and the wall clock it was at, to match against the node's logs and the audit trail
                        + (frameWallMillis > 0 ? " · " + WallClock.format(frameWallMillis) : "");
        clock.set(clockText);
        totals.set(String.format(Locale.ROOT, "events %,d (lost %,d) · checkouts %,d completed, %,d queued, %,d reconciled",
                frame.events().total(), frame.events().lost(), frame.checkouts().completed(),
                frame.checkouts().queued(), frame.checkouts().reconciled()) + tokens(frame.checkouts().tokens()));
    }

    /** One-click checkout tokens a live node was shown, refusals by reason; nothing where none was. */
    static String tokens(CheckoutCounts.TokenOutcomes t) {
        if (t == null) {
            return "";
        }
        return String.format(Locale.ROOT, " · one-click tokens %,d accepted, %,d refused (%,d expired, %,d forged, %,d replayed)",
                t.accepted(), t.refused(), t.expired(), t.forged(), t.replayed());
    }

    private void applyPops(MetricsFrame frame) {
        for (PopMetrics m : frame.pops()) {
            PopTileViewModel tile = byId.get(m.id());
            if (tile == null) {
                tile = new PopTileViewModel(m.id(), m.region());
                byId.put(m.id(), tile);
                edgeOrder.add(tile);
            }
            tile.apply(m, popFaults.apply(m, frame.node()), slo.get(), frame.sequence(), frame.engineMillis());
        }
        List<Slo.Objective> now = slo.get().objectives(frame.pops());
        if (!now.equals(objectives.get())) {
            objectives.set(now);
        }
        reorder();
    }

    /**
     * Worst first: red, then PoPs whose node has no data of them, then amber, then green ({@link
     * PopTileViewModel#worstFirstRank}); the edge's order within each. A tile moves only when its colour changes,
     * never as its number wobbles, so the wall does not shuffle; nor when every tile turns grey for want of frames.
     */
    private void reorder() {
        List<PopTileViewModel> next = new ArrayList<>(edgeOrder);
        if (worstFirst.get()) {
            next.sort(Comparator.comparingInt(PopTileViewModel::worstFirstRank));
        }
        if (!next.equals(tiles)) {
            tiles.setAll(next);
        }
    }

    /** Whether the wall puts the worst PoPs first; the dashboard binds it to the setting. */
    public BooleanProperty worstFirstProperty() {
        return worstFirst;
    }

    /** What changed variants at the edge (rollbacks, pauses, kills), until acknowledged. */
    public EdgeActionsViewModel edgeActions() {
        return edgeActions;
    }

    /** The show-wide tiles: conversion, sentiment, reactions, delivery, degraded PoPs. */
    public ShowTilesViewModel showTiles() {
        return showTiles;
    }

    /** "sentiment-crash · snapshot at 06:00 of 15:00", "… · snapshot at 15:00 of 15:00 · the show had ended", "friday-drop · snapshot at up 3 h 07 min". */
    private static String snapshotClock(MetricsFrame f) {
        if (f.durationSeconds() <= 0) {
            return String.format(Locale.ROOT, "%s · snapshot at up %s", f.scenario(), uptime(f.engineMillis() / 1000));
        }
        return String.format(Locale.ROOT, "%s · snapshot at %s of %s%s", f.scenario(), mmss(f.engineMillis() / 1000),
                mmss(f.durationSeconds()), f.state() == ShowState.FINISHED ? " · the show had ended" : "");
    }

    private static String stateText(MetricsFrame f) {
        String state = f.state().name().toLowerCase(Locale.ROOT);
        if (f.state() != ShowState.RUNNING) {
            return state;
        }
        return f.speed() <= 0 ? "max speed" : String.format(Locale.ROOT, "%sx", trim(f.speed()));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** {@code 42 s}, {@code 12 min 05 s}, {@code 3 h 07 min}, {@code 2 d 04 h}. */
    static String uptime(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%d d %02d h", seconds / 86_400, seconds % 86_400 / 3600);
    }

    static String mmss(long seconds) {
        return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    public ObservableList<PopTileViewModel> tiles() {
        return readOnlyTiles;
    }

    public PopTileViewModel tile(String popId) {
        return byId.get(popId);
    }

    public ObjectProperty<Slo> sloProperty() {
        return slo;
    }

    /** The p95 objectives the PoPs are judged against now, each with where it comes from (the node or Settings). */
    public javafx.beans.property.ReadOnlyObjectProperty<List<Slo.Objective>> objectivesProperty() {
        return objectives.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty clockProperty() {
        return clock.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty totalsProperty() {
        return totals.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty staleMessageProperty() {
        return staleMessage.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }
}
