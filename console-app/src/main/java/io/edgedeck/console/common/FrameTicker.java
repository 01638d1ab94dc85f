package io.edgedeck.console.common;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.MetricsFrame;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.util.Duration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The one way telemetry reaches the FX thread. The connection's thread only swaps the newest frame
 * into an atomic reference; a 10 Hz timeline on the FX thread picks up whatever is newest and hands
 * it to the view models. However fast frames arrive, the FX thread does at most ten updates a
 * second, and it never queues a {@code runLater} per frame.
 */
public final class FrameTicker implements AutoCloseable {
    /** How long without a new frame before the console says the data is stale. */
    public static final long STALE_AFTER_MILLIS = 3000;

    /** What a tick delivers: the newest frame (or the last one again) and how long since it arrived. */
    public interface Sink {
        void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame);
    }

    private final AtomicReference<MetricsFrame> newest = new AtomicReference<>();
    private final AtomicReference<Long> newestArrivalMillis = new AtomicReference<>(0L);
    private final List<Sink> sinks = new CopyOnWriteArrayList<>();
    private final List<Runnable> everyTick = new CopyOnWriteArrayList<>();
    private final LongSupplier clock;
    private final Timeline timeline;
    private Subscription subscription = () -> { };
    private volatile EdgeConnection attached;
    private MetricsFrame lastDelivered;

    public FrameTicker(EdgeConnection connection, LongSupplier clockMillis) {
        this.clock = clockMillis;
        attach(connection);
        this.timeline = new Timeline(new KeyFrame(Duration.millis(100), e -> tick()));
        this.timeline.setCycleCount(Timeline.INDEFINITE);
    }

    /**
     * Listens to another connection from now on (a rehearsal restarted with another scenario) and
     * stops listening to the previous one. Until the new connection's first frame the sinks get no
     * ticks, so nothing mixes two shows. FX thread.
     */
    public void attach(EdgeConnection connection) {
        subscription.close();
        newest.set(null);
        lastDelivered = null;
        attached = connection;
        subscription = connection.subscribeFrames(frame -> {
            // A frame from the previous connection can still be in flight while it closes.
            if (attached != connection) {
                return;
            }
            newest.set(frame);
            newestArrivalMillis.set(clock.getAsLong());
        });
        connection.latestFrame().ifPresent(f -> {
            newest.compareAndSet(null, f);
            newestArrivalMillis.set(clock.getAsLong());
        });
    }

    public void addSink(Sink sink) {
        sinks.add(sink);
    }

    /**
     * Runs {@code action} on every tick, before the sinks, whether or not the edge has sent a frame: for
     * what frames do not carry and must age on screen all the same (an aggregator's view of its fleet). FX thread.
     */
    public void addEveryTick(Runnable action) {
        everyTick.add(action);
    }

    /**
     * Starts ticking, with a first tick now: a frame that is already here reaches the views before
     * the window's first paint rather than a tick later. FX thread.
     */
    public void start() {
        tick();
        timeline.play();
    }

    /** One tick; public so tests can drive it without waiting. FX thread. */
    public void tick() {
        assert Platform.isFxApplicationThread() : "ticks run on the FX thread";
        for (Runnable r : everyTick) {
            r.run();
        }
        MetricsFrame frame = newest.get();
        if (frame == null) {
            return;
        }
        boolean fresh = frame != lastDelivered;
        lastDelivered = frame;
        long since = clock.getAsLong() - newestArrivalMillis.get();
        for (Sink s : sinks) {
            s.onTick(frame, fresh, since);
        }
    }

    @Override
    public void close() {
        timeline.stop();
        subscription.close();
    }
}
