package io.edgedeck.simulator.show;

import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node's core that fell behind its clock (the engine thread held up, a slow machine) catches
 * up one tick at a time; a batch that arrived meanwhile is taken in the tick of its arrival, where a
 * restart reading the ingest log back places it, not in the earlier tick the core was still in: that
 * put its events in a second before the one they came in, and a PoP's baseline learned live from
 * other seconds than the same node learns after a restart. An operator's command is not held with
 * it: a kill must not wait for the core to catch up.
 */
class LiveCatchUpTest {
    /** Engine time, set by the test: the live node's clock. */
    private final AtomicLong now = new AtomicLong();
    private ShowRunner runner;

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private ShowRunner started() {
        ShowDefinition definition = new ShowDefinition(ScenarioCatalog.load("steady-show"), 1);
        EngineClock clock = new EngineClock() {
            @Override
            public long nowMillis() {
                return now.get();
            }

            @Override
            public long toEngineMillis(long epochMillis) {
                return epochMillis;
            }
        };
        Show show = Show.live(definition, Show.coreConfig(definition.scenario(), definition.seed()), new MemoryJournal(), clock);
        runner = new ShowRunner(show, 1).start();
        return runner;
    }

    /**
     * A started node whose engine thread is held at about 0 until {@code release} while its clock runs
     * on to 20 s: once released, its core is 20 s behind its clock.
     */
    private ShowRunner behindUntil(CountDownLatch release) throws InterruptedException {
        ShowRunner engine = started();
        CountDownLatch holding = new CountDownLatch(1);
        engine.submit(s -> {
            holding.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        now.set(20_000);
        return engine;
    }

    @Test
    void somethingThatCameWhileTheCoreWasBehindIsTakenInTheTickItCameIn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ShowRunner engine = behindUntil(release);
        CompletableFuture<Long> batch = engine.submitFrom(19_960, s -> s.core().nowMillis());
        CompletableFuture<Long> next = engine.submitInOrder(s -> s.core().nowMillis());
        int tick = engine.show().core().tickMillis();
        release.countDown();
        assertEquals(19_960 / tick * tick, batch.get(5, TimeUnit.SECONDS), "the tick the batch came in");
        assertTrue(next.get(5, TimeUnit.SECONDS) >= 19_960 / tick * tick, "what came after it in order waits with it");
    }

    @Test
    void anOperatorsCommandDoesNotWaitForTheCoreToCatchUpWithAHeldBatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ShowRunner engine = behindUntil(release);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Long> batch = engine.submitFrom(19_960, s -> {
            ran.add("batch");
            return s.core().nowMillis();
        });
        CompletableFuture<Long> kill = engine.submit(s -> {
            ran.add("kill");
            return s.core().nowMillis();
        });
        release.countDown();
        // Taken between the next two ticks, at the time the core is in: no tick is ended before it.
        assertEquals(0L, kill.get(5, TimeUnit.SECONDS), "the kill is taken in the tick the core is in");
        batch.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("kill", "batch"), ran);
    }

    @Test
    void aCoreNotBehindItsClockRunsItAtOnce() throws Exception {
        ShowRunner engine = started();
        now.set(3_000);
        // No tick can reach a time the clock has not: it is taken in the tick in progress.
        assertTrue(engine.submitFrom(60_000, s -> s.core().nowMillis()).get(5, TimeUnit.SECONDS) <= 3_000);
    }
}
