package io.edgedeck.engine.ingest;

/** Who measured an ingested latency, as its {@code source} field names it. */
enum LatencySource {
    AUDIENCE("audience"), PROBE("probe"), CDN("cdn");

    private final String wireName;

    LatencySource(String wireName) {
        this.wireName = wireName;
    }

    /** The source a wire name stands for, or null. */
    static LatencySource of(String wireName) {
        for (LatencySource s : values()) {
            if (s.wireName.equals(wireName)) {
                return s;
            }
        }
        return null;
    }
}
