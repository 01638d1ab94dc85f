package io.edgedeck.client.http;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.Problem;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The Edge Control API's calls: one REST request each, answered as a value or as an
 * {@link EdgeException} whose kind and field come from the node's problem document. A mutation
 * carries a fresh {@code Idempotency-Key}; when the network fails it is sent once more with the
 * same key, so the node applies it at most once, within what is left of the call's timeout: a call
 * never waits longer than its timeout, and one that used it all (no answer in time) is not sent again. While the frame stream is not online, calls are
 * refused at once rather than queued.
 *
 * <p>Threads: futures complete on OkHttp's dispatcher threads; nothing here blocks the caller.
 * The token goes only into the {@code Authorization} header.
 */
final class ControlClient {
    private static final Logger LOG = LoggerFactory.getLogger(ControlClient.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final HttpUrl api;
    private final String authorization;
    private final OkHttpClient http;
    private final ObjectMapper json;
    private final Supplier<ConnectionStatus> status;
    private final java.util.function.LongSupplier streamOpens;
    private final Refused tokenRefused;
    private volatile boolean closed;

    /**
     * @param status       the connection's status now: calls are sent only while it is online
     * @param streamOpens  how many times the frame stream has opened so far: each call notes it when sent
     * @param tokenRefused called when the node answers 401 (a 403 is a role that may not, with a good token: the stream
     *                     goes on)
     */
    ControlClient(HttpUrl api, String authorization, OkHttpClient http, ObjectMapper json, Supplier<ConnectionStatus> status,
                  java.util.function.LongSupplier streamOpens, Refused tokenRefused) {
        this.api = api;
        this.authorization = authorization;
        this.http = http;
        this.json = json;
        this.status = status;
        this.streamOpens = streamOpens;
        this.tokenRefused = tokenRefused;
    }

    /** What a call refused with 401 tells the frame stream. */
    @FunctionalInterface
    interface Refused {
        /**
         * @param opensWhenSent how many times the stream had opened when the call was sent: a refusal older than the
         *                      stream open now is told as such
         * @param reason        the node's code for why (its problem's {@code reason}), or null when it gave none
         * @param nodeSaid      the node's words for why (its problem's detail), or null when it gave none
         */
        void refused(long opensWhenSent, String reason, String nodeSaid);
    }

    /** When a call was sent, as the frame stream counts its openings: kept on the request, read with its answer. */
    private record SentAt(long opens) {
    }

    JavaType type(Class<?> c) {
        return json.getTypeFactory().constructType(c);
    }

    JavaType list(Class<?> c) {
        return json.getTypeFactory().constructCollectionType(List.class, c);
    }

    /** A read: {@code GET} a path under the API. */
    <T> CompletableFuture<T> get(JavaType answer, String... segments) {
        return send("GET", segments, java.util.Map.of(), null, answer);
    }

    /** A read with query parameters, e.g. {@code ?from=0&to=60}. */
    <T> CompletableFuture<T> get(JavaType answer, java.util.Map<String, String> query, String... segments) {
        return send("GET", segments, query, null, answer);
    }

    /**
     * Sends one call.
     *
     * @param body   the JSON body; a call with a body is a mutation and carries an Idempotency-Key
     * @param answer the answer's type, or null when none is read (204)
     */
    <T> CompletableFuture<T> send(String method, String[] segments, Object body, JavaType answer) {
        return send(method, segments, java.util.Map.of(), body, answer);
    }

    /**
     * Sends one call whose answer may take up to {@code timeout} (the edge waits on others before it answers), read and
     * call timeouts both; a retry after the network failed keeps the Idempotency-Key, as every mutation's does, and waits
     * only for what is left of {@code timeout}.
     */
    <T> CompletableFuture<T> send(String method, String[] segments, Object body, JavaType answer, java.time.Duration timeout) {
        HttpUrl target = url(segments, java.util.Map.of());
        ConnectionStatus now = status.get();
        if (!now.online()) {
            return notSent(method + " " + target, now);
        }
        return dispatch(http.newBuilder().callTimeout(timeout).readTimeout(timeout).build(), method, target, body, answer);
    }

    /**
     * A read of something the frame stream does not carry and its state does not speak for (the fleet's
     * health at an aggregator): sent while the stream is online or reconnecting, refused only once the
     * connection is closed or its token refused. Nothing is changed by it, so nothing is lost if it fails.
     */
    <T> CompletableFuture<T> getUnlessOffline(JavaType answer, String... segments) {
        ConnectionStatus now = status.get();
        return getUnless(closed || now.state() == ConnectionStatus.State.OFFLINE, now.detail(), answer, segments);
    }

    /**
     * A read the node's read key may make too (sources, trigger audit, the node's build). With {@code diagnostic}
     * (the stream gave up because the key may not read the show, which opens these) it is sent though the stream is
     * offline, refused only once the connection is closed; otherwise it is a read like any other ({@link #get}),
     * sent only while the stream is online.
     */
    <T> CompletableFuture<T> read(boolean diagnostic, JavaType answer, String... segments) {
        if (!diagnostic) {
            return get(answer, segments);
        }
        return getUnless(closed, "the connection is closed", answer, segments);
    }

    /** {@code GET} of a path under the API, unless {@code refused}: then failed at once, saying {@code why} it was not sent. */
    private <T> CompletableFuture<T> getUnless(boolean refused, String why, JavaType answer, String... segments) {
        HttpUrl target = url(segments, java.util.Map.of());
        if (refused) {
            return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.UNREACHABLE,
                    "GET " + target + " was not sent: " + why));
        }
        return dispatch("GET", target, null, answer);
    }

    /**
     * Whether {@code GET} of a path under the API answers 2xx, asked once and waited for (within the
     * call timeout): how a connection learns what the edge serves. A refusal, a timeout or an unreachable
     * edge is false. Blocking: never on the FX thread.
     */
    boolean answersNow(String... segments) {
        Request request = new Request.Builder().url(url(segments, java.util.Map.of())).header("Authorization", authorization)
                .get().build();
        try (Response response = http.newCall(request).execute()) {
            return response.isSuccessful();
        } catch (IOException e) {
            LOG.info("GET {} could not be asked ({})", request.url(), FrameStream.describe(e));
            return false;
        }
    }

    /**
     * {@code GET} of {@code target}, a path outside the API that needs no token ({@code /healthz}), sent
     * whatever the frame stream's state: its status and body whatever the status. Fails only when the
     * node could not be asked ({@link EdgeException.Kind#UNREACHABLE}, the I/O error as its cause: a
     * refused connection or a timeout); not retried, so the caller can tell the two apart.
     */
    CompletableFuture<io.edgedeck.client.model.NodeHealth> probe(HttpUrl target) {
        String where = "GET " + target;
        CompletableFuture<io.edgedeck.client.model.NodeHealth> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new EdgeException(EdgeException.Kind.UNREACHABLE, where + " was not sent: the connection is closed"));
            return result;
        }
        http.newCall(new Request.Builder().url(target).get().build()).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                result.completeExceptionally(new EdgeException(EdgeException.Kind.UNREACHABLE, null,
                        where + " failed: " + FrameStream.describe(e), e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    result.complete(new io.edgedeck.client.model.NodeHealth(response.code(), body == null ? "" : body.string()));
                } catch (IOException e) {
                    result.completeExceptionally(new EdgeException(EdgeException.Kind.UNREACHABLE, null,
                            where + ": the answer was cut off: " + FrameStream.describe(e), e));
                }
            }
        });
        return result;
    }

    private HttpUrl url(String[] segments, java.util.Map<String, String> query) {
        HttpUrl.Builder url = api.newBuilder();
        for (String s : segments) {
            url.addPathSegment(s);
        }
        query.forEach(url::addQueryParameter);
        return url.build();
    }

    private <T> CompletableFuture<T> send(String method, String[] segments, java.util.Map<String, String> query, Object body,
                                          JavaType answer) {
        HttpUrl target = url(segments, query);
        String where = method + " " + target;
        ConnectionStatus now = status.get();
        if (!now.online()) {
            return notSent(where, now);
        }
        return dispatch(method, target, body, answer);
    }

    private static <T> CompletableFuture<T> notSent(String where, ConnectionStatus now) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.UNREACHABLE, null,
                where + " was not sent: not connected (" + now.detail() + ")",
                "the node cannot be reached (" + now.detail() + "), so nothing was sent", null, 0, false));
    }

    private <T> CompletableFuture<T> dispatch(String method, HttpUrl target, Object body, JavaType answer) {
        return dispatch(http, method, target, body, answer);
    }

    private <T> CompletableFuture<T> dispatch(OkHttpClient http, String method, HttpUrl target, Object body, JavaType answer) {
        String where = method + " " + target;
        Request.Builder request = new Request.Builder().url(target).header("Authorization", authorization)
                .tag(SentAt.class, new SentAt(streamOpens.getAsLong()));
        if (body == null) {
            request.method(method, null);
        } else {
            try {
                request.method(method, RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.INVALID, null,
                        where + " was not sent: the request could not be written as JSON: " + e.getMessage(), e));
            }
            request.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        // The call's timeout covers its retry too: the caller waits no longer than it said, however the first try failed.
        OptionalLong deadline = http.callTimeoutMillis() == 0 ? OptionalLong.empty()
                : OptionalLong.of(System.nanoTime() + http.callTimeoutMillis() * 1_000_000L);
        enqueue(http, request.build(), where, answer, result, deadline, false, false);
        return result;
    }

    /** Shorter than this left of a call's timeout, a try is not worth making: the call fails as the last try did. */
    static final long LEAST_LEFT_MILLIS = 250;

    /**
     * Sends {@code request}; when the network fails, once more with what is left until {@code deadline} ({@code nanoTime};
     * empty for a call with no timeout, which may be sent once more whatever the time), or not at all when little is left.
     * {@code retry}: this is the once more; {@code sentBefore}: the try before it may have reached the node, so the call
     * was sent whatever becomes of this one.
     */
    private <T> void enqueue(OkHttpClient http, Request request, String where, JavaType answer, CompletableFuture<T> result,
                             OptionalLong deadline, boolean retry, boolean sentBefore) {
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                // A refused connection or an unknown host: this try never left this machine.
                boolean sentNow = !(e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException);
                long leftMillis = deadline.isEmpty() ? Long.MAX_VALUE : (deadline.getAsLong() - System.nanoTime()) / 1_000_000;
                if (!retry && !closed && leftMillis >= LEAST_LEFT_MILLIS) {
                    LOG.info("{} failed ({}); trying once more", where, FrameStream.describe(e));
                    OkHttpClient within = deadline.isEmpty() ? http : http.newBuilder().callTimeout(Duration.ofMillis(leftMillis))
                            .readTimeout(Duration.ofMillis(Math.min(leftMillis, http.readTimeoutMillis() == 0 ? leftMillis
                                    : http.readTimeoutMillis()))).build();
                    enqueue(within, request, where, answer, result, deadline, true, sentNow);
                    return;
                }
                // A read changed nothing; a change may have reached the node before its answer was lost.
                String changed = "GET".equals(request.method()) ? "" : "; it may or may not have been applied, check the audit log";
                // Sent if any try was: the first may have reached the node (and been applied) though the retry was refused.
                boolean sent = sentBefore || sentNow;
                String earlier = sentBefore && !sentNow ? " (its first try was sent)" : "";
                result.completeExceptionally(new EdgeException(EdgeException.Kind.UNREACHABLE, null,
                        where + " failed: " + FrameStream.describe(e) + earlier + (sent ? changed : "; it was not sent"), null, e, 0,
                        sent));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    result.complete(read(response, where, answer));
                } catch (EdgeException e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(new EdgeException(EdgeException.Kind.BAD_DATA, null,
                            where + ": could not read the answer: " + e.getMessage(), e));
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private <T> T read(Response response, String where, JavaType answer) {
        String text;
        try {
            ResponseBody body = response.body();
            text = body == null ? "" : body.string();
        } catch (IOException e) {
            throw new EdgeException(EdgeException.Kind.UNREACHABLE, null, where + ": the answer was cut off: "
                    + FrameStream.describe(e), e);
        }
        // 202 is an answer of its own for a change request, and for a fleet cue some node has not taken yet.
        if (response.code() == 202 && (answer == null
                || !(answer.hasRawClass(ChangeRequest.class) || answer.hasRawClass(io.edgedeck.client.model.FleetCueFired.class)))) {
            throw held(text, where);
        }
        if (response.isSuccessful()) {
            if (answer == null || response.code() == 204) {
                return null;
            }
            if (answer.hasRawClass(String.class)) {
                return (T) text; // a download (the audit's JSON lines), kept as the node wrote it
            }
            try {
                return (T) json.readValue(text, answer);
            } catch (IOException e) {
                throw new EdgeException(EdgeException.Kind.BAD_DATA, null, where + " answered with something that is not "
                        + answer.toCanonical().replaceAll(".*\\.", "") + " JSON: " + firstLine(e.getMessage()), e);
            }
        }
        Problem problem = null;
        try {
            problem = json.readValue(text, Problem.class);
        } catch (IOException | RuntimeException ignored) {
            // not a problem document: the status alone says what happened
        }
        String detail = problem != null && problem.detail() != null && !problem.detail().isBlank() ? problem.detail() : null;
        String field = problem != null ? problem.field() : null;
        EdgeException.Kind kind = switch (response.code()) {
            case 400, 422 -> EdgeException.Kind.INVALID;
            case 401 -> EdgeException.Kind.UNAUTHORISED;
            case 403 -> EdgeException.Kind.FORBIDDEN;
            case 404 -> EdgeException.Kind.NOT_FOUND;
            case 409 -> EdgeException.Kind.CONFLICT;
            case 413 -> EdgeException.Kind.TOO_LARGE;
            case 502, 503, 504 -> EdgeException.Kind.UNREACHABLE;
            default -> EdgeException.Kind.BAD_DATA;
        };
        if (kind == EdgeException.Kind.UNAUTHORISED) {
            SentAt sent = response.request().tag(SentAt.class);
            tokenRefused.refused(sent != null ? sent.opens() : streamOpens.getAsLong(), problem != null ? problem.reason() : null, detail);
        }
        throw new EdgeException(kind, field, where + " was refused (HTTP " + response.code() + "): "
                + (detail != null ? detail : "no details"), detail, null, response.code(), true);
    }

    /** A change the node's approval lanes held back, as the failure of the call that asked for it. */
    private EdgeException held(String text, String where) {
        try {
            ChangeRequest r = json.readValue(text, ChangeRequest.class);
            return new EdgeException(r, where + " did not apply yet: it waits for another person's"
                    + " approval as change request #" + r.id() + " (" + String.join("; ", r.risks()) + ")");
        } catch (IOException | RuntimeException e) {
            return new EdgeException(EdgeException.Kind.BAD_DATA, null, where + " answered 202 without a change request: "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Stops retrying and releases the dispatcher's threads and pooled sockets. */
    void close() {
        closed = true;
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
