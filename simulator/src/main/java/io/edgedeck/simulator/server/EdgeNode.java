package io.edgedeck.simulator.server;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.engine.ingest.IngestLimits;
import io.edgedeck.engine.ingest.KeyedIntake;
import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.simulator.connectors.ConnectorMetrics;
import io.edgedeck.simulator.connectors.Connectors;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.server.sources.DiagnosticsApi;
import io.edgedeck.simulator.server.sources.IntakeSink;
import io.edgedeck.simulator.server.sources.PushLane;
import io.edgedeck.simulator.server.sources.SourceRegistry;
import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.server.control.ControlApi;
import io.edgedeck.simulator.server.control.EngineCommands;
import io.edgedeck.simulator.server.control.Idempotency;
import io.edgedeck.simulator.server.control.ShowControl;
import io.edgedeck.simulator.server.http.HttpLimits;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeHttpServer;
import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.http.PemTls;
import io.edgedeck.simulator.server.http.Router;
import io.edgedeck.simulator.server.ingest.IngestExposition;
import io.edgedeck.simulator.server.ingest.IngestLane;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.server.metrics.MetricsLane;
import io.edgedeck.simulator.server.metrics.PrometheusExposition;
import io.edgedeck.simulator.server.ofrep.OfrepEvaluator;
import io.edgedeck.simulator.server.operators.OperatorStore;
import io.edgedeck.simulator.server.operators.Operators;
import io.edgedeck.simulator.server.ofrep.OfrepLane;
import io.edgedeck.simulator.server.stream.FrameRing;
import io.edgedeck.simulator.server.stream.FrameStream;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A headless edge node: a show playing on the engine thread, its journal on disk, and the HTTP
 * lanes in front of it. This class only wires them; each lane is its own class: health (here),
 * the control API and its idempotency and command fate ({@code control/}), the frame stream
 * ({@code stream/}), OFREP ({@code ofrep/}), metrics ({@code metrics/}), all behind one router and
 * server ({@code http/}). A node started again on the same data directory picks up where the
 * journal ends: flags, guardrails, audit, faults and queued checkouts come back.
 *
 * <p>Data directory layout: {@code node.lock} (held while a node runs; its pid inside),
 * {@code token} (the admin token, owner-only), {@code read-key} (owner-only), {@code journal.jsonl},
 * and, once someone has been given a token of their own, {@code operators.json} (their token hashes
 * and roles, owner-only) and {@code operators.lock}; a live node adds {@code ingest-key} (owner-only),
 * {@code ingest.log} (every acknowledged batch) and {@code live-epoch} (the wall-clock instant its
 * engine time counts from).
 */
public final class EdgeNode implements AutoCloseable {
    /** Frames kept for clients that resume a dropped stream: one minute of a 250 ms cadence. */
    public static final int RING_FRAMES = 240;
    /** Frame streams open at once. */
    public static final int MAX_STREAMS = 64;
    private static final Duration IDEMPOTENCY_REMEMBERED = Duration.ofMinutes(10);
    private static final int IDEMPOTENCY_MAX_KEYS = 10_000;
    /** How long an admitted command's outcome is awaited: it runs within one engine tick. */
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(30);
    /** How often the show's position is journaled while it runs: a restart resumes the show clock there. */
    public static final Duration CLOCK_JOURNALED_EVERY = Duration.ofSeconds(1);
    /** A live node's write-only ingest key, and its log of every batch it acknowledged. */
    static final String INGEST_KEY = "ingest-key";
    static final String INGEST_LOG = "ingest.log";
    /** How long a connector's batch waits for the engine before it is refused (and resent by its connector). */
    private static final Duration SINK_WAIT = Duration.ofSeconds(10);

    /**
     * How to start a node.
     *
     * @param speed         engine seconds per wall second; {@link ShowRunner#MAX_SPEED} for as fast as possible
     * @param port          0 for any free port
     * @param tls           the PEM certificate chain and key to serve HTTPS with, or null for plain HTTP
     * @param limits        what one caller may cost the node
     * @param actionTimeout how long a command may wait for the engine before it is cancelled (503)
     */
    public record Config(ShowDefinition show, double speed, InetAddress bind, int port, Path dataDir, Tls tls,
                         HttpLimits limits, Duration actionTimeout, ConnectorsConfig connectors, NodeConfig live) {

        public Config {
            connectors = connectors == null ? ConnectorsConfig.NONE : connectors;
        }

        public Config(ShowDefinition show, double speed, InetAddress bind, int port, Path dataDir) {
            this(show, speed, bind, port, dataDir, null, HttpLimits.defaults(), Duration.ofSeconds(10), ConnectorsConfig.NONE, null);
        }

        /**
         * A live node: no simulated audience or edge, the wall clock, observations from its ingest
         * API and OFREP evaluations.
         */
        public static Config live(NodeConfig node, InetAddress bind, int port, Path dataDir) {
            return new Config(new ShowDefinition(node.show(), node.show().seed()), 1, bind, port, dataDir, null,
                    HttpLimits.defaults(), Duration.ofSeconds(10), ConnectorsConfig.NONE, node);
        }

        public Config withTls(Tls files) {
            return new Config(show, speed, bind, port, dataDir, files, limits, actionTimeout, connectors, live);
        }

        public Config withLimits(HttpLimits other) {
            return new Config(show, speed, bind, port, dataDir, tls, other, actionTimeout, connectors, live);
        }

        public Config withActionTimeout(Duration timeout) {
            return new Config(show, speed, bind, port, dataDir, tls, limits, timeout, connectors, live);
        }

        /** The sources the node runs besides its show (docs/CONNECTORS.md). */
        public Config withConnectors(ConnectorsConfig sources) {
            return new Config(show, speed, bind, port, dataDir, tls, limits, actionTimeout, sources, live);
        }
    }

    /** The PEM files a node serves HTTPS with. */
    public record Tls(Path certificate, Path privateKey) {
    }

    /** The node cannot start with what it was given: another node holds the directory, a journal of another show, bad TLS files. */
    public static final class StartException extends Exception {
        public StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final DataDirectoryLock lock;
    private final FileJournal journal;
    private final ShowRunner runner;
    private final RehearsalConnection engine;
    private final FrameRing ring;
    private final NodeHttpServer http;
    private final NodeToken token;
    private final NodeToken readKey;
    private final NodeToken ingestKey;
    private final LiveIntake intake;
    private final boolean restored;
    private final Path dataDir;
    private final SourceRegistry sources;
    private final Connectors connectors;

    private EdgeNode(DataDirectoryLock lock, FileJournal journal, RehearsalConnection engine, FrameRing ring,
                     NodeHttpServer http, NodeToken token, NodeToken readKey, NodeToken ingestKey, LiveIntake intake,
                     boolean restored, Path dataDir, SourceRegistry sources, Connectors connectors) {
        this.lock = lock;
        this.journal = journal;
        this.runner = engine.runner();
        this.engine = engine;
        this.ring = ring;
        this.http = http;
        this.token = token;
        this.readKey = readKey;
        this.ingestKey = ingestKey;
        this.intake = intake;
        this.restored = restored;
        this.dataDir = dataDir;
        this.sources = sources;
        this.connectors = connectors;
    }

    /** Takes the data directory, restores or starts the show, and starts serving. */
    public static EdgeNode start(Config config) throws StartException, IOException {
        Path dir = config.dataDir().toAbsolutePath();
        Files.createDirectories(dir);
        DataDirectoryLock lock;
        try {
            lock = DataDirectoryLock.acquire(dir);
        } catch (DataDirectoryLock.HeldException e) {
            throw new StartException(e.getMessage(), e);
        }
        FileJournal journal = null;
        ShowRunner runner = null;
        LiveIntake intake = null;
        Connectors connectors = null;
        FrameRing ring = new FrameRing(RING_FRAMES);
        try {
            var tls = config.tls() == null ? null : PemTls.serverContext(config.tls().certificate(), config.tls().privateKey());
            NodeToken token = NodeToken.loadOrCreate(dir.resolve("token"));
            NodeToken readKey = NodeToken.loadOrCreate(dir.resolve("read-key"));
            NodeToken ingestKey = config.live() == null ? null : NodeToken.loadOrCreate(dir.resolve(INGEST_KEY));
            try {
                journal = FileJournal.open(dir.resolve("journal.jsonl"));
            } catch (IOException e) {
                throw new StartException("cannot open the journal in " + dir + ": " + e.getMessage(), e);
            }
            boolean restored = journal.nextSeq() > 1;
            if (config.live() == null) {
                LiveClock.refuseLiveDirectory(dir);
            }
            checkSameShow(journal, config.show(), dir);
            Show show;
            if (config.live() == null) {
                show = new Show(config.show(), journal);
            } else {
                LiveClock clock = LiveClock.of(dir, restored);
                show = Show.live(config.show(), config.live().coreConfig(), journal, clock.engineClock());
                intake = new LiveIntake(show.core(), clock.engineClock(), System::currentTimeMillis, config.live(),
                        dir.resolve(INGEST_LOG));
            }
            runner = new ShowRunner(show, config.speed()).journalClockEvery(CLOCK_JOURNALED_EVERY);
            if (intake != null) {
                intake.attach(runner);
            }
            runner.subscribe(ring::add);
            // The in-process connection the console rehearses with: the API shares its rules and error kinds.
            RehearsalConnection engine = new RehearsalConnection(runner);
            SourceRegistry sources = new SourceRegistry();
            IntakeSink sink = config.connectors().isEmpty() ? null : intakeSink(show, runner);
            if (intake != null) {
                // A live node has no simulated audience: what feeds it is the ingest lane, per kind of event.
                sources.registerAll(intake::sources);
            } else {
                sources.register(simulatedAudience(config.show(), runner, sink == null ? () -> 0 : sink::takenOnEngine));
            }
            connectors = sink == null ? null : connectors(config.connectors(), sink, runner, sources);
            List<Lane> lanes = new ArrayList<>(connectors == null ? List.of()
                    : PushLane.lanes(connectors.pushEndpoints(), connectors.fastlyChallengeBody()));
            lanes.addAll(lanes(config, show, runner, engine, ring, token, readKey, sources, ingestKey, intake));
            NodeHttpServer http = NodeHttpServer.start(new InetSocketAddress(config.bind(), config.port()), tls, config.limits(),
                    new Router(lanes, config.limits()));
            EdgeNode node = new EdgeNode(lock, journal, engine, ring, http, token, readKey, ingestKey, intake, restored, dir, sources,
                    connectors);
            runner.start();
            if (connectors != null) {
                connectors.start();
            }
            return node;
        } catch (PemTls.TlsFileException e) {
            closeQuietly(connectors, lock, runner, journal, intake);
            throw new StartException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            closeQuietly(connectors, lock, runner, journal, intake);
            throw new StartException("the journal in " + dir + " cannot be replayed for this show: " + e.getMessage(), e);
        } catch (StartException | IOException | RuntimeException e) {
            closeQuietly(connectors, lock, runner, journal, intake);
            throw e;
        }
    }

    /** The node's lanes, in the order the router tries them; a new lane (ingest) is one more entry here. */
    /**
     * The simulated audience as one of the node's sources: the events it delivered, per second, from
     * the frames the show publishes.
     */
    private static Supplier<SourceStatus> simulatedAudience(ShowDefinition show, ShowRunner runner, LongSupplier keyed) {
        ConnectorCounters counters = new ConnectorCounters("simulator", show.name(), InstantSource.system(),
                SourceState.CONNECTED, "the simulated audience of " + show.name() + " (seed " + show.seed() + ")");
        long[] seen = {0};
        // Frames are made and handed to subscribers on the engine thread, where the keyed count is kept too.
        runner.subscribe(frame -> {
            long delivered = frame.events().delivered() + frame.events().lost() - keyed.getAsLong();
            counters.delivered((int) Math.min(Integer.MAX_VALUE, delivered - seen[0]));
            seen[0] = Math.max(seen[0], delivered);
        });
        return counters::snapshot;
    }

    /** The connectors' way into the core's keyed path, on the engine thread. */
    private static IntakeSink intakeSink(Show show, ShowRunner runner) {
        // An event's age on the wall clock is its age in engine time, whatever speed the show runs at.
        EngineClock clock = new EngineClock() {
            @Override
            public long nowMillis() {
                return show.core().nowMillis();
            }

            @Override
            public long toEngineMillis(long epochMillis) {
                return show.core().nowMillis() - (System.currentTimeMillis() - epochMillis);
            }
        };
        return new IntakeSink(runner, new KeyedIntake(show.core(), clock, IngestLimits.DEFAULT), SINK_WAIT, InstantSource.system());
    }

    /**
     * The node config's connectors, feeding the core's keyed path and the frame's encoder health.
     * Their counters join the node's sources.
     */
    private static Connectors connectors(ConnectorsConfig config, IntakeSink sink, ShowRunner runner, SourceRegistry sources) {
        Connectors all = new Connectors(config, sink, health -> runner.submit(s -> {
            s.core().reportEncoder(health);
            return null;
        }), InstantSource.system());
        sources.registerAll(all::statuses);
        sources.register(sink.counters()::snapshot);
        return all;
    }

    private static List<Lane> lanes(Config config, Show show, ShowRunner runner, RehearsalConnection engine, FrameRing ring,
                                    NodeToken token, NodeToken readKey, SourceRegistry sources, NodeToken ingestKey,
                                    LiveIntake intake) {
        EngineCommands commands = new EngineCommands(gate -> runner.submit(s -> gate.getAsBoolean()), config.actionTimeout(),
                OUTCOME_WAIT);
        Idempotency idempotency = new Idempotency(IDEMPOTENCY_MAX_KEYS, IDEMPOTENCY_REMEMBERED, System::currentTimeMillis,
                config.actionTimeout().plus(OUTCOME_WAIT));
        OfrepEvaluator ofrep = new OfrepEvaluator(show.core().experiments()::snapshot, config.show().scenario().pops()
                .stream().collect(Collectors.toMap(PopSpec::id, PopSpec::region)), intake);
        Set<String> popIds = config.show().scenario().pops().stream().map(PopSpec::id).collect(Collectors.toSet());
        Operators operators = new Operators(token, config.dataDir().toAbsolutePath().resolve(OperatorStore.FILE));
        // The diagnostic reads (and a live node's ingest figures) open for the read key or any token the control API takes.
        Access readKeyOrToken = Access.readKeyOr(readKey, operators.access(
                "a valid bearer token is required (Authorization: Bearer <token>): the node's read key, its"
                        + " admin token or a person's own"));
        List<Lane> lanes = new ArrayList<>();
        lanes.add(new HealthLane(runner::latest).lane());
        if (intake != null) {
            lanes.add(new IngestLane(intake, ingestKey, config.actionTimeout()).lane());
            lanes.add(IngestLane.statsLane(intake, readKeyOrToken));
        }
        long startedNanos = System.nanoTime();
        lanes.add(new DiagnosticsApi(engine, commands, popIds, sources,
                () -> runner.submit(s -> Reports.of(s, (System.nanoTime() - startedNanos) / 1_000_000)), readKeyOrToken).lane());
        lanes.add(new ControlApi(engine, new ShowControl(runner), commands, idempotency, runner::latest,
                new FrameStream(ring, MAX_STREAMS, FrameStream.HEARTBEAT_MILLIS), operators).lane());
        lanes.add(new OfrepLane(ofrep, readKey).lane());
        lanes.add(new MetricsLane(() -> (runner.failure() != null
                        ? CompletableFuture.completedFuture(PrometheusExposition.renderNode(runner.latest()))
                        : runner.submit(s -> PrometheusExposition.render(s, runner.latest())
                                + (intake == null ? "" : IngestExposition.render(intake))))
                .thenApply(text -> text + ConnectorMetrics.render(sources.statuses())),
                config.actionTimeout(), readKey).lane());
        if (intake == null) {
            return lanes;
        }
        // One lane per key: a key of another lane is known, and is told so (403) rather than taken for a stranger (401).
        List<NodeToken> keys = List.of(token, readKey, ingestKey);
        return lanes.stream().map(l -> new Lane(l.prefix(), l.access().forbidding(keys, "this key does not open " + l.prefix()
                + ": the admin token opens /api/v1, the read key /ofrep/v1, /metrics, /api/v1/sources and /api/v1/ingest/stats,"
                + " the ingest key /ingest/v1 alone"), l.routes())).toList();
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

    private static void closeQuietly(Connectors connectors, DataDirectoryLock lock, ShowRunner runner, FileJournal journal,
                                     LiveIntake intake) {
        if (connectors != null) {
            connectors.close();
        }
        if (runner != null) {
            runner.close();
        }
        try {
            if (intake != null) {
                intake.close();
            }
            if (journal != null) {
                journal.close();
            }
            lock.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** Where the node answers, e.g. {@code http://127.0.0.1:8787} or {@code https://...} with TLS. */
    public URI baseUri() {
        return http.baseUri();
    }

    public int port() {
        return http.address().getPort();
    }

    /** True when it serves HTTPS. */
    public boolean tls() {
        return http.tls();
    }

    /** The node's data directory, absolute. */
    public Path dataDir() {
        return dataDir;
    }

    public Path tokenFile() {
        return token.file();
    }

    /** The read-only key for OFREP evaluation and /metrics scrapes. */
    public Path readKeyFile() {
        return readKey.file();
    }

    /** The write-only key of the ingest API on a live node, or null on a rehearsal node. */
    public Path ingestKeyFile() {
        return ingestKey == null ? null : ingestKey.file();
    }

    /** A live node's intake (what feeds it), or empty on a rehearsal node. */
    public java.util.Optional<LiveIntake> intake() {
        return java.util.Optional.ofNullable(intake);
    }

    /** Something about the token file the operator should hear, or null. */
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

    /** Connections open now. */
    public int openConnections() {
        return http.openConnections();
    }

    /** What feeds the node now: its simulated audience, its connectors. */
    public List<SourceStatus> sources() {
        return sources.statuses();
    }

    /** Stops its connectors, stops serving, stops the engine, closes the journal and gives the data directory up. */
    @Override
    public void close() {
        if (connectors != null) {
            connectors.close();
        }
        ring.close();
        http.close();
        runner.close();
        engine.close();
        try {
            if (intake != null) {
                intake.close();
            }
            journal.close();
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the journal " + journal.file(), e);
        }
    }
}
