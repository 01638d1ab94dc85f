package io.edgedeck.simulator.server.ingest;

import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /ingest/v1/events}, opened by the node's ingest key alone (write-only: it opens no
 * other lane), as a bearer token or, for a browser's {@code navigator.sendBeacon} (which cannot set
 * a header), as the query parameter {@code key}. A batch is a JSON array of events or NDJSON, plain or {@code Content-Encoding: gzip};
 * its size is limited after gzip is undone. The answer (200) says how many events counted, how many
 * were counted before (duplicates), which were refused (index, id, field, reason) and the trigger
 * actions now due for the batch's units. A batch none of whose events can be read is a 400 naming
 * the first; too large a 413; over the key's rate a 429 with {@code Retry-After}, and a 503 with it while the
 * batches the node holds, not yet applied, reach {@code ingest.maxHeldBytes}.
 */
public final class IngestLane {
    private final LiveIntake intake;
    private final Access access;
    private final Duration timeout;

    public IngestLane(LiveIntake intake, NodeToken ingestKey, Duration timeout) {
        this.intake = intake;
        this.timeout = timeout;
        this.access = access(ingestKey);
    }

    /** Who may call the lane: the ingest key, as a bearer token or {@code ?key=}. */
    public static Access access(NodeToken ingestKey) {
        return Access.bearerOrQueryKey(ingestKey, "key", Access.INGEST_KEY,
                "the node's ingest key is required (Authorization: Bearer, or ?key= for a browser beacon)");
    }

    /** The lane: {@code POST /events}, and {@code more} routes the ingest key opens (a checkout with a token). */
    public Lane lane(Route... more) {
        List<Route> routes = new java.util.ArrayList<>(List.of(Route.post("/events", this::events).taking("key")));
        routes.addAll(List.of(more));
        return new Lane("/ingest/v1", access, routes);
    }

    /**
     * What feeds the node, {@code GET /api/v1/ingest/stats}, for whom {@code access} lets in (the read
     * key, the admin token, anyone with a token of their own).
     */
    public static Lane statsLane(LiveIntake intake, Access access) {
        return new Lane("/api/v1/ingest", access, List.of(Route.get("/stats", c -> Reply.ok(intake.stats()))));
    }

    private Reply events(Call call) {
        long arrived = System.nanoTime();
        int max = intake.limits().maxBatchBytes();
        String encoding = call.header("Content-Encoding");
        byte[] body;
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            body = call.body(max);
        } else if (encoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
            body = gunzip(call.body(max), max);
        } else {
            throw new ApiException(415, "Content-Encoding", "a batch may be sent plain or gzip, not '" + encoding + "'");
        }
        try {
            return Reply.ok(intake.accept(body, arrived, timeout));
        } catch (LiveIntake.TryLater e) {
            return Reply.problem(e.problem()).with("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
    }

    private static byte[] gunzip(byte[] compressed, int max) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] out = in.readNBytes(max + 1);
            if (out.length > max) {
                throw new ApiException(413, "body", "the batch is larger than " + io.edgedeck.simulator.server.http.HttpLimits.bytes(max) + " once gzip is undone");
            }
            return out;
        } catch (EOFException e) {
            throw ApiException.invalid("body", "Content-Encoding is gzip but the gzip stream ends early: the body was cut short");
        } catch (IOException e) {
            throw ApiException.invalid("body", "Content-Encoding is gzip but the body is not: " + e.getMessage());
        }
    }
}
