package io.edgedeck.simulator.connectors.probe;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PoPs answering HTTP probes on loopback, each after its own base delay plus a small varying step
 * (so its probes have jitter): {@code /fra} answers after 8, 11, 14, 17, 8... ms for a base of 8.
 */
public final class LoopbackProbeTargets implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger answered = new AtomicInteger();

    /** @param baseMs each PoP's base delay, ms; every answer adds 0, 3, 6 or 9 ms in turn */
    public LoopbackProbeTargets(Map<String, Integer> baseMs) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        baseMs.forEach((pop, base) -> server.createContext("/" + pop, exchange -> {
            int n = answered.incrementAndGet();
            try {
                Thread.sleep(base + (n % 4) * 3L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
            exchange.close();
        }));
        server.start();
    }

    /** The URL that answers for {@code pop}. */
    public String url(String pop) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + pop;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
