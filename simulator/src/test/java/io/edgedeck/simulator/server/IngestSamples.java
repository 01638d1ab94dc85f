package io.edgedeck.simulator.server;

/** The six event shapes of the ingest API, as issue-style NDJSON, for tests that send them to a live node. */
public final class IngestSamples {
    private IngestSamples() {
    }

    /** One event of each shape (two latencies), exposing viewer-42 to {@code flag}'s treatment at fra. */
    public static String everyShape(String flag) {
        return """
                {"id": "e-1", "type": "latency", "pop": "fra", "ms": 42.5}
                {"id": "e-2", "type": "latency", "pop": "fra", "lost": true}
                {"id": "e-3", "type": "exposure", "flag": "%s", "variant": "treatment", "targetingKey": "viewer-42", "pop": "fra"}
                {"id": "e-4", "type": "conversion", "name": "checkout", "targetingKey": "viewer-42", "value": 19.99}
                {"id": "e-5", "type": "chat", "text": "love it", "targetingKey": "viewer-42", "channel": "twitch:somechannel"}
                {"id": "e-6", "type": "checkout", "checkoutId": "c-9", "pop": "fra", "state": "queued"}
                """.formatted(flag);
    }
}
