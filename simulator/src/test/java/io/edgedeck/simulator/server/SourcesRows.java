package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;

/** A node's sources as {@code GET /api/v1/sources} gives them: one row, and the count of an error on it. */
final class SourcesRows {
    private SourcesRows() {
    }

    /** The row of {@code kind} and {@code name} in {@code sources} (the answer's body, read), failing when there is none. */
    static JsonNode row(JsonNode sources, String kind, String name) {
        for (JsonNode s : sources.has("sources") ? sources.get("sources") : sources) {
            if (s.path("kind").asText().equals(kind) && s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no row " + kind + " " + name + " in " + sources);
    }

    /** The error of {@code reason} on {@code row}, or null when it has none. */
    static JsonNode error(JsonNode row, String reason) {
        for (JsonNode e : row.path("errors")) {
            if (e.path("reason").asText().equals(reason)) {
                return e;
            }
        }
        return null;
    }

    /** How many times {@code row} counts an error of {@code reason}: 0 when none. */
    static long errorCount(JsonNode row, String reason) {
        JsonNode e = error(row, reason);
        return e == null ? 0 : e.path("count").asLong();
    }
}
