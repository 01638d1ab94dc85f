package io.edgedeck.simulator.connectors.probe;

import com.sun.net.httpserver.HttpServer;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Probes against real endpoints on loopback that answer, stall, fail and drop as scripted. */
class ProbeRunnerTest {
    private final RecordingSink sink = new RecordingSink();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** What the endpoint did with a probe, by the probe's id. */
    enum Fate { ANSWERED, DROPPED, STALLED, FAILED }

    private record Scripted(HttpServer server, Map<String, Fate> fates, AtomicInteger maxInFlight) {
        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/healthz";
        }
    }

    /** An HTTP endpoint whose n-th request is answered, stalled past the timeout, failed with 503 or dropped. */
    private Scripted endpoint(java.util.function.IntFunction<Fate> script, long stallMillis) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(threads);
        Map<String, Fate> fates = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        server.createContext("/healthz", exchange -> {
            int n = requests.incrementAndGet();
            Fate fate = script.apply(n);
            fates.put(exchange.getRequestHeaders().getFirst(ProbeRunner.PROBE_HEADER), fate);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                sleep(fate == Fate.STALLED ? stallMillis : fate == Fate.ANSWERED ? 15 + (n % 3) * 10 : 0);
            } finally {
                // Before the answer leaves: once the prober has it, this request no longer counts.
                inFlight.decrementAndGet();
            }
            switch (fate) {
                case DROPPED -> throw new IOException("scripted drop: the connection closes without an answer");
                case FAILED -> exchange.sendResponseHeaders(503, -1);
                case ANSWERED, STALLED -> {
                    byte[] ok = "ok".getBytes();
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                }
            }
            exchange.close();
        });
        server.start();
        open.add(() -> {
            server.stop(0);
            threads.shutdownNow();
        });
        return new Scripted(server, fates, maxInFlight);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ProbeRunner runner(ProbeConfig config) {
        ProbeRunner runner = new ProbeRunner(config, sink, InstantSource.system());
        open.add(runner);
        runner.start();
        return runner;
    }

    @Test
    void everyProbeBecomesOneProbeLatencyAndLossMatchesWhatTheEndpointDid() throws Exception {
        // A stalled probe is held until the endpoint closes, so it is lost by the timeout alone; the timeout
        // gives an answer sent after 15 to 35 ms a whole second to arrive on a loaded machine.
        Scripted endpoint = endpoint(n -> n % 4 == 0 ? Fate.DROPPED : n % 5 == 0 ? Fate.STALLED : n % 7 == 0 ? Fate.FAILED
                : Fate.ANSWERED, 60_000);
        long timeout = 1000;
        ProbeRunner runner = runner(new ProbeConfig(List.of(new ProbeTarget("fra", endpoint.url(), null)),
                10, 1000L, timeout, 4));
        sink.await(events -> events.size() >= 20 && !runner.lastRounds().isEmpty(), Duration.ofSeconds(30));
        runner.close();

        List<IngestEvent.Latency> events = sink.events(IngestEvent.Latency.class);
        assertTrue(events.size() >= 20);
        int lost = 0;
        for (IngestEvent.Latency e : events) {
            assertEquals("fra", e.pop());
            assertEquals("probe", e.source());
            Fate fate = endpoint.fates().get(e.id());
            assertTrue(fate != null, "the endpoint saw the probe " + e.id() + " exactly as sent");
            switch (fate) {
                case ANSWERED -> {
                    assertNull(e.lost(), e.toString());
                    assertTrue(e.ms() >= 15 && e.ms() < timeout, e.toString());
                    assertEquals(200, e.status());
                }
                case DROPPED, STALLED -> {
                    assertEquals(Boolean.TRUE, e.lost(), e.toString());
                    assertNull(e.ms());
                    lost++;
                }
                case FAILED -> {
                    assertEquals(Boolean.TRUE, e.lost(), e.toString());
                    assertEquals(503, e.status());
                    lost++;
                }
            }
        }
        assertTrue(lost > 0 && lost < events.size(), "some lost, some answered: " + lost + " of " + events.size());
        assertEquals(events.size(), events.stream().map(IngestEvent::id).distinct().count(), "ids are unique");

        ProbeRound round = runner.lastRounds().getFirst();
        assertEquals("fra", round.pop());
        assertEquals("http", round.kind());
        SourceStatus status = runner.status();
        // A probe skipped because every slot was busy (a slow machine) is not sent.
        if (status.errorCount("skipped-busy") == 0) {
            assertEquals(10, round.sent(), round.toString());
        } else {
            assertTrue(round.sent() < 10, round + "; " + status);
        }
        assertTrue(round.lost() >= 2 && round.lost() <= 6, round.toString());
        assertTrue(round.minMs() >= 15 && round.minMs() <= round.medianMs() && round.medianMs() <= round.maxMs(), round.toString());
        assertTrue(round.jitterMs() > 0, "answers 15 to 35 ms apart make jitter: " + round);

        assertEquals(SourceState.STOPPED, status.state());
        assertTrue(status.errorCount("timeout") > 0, status.toString());
        assertTrue(status.errorCount("dropped") > 0, status.toString());
        assertTrue(status.errorCount("bad-status") > 0, status.toString());
    }

    /** A token in a probe URL's query or credentials is sent to the PoP, and shown nowhere: errors, status, the audit. */
    @Test
    void aTokenInAProbeUrlIsNeverShown() throws Exception {
        Scripted endpoint = endpoint(n -> n % 2 == 0 ? Fate.FAILED : Fate.DROPPED, 0);
        String url = endpoint.url().replace("http://", "http://probe:pass-s3cret@") + "?token=s3cret-token";
        ProbeTarget target = new ProbeTarget("fra", url, null);
        assertEquals(endpoint.url() + "?…", target.shownUrl());
        // The endpoint answers at once: a probe timing out (a cold start on a loaded machine) only delays the errors awaited.
        ProbeRunner runner = runner(new ProbeConfig(List.of(target), 10, 1000L, 1000L, 4));
        // A probe's error is counted before its event is taken, so the status is read as events arrive.
        sink.await(events -> runner.status().errorCount("bad-status") > 0 && runner.status().errorCount("dropped") > 0,
                Duration.ofSeconds(30));
        runner.close();
        SourceStatus status = runner.status();
        assertFalse(status.toString().contains("s3cret"), status.toString());
        assertTrue(status.toString().contains(endpoint.url() + "?…"), status.toString());

        String nodeConfig = "{\"probes\": {\"targets\": [{\"pop\": \"fra\", \"url\": \"" + url + "\"}]}}";
        String audited = io.edgedeck.simulator.connectors.ConnectorsConfig.read(nodeConfig).describe();
        assertEquals("probes (fra " + endpoint.url() + "?…)", audited);
    }

    @Test
    void tcpProbesMeasureTheConnectAndCountARefusedPortAsLoss() throws Exception {
        ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(listening);
        Thread.ofVirtual().start(() -> {
            while (!listening.isClosed()) {
                try (Socket s = listening.accept()) {
                    s.getInputStream().available();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        int refusedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = s.getLocalPort();
        }
        ProbeRunner runner = runner(new ProbeConfig(List.of(
                new ProbeTarget("fra", null, "127.0.0.1:" + listening.getLocalPort()),
                new ProbeTarget("par", null, "127.0.0.1:" + refusedPort)), 5, 1000L, 500L, 4));
        sink.await(events -> events.stream().filter(e -> ((IngestEvent.Latency) e).pop().equals("fra")).count() >= 5
                && events.stream().filter(e -> ((IngestEvent.Latency) e).pop().equals("par")).count() >= 5
                && runner.lastRounds().size() == 2, Duration.ofSeconds(10));
        // The runner works, but its row must not read as two PoPs answering: it names the one that answers nothing.
        assertEquals("no answer from par (tcp) in the last round: could not connect to 127.0.0.1:" + refusedPort
                + ": Connection refused; probing 2 PoPs: 5 probes every 1.0 s each", runner.status().why());
        assertEquals(List.of("par (tcp)"), runner.status().unanswered(), "what the Sources row is coloured by");
        runner.close();
        assertEquals("stopped by the node", runner.status().why());

        for (IngestEvent.Latency e : sink.events(IngestEvent.Latency.class)) {
            if (e.pop().equals("fra")) {
                assertNull(e.lost());
                assertTrue(e.ms() >= 0 && e.ms() < 500, e.toString());
            } else {
                assertEquals(Boolean.TRUE, e.lost());
            }
            assertNull(e.status(), "a TCP probe has no HTTP status");
            assertTrue(e.id().contains(":tcp:"), e.id());
        }
        assertTrue(runner.status().errorCount("connect-failed") >= 5);
        ProbeRound par = runner.lastRounds().stream().filter(r -> r.pop().equals("par")).findFirst().orElseThrow();
        assertEquals(1.0, par.lossRatio());
        assertTrue(Double.isNaN(par.medianMs()));
    }

    /** More PoPs than probe slots: each PoP is probed, the ones after the first {@code maxConcurrent} too. */
    @Test
    void morePopsThanSlotsAreEachProbed() throws Exception {
        Scripted endpoint = endpoint(n -> Fate.ANSWERED, 0);
        List<String> pops = List.of("a", "b", "c", "d", "e", "f");
        List<ProbeTarget> targets = pops.stream().map(p -> new ProbeTarget(p, endpoint.url(), null)).toList();
        ProbeRunner runner = runner(new ProbeConfig(targets, 10, 1000L, null, 4));
        // Ten probes of every PoP: a whole round's worth each, however slowly the machine lets them go.
        sink.await(events -> pops.stream().allMatch(pop -> events.stream()
                .filter(e -> ((IngestEvent.Latency) e).pop().equals(pop)).count() >= 10), Duration.ofSeconds(30));
        runner.close();
    }

    @Test
    void probesNeverPileUpPastTheConcurrencyLimitAndNeverRetry() throws Exception {
        // Each answer takes 400 ms: two slots hold about 5 probes a second of the 10 scheduled. The
        // timeout is long, so no probe is given up while the endpoint still holds it.
        Scripted endpoint = endpoint(n -> Fate.STALLED, 400);
        ProbeRunner runner = runner(new ProbeConfig(List.of(new ProbeTarget("fra", endpoint.url(), null)),
                20, 2000L, 2000L, 2));
        Thread.sleep(4500);
        runner.close();

        assertTrue(endpoint.maxInFlight().get() <= 2, "in flight at the endpoint: " + endpoint.maxInFlight());
        long skipped = runner.status().errorCount("skipped-busy");
        assertTrue(skipped >= 10, runner.status().toString());
        List<IngestEvent.Latency> events = sink.events(IngestEvent.Latency.class);
        assertTrue(!events.isEmpty(), "some probes were sent");
        assertTrue(events.stream().filter(e -> e.lost() == null).allMatch(e -> e.ms() >= 400), events.toString());
        assertTrue(endpoint.fates().size() >= events.size(), "one request per probe: nothing retried");
        assertTrue(endpoint.fates().size() <= events.size() + 2, "at most the two in flight at close were not handed over");
    }

    @Test
    void aConfigThatWouldFloodIsRefusedNamingTheRate() {
        List<ProbeTarget> targets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            targets.add(new ProbeTarget("p" + i, "https://p" + i + ".example.com/", "p" + i + ".example.com:443"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProbeConfig(targets, 100, 1000L, null, null));
        assertTrue(e.getMessage().contains("2400 probes/s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProbeConfig(List.of(new ProbeTarget("fra", "https://x/", null)), 20, 200L, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ProbeConfig(List.of(new ProbeTarget("fra", "ftp://x/", null)), null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ProbeTarget("fra", null, "no-port"));
        ProbeConfig defaults = new ProbeConfig(List.of(new ProbeTarget("fra", "https://fra.example.com/", null)), null, null, null, null);
        assertEquals(20, defaults.count());
        assertEquals(5000L, defaults.intervalMillis());
        assertEquals(2000L, defaults.timeoutMillis());
        assertEquals(4, defaults.maxConcurrent());
    }

}
