package io.edgedeck.simulator.connectors.cdn;

/**
 * Where a CDN's log record keeps what a latency observation needs. Each value names a field of the
 * JSON record; a dotted name ({@code edge.pop}) reaches into nested objects. The presets cover
 * Cloudflare's {@code http_requests} dataset and the Fastly format in docs/CONNECTORS.md; a custom
 * mapping covers any other CDN that pushes JSON lines, and fields given here replace a preset's.
 *
 * <p>JSON: {@code {"pop": "EdgeColoCode", "latency": "EdgeTimeToFirstByteMs", "latencyScale": 1,
 * "status": "EdgeResponseStatus", "timestamp": "EdgeStartTimestamp", "id": "RayID"}}.
 *
 * @param pop          the CDN's PoP code (required)
 * @param latency      the request's latency (required); a number, or a numeric string
 * @param latencyScale multiplies {@code latency} into milliseconds: 1 for ms, 1000 for seconds, 0.001 for µs
 * @param status       the HTTP status sent to the client (optional)
 * @param timestamp    when the request started (optional): epoch seconds, ms, µs or ns (told apart by size),
 *                     or an RFC 3339 / ISO 8601 string
 * @param id           a unique request id (optional); without it a record's id is derived from the batch it
 *                     came in and its place there, so identical records in one batch each count and a re-sent
 *                     batch still counts once at the node
 */
public record FieldMapping(String pop, String latency, Double latencyScale, String status, String timestamp, String id) {

    /** Cloudflare Logpush, dataset {@code http_requests}. */
    public static final FieldMapping CLOUDFLARE = new FieldMapping("EdgeColoCode", "EdgeTimeToFirstByteMs", 1.0,
            "EdgeResponseStatus", "EdgeStartTimestamp", "RayID");

    /** The JSON lines the Fastly log format in docs/CONNECTORS.md writes; {@code ttfb} is in seconds. */
    public static final FieldMapping FASTLY = new FieldMapping("pop", "ttfb", 1000.0, "status", "time", "id");

    /** This mapping with every field that {@code override} sets taken from it. */
    public FieldMapping overriddenBy(FieldMapping override) {
        if (override == null) {
            return this;
        }
        return new FieldMapping(pick(override.pop, pop), pick(override.latency, latency),
                override.latencyScale != null ? override.latencyScale : latencyScale, pick(override.status, status),
                pick(override.timestamp, timestamp), pick(override.id, id));
    }

    private static String pick(String a, String b) {
        return a != null ? a : b;
    }
}
