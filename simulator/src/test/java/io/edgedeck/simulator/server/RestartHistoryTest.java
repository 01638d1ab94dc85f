package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.engine.journal.JournalRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restarted live node reads its ingest log back, and each PoP's per-second measures take every
 * event in the second it arrived in, as a node that never stopped did: the history rows (the
 * console's Timeline and Jitter tab), the jitter at each second's end, the baseline learned from
 * those seconds and the cost account's fast and slow bands. They took the whole log in the one
 * second it was read back into: one huge second at the restart, a baseline that had learned nothing
 * and no request in either band.
 *
 * <p>A batch is placed live when the engine applies it, after its fsync, which on a busy machine may
 * be a second or more of engine time after it arrived at these clocks' pace; read back, it is placed
 * there too (the core journals the tick it applied a batch in when that is later than its arrival's),
 * so each row is matched in its own second.
 */
class RestartHistoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "restart-history",
             "pops": [{"id": "fra", "region": "eu"}]}""";
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    /** {@code n} latencies at fra, alternating 20 and 60 ms so that the jitter estimate moves. */
    private static String latencies(String prefix, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(prefix).append(i)
                    .append("\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":").append(i % 2 == 0 ? 20 : 60).append("}");
        }
        return b.append("]").toString();
    }

    private void ingest(String body) throws Exception {
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), body);
        assertEquals(200, r.statusCode(), r.body());
    }

    private JsonNode history(String query) throws Exception {
        HttpResponse<String> r = live.send("GET", "/api/v1/pops/fra/history" + query, live.key("read-key"), null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Waits until the node's journal holds its clock at {@code engineMillis} or later: the time a restart resumes at. */
    private long awaitClockPast(long engineMillis) throws InterruptedException {
        long[] at = {-1};
        LiveNodeFixture.await("the journal holds the clock past " + engineMillis, () -> {
            for (JournalRecord r : live.node().journal().records().reversed()) {
                if (r instanceof JournalRecord.ShowClock c) {
                    at[0] = c.atMillis();
                    return c.atMillis() >= engineMillis;
                }
            }
            return false;
        });
        return at[0];
    }

    /**
     * Waits until the engine has applied the batches sent so far ({@code requests} at fra) and its clock is a
     * whole second past that frame, so the next batch is placed, and read back, in a later second than
     * these, however late a loaded machine lets the engine apply them.
     */
    private void awaitAppliedAndASecondPast(long requests) throws InterruptedException {
        LiveNodeFixture.await("fra counts " + requests + " requests", () -> live.framePop("fra").get("requests").asLong() == requests);
        long applied = live.node().latestFrame().engineMillis();
        LiveNodeFixture.await("the clock is a second past " + applied, () -> live.node().latestFrame().engineMillis() >= applied + 1_000);
    }

    private void restartAndAwait(long requests) throws Exception {
        live.stopNode();
        live.start();
        LiveNodeFixture.await("the node started again has read its ingest log back",
                () -> live.framePop("fra").get("requests").asLong() == requests);
    }

    @Test
    void eachEventReadBackIsInTheHistoryRowOfItsOwnSecondWithItsJitter(@TempDir Path dir) throws Exception {
        // Three engine seconds a wall second: the batches are seconds apart.
        live = new LiveNodeFixture(CONFIG, dir, 3);
        live.start();
        ingest(latencies("a", 3));
        awaitAppliedAndASecondPast(3);
        ingest(latencies("b", 4));
        awaitAppliedAndASecondPast(7);
        ingest(latencies("c", 5));
        long lastBatch = live.node().latestFrame().engineMillis();
        // The node started again resumes at its journal's last clock: a few seconds past the last batch.
        long resumesAt = awaitClockPast(lastBatch + 2_000);
        JsonNode before = history("");
        long end = before.get("startSecond").get(before.get("startSecond").size() - 1).asLong() + 1;
        restartAndAwait(12);
        assertTrue(resumesAt - lastBatch < 10_000, "the last batch is under 10 s old where the node resumes: "
                + lastBatch + " and " + resumesAt);
        JsonNode after = history("?from=0&to=" + end);

        int rowsBefore = 0;
        long total = 0;
        for (int i = 0; i < before.get("requests").size(); i++) {
            long requests = before.get("requests").get(i).asLong();
            if (requests == 0) {
                continue;
            }
            rowsBefore++;
            long second = before.get("startSecond").get(i).asLong();
            int j = rowWith(after, requests, second);
            assertTrue(j >= 0, "the second " + second + " held " + requests + " requests; after the restart the rows are "
                    + after.get("startSecond") + " " + after.get("requests"));
            assertEquals(before.get("p50Ms").get(i).asDouble(), after.get("p50Ms").get(j).asDouble(), 1e-9);
            assertEquals(before.get("jitterMs").get(i).asDouble(), after.get("jitterMs").get(j).asDouble(), 1e-9,
                    "the jitter at the end of the second " + second);
            total += requests;
        }
        assertEquals(3, rowsBefore, before.get("requests").toString());
        long totalAfter = 0;
        for (JsonNode r : after.get("requests")) {
            totalAfter += r.asLong();
        }
        assertEquals(total, totalAfter, "every request is in a row, once");
    }

    /** The row of {@code h} for {@code second} if it holds {@code requests}, or -1. */
    private static int rowWith(JsonNode h, long requests, long second) {
        for (int j = 0; j < h.get("startSecond").size(); j++) {
            if (h.get("startSecond").get(j).asLong() == second && h.get("requests").get(j).asLong() == requests) {
                return j;
            }
        }
        return -1;
    }

    @Test
    void theBaselineAndTheCostBandsAreLearnedAgainFromTheSecondsReadBack(@TempDir Path dir) throws Exception {
        // Thirty engine seconds a wall second: the baseline's minute of samples is learned in a few wall seconds.
        live = new LiveNodeFixture(CONFIG, dir, 30);
        live.start();
        int batches = 0;
        // A batch every few engine seconds keeps the 10 s window served until the baseline has been learned for a while.
        while (true) {
            ingest(latencies("s" + batches + "-", 10));
            batches++;
            JsonNode pop = live.framePop("fra");
            if (pop.get("value").get("fastRequests").asLong() + pop.get("value").get("slowRequests").asLong() >= 30) {
                break;
            }
            assertTrue(batches < 60, "the baseline was never learned: " + pop);
            Thread.sleep(120);
        }
        // The node started again resumes at its journal's last clock: past the last batch. The baseline is
        // read once it has stopped learning (its 10 s window empty), so the seconds the node keeps running
        // until it is stopped add nothing to it.
        awaitClockPast(live.node().latestFrame().engineMillis() + 1_000);
        LiveNodeFixture.await("the baseline stops learning once the 10 s window is empty",
                () -> "no-data".equals(live.framePop("fra").get("baseline").path("frozenBy").asText(null)));
        JsonNode before = live.framePop("fra");
        JsonNode baseBefore = before.get("baseline");
        assertTrue(baseBefore.get("samples").asInt() >= 60, baseBefore.toString());
        long bandedBefore = before.get("value").get("fastRequests").asLong() + before.get("value").get("slowRequests").asLong();
        List<Long> secondsBefore = secondsWithRequests(history(""));

        restartAndAwait(10L * batches);
        JsonNode after = live.framePop("fra");
        JsonNode baseAfter = after.get("baseline");
        List<Long> secondsAfter = secondsWithRequests(history("?from=0&to=" + (secondsBefore.getLast() + 2)));
        String both = baseBefore + " before the stop, from the seconds " + secondsBefore + "; " + baseAfter
                + " after the restart, from " + secondsAfter;
        // Live, a batch is taken once it is durable, never before the tick it arrived in (not even by a core
        // catching up with its clock): its fsync and its wait for the engine may carry it past the end of a
        // second (33 ms of wall time at this clock). Read back, it is in the tick the core took it in, so the
        // same seconds are learned, whatever the machine's load.
        assertEquals(secondsBefore, secondsAfter, both);
        assertEquals(baseBefore.get("p95Ms").asDouble(), baseAfter.get("p95Ms").asDouble(), 1e-9, both);
        assertEquals(baseBefore.get("samples").asInt(), baseAfter.get("samples").asInt(), both);
        assertEquals(baseBefore.get("jitterMs").asDouble(), baseAfter.get("jitterMs").asDouble(), 1e-9, both);
        // Each second's requests in the band its own second was in.
        long bandedAfter = after.get("value").get("fastRequests").asLong() + after.get("value").get("slowRequests").asLong();
        assertEquals(bandedBefore, bandedAfter, "banded before the stop; after it: " + after.get("value"));
    }

    /** The seconds of {@code h} that hold a request, in order. */
    private static List<Long> secondsWithRequests(JsonNode h) {
        List<Long> seconds = new java.util.ArrayList<>();
        for (int j = 0; j < h.get("startSecond").size(); j++) {
            if (h.get("requests").get(j).asLong() > 0) {
                seconds.add(h.get("startSecond").get(j).asLong());
            }
        }
        return seconds;
    }
}
