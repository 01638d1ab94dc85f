package io.edgedeck.simulator.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.simulator.report.RunReport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live node as {@code load} reaches it: the admin token for the control API and the node's report,
 * the read key for OFREP, the ingest key for {@code POST /ingest/v1/events}, one lane per key as
 * the node wants. Every failure becomes a {@link LoadException} that names the node, the key and
 * what the node said; keys are never written anywhere.
 */
final class NodeClient implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final ObjectWriter EVENT = JSON.writerFor(IngestEvent.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** OFREP evaluations in flight at once. */
    private static final int IN_FLIGHT = 64;
    /** Times a batch the node could not take (429, 503) is sent again before giving up. */
    private static final int RESENDS = 20;
    /** The longest {@code Retry-After} waited out; a node asking for more is treated as not taking the show. */
    private static final long MAX_RETRY_AFTER_SECONDS = 120;
    /** Without a {@code Retry-After}, a 503 is sent again after this long. */
    private static final long RESEND_AFTER_503_MILLIS = 250;

    private final URI base;
    private final NodeKeys keys;
    private final HttpClient http;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong split = new AtomicLong();

    NodeClient(URI base, NodeKeys keys) {
        this.base = base;
        this.keys = keys;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI base() {
        return base;
    }

    /** The node's show so far ({@code GET /api/v1/report}, admin token). */
    RunReport report() throws LoadException {
        return read(send(get("/api/v1/report", keys.admin()), "the admin token", keys.adminSource()), RunReport.class);
    }

    /** The node's engine time now, in ms, as its newest frame has it ({@code GET /api/v1/frames/latest}, admin token). */
    long engineMillis() throws LoadException {
        return frame().path("engineMillis").asLong();
    }

    /** The node's newest frame ({@code GET /api/v1/frames/latest}, admin token): its clock's rate, its triggers. */
    JsonNode frame() throws LoadException {
        HttpResponse<String> r = send(get("/api/v1/frames/latest", keys.admin()), "the admin token", keys.adminSource());
        try {
            return JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new LoadException("the node at " + base + " answered GET /api/v1/frames/latest with something that is not a frame");
        }
    }

    /** Every guardrail of the node with whether it is armed ({@code GET /api/v1/guardrails}). */
    List<GuardrailStatus> guardrails() throws LoadException {
        HttpResponse<String> r = send(get("/api/v1/guardrails", keys.admin()), "the admin token", keys.adminSource());
        try {
            return JSON.readValue(r.body(), new TypeReference<List<GuardrailStatus>>() { });
        } catch (JsonProcessingException e) {
            throw new LoadException("the node at " + base + " answered GET /api/v1/guardrails with something that is not its guardrails: "
                    + e.getOriginalMessage());
        }
    }

    /** Arms or disarms a guardrail through the control API, as a producer would, with the reason in the audit. */
    void setArmed(String guardrail, boolean armed, String reason) throws LoadException {
        String path = "/api/v1/guardrails/" + URLEncoder.encode(guardrail, StandardCharsets.UTF_8) + (armed ? "/arm" : "/disarm");
        send(request(path, keys.admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("reason", reason)))).build(), "the admin token", keys.adminSource());
    }

    /**
     * What the node served a unit over OFREP: the variant (null when it served none) and the flag version it served it
     * at ({@code metadata.version}; -1 when the answer does not say). The node counts a unit's exposure once per flag
     * version (docs/LIVE.md, "Exposures from OpenFeature"), so the version says when the same variant counts again;
     * {@code counted} false when the answer's reason is {@code DEFAULT} (the flag not live at the PoP, or the unit
     * outside its scope), which the node does not count as an exposure at all.
     */
    record Served(String variant, long version, boolean counted) {
    }

    /**
     * Evaluates a flag for a unit over OFREP, as an app's OpenFeature provider would; the node counts
     * the exposure. At most {@value #IN_FLIGHT} at once; the future gives what the node served
     * ({@link Served}), or fails with a {@link LoadException}.
     */
    CompletableFuture<Served> evaluate(WireTap.Evaluation e) {
        Map<String, String> context = new java.util.LinkedHashMap<>();
        context.put("targetingKey", e.targetingKey());
        context.put("pop", e.pop());
        context.put("region", e.region());
        context.put("tenant", e.tenant());
        HttpRequest request = request("/ofrep/v1/evaluate/flags/" + URLEncoder.encode(e.flag(), StandardCharsets.UTF_8), keys.read())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("context", context)))).build();
        inFlight.acquireUninterruptibly();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .exceptionallyCompose(failure -> closedBeforeAnswer(unwrapped(failure))
                        ? http.sendAsync(request, HttpResponse.BodyHandlers.ofString()) : CompletableFuture.failedFuture(failure))
                .handle((r, failure) -> {
                inFlight.release();
                try {
                    if (failure != null) {
                        throw unreachable(unwrapped(failure));
                    }
                    check(r, "POST /ofrep/v1/evaluate/flags/" + e.flag(), "the read key", keys.readSource());
                    try {
                        JsonNode answer = JSON.readTree(r.body());
                        JsonNode variant = answer.get("variant");
                        JsonNode version = answer.path("metadata").get("version");
                        return new Served(variant == null || !variant.isTextual() ? null : variant.asText(),
                                version == null || !version.canConvertToLong() ? -1 : version.asLong(),
                                !"DEFAULT".equals(answer.path("reason").asText()));
                    } catch (JsonProcessingException x) {
                        throw new LoadException("the node at " + base + " answered an OFREP evaluation of " + e.flag()
                                + " with something that is not JSON");
                    }
                } catch (LoadException x) {
                    throw new CompletionException(x);
                }
                });
    }

    /**
     * Sends one batch of events and returns once the node has made it durable and counted it. A
     * batch over the node's limits is split; 429 and 503 are waited out and the same ids sent again
     * (the node counts a re-sent id once).
     *
     * @return how many the node refused (each named in its answer)
     */
    int ingest(List<IngestEvent> batch) throws LoadException {
        StringBuilder ndjson = new StringBuilder(batch.size() * 96);
        for (IngestEvent e : batch) {
            try {
                ndjson.append(EVENT.writeValueAsString(e)).append('\n');
            } catch (JsonProcessingException x) {
                throw new IllegalStateException("an ingest event could not be written as JSON", x);
            }
        }
        HttpRequest request = request("/ingest/v1/events", keys.ingest()).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())).build();
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> r = sendRaw(request);
            if (r.statusCode() == 413 && batch.size() > 1) {
                split.incrementAndGet();
                int half = batch.size() / 2;
                return ingest(batch.subList(0, half)) + ingest(batch.subList(half, batch.size()));
            }
            if ((r.statusCode() == 429 || r.statusCode() == 503) && attempt < RESENDS) {
                // The node's Retry-After is what it asks for: waited out in full, then the same ids again.
                long wait = r.headers().firstValueAsLong("Retry-After").orElse(-1);
                if (wait > MAX_RETRY_AFTER_SECONDS) {
                    throw new LoadException("the node at " + base + " answered an ingest batch with " + r.statusCode()
                            + " and Retry-After " + wait + " s: more than the " + MAX_RETRY_AFTER_SECONDS + " s load waits");
                }
                (r.statusCode() == 429 ? rateLimited : resent).incrementAndGet();
                sleep(wait >= 0 ? wait * 1000 : r.statusCode() == 429 ? 1000 : RESEND_AFTER_503_MILLIS);
                continue;
            }
            check(r, "POST /ingest/v1/events", "the ingest key", keys.ingestSource());
            try {
                return JSON.readTree(r.body()).path("refused").size();
            } catch (JsonProcessingException e) {
                throw new LoadException("the node at " + base + " answered an ingest batch with something that is not JSON");
            }
        }
    }

    /** Batches answered 429 (over the ingest key's rate) and sent again after the node's Retry-After. */
    long rateLimited() {
        return rateLimited.get();
    }

    /** Batches answered 503 (not durable in time) and sent again. */
    long resent() {
        return resent.get();
    }

    /** Batches over the node's limits (413), split in two and sent as halves. */
    long split() {
        return split.get();
    }

    private HttpRequest.Builder request(String path, String key) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Authorization", "Bearer " + key);
    }

    private HttpRequest get(String path, String key) {
        return request(path, key).GET().build();
    }

    private HttpResponse<String> send(HttpRequest request, String key, String keySource) throws LoadException {
        HttpResponse<String> r = sendRaw(request);
        check(r, request.method() + " " + request.uri().getPath(), key, keySource);
        return r;
    }

    private HttpResponse<String> sendRaw(HttpRequest request) throws LoadException {
        for (int attempt = 0; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt > 0 || !closedBeforeAnswer(e)) {
                    throw unreachable(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadException("interrupted while waiting for the node at " + base);
            }
        }
    }

    /**
     * Whether a call failed on a connection that closed before any answer came, not for want of a
     * node or of time: most often a pooled connection the node closed after its idle timeout just as
     * it was used again (the client keeps connections longer than the node's 30 s). Such a call is
     * sent once more, on a new connection; every call this client makes may be (an evaluation counts
     * a unit once per arm, a batch's ids count once, arming twice is one change).
     */
    static boolean closedBeforeAnswer(Throwable failure) {
        return failure instanceof IOException && !(failure instanceof ConnectException) && !(failure instanceof HttpTimeoutException);
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
    }

    private LoadException unreachable(Throwable e) {
        String why = e instanceof ConnectException ? "connection refused (is 'serve --live' running there?)"
                : e instanceof HttpTimeoutException ? "no answer within " + TIMEOUT.toSeconds() + " s"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new LoadException("cannot reach the node at " + base + ": " + why, e);
    }

    private void check(HttpResponse<String> r, String call, String key, String keySource) throws LoadException {
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = detail(r.body());
        if (status == 401 || status == 403) {
            throw new LoadException("the node at " + base + " refused " + key + " from " + keySource + " (" + status + " on " + call
                    + (detail.isEmpty() ? "" : ": " + detail) + "); give the key of that node's data directory");
        }
        if (status == 404 && call.endsWith("/api/v1/report")) {
            throw new LoadException("the node at " + base + " has no GET /api/v1/report: it is not an EdgeDeck node of this version");
        }
        throw new LoadException("the node at " + base + " answered " + call + " with " + status + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** A problem document's detail, or the start of the body. */
    private static String detail(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: the body itself, shortened
        }
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private <T> T read(HttpResponse<String> r, Class<T> type) throws LoadException {
        try {
            return JSON.readValue(r.body(), type);
        } catch (JsonProcessingException e) {
            throw new LoadException("the node at " + base + " answered " + r.request().uri().getPath() + " with something that is not "
                    + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) throws LoadException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
