package io.edgedeck.simulator.connectors.probe;

import io.edgedeck.engine.metrics.Rfc3550Jitter;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.connectors.Connector;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.SinkRefusedException;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Probes each configured PoP SmokePing-style (see {@link ProbeConfig}) and hands every probe to the
 * node as a {@link IngestEvent.Latency} with {@code source: probe}: its latency, or {@code lost}
 * (with the HTTP status when one came). Consecutive probes of one target and kind are sent at a fixed
 * spacing, so the node's RFC 3550 jitter over them, like {@link ProbeRound#jitterMs()} here, is the
 * target's own jitter.
 *
 * <p>Threads: one scheduler thread ({@code edgedeck-probes}) times the probes; each probe runs on a
 * virtual thread, bounded by {@code maxConcurrent}; none runs on the engine thread. An HTTP probe
 * measures the time to the response headers over a kept-alive connection (what a player's request
 * sees of the PoP); a TCP probe measures the connect alone, the name resolved beforehand.
 */
public final class ProbeRunner implements Connector {
    public static final String KIND = "probes";
    /** The one probe runner's name among the sources. */
    public static final String NAME = "probes";
    /** Every HTTP probe carries its observation's id here, so the target's own logs can tell probes apart. */
    public static final String PROBE_HEADER = "X-EdgeDeck-Probe";

    private final ProbeConfig config;
    private final EventSink sink;
    private final InstantSource clock;
    private final ConnectorCounters counters;
    private final Semaphore slots;
    private final OkHttpClient http;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private volatile boolean closed;

    public ProbeRunner(ProbeConfig config, EventSink sink, InstantSource clock) {
        this.config = config;
        this.sink = sink;
        this.clock = clock;
        this.counters = new ConnectorCounters(KIND, NAME, clock, SourceState.STOPPED, "not started");
        this.slots = new Semaphore(config.maxConcurrent());
        Duration timeout = Duration.ofMillis(config.timeoutMillis());
        this.http = new OkHttpClient.Builder()
                .callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
                // A retried probe would hide the loss it is there to see.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .connectionPool(new ConnectionPool(config.maxConcurrent(), 30, TimeUnit.SECONDS))
                .build();
        for (ProbeTarget t : config.targets()) {
            if (t.url() != null) {
                streams.put(t.pop() + "/http", new Stream(t, "http"));
            }
            if (t.tcp() != null) {
                streams.put(t.pop() + "/tcp", new Stream(t, "tcp"));
            }
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgedeck-probes");
            t.setDaemon(true);
            return t;
        });
        workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("edgedeck-probe-", 0).factory());
        counters.rounds(List.of(), plan());
        scheduler.scheduleAtFixedRate(this::startRound, 0, config.intervalMillis(), TimeUnit.MILLISECONDS);
    }

    private String plan() {
        return String.format(Locale.ROOT, "probing %d PoPs: %d probes every %.1f s each",
                config.targets().size(), config.count(), config.intervalMillis() / 1000.0);
    }

    /**
     * The why names every target whose newest round lost each probe it sent, with the newest failure: the runner
     * works, but "probing 3 PoPs" alone would read as three PoPs answering while one answers nothing.
     */
    private void describeRounds() {
        synchronized (counters) {
            if (closed) {
                return;
            }
            // The PoPs that answer nothing first: the row shows two lines, and they are what needs a look.
            StringBuilder why = new StringBuilder();
            List<String> unanswered = new ArrayList<>();
            for (Stream s : streams.values()) {
                synchronized (s) {
                    if (s.last != null && s.last.sent() > 0 && s.last.lost() == s.last.sent()) {
                        unanswered.add(s.target.pop() + " (" + s.kind + ")");
                        why.append("no answer from ").append(s.target.pop()).append(" (").append(s.kind).append(") in the last round");
                        if (s.lastFailure != null) {
                            why.append(": ").append(s.lastFailure);
                        }
                        why.append("; ");
                    }
                }
            }
            why.append(plan());
            counters.rounds(unanswered, why.toString());
        }
    }

    @Override
    public ConnectorCounters counters() {
        return counters;
    }

    @Override
    public SourceStatus status() {
        return counters.snapshot();
    }

    /** The newest completed round of every target and kind, in config order; any thread. */
    public List<ProbeRound> lastRounds() {
        List<ProbeRound> out = new ArrayList<>();
        for (Stream s : streams.values()) {
            synchronized (s) {
                if (s.last != null) {
                    out.add(s.last);
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
            // Probes in flight finish (within their timeout) but are no longer handed over.
            workers.shutdown();
            try {
                workers.awaitTermination(config.timeoutMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        counters.state(SourceState.STOPPED, "stopped by the node");
    }

    /**
     * Scheduler thread: lays out one round's probes evenly over the interval, each stream's offset by
     * its share of the spacing, so the streams take the slots in turn. Launched all at the same
     * instant, the first {@code maxConcurrent} streams would hold every slot at every tick and the
     * PoPs after them would never be probed.
     */
    private void startRound() {
        long start = clock.millis();
        double spacing = (double) config.intervalMillis() / config.count();
        double stagger = spacing / streams.size();
        int k = 0;
        for (Stream s : streams.values()) {
            Round r = new Round(start, config.count());
            double offset = k++ * stagger;
            for (int i = 0; i < config.count(); i++) {
                int index = i;
                scheduler.schedule(() -> launch(s, r, index), Math.round(index * spacing + offset), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Scheduler thread: sends one probe if a slot is free, else skips it (never queues). */
    private void launch(Stream stream, Round round, int index) {
        if (!slots.tryAcquire()) {
            counters.error("skipped-busy", "all " + config.maxConcurrent() + " probe slots were busy; a probe to "
                    + stream.target.pop() + " (" + stream.kind + ") was skipped");
            finish(stream, round, index, null);
            return;
        }
        try {
            workers.execute(() -> {
                Result result;
                try {
                    result = "http".equals(stream.kind) ? probeHttp(stream.target, eventId(stream, round, index))
                            : probeTcp(stream.target);
                } finally {
                    slots.release();
                }
                deliver(stream, round, index, result);
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            slots.release();
        }
    }

    private record Result(long atMillis, double ms, boolean lost, Integer status, String reason, String detail) {
    }

    private Result probeHttp(ProbeTarget target, String id) {
        long at = clock.millis();
        Request request = new Request.Builder().url(target.url()).header("User-Agent", "EdgeDeck-probe/1")
                .header("Cache-Control", "no-cache").header(PROBE_HEADER, id).build();
        long t0 = System.nanoTime();
        try (Response response = http.newCall(request).execute()) {
            double ms = (System.nanoTime() - t0) / 1e6;
            if (response.code() >= 400) {
                return new Result(at, ms, true, response.code(), "bad-status", target.shownUrl() + " answered " + response.code());
            }
            return new Result(at, ms, false, response.code(), null, null);
        } catch (IOException e) {
            return failed(at, target.pop(), target.shownUrl(), e);
        }
    }

    private Result probeTcp(ProbeTarget target) {
        long at = clock.millis();
        InetAddress address;
        try {
            address = InetAddress.getByName(target.tcpHost());
        } catch (UnknownHostException e) {
            return failed(at, target.pop(), target.tcp(), e);
        }
        try (Socket socket = new Socket()) {
            long t0 = System.nanoTime();
            socket.connect(new InetSocketAddress(address, target.tcpPort()), (int) (long) config.timeoutMillis());
            return new Result(at, (System.nanoTime() - t0) / 1e6, false, null, null, null);
        } catch (IOException e) {
            return failed(at, target.pop(), target.tcp(), e);
        }
    }

    private Result failed(long at, String pop, String what, IOException e) {
        String reason;
        String detail;
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            reason = "timeout";
            detail = what + " did not answer within " + config.timeoutMillis() + " ms";
        } else if (e instanceof UnknownHostException) {
            reason = "unresolved-host";
            detail = "the host of " + what + " does not resolve";
        } else if (e instanceof ConnectException) {
            reason = "connect-failed";
            detail = "could not connect to " + what + ": " + e.getMessage();
        } else {
            reason = "dropped";
            detail = what + " closed the connection without an answer: " + e.getMessage();
        }
        return new Result(at, Double.NaN, true, null, reason, detail + " (PoP " + pop + ")");
    }

    /** Probe thread: hands the probe to the node, then adds it to its round. */
    private void deliver(Stream stream, Round round, int index, Result r) {
        if (closed) {
            return;
        }
        IngestEvent.Latency event = new IngestEvent.Latency(eventId(stream, round, index), r.atMillis, stream.target.pop(), r.lost ? null : r.ms, r.lost ? Boolean.TRUE : null, r.status, "probe");
        if (r.reason != null) {
            counters.error(r.reason, r.detail);
        }
        try {
            counters.taken(1, sink.accept(List.of(event)));
        } catch (SinkRefusedException e) {
            counters.error("node-busy", "the node did not take a probe of " + stream.target.pop() + ": " + e.getMessage());
        }
        finish(stream, round, index, r);
    }

    private static String eventId(Stream stream, Round round, int index) {
        return "probe:" + stream.target.pop() + ":" + stream.kind + ":" + round.startMillis + ":" + index;
    }

    /** Records one probe (null: skipped); when the round is complete, summarises it. */
    private void finish(Stream stream, Round round, int index, Result r) {
        synchronized (stream) {
            round.results[index] = r;
            if (++round.done < round.results.length) {
                return;
            }
            int sent = 0;
            int lost = 0;
            double[] answered = new double[round.results.length];
            int n = 0;
            for (Result each : round.results) {
                if (each == null) {
                    continue;
                }
                sent++;
                if (each.lost) {
                    lost++;
                } else {
                    answered[n++] = each.ms;
                    // In send order, so the estimate does not depend on which answer came back first.
                    stream.jitter.record(each.ms);
                }
            }
            for (Result each : round.results) {
                if (each != null && each.reason != null) {
                    String where = " (PoP " + stream.target.pop() + ")";
                    stream.lastFailure = each.detail.endsWith(where) ? each.detail.substring(0, each.detail.length() - where.length()) : each.detail;
                }
            }
            double[] sorted = Arrays.copyOf(answered, n);
            Arrays.sort(sorted);
            ProbeRound summary = new ProbeRound(stream.target.pop(), stream.kind, round.startMillis, sent, lost,
                    n == 0 ? Double.NaN : sorted[0], n == 0 ? Double.NaN : sorted[(n - 1) / 2],
                    n == 0 ? Double.NaN : sorted[n - 1], stream.jitter.value());
            // Rounds complete in order of their last probe; keep the newest round, not the newest to finish.
            if (stream.last == null || summary.startMillis() >= stream.last.startMillis()) {
                stream.last = summary;
            }
        }
        describeRounds();
    }

    /** One target and kind: its jitter estimate and newest round. Guarded by itself. */
    private static final class Stream {
        final ProbeTarget target;
        final String kind;
        final Rfc3550Jitter jitter = new Rfc3550Jitter();
        ProbeRound last;
        /** What the newest failed probe of a completed round said, naming its PoP. */
        String lastFailure;

        Stream(ProbeTarget target, String kind) {
            this.target = target;
            this.kind = kind;
        }
    }

    /** The probes of one round of one stream, filled in as they finish. Guarded by its stream. */
    private static final class Round {
        final long startMillis;
        final Result[] results;
        int done;

        Round(long startMillis, int count) {
            this.startMillis = startMillis;
            this.results = new Result[count];
        }
    }
}
