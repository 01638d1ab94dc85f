package io.edgedeck.simulator.server.stream;

import io.edgedeck.simulator.server.http.PeerValues;

import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Reply;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Metrics frames as server-sent events ({@code GET /api/v1/frames/stream}): one {@code frame} event
 * per frame with its sequence as the event id, a comment line as a heartbeat when the show is quiet,
 * and a resume after {@code Last-Event-ID} from the {@link FrameRing}. At most {@code maxStreams}
 * are open at once; the next is a 503.
 */
public final class FrameStream {
    /** The node sends a heartbeat after this long without a frame. */
    public static final long HEARTBEAT_MILLIS = 10_000;
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private final FrameRing ring;
    private final int maxStreams;
    private final long heartbeatMillis;
    private final AtomicInteger open = new AtomicInteger();

    public FrameStream(FrameRing ring, int maxStreams, long heartbeatMillis) {
        this.ring = ring;
        this.maxStreams = maxStreams;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    /** Answers a stream request: the stream itself, or a 400 for a bad id, or a 503 when full. */
    public Reply answer(Call call) {
        long lastSeen = lastEventId(call.header("Last-Event-ID"));
        Map<String, String> headers = Map.of("X-Accel-Buffering", "no");
        if (call.head()) {
            return new Reply.Streamed("text/event-stream; charset=utf-8", headers, out -> { });
        }
        if (open.get() >= maxStreams) {
            throw new ApiException(503, null, "too many frame streams open (" + maxStreams + ")");
        }
        return new Reply.Streamed("text/event-stream; charset=utf-8", headers, out -> send(out, lastSeen, call::stillAllowed));
    }

    /**
     * Writes frames until the client goes away (the write fails), the node stops (the ring closes)
     * or the caller's token stops opening the lane (it was revoked: checked before every write).
     * The call's virtual thread waits in the ring between frames.
     */
    private void send(OutputStream out, long lastSeen, BooleanSupplier allowed) throws IOException, InterruptedException {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return;
        }
        try {
            List<FrameRing.Entry> first = lastSeen < 0
                    ? Optional.ofNullable(ring.newest()).map(List::of).orElse(List.of())
                    : ring.after(lastSeen);
            long sent = write(out, first, lastSeen);
            while (!ring.closed()) {
                List<FrameRing.Entry> next = ring.awaitAfter(Math.max(sent, 0), heartbeatMillis);
                if (!allowed.getAsBoolean()) {
                    break;
                }
                if (next.isEmpty()) {
                    if (ring.closed()) {
                        break;
                    }
                    out.write(HEARTBEAT);
                    out.flush();
                } else {
                    sent = write(out, next, sent);
                }
            }
        } finally {
            open.decrementAndGet();
        }
    }

    private static long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Last-Event-ID", "must be a frame sequence number, was " + PeerValues.quoted(header, '\''));
        }
    }

    private static long write(OutputStream out, List<FrameRing.Entry> entries, long lastSent) throws IOException {
        for (FrameRing.Entry e : entries) {
            out.write(("id: " + e.sequence() + "\nevent: frame\ndata: ").getBytes(StandardCharsets.UTF_8));
            out.write(e.json(JsonBodies.MAPPER));
            out.write("\n\n".getBytes(StandardCharsets.UTF_8));
            lastSent = e.sequence();
        }
        out.flush();
        return lastSent;
    }
}
