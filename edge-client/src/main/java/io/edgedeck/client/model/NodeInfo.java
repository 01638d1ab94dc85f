package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a node says of itself ({@code GET /api/v1/node}): which build it runs and since when, so whoever
 * reads a diagnostic bundle knows which version made what it shows.
 *
 * @param version   the node's version, as its jar's manifest gives it ({@code edgedeck-sim --version} prints the
 *                  same), or {@code (unpackaged build)} when it runs from classes rather than its jar
 * @param commit    the git commit the build was made from, when the build recorded one; absent otherwise
 * @param startedAt when the node started serving, UTC (ISO-8601)
 * @param mode      {@code live} ({@code serve --live}), {@code rehearsal} (a scenario played by {@code serve}) or
 *                  {@code fleet-aggregator} ({@code serve --fleet})
 * @param restart   when a rehearsal node restarted on its data directory could not play its show again to
 *                  where its journal left it: what differed and what it did ("resumed from the journal alone at
 *                  …"), so a producer knows why its sessions and PoP counters started again from zero; absent
 *                  otherwise
 */
public record NodeInfo(String version, @JsonInclude(JsonInclude.Include.NON_NULL) String commit, String startedAt,
                       String mode, @JsonInclude(JsonInclude.Include.NON_NULL) String restart) {

    public NodeInfo(String version, String commit, String startedAt, String mode) {
        this(version, commit, startedAt, mode, null);
    }

    public static final String LIVE = "live";
    public static final String REHEARSAL = "rehearsal";
    public static final String FLEET_AGGREGATOR = "fleet-aggregator";

    /** "edgedeck-sim 1.0.0 (commit 1a2b3c4), live, started 2026-12-06T17:20:00Z": one line for a README. */
    public String describe() {
        return "edgedeck-sim " + version + (commit == null ? "" : " (commit " + commit + ")") + ", " + mode
                + ", started " + startedAt + (restart == null ? "" : "; " + restart);
    }
}
