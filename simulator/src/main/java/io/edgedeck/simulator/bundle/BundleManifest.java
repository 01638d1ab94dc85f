package io.edgedeck.simulator.bundle;

import java.util.List;

/**
 * {@code manifest.json}: what a bundle is and what is inside it. Readers check
 * {@code formatVersion} first and refuse versions they do not know.
 *
 * @param formatVersion   {@value BundleFormat#VERSION} for bundles this code writes
 * @param createdAt       wall-clock time of writing, ISO-8601 UTC
 * @param createdBy       the program and its version, e.g. {@code edgedeck-console 0.1.0}
 * @param connectionMode  REHEARSAL or LIVE: where the data came from
 * @param target          the connection's target: scenario and seed, or the node's URL (never a token)
 * @param engineMillis    engine time the bundle was taken at
 * @param heatmapEdgesMs  the heatmap bucket edges the history files' {@code h*} columns use
 * @param entries         every file in the zip but the manifest, with what it holds
 */
public record BundleManifest(int formatVersion, String createdAt, String createdBy, String scenario, long seed,
                             String connectionMode, String target, long engineMillis, List<String> pops,
                             double[] heatmapEdgesMs, List<Entry> entries) {

    public record Entry(String name, String description) {
    }

    public BundleManifest {
        pops = List.copyOf(pops);
        entries = List.copyOf(entries);
    }
}
