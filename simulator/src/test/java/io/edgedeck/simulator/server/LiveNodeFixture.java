package io.edgedeck.simulator.server;

import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A live node on loopback for a test, started from a node config's JSON on a data directory that
 * outlives it (so the test can stop it and start it again on the same data), and an HTTP client
 * that speaks to it with a bearer token.
 */
final class LiveNodeFixture implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String config;
    private final Path dir;
    private final double rate;
    private final EdgeNode.Config given;
    private EdgeNode node;

    LiveNodeFixture(String configJson, Path dir) {
        this(configJson, dir, 1);
    }

    /** A node whose clock runs {@code rate} times the wall clock's pace (as {@code serve --live --speed N}). */
    LiveNodeFixture(String configJson, Path dir, double rate) {
        this.config = configJson;
        this.dir = dir;
        this.rate = rate;
        this.given = null;
    }

    /** A node started as {@code given} says: a rehearsal, say, rather than a live node. */
    LiveNodeFixture(EdgeNode.Config given) {
        this.config = null;
        this.dir = given.dataDir();
        this.rate = given.speed();
        this.given = given;
    }

    /** Starts the node (again, after {@link #stopNode}) on the data directory. */
    EdgeNode start() throws Exception {
        if (given != null) {
            node = EdgeNode.start(given);
            return node;
        }
        NodeConfig parsed = NodeConfigParser.parse(config.getBytes(StandardCharsets.UTF_8));
        node = EdgeNode.start(EdgeNode.Config.live(parsed, InetAddress.getLoopbackAddress(), 0, dir, rate));
        return node;
    }

    EdgeNode node() {
        return node;
    }

    /** Closes the node as an operator's stop does; its data directory stays. */
    void stopNode() {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    /** A token or key file of the node's data directory, such as {@code token} or {@code ingest-key}. */
    String key(String file) throws Exception {
        return Files.readString(node.dataDir().resolve(file)).trim();
    }

    HttpRequest request(String method, String path, String bearer, String body) {
        return HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        return http.send(request(method, path, bearer, body), HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    /** One PoP of the node's newest frame, as {@code GET /api/v1/frames/latest} answers it with the admin token. */
    com.fasterxml.jackson.databind.JsonNode framePop(String id) {
        try {
            HttpResponse<String> r = send("GET", "/api/v1/frames/latest", key("token"), null);
            for (com.fasterxml.jackson.databind.JsonNode pop : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("pops")) {
                if (pop.get("id").asText().equals(id)) {
                    return pop;
                }
            }
            throw new AssertionError("no PoP " + id + " in " + r.body());
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits up to 30 s for {@code condition}, failing with what it waited for. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    /** The node's core time, read on its engine thread between two ticks. */
    long engineMillis() throws Exception {
        return node.runner().submit(show -> show.core().nowMillis()).get(20, TimeUnit.SECONDS);
    }

    /**
     * Waits up to 30 s until the node's core has ended every tick before engine time {@code millis}:
     * what it counts and changes from then on is placed after that time, however slowly the machine lets it tick.
     */
    void awaitEngine(long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engineMillis() < millis) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for engine time " + millis);
            Thread.sleep(5);
        }
    }

    /**
     * Holds {@code runner}'s engine thread, as a long pause or a slow machine would, until {@code release}
     * is counted down (at most 20 s), and returns once the engine is held: the future completes with
     * whether it was let go in time.
     */
    static java.util.concurrent.CompletableFuture<Boolean> holdEngine(io.edgedeck.simulator.show.ShowRunner runner,
                                                                      java.util.concurrent.CountDownLatch release)
            throws InterruptedException {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Boolean> held = runner.submit(show -> {
            busy.countDown();
            try {
                return release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        if (!busy.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the engine thread did not take the task that holds it within 10 s");
        }
        return held;
    }

    /**
     * What {@code send} answers, sent while the engine thread is held ({@link #holdEngine}): a connector's batch sent so
     * waits out its time, is answered 503, and is taken once the engine is let go, with no one to hear of it.
     */
    static <T> T whileEngineHeld(io.edgedeck.simulator.show.ShowRunner runner, java.util.concurrent.Callable<T> send)
            throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Boolean> held = holdEngine(runner, release);
        T answer;
        try {
            answer = send.call();
        } finally {
            release.countDown();
        }
        if (!held.get(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the engine was let go before its hold ran out");
        }
        return answer;
    }

    /**
     * Runs {@code chattr flag file} ({@code +i} makes a file immutable, so even root cannot write it);
     * false where it cannot be used (it needs root on a filesystem with immutable files).
     */
    static boolean chattr(String flag, Path file) throws Exception {
        return io.edgedeck.simulator.Chattr.chattr(flag, file);
    }

    /** Makes {@code file} immutable ({@code chattr +i}), or skips the test where that cannot be done; the caller undoes it. */
    static Path immutable(Path file) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", file), "chattr +i needs root on a filesystem with immutable files");
        return file;
    }

    @Override
    public void close() {
        http.close();
        stopNode();
    }
}
