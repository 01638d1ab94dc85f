package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.MetricsFrame;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.List;

/**
 * The show-wide tiles above the PoP wall, one view model per tile family: chat (sentiment and the
 * reaction index), traffic (throughput, delivery, degraded PoPs), the decision budget, and conversion
 * (one tile per variant, with lift against control). Applies each frame to all of them at once and counts one
 * revision per frame, so the view redraws once per tick. FX thread; knows nothing of nodes.
 */
public final class ShowTilesViewModel {
    private final ChatTilesViewModel chat = new ChatTilesViewModel();
    private final TrafficTilesViewModel traffic = new TrafficTilesViewModel();
    private final DecisionTileViewModel decisions = new DecisionTileViewModel();
    private final CostTileViewModel cost = new CostTileViewModel();
    private final ConversionTilesViewModel conversion;
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    /** What the tiles say before the first frame: no number is known, so none is shown, and none in the OK colour. */
    public static final String UNHEARD = "no data from the node yet";
    /**
     * What the tiles say while the node will not let this console's key in (an ingest key, a token it refused): no
     * frame will come, so none is waited for. The banner says why.
     */
    public static final String NOT_LET_IN = "not let in: this key reads nothing here";
    private boolean notLetIn;

    private final ReadOnlyStringWrapper staleText = new ReadOnlyStringWrapper(this, "staleText", UNHEARD);
    private final java.util.ArrayDeque<SparkPoint> sparkPoints = new java.util.ArrayDeque<>();

    /**
     * One point of the throughput and reaction-index sparklines: one engine frame's numbers. The lines
     * take one point per frame the engine published, so the same show draws the same lines however the
     * console's ticks fell.
     */
    record SparkPoint(double throughputRps, double messagesPerMinute) {
        static SparkPoint of(MetricsFrame frame) {
            double rps = 0;
            for (var p : frame.pops()) {
                rps += p.throughputRps();
            }
            return new SparkPoint(rps, frame.chat().messagesPerMinute());
        }
    }

    /** Sparkline points kept until the view takes them: more than a sparkline holds are of no use. */
    static final int MAX_SPARK_POINTS = 512;

    public ShowTilesViewModel() {
        this(new EdgeActionsViewModel());
    }

    /** @param actions what changed variants at the edge; the variant tiles say so until acknowledged */
    public ShowTilesViewModel(EdgeActionsViewModel actions) {
        this.conversion = new ConversionTilesViewModel(actions);
        // Both live as long as the dashboard: the listener needs no removal.
        actions.revisionProperty().addListener((obs, old, now) -> {
            conversion.showActions();
            revision.set(revision.get() + 1);
        });
    }

    /** A frame that is not the newest: its sparkline points only, for the next redraw to draw. FX thread. */
    public void record(MetricsFrame frame) {
        sparkPoints.addLast(SparkPoint.of(frame));
        while (sparkPoints.size() > MAX_SPARK_POINTS) {
            sparkPoints.removeFirst();
        }
    }

    /** The sparkline points recorded since the last call, oldest first. FX thread. */
    List<SparkPoint> takeSparkPoints() {
        List<SparkPoint> out = List.copyOf(sparkPoints);
        sparkPoints.clear();
        return out;
    }

    /** Applies one frame. FX thread. */
    public void apply(MetricsFrame frame) {
        record(frame);
        staleText.set("");
        conversion.apply(frame.variants(), frame.engineMillis(), frame.speed());
        conversion.showActions();
        chat.apply(frame.engineMillis(), frame.chat());
        traffic.apply(frame);
        decisions.apply(frame.decisions());
        cost.apply(frame.pops());
        revision.set(revision.get() + 1);
    }

    /** Forgets per-show history when a new show starts. FX thread. */
    public void reset() {
        sparkPoints.clear();
        chat.reset();
        conversion.reset();
        decisions.reset();
        cost.reset();
    }

    /**
     * Greys every show tile: frames stopped, so none of these numbers is known to be current. The
     * next frame applied colours them again. FX thread.
     */
    public void markStale(long seconds) {
        staleText.set(notLetIn ? NOT_LET_IN : "stale for " + seconds + " s");
        chat.markStale();
        traffic.markStale();
        conversion.markStale();
        decisions.markStale();
        cost.markStale();
        revision.set(revision.get() + 1);
    }

    /**
     * Whether the node will not let this console's key in: while it will not, the tiles say so in place of waiting for
     * a frame (or of "stale for"), as nothing they show can be read. Let in again, they wait for the next frame. FX thread.
     */
    public void notLetIn(boolean refused) {
        if (refused == notLetIn) {
            return;
        }
        notLetIn = refused;
        if (refused) {
            staleText.set(NOT_LET_IN);
        } else if (staleText.get().equals(NOT_LET_IN)) {
            staleText.set(UNHEARD);
        }
        revision.set(revision.get() + 1);
    }

    /** The sentiment gauge and the reaction index. */
    public ChatTilesViewModel chat() {
        return chat;
    }

    /** Throughput and delivery, and the degraded PoPs. */
    public TrafficTilesViewModel traffic() {
        return traffic;
    }

    /** The decision budget: checkout and triggered-action times per stage against their budgets. */
    public DecisionTileViewModel decisions() {
        return decisions;
    }

    /** What each PoP cost against the conversions it brought, and what the last 50 ms of p95 bought. */
    public CostTileViewModel cost() {
        return cost;
    }

    /** One conversion tile per variant. */
    public ConversionTilesViewModel conversion() {
        return conversion;
    }

    /**
     * "stale for 12 s" while frames have stopped, {@link #UNHEARD} before the first frame, {@link #NOT_LET_IN} while the
     * node will not let this console's key in, else empty: the tiles then
     * show it instead of their trend.
     */
    public ReadOnlyStringProperty staleTextProperty() {
        return staleText.getReadOnlyProperty();
    }

    /** Increases once per applied frame, so views redraw once per frame, not once per property. */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }
}
