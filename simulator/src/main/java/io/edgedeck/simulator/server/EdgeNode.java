package io.edgedeck.simulator.server;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.ofrep.OfrepEvaluator;
import io.edgedeck.simulator.prometheus.PrometheusExposition;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A headless edge node: a show playing on the engine thread, its journal on disk, and the HTTP API
 * in front of it. A node started again on the same data directory picks up where the journal ends:
 * flags, guardrails, audit, faults and queued checkouts come back.
 *
 * <p>Data directory layout: {@code token} (the bearer token, owner-only) and {@code journal.jsonl}.
 */
public final class EdgeNode implements AutoCloseable {
    /** Frames kept for clients that resume a dropped stream: one minute of a 250 ms cadence. */
    public static final int RING_FRAMES = 240;
    private static final long IDEMPOTENCY_TTL_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final int IDEMPOTENCY_MAX_KEYS = 10_000;

    /**
     * How to start a node.
     *
     * @param speed engine seconds per wall second; {@link ShowRunner#MAX_SPEED} for as fast as possible
     * @param port  0 for any free port
     */
    public record Config(ShowDefinition show, double speed, InetAddress bind, int port, Path dataDir) {
    }

    /** The node cannot start with what it was given (a journal of another show, an unreadable data dir). */
    public static final class StartException extends Exception {
        public StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final FileJournal journal;
    private final ShowRunner runner;
    private final RehearsalConnection engine;
    private final ApiServer api;
    private final NodeToken token;
    private final NodeToken readKey;
    private final boolean restored;

    private EdgeNode(FileJournal journal, RehearsalConnection engine, ApiServer api, NodeToken token,
                     NodeToken readKey, boolean restored) {
        this.journal = journal;
        this.runner = engine.runner();
        this.engine = engine;
        this.api = api;
        this.token = token;
        this.readKey = readKey;
        this.restored = restored;
    }

    /** Opens the data directory, restores or starts the show, and starts serving. */
    public static EdgeNode start(Config config) throws StartException, IOException {
        Path dir = config.dataDir().toAbsolutePath();
        Files.createDirectories(dir);
        NodeToken token = NodeToken.loadOrCreate(dir.resolve("token"));
        NodeToken readKey = NodeToken.loadOrCreate(dir.resolve("read-key"));
        FileJournal journal;
        try {
            journal = FileJournal.open(dir.resolve("journal.jsonl"));
        } catch (IOException e) {
            throw new StartException("cannot open the journal in " + dir + ": " + e.getMessage(), e);
        }
        boolean restored = journal.nextSeq() > 1;
        ShowRunner runner = null;
        try {
            checkSameShow(journal, config.show(), dir);
            Show show = new Show(config.show(), journal);
            runner = new ShowRunner(show, config.speed());
            FrameRing ring = new FrameRing(RING_FRAMES);
            runner.subscribe(ring::add);
            // The in-process connection the console rehearses with: the API shares its rules and error kinds.
            RehearsalConnection engine = new RehearsalConnection(runner);
            IdempotencyCache idempotency = new IdempotencyCache(IDEMPOTENCY_MAX_KEYS, IDEMPOTENCY_TTL_MILLIS,
                    System::currentTimeMillis);
            ShowRunner playing = runner;
            OfrepEvaluator ofrep = new OfrepEvaluator(show.core().experiments()::snapshot, config.show().scenario().pops()
                    .stream().collect(java.util.stream.Collectors.toMap(PopSpec::id, PopSpec::region)));
            ApiServer.ReadOnly readOnly = new ApiServer.ReadOnly(ofrep,
                    () -> playing.submit(s -> PrometheusExposition.render(s, playing.latest())), readKey);
            ApiServer api = new ApiServer(engine, runner::latest, ring, token, idempotency,
                    new InetSocketAddress(config.bind(), config.port()), readOnly);
            EdgeNode node = new EdgeNode(journal, engine, api, token, readKey, restored);
            runner.start();
            api.start();
            return node;
        } catch (IllegalArgumentException e) {
            closeQuietly(runner, journal);
            throw new StartException("the journal in " + dir + " cannot be replayed for this show: " + e.getMessage(), e);
        } catch (StartException | IOException | RuntimeException e) {
            closeQuietly(runner, journal);
            throw e;
        }
    }

    /**
     * A journal belongs to one show and seed; replaying it under another would mix two shows'
     * state. The engine checks the scenario; the seed is checked here too.
     */
    private static void checkSameShow(FileJournal journal, ShowDefinition show, Path dir) throws StartException {
        if (journal.records().isEmpty() || !(journal.records().getFirst() instanceof JournalRecord.ShowStarted started)) {
            return;
        }
        if (!started.scenario().equals(show.name()) || started.seed() != show.seed()) {
            throw new StartException("the data directory " + dir + " holds the journal of show '" + started.scenario()
                    + "' (seed " + started.seed() + "), not '" + show.name() + "' (seed " + show.seed()
                    + "): start with --scenario " + started.scenario() + " --seed " + started.seed()
                    + ", or use another --data-dir", null);
        }
    }

    private static void closeQuietly(ShowRunner runner, FileJournal journal) {
        if (runner != null) {
            runner.close();
        }
        try {
            journal.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** Where the API answers, e.g. {@code http://127.0.0.1:8787}. */
    public URI baseUri() {
        InetSocketAddress a = api.address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort());
    }

    public int port() {
        return api.address().getPort();
    }

    public Path tokenFile() {
        return token.file();
    }

    /** Something about the token file the operator should hear, or null. */
    /** The read-only key for OFREP evaluation and /metrics scrapes. */
    public Path readKeyFile() {
        return readKey.file();
    }

    public String tokenWarning() {
        return token.warning();
    }

    /** True when the node found a journal and rebuilt its state from it. */
    public boolean restored() {
        return restored;
    }

    public ShowRunner runner() {
        return runner;
    }

    public MetricsFrame latestFrame() {
        return runner.latest();
    }

    /** Stops serving, stops the engine and closes the journal. Idempotent. */
    @Override
    public void close() {
        api.close();
        runner.close();
        engine.close();
        try {
            journal.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not close the journal " + journal.file(), e);
        }
    }
}
