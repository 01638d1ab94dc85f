package io.edgedeck.simulator.show;

import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a {@link Show} on its own thread (the engine thread) at a chosen speed, applies commands
 * from other threads between ticks, and publishes a frame at every frame boundary.
 *
 * <p>Thread rules: every public method may be called from any thread. Commands run on the engine
 * thread; frame listeners are called on the engine thread and must be short.
 */
public final class ShowRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShowRunner.class);
    /**
     * The engine sleeps only once it is this far ahead of the wall clock: each sleep overshoots by
     * tens of microseconds, so sleeping every tick at 300x would run the show at 170x.
     */
    public static final long PARK_AT_LEAST_NANOS = 2_000_000;
    /** How long the engine steps aside after each frame it publishes at full speed. */
    static final long FULL_SPEED_BREATH_NANOS = 50_000;
    /** Speed value meaning "as fast as the engine can go". */
    public static final double MAX_SPEED = 0;

    private final Show show;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final List<Consumer<MetricsFrame>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<MetricsFrame> latest = new AtomicReference<>();
    private volatile boolean closed;

    // Engine-thread state.
    private ShowState state = ShowState.READY;
    private double speed;
    private long anchorWallNanos;
    private long anchorEngineMillis;

    public ShowRunner(Show show, double speed) {
        this.show = show;
        this.speed = speed;
        this.thread = Thread.ofPlatform().name("edgedeck-engine").daemon().unstarted(this::loop);
    }

    public Show show() {
        return show;
    }

    /** Starts the engine thread; the show begins playing at once. */
    public ShowRunner start() {
        submit(s -> {
            setState(ShowState.RUNNING);
            return null;
        });
        thread.start();
        return this;
    }

    public CompletableFuture<Void> pause() {
        return submit(s -> {
            if (state == ShowState.RUNNING) setState(ShowState.PAUSED);
            return null;
        });
    }

    public CompletableFuture<Void> resume() {
        return submit(s -> {
            if (state == ShowState.PAUSED) setState(ShowState.RUNNING);
            return null;
        });
    }

    /** Engine seconds per wall second; {@link #MAX_SPEED} for as fast as possible. */
    public CompletableFuture<Void> setSpeed(double newSpeed) {
        if (newSpeed < 0 || Double.isNaN(newSpeed)) {
            throw new IllegalArgumentException("speed must be positive, or 0 for max; was " + newSpeed);
        }
        return submit(s -> {
            speed = newSpeed;
            anchor();
            publish();
            return null;
        });
    }

    /**
     * Runs a command on the engine thread at the next tick boundary.
     *
     * @return completes with the command's result on the engine thread, or with its exception
     */
    public <T> CompletableFuture<T> submit(Function<Show, T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the show has been closed"));
            return result;
        }
        commands.add(() -> {
            try {
                result.complete(command.apply(show));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        LockSupport.unpark(thread);
        return result;
    }

    public Subscription subscribe(Consumer<MetricsFrame> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public MetricsFrame latest() {
        return latest.get();
    }

    private void setState(ShowState next) {
        state = next;
        anchor();
        publish();
    }

    private void anchor() {
        anchorWallNanos = System.nanoTime();
        anchorEngineMillis = show.core().nowMillis();
    }

    private void publish() {
        MetricsFrame frame = show.frame(state, speed);
        latest.set(frame);
        for (Consumer<MetricsFrame> l : listeners) {
            try {
                l.accept(frame);
            } catch (RuntimeException e) {
                LOG.warn("A frame listener failed; it stays subscribed", e);
            }
        }
    }

    private void loop() {
        while (!closed) {
            Runnable command;
            while ((command = commands.poll()) != null) {
                command.run();
            }
            if (state != ShowState.RUNNING) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            if (show.live()) {
                // The wall clock paces a live node; a command (an ingested batch) wakes it at once.
                long wait = show.millisToNextTick();
                if (wait > 0) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(wait));
                    continue;
                }
            }
            show.step();
            if (show.finished()) {
                setState(ShowState.FINISHED);
                continue;
            }
            // A flag version reaching a PoP is published at once: a producer watching a rollback
            // land should not wait for the next cadence frame.
            boolean urgent = show.takeUrgentFrame();
            if (show.atFrameBoundary() || urgent) {
                publish();
                if (speed <= 0) {
                    // At full speed the engine would hold a core without a break; a moment after each
                    // frame lets a console on the same machine draw it.
                    LockSupport.parkNanos(FULL_SPEED_BREATH_NANOS);
                }
            }
            pace();
        }
    }

    private void pace() {
        if (speed <= 0 || show.live()) {
            return;
        }
        long engineElapsed = show.core().nowMillis() - anchorEngineMillis;
        long due = anchorWallNanos + (long) (engineElapsed * 1_000_000L / speed);
        long wait = due - System.nanoTime();
        if (wait > PARK_AT_LEAST_NANOS) {
            LockSupport.parkNanos(this, wait);
        }
    }

    /** Stops the engine thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
