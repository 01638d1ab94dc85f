package io.edgedeck.simulator.bundle;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.ShowEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a support engineer attaches to a ticket about a show: per-PoP latency history, the
 * timeline, flags and their audit trail, the newest metrics frame, and pictures of the console.
 * Never a token or an audience member's id: nothing here is sent anywhere by the console.
 *
 * @param history   per PoP id, in the show's PoP order
 * @param frame     the newest metrics frame when the bundle was made, so a console opening the
 *                  bundle shows the same dashboard; null when there was none
 * @param snapshots PNG images by file name ({@code jitter.png}); empty from the command line
 * @param diagnostics the node's state beside the show's, by file name ({@link BundleFormat#DIAGNOSTICS}): its
 *                    guardrails, its sources, its {@code /healthz} answer and the console's record of the
 *                    connection; each a value written as JSON (read back as a JSON tree). Only those that
 *                    could be had: the manifest's {@code partial} names the rest
 */
public record Bundle(BundleManifest manifest, Map<String, PopHistory> history, List<ShowEvent> events,
                     List<AuditEntry> audit, List<FlagView> flags, MetricsFrame frame, Map<String, byte[]> snapshots,
                     Map<String, Object> diagnostics) {

    public Bundle {
        history = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(history));
        events = List.copyOf(events);
        audit = List.copyOf(audit);
        flags = List.copyOf(flags);
        snapshots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
        diagnostics = diagnostics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(diagnostics));
    }

    /** A bundle without the node's diagnostics (a rehearsal's from the command line). */
    public Bundle(BundleManifest manifest, Map<String, PopHistory> history, List<ShowEvent> events,
                  List<AuditEntry> audit, List<FlagView> flags, MetricsFrame frame, Map<String, byte[]> snapshots) {
        this(manifest, history, events, audit, flags, frame, snapshots, Map.of());
    }
}
