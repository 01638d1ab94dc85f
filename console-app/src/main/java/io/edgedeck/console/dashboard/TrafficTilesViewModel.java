package io.edgedeck.console.dashboard;

import io.edgedeck.console.common.PopIds;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The traffic tiles: throughput over all PoPs with events delivered and lost, and the PoPs not fully
 * up with their queue depth. FX thread; knows nothing of nodes.
 */
public final class TrafficTilesViewModel {
    // Before the first frame nothing is known: no number (NaN shows a dash) and grey, never a green zero.
    private final ReadOnlyDoubleWrapper throughputRps = new ReadOnlyDoubleWrapper(this, "throughputRps", Double.NaN);
    private final ReadOnlyStringWrapper deliveryDetail = new ReadOnlyStringWrapper(this, "deliveryDetail", "");
    private final ReadOnlyObjectWrapper<Status> deliveryStatus = new ReadOnlyObjectWrapper<>(this, "deliveryStatus", Status.STALE);
    private final ReadOnlyDoubleWrapper degradedPops = new ReadOnlyDoubleWrapper(this, "degradedPops", Double.NaN);
    private final ReadOnlyStringWrapper degradedDetail = new ReadOnlyStringWrapper(this, "degradedDetail", "");
    private final ReadOnlyObjectWrapper<Status> degradedStatus = new ReadOnlyObjectWrapper<>(this, "degradedStatus", Status.STALE);

    TrafficTilesViewModel() {
    }

    void apply(MetricsFrame frame) {
        applyDelivery(frame);
        applyDegraded(frame.pops());
    }

    private void applyDelivery(MetricsFrame frame) {
        double rps = 0;
        for (PopMetrics p : frame.pops()) {
            rps += p.throughputRps();
        }
        throughputRps.set(rps);
        var e = frame.events();
        double lostShare = e.total() == 0 ? 0 : (double) e.lost() / e.total();
        deliveryDetail.set(String.format(Locale.ROOT, "delivered %,d · lost %,d (%.2f%%)", e.delivered(), e.lost(), lostShare * 100));
        // No requests is not a healthy zero: nothing is being served or known, so the tile is grey.
        // Coloured by the share as the tile shows it (to 0.01%): two tiles reading "0.10%" are never one green, one amber.
        double shownShare = Math.round(lostShare * 10_000) / 10_000.0;
        deliveryStatus.set(rps == 0 ? Status.STALE
                : shownShare > 0.01 ? Status.BAD : shownShare > 0.001 ? Status.WARN : Status.OK);
    }

    private void applyDegraded(List<PopMetrics> pops) {
        List<String> names = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        long queue = 0;
        boolean down = false;
        for (PopMetrics p : pops) {
            queue += p.queueDepth();
            if (p.health() == PopHealth.NO_DATA) {
                silent.add(PopIds.shown(p.id()));
            } else if (p.health() != PopHealth.UP) {
                names.add(PopIds.shown(p.id()));
                down |= p.health() == PopHealth.DOWN;
            }
        }
        // A PoP nothing is heard from is not known to be degraded: it is not counted, but named apart,
        // so a node gone quiet is neither hidden nor reported as a fault it may not have.
        degradedPops.set(names.size());
        // While no PoP reports (before the first data, or after traffic stopped) there is nothing to call
        // degraded: the tile says so, in grey.
        boolean noneReported = !pops.isEmpty() && silent.size() == pops.size();
        degradedDetail.set(noneReported ? String.format(Locale.ROOT, "of %d PoPs: none reporting", pops.size())
                : String.format(Locale.ROOT, "of %d PoPs%s%s · queue %,d", pops.size(),
                names.isEmpty() ? "" : ": " + String.join(", ", names),
                silent.isEmpty() ? "" : " · no data: " + String.join(", ", silent), queue));
        degradedStatus.set(noneReported ? Status.STALE
                : down ? Status.BAD : !names.isEmpty() || !silent.isEmpty() || queue > 0 ? Status.WARN : Status.OK);
    }

    void markStale() {
        deliveryStatus.set(Status.STALE);
        degradedStatus.set(Status.STALE);
    }

    public ReadOnlyDoubleProperty throughputRpsProperty() {
        return throughputRps.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deliveryDetailProperty() {
        return deliveryDetail.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> deliveryStatusProperty() {
        return deliveryStatus.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty degradedPopsProperty() {
        return degradedPops.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty degradedDetailProperty() {
        return degradedDetail.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> degradedStatusProperty() {
        return degradedStatus.getReadOnlyProperty();
    }
}
