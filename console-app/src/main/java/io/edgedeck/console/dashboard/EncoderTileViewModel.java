package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.Locale;

/**
 * The encoder tile: the producer's OBS as the node last read it, judged with OBS's own thresholds
 * (the node's {@link EncoderHealth}: above 1% of frames dropped, skipped or missed warns, above 5%
 * is bad; average render time above 75% of a frame's time warns, above it is bad; reconnecting is
 * bad). So one wall answers "is it my encoder, my edge, or my offer?".
 *
 * <p>Shown only once a frame carries encoder health (a node with OBS configured, or a rehearsal
 * playing an encoder fault). Grey when OBS is
 * not streaming, cannot be reached, or was last read more than {@link #STALE_AFTER_MILLIS} ago, and
 * when frames stop arriving: never green on old numbers. FX thread; knows nothing of nodes.
 */
public final class EncoderTileViewModel {
    /** OBS is read every 2 s by default; a read older than this is stale. */
    public static final long STALE_AFTER_MILLIS = 10_000;

    private final ReadOnlyBooleanWrapper present = new ReadOnlyBooleanWrapper(this, "present", false);
    private final ReadOnlyDoubleWrapper droppedPercent = new ReadOnlyDoubleWrapper(this, "droppedPercent");
    private final ReadOnlyDoubleWrapper figure = new ReadOnlyDoubleWrapper(this, "figure");
    private final ReadOnlyStringWrapper unit = new ReadOnlyStringWrapper(this, "unit", "% dropped");
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper(this, "headline", "");
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
    private final ReadOnlyStringWrapper why = new ReadOnlyStringWrapper(this, "why", "");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.STALE);

    /**
     * The newest frame's encoder health.
     *
     * @param health           null when the frame carries none
     * @param millisSinceFrame how long ago that frame arrived
     * @param nowMillis        now on the clock OBS's read is stamped with ({@link #readClockMillis}), to age it
     */
    public void update(EncoderHealth health, long millisSinceFrame, long nowMillis) {
        if (health == null) {
            present.set(false);
            return;
        }
        present.set(true);
        // An unreachable OBS measured nothing: NaN, which the tile shows as a dash, never a 0 % that reads as a clean stream.
        droppedPercent.set(health.level() == EncoderHealth.Level.UNREACHABLE ? Double.NaN : health.droppedPercent());
        // The big number is the measure that decided the colour, so a red tile never shows a clean "0.0 % dropped".
        EncoderHealth.Measure measure = health.decidedBy();
        unit.set(switch (measure) {
            case DROPPED -> "% dropped";
            case SKIPPED -> "% skipped";
            case MISSED -> "% missed";
            case RENDER -> "ms render";
            case BITRATE -> "kb/s";
        });
        figure.set(health.level() == EncoderHealth.Level.UNREACHABLE ? Double.NaN : switch (measure) {
            case DROPPED -> health.droppedPercent();
            case SKIPPED -> health.skippedPercent();
            case MISSED -> health.missedPercent();
            case RENDER -> health.renderMs();
            case BITRATE -> health.bitrateKbps();
        });
        headline.set(switch (health.level()) {
            case OK -> "streaming";
            case WARN -> "streaming, warning";
            case BAD -> health.reconnecting() ? "reconnecting" : "streaming badly";
            case IDLE -> "not streaming";
            case UNREACHABLE -> "unreachable";
        });
        detail.set(health.level() == EncoderHealth.Level.UNREACHABLE ? "" : String.format(Locale.ROOT,
                "skipped %.1f%% · missed %.1f%% · render %.1f of %.1f ms · %,.0f kb/s · CPU %.0f%%",
                health.skippedPercent(), health.missedPercent(), health.renderMs(), health.frameTimeMs(),
                health.bitrateKbps(), health.cpuPercent()));
        long readAge = nowMillis - health.atMillis();
        if (millisSinceFrame > FrameTicker.STALE_AFTER_MILLIS) {
            why.set("stale for " + millisSinceFrame / 1000 + " s: frames stopped arriving");
            status.set(Status.STALE);
            return;
        }
        if (health.level() == EncoderHealth.Level.UNREACHABLE) {
            // The node's own reason, as of its last try (it tries less often the longer OBS is away); an
            // unreachable OBS was not read then, and may never have been.
            why.set(health.why() + (readAge > STALE_AFTER_MILLIS ? " · last tried " + readAge / 1000 + " s ago" : ""));
            status.set(Status.STALE);
            return;
        }
        if (readAge > STALE_AFTER_MILLIS) {
            why.set("OBS last read " + readAge / 1000 + " s ago");
            status.set(Status.STALE);
            return;
        }
        why.set(health.why());
        status.set(switch (health.level()) {
            case OK -> Status.OK;
            case WARN -> Status.WARN;
            case BAD -> Status.BAD;
            case IDLE, UNREACHABLE -> Status.STALE;
        });
    }

    /**
     * The clock {@code frame}'s encoder read is stamped on, now: a live node stamps OBS's reads with
     * the wall clock ({@code wallMillis}); a rehearsal, whose show has a planned length, stamps its
     * simulated encoder's reads with the show's engine time, which runs at the rehearsal's speed.
     */
    public static long readClockMillis(io.edgedeck.client.model.MetricsFrame frame, long wallMillis) {
        return frame != null && frame.durationSeconds() > 0 ? frame.engineMillis() : wallMillis;
    }

    /** True once a frame carried encoder health: only then is the tile shown. */
    public ReadOnlyBooleanProperty presentProperty() {
        return present.getReadOnlyProperty();
    }

    /** Stream frames dropped by the network over OBS's window, %; NaN while OBS is unreachable (nothing measured). */
    public ReadOnlyDoubleProperty droppedPercentProperty() {
        return droppedPercent.getReadOnlyProperty();
    }

    /** "streaming", "reconnecting", "not streaming", "unreachable"... */
    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    /**
     * The tile's number: the measure that decided its colour ({@link EncoderHealth#decidedBy}), in
     * {@link #unitProperty}; the dropped share while the stream is within every threshold; NaN while
     * OBS is unreachable.
     */
    public ReadOnlyDoubleProperty figureProperty() {
        return figure.getReadOnlyProperty();
    }

    /** The unit of {@link #figureProperty} ("% dropped", "% skipped", "% missed", "ms render", "kb/s"). */
    public ReadOnlyStringProperty unitProperty() {
        return unit.getReadOnlyProperty();
    }

    /** Encoder and renderer lag, render time against the frame time, bitrate, CPU. */
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /** What decided the colour ("2.5% of frames dropped by the network"), or why it is grey. */
    public ReadOnlyStringProperty whyProperty() {
        return why.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }
}
