package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.util.Locale;

/** What one PoP tile shows. Updated on the FX thread by {@link DashboardViewModel}. */
public final class PopTileViewModel {
    /** p95 samples the sparkline keeps: one per applied frame, about the last minute of a 4 Hz engine. */
    static final int RECENT_SAMPLES = 60;

    private final String popId;
    private final String region;
    private final ReadOnlyDoubleWrapper p95 = new ReadOnlyDoubleWrapper(this, "p95");
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
    private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper(this, "health", "");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.STALE);
    private final ObjectProperty<Long> sampleSequence = new SimpleObjectProperty<>(this, "sampleSequence", 0L);
    private final double[] recent = new double[RECENT_SAMPLES];
    private int recentCount;
    private int recentNext;
    private double objectiveMs = Slo.DEFAULT.p95TargetMs();
    private boolean served;

    PopTileViewModel(String popId, String region) {
        this.popId = popId;
        this.region = region;
    }

    public String popId() {
        return popId;
    }

    public String title() {
        return popId.toUpperCase(Locale.ROOT) + " · " + region;
    }

    void apply(PopMetrics m, Slo slo, long frameSequence) {
        p95.set(m.last10s().p95Ms());
        objectiveMs = slo.p95TargetMs();
        served = m.last10s().count() > 0;
        if (frameSequence != sampleSequence.get()) {
            recent[recentNext] = m.last10s().p95Ms();
            recentNext = (recentNext + 1) % RECENT_SAMPLES;
            recentCount = Math.min(RECENT_SAMPLES, recentCount + 1);
        }
        detail.set(m.last10s().count() == 0
                ? "no requests in the last 10 s"
                : String.format(Locale.ROOT, "p50 %.0f · p99 %.0f ms · jitter %.1f ms · loss %.1f%%",
                m.last10s().p50Ms(), m.last10s().p99Ms(), m.jitterMs(), m.lossRatio() * 100));
        health.set(healthText(m));
        status.set(slo.classify(m.last10s().p95Ms(), m.health()));
        sampleSequence.set(frameSequence);
    }

    private static String healthText(PopMetrics m) {
        String base = switch (m.health()) {
            case UP -> "up";
            case DEGRADED -> "degraded";
            case DOWN -> "DOWN";
            case PARTITIONED -> "partitioned";
            case NO_DATA -> "no data";
        };
        if (!m.faults().isEmpty()) {
            base += " (" + String.join(", ", m.faults()) + ")";
        }
        if (m.queueDepth() > 0) {
            base += " · queue " + m.queueDepth();
        }
        return base;
    }

    void markStale(long seconds) {
        status.set(Status.STALE);
        health.set("stale for " + seconds + " s");
    }

    /** Whether the PoP served requests in the last 10 s, so its p95 is a measurement (a PoP that is down has none). */
    public boolean served() {
        return served;
    }

    /** The p95s of the frames applied lately, oldest first, for the sparkline. */
    public double[] recentP95() {
        double[] out = new double[recentCount];
        int start = (recentNext - recentCount + RECENT_SAMPLES) % RECENT_SAMPLES;
        for (int i = 0; i < recentCount; i++) {
            out[i] = recent[(start + i) % RECENT_SAMPLES];
        }
        return out;
    }

    /** The p95 objective the status was judged against, in ms. */
    public double objectiveMs() {
        return objectiveMs;
    }

    /** p95 latency over the last 10 s, in ms. */
    public ReadOnlyDoubleProperty p95Property() {
        return p95.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty healthProperty() {
        return health.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Changes whenever a new frame's numbers were applied, so a sparkline adds one point per frame. */
    public ObjectProperty<Long> sampleSequenceProperty() {
        return sampleSequence;
    }
}
