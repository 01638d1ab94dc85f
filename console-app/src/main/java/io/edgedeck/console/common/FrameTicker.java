package io.edgedeck.console.common;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.MetricsFrame;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The one way telemetry reaches the FX thread. The connection's thread only appends each frame to a
 * queue; ten times a second, on a pulse of the FX thread, a tick picks up whatever is newest and hands
 * it to the view models. However fast frames arrive, the FX thread does ten updates a second on
 * average (a pulse late by less than a period ticks, and the next tick stays on the period, so a second can
 * hold eleven) and at most one a pulse, and it never queues a {@code runLater} per frame.
 *
 * <p>At most one a pulse: a pulse that comes late (a long paint, a collection) does not tick once for
 * every tenth of a second it missed, as a {@code Timeline} of 100 ms would. Those ticks would each find
 * the frames the engine sent meanwhile and apply them, making that pulse longer still, and the next one
 * later: at full speed the console would stop painting for seconds. A late pulse ticks once, with the
 * newest frame.
 *
 * <p>Views that keep a history (charts, sparklines) must not depend on which frame a tick happened to
 * pick up: the frames that arrived between two ticks are kept too, up to {@value #MAX_PASSED}, and
 * handed to {@link Sink#onPassed} in order before the tick, so a chart is a function of the engine's
 * frames, not of the wall clock. Past that bound the oldest are dropped; the sequence numbers show the hole.
 */
public final class FrameTicker implements AutoCloseable {
    /** How long without a new frame before the console says the data is stale. */
    public static final long STALE_AFTER_MILLIS = 3000;

    /** Frames kept between two ticks for {@link Sink#onPassed}; more are dropped, oldest first. */
    public static final int MAX_PASSED = 1024;

    /** Time between two ticks. */
    static final long PERIOD_NANOS = 100_000_000L;
    /**
     * How early a pulse may come for a tick due: half a pulse at 60 a second, so the tick falls on the sixth pulse
     * after the last one and not, for a pulse a hair early, on the seventh.
     */
    private static final long EARLY_NANOS = 8_000_000L;

    /** What a tick delivers: the newest frame (or the last one again) and how long since it arrived. */
    public interface Sink {
        void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame);

        /**
         * A frame that arrived since the last tick and was not the newest, oldest first, before that tick's
         * {@link #onTick}: for a history that must hold every frame, not only those a tick picked up. FX thread.
         */
        default void onPassed(MetricsFrame frame) {
        }
    }

    /** Every frame since the last tick, oldest first; the last one is the newest. */
    private final java.util.concurrent.ConcurrentLinkedDeque<MetricsFrame> arrived = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final java.util.concurrent.atomic.AtomicInteger arrivedCount = new java.util.concurrent.atomic.AtomicInteger();

    private final AtomicReference<Long> newestArrivalMillis = new AtomicReference<>(0L);
    private final List<Sink> sinks = new CopyOnWriteArrayList<>();
    private final List<Runnable> everyTick = new CopyOnWriteArrayList<>();
    private final LongSupplier clock;
    private final AnimationTimer pulses;
    /** The pulse time at which the next tick is due; 0 until the first pulse after {@link #start}. */
    private long nextTickNanos;
    private Subscription subscription = () -> { };
    private volatile EdgeConnection attached;
    private MetricsFrame lastDelivered;

    public FrameTicker(EdgeConnection connection, LongSupplier clockMillis) {
        this.clock = clockMillis;
        attach(connection);
        this.pulses = new AnimationTimer() {
            @Override
            public void handle(long now) {
                onPulse(now);
            }
        };
    }

    /**
     * Listens to another connection from now on (a rehearsal restarted with another scenario) and
     * stops listening to the previous one. Until the new connection's first frame the sinks get no
     * ticks, so nothing mixes two shows. FX thread.
     */
    public void attach(EdgeConnection connection) {
        subscription.close();
        arrived.clear();
        arrivedCount.set(0);
        lastDelivered = null;
        attached = connection;
        subscription = connection.subscribeFrames(frame -> {
            // A frame from the previous connection can still be in flight while it closes.
            if (attached != connection) {
                return;
            }
            arrive(frame);
        });
        connection.latestFrame().ifPresent(f -> {
            if (arrived.isEmpty()) {
                arrive(f);
            }
        });
    }

    private void arrive(MetricsFrame frame) {
        arrived.addLast(frame);
        if (arrivedCount.incrementAndGet() > MAX_PASSED && arrived.pollFirst() != null) {
            arrivedCount.decrementAndGet();
        }
        newestArrivalMillis.set(clock.getAsLong());
    }

    /**
     * Hands {@code sink} every tick from now on, until the returned handle is unsubscribed (a tab let go of while the
     * console goes on): from the next tick on it is handed none. FX thread.
     */
    public javafx.util.Subscription addSink(Sink sink) {
        sinks.add(sink);
        return () -> sinks.remove(sink);
    }

    /**
     * Runs {@code action} on every tick, before the sinks, whether or not the edge has sent a frame: for
     * what frames do not carry and must age on screen all the same (an aggregator's view of its fleet). It runs
     * until the returned handle is unsubscribed; from the next tick on, not at all. FX thread.
     */
    public javafx.util.Subscription addEveryTick(Runnable action) {
        everyTick.add(action);
        return () -> everyTick.remove(action);
    }

    /** True while {@code sink} is handed the ticks: for a console to check that a tab it let go of is no longer. FX thread. */
    public boolean ticks(Sink sink) {
        return sinks.contains(sink);
    }

    /** How many actions run on every tick ({@link #addEveryTick}). FX thread. */
    public int everyTickActions() {
        return everyTick.size();
    }

    /**
     * Starts ticking, with a first tick now: a frame that is already here reaches the views before
     * the window's first paint rather than a tick later. FX thread.
     */
    public void start() {
        tick();
        nextTickNanos = 0;
        pulses.start();
    }

    /**
     * A pulse at {@code now} (nanoseconds): ticks if a tick is due, once however late the pulse. The tick after
     * it is due a period after this one was, so ticks keep to ten a second; after a pulse more than a period
     * late, a period after this pulse. FX thread.
     */
    void onPulse(long now) {
        if (nextTickNanos == 0) {
            // start() ticked just now
            nextTickNanos = now + PERIOD_NANOS;
            return;
        }
        if (now < nextTickNanos - EARLY_NANOS) {
            return;
        }
        tick();
        nextTickNanos = now - nextTickNanos >= PERIOD_NANOS ? now + PERIOD_NANOS : nextTickNanos + PERIOD_NANOS;
    }

    /** One tick; public so tests can drive it without waiting. FX thread. */
    public void tick() {
        assert Platform.isFxApplicationThread() : "ticks run on the FX thread";
        for (Runnable r : everyTick) {
            r.run();
        }
        List<MetricsFrame> passed = new java.util.ArrayList<>();
        for (MetricsFrame f; (f = arrived.pollFirst()) != null; ) {
            arrivedCount.decrementAndGet();
            passed.add(f);
        }
        MetricsFrame frame = passed.isEmpty() ? lastDelivered : passed.removeLast();
        if (frame == null) {
            return;
        }
        boolean fresh = frame != lastDelivered;
        lastDelivered = frame;
        long since = clock.getAsLong() - newestArrivalMillis.get();
        for (MetricsFrame f : passed) {
            for (Sink s : sinks) {
                s.onPassed(f);
            }
        }
        for (Sink s : sinks) {
            s.onTick(frame, fresh, since);
        }
    }

    @Override
    public void close() {
        pulses.stop();
        subscription.close();
    }
}
