package io.edgedeck.simulator.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;

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
 * @param partial         the parts that are not what the source holds, and why: a history the console
 *                        held because the node could not be asked, a file left empty or out; empty
 *                        when the bundle is whole (bundles written before this field read as whole)
 * @param nodeVersionUnknown why which build the node runs is not known although nothing failed: the node predates
 *                        {@code GET /api/v1/node} (it answered 404), so there is no {@code node.json} and the bundle is
 *                        no less whole for it; null otherwise (a node that answered, one that failed the call, which
 *                        {@code partial} names, or no node at all)
 */
public record BundleManifest(int formatVersion, String createdAt, String createdBy, String scenario, long seed,
                             String connectionMode, String target, long engineMillis, List<String> pops,
                             double[] heatmapEdgesMs, List<Entry> entries, List<Gap> partial,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String nodeVersionUnknown) {
    /** What a node too old to say which build it runs leaves the bundle with, beside its 404. */
    public static final String NODE_PREDATES_NODE_INFO = "node version unknown: the node predates /api/v1/node";

    public record Entry(String name, String description) {
    }

    /**
     * One part of a bundle that is partial or missing.
     *
     * @param entry the file it concerns, e.g. {@code history/fra.csv} or {@code audit.json}
     * @param state {@code partial} (written from what the console held) or {@code missing} (empty or left out)
     * @param why   what was written instead, and the error that stopped the fetch
     */
    public record Gap(String entry, String state, String why) {
        public static final String PARTIAL = "partial";
        public static final String MISSING = "missing";
    }

    public BundleManifest {
        pops = List.copyOf(pops);
        entries = List.copyOf(entries);
        partial = partial == null ? List.of() : List.copyOf(partial);
    }
}
