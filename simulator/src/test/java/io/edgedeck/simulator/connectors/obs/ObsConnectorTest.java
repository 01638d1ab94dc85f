package io.edgedeck.simulator.connectors.obs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.EncoderHealth.Level;
import io.edgedeck.simulator.connectors.BackoffConfig;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OBS connector against a real WebSocket server on loopback that follows obs-websocket 5. */
class ObsConnectorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<EncoderHealth> healths = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private LoopbackObsServer server(String password) throws Exception {
        LoopbackObsServer s = new LoopbackObsServer(password);
        open.add(s);
        return s;
    }

    private ObsConnector connector(LoopbackObsServer server, String password, long requestTimeout) {
        ObsConfig config = new ObsConfig("127.0.0.1", server.port(), password == null ? null : Secret.of(password),
                250L, requestTimeout, 60, new BackoffConfig(50L, 400L));
        ObsConnector c = new ObsConnector(config, healths::add, InstantSource.system(), new Random(7));
        open.add(c);
        c.start();
        return c;
    }

    /** A connector to {@code obs}, which streams within every threshold, once it has read OBS a first time. */
    private ObsConnector streamingHealthy(LoopbackObsServer obs, long requestTimeout) throws InterruptedException {
        obs.stream(true, false, 1000, 0, 100);
        obs.stats(5, 60, 3, 0, 100, 0, 100);
        ObsConnector connector = connector(obs, null, requestTimeout);
        awaitHealth(h -> h.level() == Level.OK, "a first read");
        return connector;
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** What the newest occurrence of a reason said (the state's why may already be the next attempt's). */
    private static String lastMessage(SourceStatus status, String reason) {
        return status.errors().stream().filter(e -> e.reason().equals(reason)).findFirst().orElseThrow().lastMessage();
    }

    private EncoderHealth awaitHealth(Predicate<EncoderHealth> p, String what) throws InterruptedException {
        await(() -> healths.stream().anyMatch(p), what + "; got " + healths);
        return healths.stream().filter(p).findFirst().orElseThrow();
    }

    @Test
    void authenticatesAndJudgesStreamAndRenderStatisticsWithObsThresholds() throws Exception {
        LoopbackObsServer obs = server("supersecretpassword");
        obs.stream(true, false, 1_000_000, 0, 1000);
        obs.stats(12.5, 60, 9.8, 0, 2000, 0, 1000);
        ObsConnector connector = connector(obs, "supersecretpassword", 5000);
        EncoderHealth first = awaitHealth(h -> h.level() == Level.OK, "a healthy read");
        assertEquals(List.of(List.of("obswebsocket.json")), obs.offeredSubprotocols);
        assertEquals(1, obs.identifies.getFirst().path("rpcVersion").asInt());
        assertEquals(0, obs.identifies.getFirst().path("eventSubscriptions").asInt());
        assertTrue(obs.requestTypes.contains("GetVideoSettings"));
        assertEquals(1000.0 / 60, first.frameTimeMs(), 1e-9);
        assertEquals(9.8, first.renderMs());
        assertEquals(12.5, first.cpuPercent());
        assertTrue(first.streaming());

        // 3 of the next 120 stream frames dropped: 2.5% of the window, over OBS's 1% warning.
        healths.clear();
        obs.stream(true, false, 1_250_000, 3, 1120);
        EncoderHealth warn = awaitHealth(h -> h.level() == Level.WARN, "a warning");
        assertEquals(3, warn.droppedFrames());
        assertEquals(120, warn.streamFrames());
        assertEquals(2.5, warn.droppedPercent(), 1e-9);
        assertTrue(warn.why().contains("2.5% of frames dropped by the network"), warn.why());
        assertTrue(warn.bitrateKbps() > 0, warn.toString());

        // Rendering slower than a frame is bad whatever the frame shares say.
        obs.stats(40, 48, 17.5, 0, 2000, 0, 1000);
        EncoderHealth bad = awaitHealth(h -> h.level() == Level.BAD, "a bad render time");
        assertTrue(bad.why().contains("rendering takes 17.5 ms of a 16.7 ms frame"), bad.why());

        obs.stream(false, false, 1_250_000, 3, 1120);
        awaitHealth(h -> h.level() == Level.IDLE, "idle once the stream stops");
        SourceStatus status = connector.status();
        assertEquals(SourceState.CONNECTED, status.state());
        assertTrue(status.events() >= 4);
        assertEquals(List.of(), status.errors());
    }

    @Test
    void aWrongPasswordIsRefusedAndSaidSoWithoutLoggingIt() throws Exception {
        LoopbackObsServer obs = server("supersecretpassword");
        ObsConnector connector = connector(obs, "not-the-password", 5000);
        await(() -> connector.status().errorCount("auth-failed") >= 2, "two refused logins");
        SourceStatus status = connector.status();
        String said = lastMessage(status, "auth-failed");
        assertTrue(said.contains("OBS refused the password"), said);
        assertFalse(status.toString().contains("not-the-password"));
        EncoderHealth h = healths.getLast();
        assertEquals(Level.UNREACHABLE, h.level());
        assertTrue(h.why().contains("4009"), h.why());
        assertEquals(0, obs.identified.get());
    }

    @Test
    void aServerThatAsksForAPasswordTheConfigLacksIsNamed() throws Exception {
        LoopbackObsServer obs = server("supersecretpassword");
        ObsConnector connector = connector(obs, null, 5000);
        await(() -> connector.status().errorCount("auth-required") >= 1, "the missing password");
        String said = lastMessage(connector.status(), "auth-required");
        assertTrue(said.contains("obs.password"), said);
    }

    @Test
    void aStalledOrCutServerIsLeftForANewConnectionAndTheTileSaysSo() throws Exception {
        LoopbackObsServer obs = server(null);
        ObsConnector connector = streamingHealthy(obs, 500);

        // A loaded machine may have missed a first Hello by the timeout already: count from here.
        long stalledBefore = connector.status().errorCount("stalled");
        healths.clear();
        obs.stall = true;
        awaitHealth(h -> h.level() == Level.UNREACHABLE && h.why().contains("stalled"), "a stall seen");
        assertTrue(connector.status().errorCount("stalled") > stalledBefore, connector.status().toString());
        obs.stall = false;
        await(() -> obs.identified.get() >= 2, "a second session");
        healths.clear();
        awaitHealth(h -> h.level() == Level.OK, "reads again after the stall");

        obs.cut();
        await(() -> obs.identified.get() >= 3, "a third session after the cut");
        assertTrue(connector.status().errorCount("connection-lost") + connector.status().errorCount("closed-by-obs") >= 1,
                connector.status().toString());
        // A connection cut without a close frame is said in words (an end of stream has no message of its own).
        for (SourceStatus.ErrorCount e : connector.status().errors()) {
            assertFalse(e.lastMessage().contains("null"), e.toString());
        }
        if (connector.status().errorCount("connection-lost") > 0) {
            String said = lastMessage(connector.status(), "connection-lost");
            assertTrue(said.startsWith("the connection dropped: OBS ended the connection without a close frame"), said);
        }
        healths.clear();
        awaitHealth(h -> h.level() == Level.OK, "reads again after the cut");
    }

    /**
     * A hung OBS answers Hello and Identify (its WebSocket thread) and no request (they need its main
     * thread): never connected, the tile unreachable, and each new attempt waits longer.
     */
    @Test
    void aHungObsThatAnswersNoRequestIsNeverConnectedAndIsTriedLessAndLessOften() throws Exception {
        LoopbackObsServer obs = server(null);
        obs.stream(true, false, 1000, 0, 100);
        obs.stats(5, 60, 3, 0, 100, 0, 100);
        obs.stall = true;
        ObsConnector connector = new ObsConnector(new ObsConfig("127.0.0.1", obs.port(), null, 250L, 200L, 60,
                new BackoffConfig(100L, 400L)), healths::add, InstantSource.system(), new Random(7));
        open.add(connector);
        connector.start();
        List<SourceStatus> seen = new CopyOnWriteArrayList<>();
        await(() -> {
            seen.add(connector.status());
            return obs.identified.get() >= 4;
        }, "four logins to a hung OBS");
        assertTrue(seen.stream().noneMatch(s -> s.state() == SourceState.CONNECTED),
                "never connected while no request is answered: " + seen.stream().filter(s -> s.state() == SourceState.CONNECTED).findFirst());
        assertTrue(seen.stream().anyMatch(s -> s.why().startsWith("logged in to OBS")), seen.toString());
        assertTrue(healths.stream().allMatch(h -> h.level() == Level.UNREACHABLE && h.why().contains("stalled")), healths.toString());
        // Each attempt waits 200 ms for an answer, then a backoff of 100 ms doubling to 400 ms, drawn from its upper
        // half: the third wait is at least 200 ms, where a backoff started again at each login would wait at most 100.
        List<Long> at = obs.identifiedAtNanos;
        long thirdGapMillis = (at.get(3) - at.get(2)) / 1_000_000;
        assertTrue(thirdGapMillis >= 400, "the fourth login came " + thirdGapMillis + " ms after the third");
        assertTrue(connector.status().errorCount("stalled") >= 3, connector.status().toString());

        obs.stall = false;
        await(() -> connector.status().state() == SourceState.CONNECTED, "connected once OBS answers");
        awaitHealth(h -> h.level() == Level.OK, "reads again");
    }

    @Test
    void malformedMessagesAreCountedAndTheSessionGoesOn() throws Exception {
        LoopbackObsServer obs = server(null);
        ObsConnector connector = streamingHealthy(obs, 5000);
        obs.sendRaw("{this is not json");
        obs.sendRaw("{\"op\": 42, \"d\": {}}");
        obs.sendRaw("{\"op\": 7, \"d\": {\"requestId\": \"never-asked\", \"requestStatus\": {\"result\": true}}}");
        await(() -> connector.status().errorCount("malformed-message") >= 3, "three malformed messages counted");
        healths.clear();
        awaitHealth(h -> h.level() == Level.OK, "still reading");
        assertEquals(1, obs.identified.get(), "one session throughout");
    }

    /**
     * Statistics OBS answers in a shape the node cannot read (a count as text, a field missing, a
     * negative count) are never read as zero, which would judge the stream healthy: the answer is
     * counted as malformed naming the request and the field, and the tile says OBS is not being read,
     * until an answer can be read again, in the same session.
     */
    @Test
    void statisticsOfTheWrongTypeAreNamedAndNeverJudgedAsHealthy() throws Exception {
        LoopbackObsServer obs = server(null);
        ObsConnector connector = streamingHealthy(obs, 5000);

        com.fasterxml.jackson.databind.node.ObjectNode lots = obs.stats.deepCopy();
        lots.put("renderSkippedFrames", "lots");
        obs.stats = lots;
        healths.clear();
        EncoderHealth unread = awaitHealth(h -> h.level() != Level.OK, "the unreadable answer judged");
        assertEquals(Level.UNREACHABLE, unread.level(), unread.toString());
        assertTrue(unread.why().contains("GetStats") && unread.why().contains("renderSkippedFrames"), unread.why());
        assertTrue(lastMessage(connector.status(), "malformed-message").contains("renderSkippedFrames \"lots\""),
                connector.status().toString());

        com.fasterxml.jackson.databind.node.ObjectNode missing = obs.streamStatus.deepCopy();
        missing.remove("outputTotalFrames");
        obs.streamStatus = missing;
        obs.stats(5, 60, 3, 0, 100, 0, 100);
        await(() -> lastMessage(connector.status(), "malformed-message").contains("outputTotalFrames"), "the missing field named");

        obs.stream(true, false, 2000, 0, 200);
        obs.stats(5, 60, 3, -4, 100, 0, 100);
        await(() -> lastMessage(connector.status(), "malformed-message").contains("renderSkippedFrames -4"), "a negative count named");

        obs.stats(5, 60, 3, 0, 100, 0, 100);
        healths.clear();
        awaitHealth(h -> h.level() == Level.OK, "read again once the answer can be read");
        assertEquals(1, obs.identified.get(), "one session throughout");
    }

    @Test
    void theAuthenticationStringMatchesTheProtocolsWorkedExample() {
        // Computed with: printf '%s' "$password$salt" | openssl dgst -sha256 -binary | base64, then again with the challenge.
        assertEquals("zZgWipvwSGrw748kHN4gNpBC1IaeiiWX3Hjkrm849Sc=",
                ObsAuth.authentication("supersecretpassword", "PZVbYpvAnZut2SS6JNJytDm9", "ztTBnnuqrqaKDzRM3xcVdbYm"));
    }

    @Test
    void obsThresholdsDecideTheLevel() {
        record Case(long dropped, long skipped, long missed, double renderMs, boolean reconnecting, Level expected) {
        }
        List<Case> cases = List.of(
                new Case(10, 0, 0, 5, false, Level.OK),      // 1.0%: not above 1%
                new Case(11, 0, 0, 5, false, Level.WARN),    // 1.1%
                new Case(50, 0, 0, 5, false, Level.WARN),    // 5.0%: not above 5%
                new Case(51, 0, 0, 5, false, Level.BAD),
                new Case(0, 20, 0, 5, false, Level.WARN),    // encoder
                new Case(0, 0, 60, 5, false, Level.BAD),     // renderer
                new Case(0, 0, 0, 12.6, false, Level.WARN),  // over 75% of 16.67 ms
                new Case(0, 0, 0, 16.6, false, Level.WARN),
                new Case(0, 0, 0, 16.7, false, Level.BAD),
                new Case(0, 0, 0, 5, true, Level.BAD));
        for (Case c : cases) {
            EncoderHealth h = EncoderHealth.judge(0, true, c.reconnecting(), 6000, 0, c.dropped(), 1000, c.skipped(), 1000,
                    c.missed(), 1000, c.renderMs(), 1000.0 / 60, 10, 60, 60);
            assertEquals(c.expected(), h.level(), c + " -> " + h.why());
        }
        assertEquals(Level.IDLE, EncoderHealth.judge(0, false, false, 0, 0, 90, 100, 0, 0, 0, 0, 50, 16.7, 0, 0, 60).level());
    }

    @Test
    void aSustainedFallInTheOutputsByteRateIsJudgedAgainstTheStreamsHealthyRate() {
        ObsStatsJudge judge = new ObsStatsJudge(60);
        judge.videoSettings(JSON.createObjectNode().put("fpsNumerator", 60).put("fpsDenominator", 1));
        EncoderHealth last = null;
        for (int second = 1; second <= 90; second++) {
            last = readSecond(judge, second, second <= 60 ? 6000 : 800);
            if (second == 65) {
                assertEquals(Level.OK, last.level(), "5 s low is not yet sustained: " + last.why());
            }
        }
        assertEquals(800, last.bitrateKbps(), 1e-6);
        assertEquals(Level.BAD, last.level(), last.why());
        assertTrue(last.why().startsWith("bitrate 800 kb/s, 13% of its usual 6,000 kb/s"), last.why());

        judge.reset(); // a new connection: no baseline to compare the low rate with
        for (int second = 91; second <= 130; second++) {
            last = readSecond(judge, second, 800);
        }
        assertEquals(Level.OK, last.level(), last.why());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** OBS read at {@code second}, having streamed {@code kbps} (60 clean frames) in the second before it. */
    private EncoderHealth readSecond(ObsStatsJudge judge, int second, long kbps) {
        bytesSent += kbps * 1000 / 8;
        ObjectNode stream = JSON.createObjectNode().put("outputActive", true).put("outputReconnecting", false)
                .put("outputBytes", bytesSent).put("outputSkippedFrames", 0).put("outputTotalFrames", second * 60L);
        ObjectNode stats = JSON.createObjectNode().put("activeFps", 60.0).put("averageFrameRenderTime", 4.0).put("cpuUsage", 10.0)
                .put("renderSkippedFrames", 0).put("renderTotalFrames", second * 60L).put("outputSkippedFrames", 0)
                .put("outputTotalFrames", second * 60L);
        return judge.judge(second * 1000L, stream, stats);
    }

    /** The stream output's byte count so far, as OBS reports it. */
    private long bytesSent;

    @Test
    void theFrameWindowForgetsOldReadsAndRestartsWhenObsDoes() {
        FrameWindow w = new FrameWindow(10_000);
        long[] first = w.add(0, 0, 100);
        assertEquals(0, first[0]);
        assertEquals(100, first[1], "the first read counts OBS's totals so far");
        long[] a = w.add(5_000, 10, 400);
        assertEquals(10, a[0]);
        assertEquals(300, a[1]);
        long[] b = w.add(20_000, 10, 1000);
        assertEquals(0, b[0], "the burst at 5 s has left the 10 s window");
        assertEquals(600, b[1]);
        long[] restarted = w.add(21_000, 1, 30);
        assertEquals(1, restarted[0]);
        assertEquals(30, restarted[1]);
    }
}
