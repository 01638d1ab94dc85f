package io.edgedeck.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.pops.PopCost;
import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.pops.Pops;
import io.edgedeck.engine.pops.Slo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ingest log read back after a restart rebuilds each PoP's seconds exactly as ending every tick
 * from engine time 0 one by one does, though the quiet stretches between its events are closed in
 * bulk: the history rows (per second and per minute), jitter, windows, health and degraded time, the
 * baseline and the cost account's bands, after every event and at the end. The log has dense
 * stretches, sparse ones, silent hours, losses, probes, conversions, status reports and faults, over
 * more than the two hours the per-second history keeps.
 */
class ReadBackQuietStretchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long END_MILLIS = (2 * 3600 + 25 * 60) * 1000L + 370;
    private static final List<PopSite> SITES = List.of(
            new PopSite("fra", "eu", 100, Slo.DEFAULT, new PopCost(12, 3)),
            PopSite.of("ams", "eu", 150), PopSite.of("iad", "na", 200));

    /** One thing observed at a PoP, at its arrival in engine time. */
    private record Event(long atMillis, Consumer<Pops> apply) {
    }

    private static List<Event> log(long seed) {
        Random r = new Random(seed);
        List<Event> events = new ArrayList<>();
        long t = 700;
        while (t < END_MILLIS - 5_000) {
            long minute = t / 60_000;
            int pop = r.nextInt(SITES.size());
            double ms = 20 + r.nextGaussian() * 4 + (r.nextInt(30) == 0 ? 400 : 0);
            int kind = r.nextInt(40);
            Consumer<Pops> apply = switch (kind) {
                case 0 -> p -> p.lost(pop);
                case 1 -> p -> p.failed(pop, ms);
                case 2 -> p -> p.converted(pop, 19.5);
                case 3 -> p -> p.probed(pop, ms / 2);
                case 4 -> p -> p.probeLost(pop);
                case 5 -> {
                    PopHealth health = r.nextBoolean() ? PopHealth.DEGRADED : PopHealth.DOWN;
                    yield p -> p.reportStatus(pop, health, 3);
                }
                case 6 -> {
                    List<String> faults = r.nextBoolean() ? List.of("slow-origin") : List.of();
                    yield p -> p.reportFaults(pop, faults);
                }
                default -> p -> p.served(pop, ms);
            };
            events.add(new Event(t, apply));
            // A show (dense), an intermission (sparse), a night (silent), by the quarter hour.
            long step = switch ((int) (minute / 15 % 4)) {
                case 0 -> r.nextInt(1_200);
                case 1 -> 1_000 + r.nextInt(90_000);
                case 2 -> r.nextInt(8) == 0 ? 600_000 + r.nextInt(1_200_000) : r.nextInt(3_000);
                default -> 5_000 + r.nextInt(40_000);
            };
            // now and then an arrival a few ms before the one before it, as batches applied out of order are
            t += step == 0 && r.nextBoolean() ? -r.nextInt(30) : step;
        }
        return events;
    }

    @ParameterizedTest
    @ValueSource(longs = {10_000, 240_000})
    void quietStretchesClosedInBulkLeaveEveryPopAsEndingEachTickDoes(long noDataAfterMillis) throws Exception {
        CoreConfig config = new CoreConfig("read-back", 0, CoreConfig.DEFAULT_TICK_MILLIS, 250, SITES, List.of(), List.of(),
                null, List.of(), List.of(), noDataAfterMillis, null);
        MemoryJournal journal = new MemoryJournal();
        journal.append(new JournalRecord.ShowStarted(1, 0, "read-back", 0));
        journal.append(new JournalRecord.ShowClock(2, END_MILLIS));
        EdgeCore core = new EdgeCore(config, journal);
        assertEquals((END_MILLIS + 9) / 10 * 10, core.nowMillis());
        Pops stepped = new Pops(SITES, noDataAfterMillis);
        long[] steppedAt = {0};

        core.startReadBack();
        int compared = 0;
        long last = 0;
        for (Event e : log(noDataAfterMillis)) {
            core.readBackAt(e.atMillis());
            stepTo(stepped, steppedAt, Math.min(e.atMillis(), core.nowMillis()));
            if (e.atMillis() - last > 5_000) {
                assertSame(stepped, core.pops(), false, "at " + e.atMillis() + " ms, after " + last);
                compared++;
            }
            last = e.atMillis();
            e.apply().accept(core.pops());
            e.apply().accept(stepped);
        }
        core.endReadBack();
        stepTo(stepped, steppedAt, core.nowMillis());
        assertTrue(compared > 50, compared + " events compared");
        assertSame(stepped, core.pops(), true, "at the end");
    }

    /** Ends the ticks up to the one holding {@code toMillis} one by one, as the read-back did before quiet stretches were closed in bulk. */
    private static void stepTo(Pops pops, long[] at, long toMillis) {
        while (at[0] + 10 <= toMillis) {
            pops.endTick(at[0], 10);
            at[0] += 10;
            if (at[0] % 1000 == 0) {
                pops.rollSecond(at[0] / 1000 - 1, at[0]);
            }
        }
    }

    /** The same measures, and (with {@code rows}) the same history rows, every one the history holds. */
    private static void assertSame(Pops expected, Pops actual, boolean rows, String when) throws Exception {
        long seconds = END_MILLIS / 1000 + 1;
        assertEquals(JSON.writeValueAsString(expected.summaries()), JSON.writeValueAsString(actual.summaries()), when);
        assertEquals(expected.historyBytes(), actual.historyBytes(), when);
        assertEquals(expected.fleetBaselineP95Ms(), actual.fleetBaselineP95Ms(), when);
        for (int i = 0; i < expected.count(); i++) {
            String id = expected.id(i);
            assertEquals(JSON.writeValueAsString(expected.metrics(i, 2)), JSON.writeValueAsString(actual.metrics(i, 2)),
                    id + " " + when);
            if (!rows) {
                continue;
            }
            assertEquals(expected.wholeShowHistogram(i), actual.wholeShowHistogram(i), id + " " + when);
            // the whole show (per minute, past the per-second table's two hours) and its last two hours (per second)
            assertEquals(JSON.writeValueAsString(expected.history(id, 0, seconds)),
                    JSON.writeValueAsString(actual.history(id, 0, seconds)), id + " " + when);
            assertEquals(JSON.writeValueAsString(expected.history(id, seconds - 7200, seconds)),
                    JSON.writeValueAsString(actual.history(id, seconds - 7200, seconds)), id + " " + when);
        }
    }
}
