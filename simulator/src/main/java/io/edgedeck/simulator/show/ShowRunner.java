package io.edgedeck.simulator.show;

import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalCondition;
import io.edgedeck.engine.journal.JournalUnavailableException;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.KeyedRequest;
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
 *
 * <p>Over 350 lines, on purpose: one job, the engine thread. Its run state, pacing anchors, command
 * queue and failure are read and written by that one loop; split apart, each part would need the others.
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
    /**
     * The slowest speed a person may ask for: a show minute in about 17 hours, a 10 ms tick every 10 s of wall time.
     * Slower, the show would seem to stand still (at 1e-300 it would not play one tick in the age of the universe).
     */
    public static final double SLOWEST_SPEED = 0.001;
    /** The fastest speed a person may ask for by number, in engine seconds per wall second (faster: {@link #MAX_SPEED}). */
    public static final double FASTEST_SPEED = 10_000;
    /** The speeds a person may ask for by number, as every refusal of one says it. */
    public static final String SPEED_RANGE = "from " + SLOWEST_SPEED + " (slower, the show would seem to stand still) to "
            + (long) FASTEST_SPEED + " (engine seconds per wall second)";

    /** True for a speed a person may ask for by number: from {@link #SLOWEST_SPEED} to {@link #FASTEST_SPEED}. */
    public static boolean speedTaken(double speed) {
        return speed >= SLOWEST_SPEED && speed <= FASTEST_SPEED;
    }

    private final Show show;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Command<?>> commands = new ConcurrentLinkedQueue<>();
    /**
     * Engine thread only: commands held back, in order, on a live node catching up with its clock
     * until the core reaches the first one's time ({@link #submitFrom}); those behind it in order wait too.
     */
    private final java.util.ArrayDeque<Command<?>> held = new java.util.ArrayDeque<>();
    private final List<Consumer<MetricsFrame>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<MetricsFrame> latest = new AtomicReference<>();
    private volatile boolean closed;
    /** Why the engine stopped, once it has; commands are refused from then on. */
    private volatile String failure;
    /** How often the show's position is journaled, in wall milliseconds; 0 for never (a rehearsal). */
    private volatile long clockEveryMillis;
    /** When the engine loop last went round or ran a command, and until when it meant to rest (System.nanoTime). */
    private volatile long turnedNanos;
    private volatile boolean turning;
    private volatile long restsUntilNanos = Long.MIN_VALUE;
    /** Work between ticks, when the core's state is that of its last journal record (a node's snapshots). */
    private volatile Consumer<Show> betweenTicks = s -> { };

    // Engine-thread state.
    private ShowState state = ShowState.READY;
    private double speed;
    /** A live node's clock rate: engine ms per wall ms, fixed for the node's life (its clock is made with it). */
    private final double liveRate;
    private long anchorWallNanos;
    private long anchorEngineMillis;
    private long clockJournaledAtNanos;
    private long clockJournaledEngineMillis = -1;
    /** The engine time at which the show pauses itself ({@link #pauseAt}), or -1 for none. */
    private long pauseAtMillis = -1;
    /** The core's {@link io.edgedeck.engine.EdgeCore#changeCount} when the last frame was made of it. */
    private long publishedChanges = -1;

    public ShowRunner(Show show, double speed) {
        this.show = show;
        this.speed = speed;
        this.liveRate = show.live() && speed > 0 ? speed : 1;
        this.thread = Thread.ofPlatform().name("edgedeck-engine").daemon().unstarted(this::loop);
    }

    public Show show() {
        return show;
    }

    /** Starts the engine thread; the show begins playing at once. */
    public ShowRunner start() {
        return start(ShowState.RUNNING);
    }

    /**
     * Starts the engine thread with the show held at its first moment: a paused frame at 00:00 until
     * {@link #resume}, so whoever shows it (a console's window) sees it from its start.
     */
    public ShowRunner startHeld() {
        return start(ShowState.PAUSED);
    }

    private ShowRunner start(ShowState first) {
        submit(s -> {
            setState(first);
            return null;
        });
        thread.start();
        return this;
    }

    /**
     * Told, on the engine thread, of a change a show-control command is about to make, just before
     * it is made (to audit it); if it throws, the change is not made and the command fails with it.
     * A command that changes nothing (pausing a paused show) tells nobody.
     */
    @FunctionalInterface
    public interface BeforeChange {
        BeforeChange NONE = (show, before, after) -> { };

        /** @param before the state or speed now, e.g. {@code running} or {@code 1x}; @param after what it becomes */
        void accept(Show show, String before, String after);
    }

    public CompletableFuture<Void> pause() {
        return pause(BeforeChange.NONE);
    }

    public CompletableFuture<Void> pause(BeforeChange before) {
        return changeState(ShowState.RUNNING, ShowState.PAUSED, before);
    }

    public CompletableFuture<Void> resume() {
        return resume(BeforeChange.NONE);
    }

    public CompletableFuture<Void> resume(BeforeChange before) {
        return changeState(ShowState.PAUSED, ShowState.RUNNING, before);
    }

    /**
     * Pauses the show by itself at the first tick at or after {@code engineMillis} of engine time, however
     * slow or busy the machine, and publishes that paused frame: what a script's screenshot and bundle
     * are taken of. Leaves the show as it is now (a paused show stays paused until resumed); a show
     * already past it pauses at once. Replaces an earlier mark.
     */
    public CompletableFuture<Void> pauseAt(long engineMillis) {
        return submit(s -> {
            pauseAtMillis = engineMillis;
            if (state == ShowState.RUNNING) {
                pauseIfDue();
            }
            return null;
        });
    }

    /** Engine thread: pauses at the mark {@link #pauseAt} set, once the show reached it. */
    private boolean pauseIfDue() {
        if (pauseAtMillis < 0 || show.core().nowMillis() < pauseAtMillis) {
            return false;
        }
        pauseAtMillis = -1;
        setState(ShowState.PAUSED);
        return true;
    }

    private CompletableFuture<Void> changeState(ShowState from, ShowState to, BeforeChange before) {
        return submit(s -> {
            if (state == from) {
                before.accept(s, from.name().toLowerCase(java.util.Locale.ROOT), to.name().toLowerCase(java.util.Locale.ROOT));
                setState(to);
            }
            return null;
        });
    }

    /** Engine seconds per wall second; {@link #MAX_SPEED} for as fast as possible. */
    public CompletableFuture<Void> setSpeed(double newSpeed) {
        return setSpeed(newSpeed, BeforeChange.NONE);
    }

    public CompletableFuture<Void> setSpeed(double newSpeed, BeforeChange before) {
        if (newSpeed < 0 || Double.isNaN(newSpeed)) {
            throw new IllegalArgumentException("speed must be positive, or 0 for max; was " + newSpeed);
        }
        return submit(s -> {
            if (newSpeed != speed) {
                before.accept(s, speedLabel(speed), speedLabel(newSpeed));
            }
            speed = newSpeed;
            anchor();
            publish();
            return null;
        });
    }

    /** {@code max}, or engine seconds per wall second as {@code 2x}, {@code 0.5x}. */
    public static String speedLabel(double speed) {
        if (speed <= MAX_SPEED) {
            return "max";
        }
        return (speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed)) + "x";
    }

    /**
     * Runs a command on the engine thread at the next tick boundary. On a live node catching up with
     * its clock it does not wait for the ingest commands held back until the core reaches their time
     * ({@link #submitFrom}): an operator's kill, rollback or flag change, and a read, are taken between
     * the next two ticks, at the core's time, which is where a restart reading the journal places them.
     *
     * @return completes with the command's result on the engine thread, or with its exception
     */
    public <T> CompletableFuture<T> submit(Function<Show, T> command) {
        return queue(Long.MIN_VALUE, false, command);
    }

    /**
     * As {@link #submit}, for a command that keeps its place among the ingest commands given to
     * {@link #submitFrom}: while one of them is held back, it waits behind it (an ingest log append,
     * an exposure an evaluation counts), so records are applied in the order they were logged.
     */
    public <T> CompletableFuture<T> submitInOrder(Function<Show, T> command) {
        return queue(Long.MIN_VALUE, true, command);
    }

    /**
     * As {@link #submitInOrder}, for something that happened at engine time {@code engineMillis}, on a
     * live node whose clock has passed it (a batch that arrived then): it runs once the core's ticks
     * have reached the tick holding that time, so what it observes is in the tick it came in, as a
     * restart reading it back places it, never in an earlier one the core had not ended yet while
     * catching up with the clock (a node slowed down, say). Those given to this method or to
     * {@link #submitInOrder} after it wait with it; those given to {@link #submit} do not. A show that
     * is not running, or not live, or whose core is not behind its clock, runs it at once.
     */
    public <T> CompletableFuture<T> submitFrom(long engineMillis, Function<Show, T> command) {
        return queue(engineMillis, true, command);
    }

    private <T> CompletableFuture<T> queue(long engineMillis, boolean inOrder, Function<Show, T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new ClosedException());
            return result;
        }
        if (failure != null) {
            result.completeExceptionally(new EngineFailedException(failedMessage()));
            return result;
        }
        commands.add(new Command<>(command, result, KeyedRequest.current(), engineMillis, inOrder));
        if (failure != null) {
            // the engine failed while this was queued: it would never be run
            failPending();
        }
        LockSupport.unpark(thread);
        return result;
    }

    /** A command refused because the show was closed (the node is stopping): nothing it asked for was done. */
    public static final class ClosedException extends IllegalStateException {
        ClosedException() {
            super("the show has been closed");
        }
    }

    /** A command refused because the engine stopped on an error: nothing it asked for was done. */
    public static final class EngineFailedException extends IllegalStateException {
        EngineFailedException(String message) {
            super(message);
        }
    }

    /**
     * A queued command and the future its caller waits on, with the keyed request it is part of (null
     * for none): it runs as part of that request, so the journal writes the request's key with its change.
     * {@code fromMillis} is the engine time it waits for on a live node ({@link #submitFrom}), and
     * {@code inOrder} whether it waits behind those held back for theirs.
     */
    private record Command<T>(Function<Show, T> work, CompletableFuture<T> result, KeyedRequest request, long fromMillis,
                              boolean inOrder) {
        void run(Show show) {
            try {
                KeyedRequest.during(request, () -> result.complete(work.apply(show)));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } catch (Error e) {
                // the engine cannot go on: this command fails with it, then the loop stops
                result.completeExceptionally(new EngineFailedException("the edge node failed: " + describe(e)));
                throw e;
            }
        }

        void fail(String why) {
            result.completeExceptionally(new EngineFailedException(why));
        }
    }

    /**
     * Journals the show's position every {@code every} of wall time while it runs, so a restarted
     * node resumes the show clock where it was rather than at its last change. Call before {@link #start}.
     */
    public ShowRunner journalClockEvery(java.time.Duration every) {
        this.clockEveryMillis = every.toMillis();
        return this;
    }

    /**
     * Runs {@code work} on the engine thread between ticks, while the show plays and while it is
     * paused: a node's snapshots. Call before {@link #start}.
     */
    public ShowRunner betweenTicks(Consumer<Show> work) {
        this.betweenTicks = work;
        return this;
    }

    /**
     * Also runs {@code work} on the engine thread between ticks, after the work already given (a
     * node's playbooks and schedule). It must not throw. Call before {@link #start}.
     */
    public ShowRunner alsoBetweenTicks(Consumer<Show> work) {
        Consumer<Show> before = this.betweenTicks;
        this.betweenTicks = before.andThen(work);
        return this;
    }

    /** Why the engine stopped, or null while it runs. Any thread. */
    public String failure() {
        return failure;
    }

    private String failedMessage() {
        return "the edge node failed: " + failure + "; nothing changed";
    }

    public Subscription subscribe(Consumer<MetricsFrame> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public MetricsFrame latest() {
        return latest.get();
    }

    /**
     * How long the engine thread has been busy with one thing past when it last went round (a tick,
     * a command, a pause's check) or meant to wake: zero while it keeps going round, growing while a
     * tick, a command or the work between ticks does not return (a hung disk under an fsync, a
     * lock). Zero before the engine thread starts. Any thread; what {@code /healthz} calls stalled.
     */
    public java.time.Duration stalledFor() {
        if (!turning) {
            return java.time.Duration.ZERO;
        }
        long late = System.nanoTime() - Math.max(turnedNanos, restsUntilNanos);
        return java.time.Duration.ofNanos(Math.max(0, late));
    }

    private void rest(long nanos) {
        restsUntilNanos = System.nanoTime() + nanos;
        LockSupport.parkNanos(this, nanos);
        // Woken early (a command) or on time: from here the engine is due to go round, not resting.
        restsUntilNanos = Long.MIN_VALUE;
        turnedNanos = System.nanoTime();
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
        publishedChanges = show.core().changeCount();
        publish(show.frame(state, speed).withNode(condition()));
    }

    private io.edgedeck.client.model.NodeCondition condition() {
        if (failure != null) {
            return io.edgedeck.client.model.NodeCondition.failed(failure);
        }
        JournalCondition journal = show.core().journal().condition();
        return journal.writable() ? io.edgedeck.client.model.NodeCondition.OK
                : io.edgedeck.client.model.NodeCondition.readOnly("journal not writable: " + journal.problem()
                + "; changes are refused" + (journal.held() > 0 ? "; " + JournalUnavailableException.waiting(journal.held()) : ""));
    }

    private void publish(MetricsFrame frame) {
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
        try {
            run();
        } catch (Throwable t) {
            fail(t);
        } finally {
            // Stopped, not stalled: a node closing (or failed, which says so itself) is held by nothing.
            turning = false;
        }
    }

    /**
     * The engine stopped: says why in a last frame (state FAILED), and fails every command waiting
     * and every one sent from now on at once.
     */
    private void fail(Throwable t) {
        String why = describe(t);
        LOG.error("The engine stopped: {}", why, t);
        failure = why;
        // the FAILED frame first: a caller told of the failure must not then read a running node
        MetricsFrame last = latest.get();
        try {
            publish(show.frame(ShowState.FAILED, speed).withNode(condition()));
        } catch (RuntimeException | Error e) {
            if (last != null) {
                publish(last.withRunState(last.sequence() + 1, ShowState.FAILED, speed).withNode(condition()));
            }
        } finally {
            failPending();
            Command<?> c;
            while ((c = held.poll()) != null) {
                c.fail(failedMessage());
            }
        }
    }

    private void failPending() {
        Command<?> c;
        while ((c = commands.poll()) != null) {
            c.fail(failedMessage());
        }
    }

    /** What stopped the engine, for a person: "journal not writable: No space left on device". */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof io.edgedeck.engine.journal.JournalUnavailableException j) {
                return "journal not writable: " + j.reason();
            }
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    private void run() {
        Journal journal = show.core().journal();
        turnedNanos = System.nanoTime();
        turning = true;
        while (!closed) {
            turnedNanos = System.nanoTime();
            runCommands();
            if (state != ShowState.RUNNING) {
                betweenTicks.accept(show);
                // No tick publishes while the show stands still (paused, or played to its end): a change made
                // meanwhile is shown at once, in a frame of the same engine time that still says paused.
                if (show.core().changeCount() != publishedChanges) {
                    publish();
                }
                rest(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            if (show.live()) {
                // The wall clock paces a live node; a command (an ingested batch) wakes it at once.
                long wait = show.millisToNextTick();
                if (wait > 0) {
                    // Engine ms; a node rehearsed into at a speed runs its clock that much faster.
                    rest((long) (TimeUnit.MILLISECONDS.toNanos(wait) / liveRate));
                    continue;
                }
            }
            boolean wasWritable = journal.condition().writable();
            journal.holdingWhenUnwritable(() -> {
                show.step();
                journalClock(journal);
            });
            if (wasWritable != journal.condition().writable()) {
                publish();
            }
            betweenTicks.accept(show);
            if (show.finished()) {
                setState(ShowState.FINISHED);
                continue;
            }
            if (pauseIfDue()) {
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

    /**
     * Runs the commands that may run now, in order: the held ones whose time the core has reached, then
     * those queued since. One that must keep its place behind a held one, or whose time the core has
     * not reached, is held; any other runs at once, so an operator's command never waits for the core
     * to catch up.
     */
    private void runCommands() {
        runDueHeld();
        Command<?> command;
        while ((command = commands.poll()) != null) {
            if (command.inOrder() && (!held.isEmpty() || !due(command))) {
                held.add(command);
                continue;
            }
            command.run(show);
            turnedNanos = System.nanoTime();
            // it may have paused the show, or held ones may have run out of time to wait for
            runDueHeld();
        }
    }

    private void runDueHeld() {
        Command<?> command;
        while ((command = held.peek()) != null && due(command)) {
            held.poll();
            command.run(show);
            turnedNanos = System.nanoTime();
        }
    }

    /**
     * Whether a command may run now: the core has reached the tick holding its engine time, or cannot
     * reach it by ticking (not running, not live, not behind its clock).
     */
    private boolean due(Command<?> command) {
        io.edgedeck.engine.EdgeCore core = show.core();
        return command.fromMillis() < core.nowMillis() + core.tickMillis() || state != ShowState.RUNNING || !show.live()
                || show.millisToNextTick() > 0;
    }

    /** The show's position, at most every {@link #clockEveryMillis} of wall time, when it moved. */
    private void journalClock(Journal journal) {
        long every = clockEveryMillis;
        long now = System.nanoTime();
        long at = show.core().nowMillis();
        if (every <= 0 || now - clockJournaledAtNanos < every * 1_000_000L || at == clockJournaledEngineMillis) {
            return;
        }
        journal.append(new JournalRecord.ShowClock(journal.nextSeq(), at));
        clockJournaledAtNanos = now;
        clockJournaledEngineMillis = at;
    }

    private void pace() {
        if (speed <= 0 || show.live()) {
            return;
        }
        long engineElapsed = show.core().nowMillis() - anchorEngineMillis;
        long due = anchorWallNanos + (long) (engineElapsed * 1_000_000L / speed);
        long wait = due - System.nanoTime();
        if (wait > PARK_AT_LEAST_NANOS) {
            rest(wait);
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
