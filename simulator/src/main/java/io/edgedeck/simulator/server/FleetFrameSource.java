package io.edgedeck.simulator.server;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.simulator.fleet.FleetAggregator;
import io.edgedeck.simulator.fleet.FleetFrames;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.stream.FrameRing;
import io.edgedeck.simulator.server.stream.FrameStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The aggregator's metrics frames: every {@link #EVERY} the fleet's frame is made again from the
 * nodes' newest frames ({@link FleetFrames}) and handed to the frame stream, as a node's engine hands
 * its own. Made on a clock rather than on each node frame, so a node that falls silent turns stale in
 * the fleet's frame even when no frame arrives at all.
 *
 * <p>Threads: one platform thread, {@code fleet-frames}, makes frames; streams read them from the ring.
 */
final class FleetFrameSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetFrameSource.class);
    /** How often the fleet's frame is made: well inside the console's 3 s before it calls a stream stale. */
    static final Duration EVERY = Duration.ofMillis(500);

    private final FleetAggregator aggregator;
    private final FleetFrames frames = new FleetFrames();
    private final FrameRing ring = new FrameRing(EdgeNode.RING_FRAMES);
    private final FrameStream stream = new FrameStream(ring, EdgeNode.MAX_STREAMS, FrameStream.HEARTBEAT_MILLIS);
    private final AtomicReference<MetricsFrame> latest = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private final FleetDecisions decisions;

    /** @param decisions the guardrails the aggregator decides, shown in its frames; null for none */
    FleetFrameSource(FleetAggregator aggregator, FleetDecisions decisions) {
        this.aggregator = aggregator;
        this.decisions = decisions;
        this.thread = Thread.ofPlatform().name("fleet-frames").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    FrameStream stream() {
        return stream;
    }

    /** The newest fleet frame; a 503 problem before any node has sent one. */
    MetricsFrame latest() {
        MetricsFrame f = latest.get();
        if (f == null) {
            throw new ApiException(503, null, "no node's frame has reached the aggregator yet: the fleet has no frame");
        }
        return f;
    }

    private void run() {
        while (running) {
            try {
                MetricsFrame f = frames.frame(aggregator.nodeFrames(), System.currentTimeMillis(),
                        decisions == null ? List.of() : decisions.guardrails().statuses(),
                        decisions == null ? List.of() : decisions.guardrails().firings(), aggregator.outage());
                if (f != null) {
                    latest.set(f);
                    ring.add(f);
                }
            } catch (RuntimeException e) {
                // One bad turn must not end the fleet's frames; the next turn starts from the nodes' frames again.
                LOG.error("could not make the fleet's frame", e);
            }
            try {
                Thread.sleep(EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        ring.close();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
