package io.edgedeck.simulator.server;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.simulator.connectors.Connectors;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.server.sources.IntakeSink;
import io.edgedeck.simulator.server.sources.PushLane;
import io.edgedeck.simulator.server.sources.SourceRegistry;
import io.edgedeck.engine.journal.KeyedJournal;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.server.http.Cors;
import io.edgedeck.simulator.server.http.HttpLimits;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeHttpServer;
import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.http.PemTls;
import io.edgedeck.simulator.server.http.Restoring;
import io.edgedeck.simulator.server.http.Router;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.server.stream.FrameRing;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.RestoreProgress;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.fleet.FleetNode;
import io.edgedeck.simulator.fleet.PublishedJournal;
import io.edgedeck.simulator.server.control.FleetControl;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.server.metrics.FleetExposition;
import io.edgedeck.engine.sentiment.ChatSentimentScorer;
import io.edgedeck.simulator.server.http.JsonBodies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A headless edge node: a show playing on the engine thread, its journal on disk, and the HTTP
 * lanes in front of it. This class starts and stops them; {@link NodeLanes} wires the lanes, each its own class: health,
 * the control API and its idempotency and command fate ({@code control/}), the frame stream
 * ({@code stream/}), OFREP ({@code ofrep/}), metrics ({@code metrics/}), all behind one router and
 * server ({@code http/}). A node started again on the same data directory picks up where the
 * journal ends: flags, guardrails, audit, faults and queued checkouts come back.
 *
 * <p>Data directory layout: {@code node.lock} (held while a node runs; its pid inside),
 * {@code token} (the admin token, owner-only), {@code read-key} (owner-only), {@code journal.jsonl}
 * and its snapshots {@code snapshot-N.jsonl} (docs/JOURNAL.md), and, once someone has been given a token of their own, {@code operators.json} (their token hashes
 * and roles, owner-only) and {@code operators.lock}; a live node adds {@code ingest-key} (owner-only),
 * {@code ingest.log} (every acknowledged batch; its records past the raw retention window scrubbed),
 * {@code live-epoch} (the wall-clock instant its engine time counts from), and the owner-only
 * secrets of docs/PRIVACY.md: {@code unit-key}, {@code privacy-salt} and {@code checkout-keys.json}.
 *
 * <p>Over 350 lines, on purpose: one job, the node's start and stop in their order (directory lock,
 * journal and snapshots, restore, intake, lanes, server, and each undone if a later step fails),
 * with the {@link Config} that says what to start; the lanes themselves are {@link NodeLanes}'.
 */
public final class EdgeNode implements AutoCloseable {

    /** Whether {@code dataDir} is a live node's: its show was real traffic, not a rehearsal that can be played again. */
    public static boolean isLiveDataDirectory(Path dataDir) {
        return LiveClock.isLive(dataDir);
    }

    /** Frames kept for clients that resume a dropped stream: one minute of a 250 ms cadence. */
    public static final int RING_FRAMES = 240;
    /** Frame streams open at once. */
    public static final int MAX_STREAMS = 64;
    /** How often the show's position is journaled while it runs: a restart resumes the show clock there. */
    public static final Duration CLOCK_JOURNALED_EVERY = Duration.ofSeconds(1);
    /** A live node's write-only ingest key, and its log of every batch it acknowledged. */
    static final String INGEST_KEY = "ingest-key";
    static final String INGEST_LOG = "ingest.log";

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
                         HttpLimits limits, Duration actionTimeout, ConnectorsConfig connectors, NodeConfig live,
                         SnapshotJournal.Policy snapshots, FleetOptions fleet) {

        public Config {
            connectors = connectors == null ? ConnectorsConfig.NONE : connectors;
            snapshots = snapshots == null ? SnapshotJournal.Policy.DEFAULT : snapshots;
        }

        public Config(ShowDefinition show, double speed, InetAddress bind, int port, Path dataDir, Tls tls,
                      HttpLimits limits, Duration actionTimeout, ConnectorsConfig connectors, NodeConfig live) {
            this(show, speed, bind, port, dataDir, tls, limits, actionTimeout, connectors, live, null, null);
        }

        public Config(ShowDefinition show, double speed, InetAddress bind, int port, Path dataDir, Tls tls,
                      HttpLimits limits, Duration actionTimeout, ConnectorsConfig connectors, NodeConfig live,
                      SnapshotJournal.Policy snapshots) {
            this(show, speed, bind, port, dataDir, tls, limits, actionTimeout, connectors, live, snapshots, null);
        }

        /** A live node that publishes to a fleet (docs/FLEET.md). */
        public Config withFleet(FleetOptions options) {
            return new Config(show, speed, bind, port, dataDir, tls, limits, actionTimeout, connectors, live, snapshots, options);
        }

        public Config(ShowDefinition show, double speed, InetAddress bind, int port, Path dataDir) {
            this(show, speed, bind, port, dataDir, null, HttpLimits.defaults(), Duration.ofSeconds(10), ConnectorsConfig.NONE, null);
        }

        /** When the node writes a snapshot of its state and compacts its journal (docs/JOURNAL.md). */
        public Config withSnapshots(SnapshotJournal.Policy policy) {
            return new Config(show, speed, bind, port, dataDir, tls, limits, actionTimeout, connectors, live, policy, fleet);
        }

        /**
         * A live node: no simulated audience or edge, the wall clock, observations from its ingest
         * API, OFREP evaluations and the connectors its config names.
         */
        public static Config live(NodeConfig node, InetAddress bind, int port, Path dataDir) {
            return live(node, bind, port, dataDir, 1);
        }

        /**
         * A live node whose clock runs {@code rate} times the wall clock's pace: the node a show is
         * rehearsed into over the wire at that speed ({@code load --speed N}); a real show's runs at 1.
         */
        public static Config live(NodeConfig node, InetAddress bind, int port, Path dataDir, double rate) {
            return new Config(new ShowDefinition(node.show(), node.show().seed()), rate, bind, port, dataDir, null,
                    HttpLimits.defaults(), Duration.ofSeconds(10), node.connectors(), node);
        }

        public Config withTls(Tls files) {
            return new Config(show, speed, bind, port, dataDir, files, limits, actionTimeout, connectors, live, snapshots, fleet);
        }

        public Config withLimits(HttpLimits other) {
            return new Config(show, speed, bind, port, dataDir, tls, other, actionTimeout, connectors, live, snapshots, fleet);
        }

        public Config withActionTimeout(Duration timeout) {
            return new Config(show, speed, bind, port, dataDir, tls, limits, timeout, connectors, live, snapshots, fleet);
        }

        /** The sources the node runs besides its show (docs/CONNECTORS.md). */
        public Config withConnectors(ConnectorsConfig sources) {
            return new Config(show, speed, bind, port, dataDir, tls, limits, actionTimeout, sources, live, snapshots, fleet);
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
    private final SnapshotJournal journal;
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
    private final LivePrivacy privacy;
    private final FleetNode fleet;
    private final FleetControl control;
    private final List<String> operations;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EdgeNode(DataDirectoryLock lock, SnapshotJournal journal, RehearsalConnection engine, FrameRing ring,
                     NodeHttpServer http, NodeToken token, NodeToken readKey, NodeToken ingestKey, LiveIntake intake,
                     boolean restored, Path dataDir, SourceRegistry sources, Connectors connectors, LivePrivacy privacy,
                     FleetNode fleet, FleetControl control, List<String> operations) {
        this.operations = List.copyOf(operations);
        this.privacy = privacy;
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
        this.fleet = fleet;
        this.control = control;
    }

    /**
     * Takes the data directory, starts listening, restores or starts the show, and serves. Until the show is
     * restored (a rehearsal played again, a live node's ingest log read back) every request is answered 503,
     * saying how far it has come ({@link Restoring}).
     */
    public static EdgeNode start(Config config) throws StartException, IOException {
        return start(config, new RestoreProgress());
    }

    /** As {@link #start(Config)}, telling {@code progress} how far the restore has come (it may watch, or hold it there). */
    public static EdgeNode start(Config config, RestoreProgress progress) throws StartException, IOException {
        refuseUnknownPops(config);
        refuseTakenAddress(config.bind(), config.port());
        Path dir = config.dataDir().toAbsolutePath();
        // A start refused before the node serves leaves the directory as it found it.
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(dir);
        DataDirectoryLock lock = taken.lock();
        boolean serving = false;
        List<NodeToken> settled = new ArrayList<>();
        SnapshotJournal journal = null;
        ShowRunner runner = null;
        LiveIntake intake = null;
        LivePrivacy privacy = null;
        Connectors connectors = null;
        FleetNode fleet = null;
        FleetControl control = null;
        FrameRing ring = new FrameRing(RING_FRAMES);
        NodeHttpServer http = null;
        try {
            var tls = tls(config);
            // Read, or made when not there; a mode tightened or a crash's leftover removed only once every check has passed.
            NodeToken token = NodeToken.read(dir.resolve("token"));
            NodeToken readKey = NodeToken.read(dir.resolve("read-key"));
            NodeToken ingestKey = config.live() == null ? null : NodeToken.read(dir.resolve(INGEST_KEY));
            // Listening before the restore, which can take seconds: a caller is told the node is restoring and how
            // far, rather than finding nothing there; nothing is answered from, or taken into, a show not yet restored.
            Restoring restoring = new Restoring(progress::restoring, progress::describe, progress::detail, progress::retryAfterSeconds,
                    NodeLanes.restoringGate(config, token, readKey, ingestKey));
            http = NodeHttpServer.start(new InetSocketAddress(config.bind(), config.port()), tls, config.limits(), restoring);
            if (config.live() == null) {
                LiveClock.refuseLiveDirectory(dir);
            }
            // The journal is read once, judged (damaged, or not covered by a whole snapshot) and its show checked, and the
            // show restored from that reading with the start's own records held in memory. It is opened for writing only
            // once every check has passed: opening cuts a torn last record, sets a damaged snapshot aside and removes what a
            // crash left unfinished, and the held records (a new show's set-up, the audit of a changed configuration) are
            // appended, none of which a refused start may do.
            SnapshotJournal.Found onDisk;
            try {
                onDisk = SnapshotJournal.read(dir);
            } catch (IOException e) {
                throw new StartException("cannot open the journal in " + dir + ": " + e.getMessage(), e);
            }
            checkSameShow(dir, onDisk.records(), config.show());
            StartJournal starting = new StartJournal(onDisk);
            boolean restored = starting.nextSeq() > 1;
            Path ingestLog = dir.resolve(INGEST_LOG);
            boolean ingestLogged = config.live() != null && Files.exists(ingestLog) && Files.size(ingestLog) > 0;
            if (!restored && !ingestLogged) {
                // A new data directory: there is nothing to read back, and a caller is told the node is starting.
                progress.startingFresh();
            }
            Show show;
            if (config.live() == null) {
                show = Show.open(config.show(), new KeyedJournal(starting), progress);
            } else {
                LiveClock clock = LiveClock.of(dir, restored, config.speed());
                io.edgedeck.engine.journal.Journal written = starting;
                if (config.fleet() != null) {
                    fleet = startFleet(config, dir);
                    // The node's journal goes to the fleet's journal topic: what the spool lacks of it now, then each record as written.
                    fleet.journaled(starting.records());
                    written = new PublishedJournal(starting, fleet::journaled);
                }
                // A change asked for with an Idempotency-Key is written with its key (docs/API.md, "Idempotency").
                show = Show.live(config.show(), config.live().coreConfig(), new KeyedJournal(written), clock.engineClock());
                // A secret's rotation a stop interrupted is settled by what the journal says of it: its audited
                // actions, read from the journal, as the core holds its audit trail back until the ingest log is read.
                privacy = LivePrivacy.open(dir, config.live().privacy(), audited(starting.records()));
                LivePrivacy p = privacy;
                io.edgedeck.engine.time.EngineClock engineClock = clock.engineClock();
                if (ingestLogged) {
                    progress.readingIngestLog(engineClock.nowMillis());
                } else if (restored) {
                    progress.noIngestLog();
                }
                try {
                    intake = new LiveIntake(show.core(), engineClock, System::currentTimeMillis, config.live(),
                            ingestLog, p.keys, p.pseudonyms, (event, arrival) -> {
                                p.replayed(event, arrival);
                                progress.reached(engineClock.toEngineMillis(arrival));
                            }, fleet == null ? LiveIntake.Accepted.NONE : fleet);
                } catch (io.edgedeck.simulator.server.ingest.IngestLog.UnknownFormat e) {
                    throw new StartException(e.getMessage(), e);
                }
            }
            refuseOrphanedRules(show, restored, dir);
            auditConnectors(show, config.connectors());
            ConfigAudit.audit(show, config.show().scenario(), restored);
            // The engine thread, which snapshots between ticks, starts only once the journal is opened below.
            runner = new ShowRunner(show, config.speed()).journalClockEvery(CLOCK_JOURNALED_EVERY)
                    .betweenTicks(s -> starting.opened().snapshotIfDue(() -> s.core().checkouts().state(starting.nextSeq() - 1,
                            s.core().nowMillis())));
            if (intake != null) {
                intake.attach(runner);
            }
            runner.subscribe(ring::add);
            // The in-process connection the console rehearses with: the API shares its rules and error kinds.
            RehearsalConnection engine = RehearsalConnection.onNode(runner);
            SourceRegistry sources = new SourceRegistry();
            IntakeSink sink = null;
            if (intake != null) {
                // A live node has no simulated audience: what feeds it is the ingest lane, per kind of event.
                sources.registerAll(intake::sources);
                // Its connectors feed the node's one keyed intake, the ingest API's, durable first like an ingest batch.
                sink = config.connectors().isEmpty() ? null : NodeLanes.sink(intake::takeFromConnector, intake::countRefusalsOn);
            } else {
                IntakeSink.OnEngine keyed = config.connectors().isEmpty() ? null : NodeLanes.keyedOnEngine(show, runner);
                sources.register(NodeLanes.simulatedAudience(config.show(), runner, keyed == null ? () -> 0 : keyed::takenOnEngine));
                sink = keyed == null ? null : NodeLanes.sink(keyed, keyed::countRefusalsOn);
            }
            // A live node's connectors remember under the node's own unit keys, made above; a rehearsal keys no unit.
            connectors = sink == null ? null : NodeLanes.connectors(config.connectors(), sink, runner, sources, dir,
                    privacy == null ? null : privacy.keys);
            if (connectors != null && intake != null) {
                // What each connector delivered before a restart, read back from the ingest log, stays on its row,
                // and on the core's, which took it (a connector's no longer in the config too).
                Connectors those = connectors;
                ConnectorCounters core = sink.counters();
                intake.replayedSources().forEach((source, earlier) -> {
                    those.carry(source.getFirst(), source.getLast(), earlier);
                    core.carry(earlier);
                });
            }
            List<Lane> lanes = new ArrayList<>(connectors == null ? List.of()
                    : PushLane.lanes(connectors.pushEndpoints(), connectors.fastlyChallengeBody()));
            FleetNode publishing = fleet;
            if (fleet != null) {
                // The fleet's flag changes: this node's go through the control topic, and it applies everyone's.
                control = FleetControl.open(config.fleet(), runner, starting.records(), config.actionTimeout());
                // A guardrail deciding on this node's evidence sends its rollback to every node.
                show.core().guardrails().rollbackThrough(control::rollbackInFleet);
                // And its rollback at the PoPs where it breached to every node serving them.
                show.core().guardrails().rollbackAtThrough(control::rollbackAtInFleet);
                // And its pause of a variant, so that no node keeps serving it.
                show.core().guardrails().pauseThrough(control::pauseInFleet);
                // Its flags show where the fleet has a variant rolled back, the PoPs only other nodes serve too: what a clear here lifts.
                show.core().experiments().showRolledBackElsewhere(control::fleetRolledBackAt);
                // A run made here may roll back at PoPs other nodes serve (the node config's fleetPops): each node does its part.
                if (config.live() != null) {
                    show.core().experiments().fleetPops(config.live().fleetPops());
                }
                if (config.fleet().guardrailsByFleet()) {
                    // The aggregator decides these on the whole fleet's evidence; this node's is only part of it.
                    show.core().guardrails().decideElsewhere(io.edgedeck.engine.guardrails.CountedRule::judgesOnCounts);
                }
            }
            FleetControl controlling = control;
            NodeHttpServer listening = http;
            lanes.addAll(NodeLanes.lanes(config, show, runner, engine, ring, token, readKey, sources, ingestKey, intake, privacy,
                    () -> listening.exposition() + (publishing == null ? "" : FleetExposition.renderNode(publishing.status())
                            + FleetExposition.renderControl(controlling.status(), controlling.ownWritesRefused())), control));
            // Browsers may call OFREP and the ingest API from the origins the node config lists, and no others:
            // a preflight from any other, none listed too, is refused by name, never asked for a key it cannot send.
            Map<String, String> browserLanes = Map.of("/ofrep/v1", "GET, POST", "/ingest/v1", "POST");
            Cors cors = config.live() == null
                    ? Cors.withoutNodeConfig(browserLanes, "this node serves a scenario, not --live, with no node config",
                            "--live --node-config FILE")
                    : Cors.of(config.live().allowedOrigins(), browserLanes);
            Router router = new Router(lanes, config.limits(), Map.of(), cors);
            // Every check has passed: the keys' files are settled, what a crash left in the ingest log (a torn tail) and
            // the fleet's spool is undone, the node's secrets are written as they were read, the journal is recovered
            // and what the start held is written. Until here the start only read them (the directory, closed to other
            // users as it was taken, gets its mode back on a refusal).
            try {
                taken.settle(settled, token, readKey, ingestKey);
            } catch (IOException e) {
                throw new StartException(keysNotSettled(dir, e), e);
            }
            try {
                if (intake != null) {
                    intake.log().recover();
                }
                if (fleet != null) {
                    fleet.recover();
                }
            } catch (IOException e) {
                throw new StartException("cannot recover what a crash left in " + dir + ": " + e.getMessage(), e);
            }
            if (privacy != null) {
                // The secrets as they were read: a first start's made, a rotation a stop interrupted settled.
                try {
                    privacy.write();
                } catch (IOException e) {
                    throw new StartException("cannot write the node's secrets in " + dir + ": " + e.getMessage(), e);
                }
            }
            try {
                journal = starting.open(config.snapshots());
            } catch (IOException e) {
                throw new StartException("cannot open the journal in " + dir + ": " + e.getMessage(), e);
            }
            serving = true;
            restoring.serve(router);
            EdgeNode node = new EdgeNode(lock, journal, engine, ring, http, token, readKey, ingestKey, intake, restored, dir, sources,
                    connectors, privacy, fleet, control, router.operations());
            runner.start();
            if (control != null) {
                control.startApplying();
                fleet.reportControl(control::status, control::cuesFired, control::cuesNotApplied);
            }
            if (privacy != null) {
                privacy.start(intake, runner);
            }
            if (fleet != null) {
                ShowRunner frames = runner;
                fleet.start(() -> {
                    MetricsFrame f = frames.latest();
                    return f == null ? null : JsonBodies.MAPPER.valueToTree(f);
                }, () -> {
                    // Asked of the engine thread, which owns the PoPs' versions; a busy engine leaves it out of this frame.
                    try {
                        return frames.submit(s -> s.core().experiments().acknowledgedAt(s.core().nowMillis()))
                                .get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        return null;
                    }
                }, config.fleet().advertise() != null ? config.fleet().advertise() : http.baseUri());
            }
            if (connectors != null) {
                connectors.start();
            }
            return node;
        } catch (StartException | IOException | RuntimeException e) {
            // One way out for every refusal: close what started, take back what the start made, then say why. The modes
            // go back, and what the start made is taken back, while the start still holds the directory's lock, let go of
            // last: a start that takes it next finds the directory as it was and settles it itself, rather than having its
            // modes set back and its new files removed under it.
            try {
                closeQuietly(e, http, connectors, runner, journal, intake, privacy, fleet, control);
            } finally {
                taken.letGo(serving, e, settled);
            }
            if (e instanceof IllegalArgumentException replay) {
                throw new StartException("the journal in " + dir + " cannot be replayed for this show: " + replay.getMessage(), replay);
            }
            if (e instanceof java.net.BindException bind) {
                throw new StartException(cannotListen(config.bind(), config.port(), bind), bind);
            }
            // The fleet's Kafka client refused its configuration (--kafka-config): a refusal, said in one line. Only a
            // node in a fleet asks: naming the client's exception here would need Kafka on every node's class path.
            String kafka = config.fleet() == null ? null : io.edgedeck.simulator.fleet.FleetKafka.refusal(e);
            if (kafka != null) {
                throw new StartException("cannot join the fleet through --kafka " + config.fleet().bootstrap() + ": " + kafka, e);
            }
            throw e;
        }
    }

    /** The node's TLS from its certificate and key files; null when it serves plain HTTP. A file that will not do stops the start, naming it. */
    private static org.eclipse.jetty.util.ssl.SslContextFactory.Server tls(Config config) throws StartException {
        if (config.tls() == null) {
            return null;
        }
        try {
            return PemTls.serverContext(config.tls().certificate(), config.tls().privateKey());
        } catch (PemTls.TlsFileException e) {
            throw new StartException(e.getMessage(), e);
        }
    }

    /**
     * A port another program (or another node) listens on is found before the data directory is
     * touched: a start that cannot serve must not make the directory, its keys or its live clock. A
     * program that takes the port between this look and the node's own bind is still told apart
     * there. Port 0 (any free port) is not looked at.
     */
    static void refuseTakenAddress(java.net.InetAddress bind, int port) throws StartException {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            // As the node's own listener does, so a port left in TIME_WAIT by a node just stopped is not taken for busy.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new StartException(cannotListen(bind, port, e), e);
        }
    }

    private static String cannotListen(java.net.InetAddress bind, int port, IOException e) {
        return "cannot listen on " + bind.getHostAddress() + ":" + port + " (" + e.getMessage() + "): another program,"
                + " or another node, may listen there; stop it or choose another --port (or --bind)";
    }

    /** The audit action of a change to the connectors a node runs, audited as {@link #CONFIG_ACTOR}. */
    static final String CONNECTORS_SET = "connectors.set";
    /** Who a change made by the node's own configuration is audited under. */
    public static final String CONFIG_ACTOR = io.edgedeck.engine.CoreConfig.NODE_CONFIG;

    /**
     * A rule that watches nothing as the journal left the flags (a configuration edited to put back a
     * rule for a variant a journaled change removed) would show armed and watch nothing: the node
     * does not start so, and says which rule and why.
     */
    /** The entries of the journal's {@code audit} records (actions audited with no record of their own), in order. */
    private static List<AuditEntry> audited(List<JournalRecord> records) {
        List<AuditEntry> entries = new ArrayList<>();
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.Audited a) {
                entries.add(new AuditEntry(entries.size() + 1L, a.atMillis(), a.actor(), a.action(),
                        a.target(), a.before(), a.after(), a.reason()));
            }
        }
        return entries;
    }

    private static void refuseOrphanedRules(Show show, boolean restored, Path dir) throws StartException {
        List<String> orphaned = show.core().guardrails().orphaned();
        if (!orphaned.isEmpty()) {
            throw new StartException("the node configuration's guardrails do not fit the flags"
                    + (restored ? " as the journal in " + dir + " left them" : "") + ": " + String.join("; ", orphaned)
                    + ". A rule left without its variant would show armed and watch nothing: take it out of the"
                    + " configuration, or point it at a variant the flag has", null);
        }
    }

    /**
     * Audits the connectors this start runs when they differ from those the node ran before (none,
     * on a first start): a connector added, removed or pointed elsewhere in the node config is an
     * operator's change to what feeds the show, made by editing the file and starting the node again.
     * One journaled entry, before any connector starts; a start with the same connectors adds none.
     * Runs before the engine thread starts, which then owns the show.
     */
    private static void auditConnectors(Show show, ConnectorsConfig connectors) {
        String now = connectors.describe();
        String before = show.core().experiments().audit().stream().filter(e -> e.action().equals(CONNECTORS_SET))
                .reduce((first, second) -> second).map(AuditEntry::after).orElse("none");
        if (!now.equals(before)) {
            show.core().experiments().audited(show.core().nowMillis(), CONFIG_ACTOR, CONNECTORS_SET, "connectors", before, now,
                    "the node started with the connectors of its configuration");
        }
    }

    /**
     * A live node's fleet part: its spool and mark in {@code fleet/} of the data directory, a
     * publisher to the fleet's Kafka cluster (which need not be reachable: the spool holds what
     * waits for it).
     */
    private static FleetNode startFleet(Config config, Path dir) throws IOException {
        FleetOptions f = config.fleet();
        List<String> pops = config.show().scenario().pops().stream().map(PopSpec::id).toList();
        return new FleetNode(f.nodeId(), f.topics(), f.kafkaBase(), dir.resolve("fleet"), pops, config.live().defaultPop(),
                new ChatSentimentScorer()::compound);
    }

    /**
     * A connector that maps to a PoP the show does not have would see every one of its observations
     * refused while the node looked fine: the node does not start with one.
     */
    private static void refuseUnknownPops(Config config) throws StartException {
        var unknown = config.connectors().unknownPops(config.show().scenario().pops().stream().map(PopSpec::id).toList());
        if (!unknown.isEmpty()) {
            throw new StartException(unknown.stream().map(u -> "connectors." + u.path() + ": " + u.message())
                    .collect(Collectors.joining("\n")), null);
        }
    }

    /**
     * A journal belongs to one show and seed; replaying it under another would mix two shows'
     * state. The engine checks the scenario; the seed is checked here too, on the journal as read
     * before anything in it is written, so a start refused here changes no byte of the other show's files.
     */
    private static void checkSameShow(Path dir, List<JournalRecord> records, ShowDefinition show) throws StartException {
        if (records.isEmpty() || !(records.getFirst() instanceof JournalRecord.ShowStarted started)) {
            return;
        }
        if (!started.scenario().equals(show.name()) || started.seed() != show.seed()) {
            throw new StartException("the data directory " + dir + " holds the journal of show '" + started.scenario()
                    + "' (seed " + started.seed() + "), not '" + show.name() + "' (seed " + show.seed()
                    + "): start with --scenario " + started.scenario() + " --seed " + started.seed()
                    + ", or use another --data-dir", null);
        }
    }

    /**
     * Why a start could not settle the keys' files in {@code dir} (remove what a creation a crash cut short left
     * beside one, make one others could read owner-only): a node's and the aggregator's start say it so.
     */
    static String keysNotSettled(Path dir, IOException e) {
        String said = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            // Such a message is the file's name alone: what went wrong is the exception's kind.
            said = f.getFile() + " (" + e.getClass().getSimpleName() + ")";
        }
        return "cannot settle the key files in " + dir + " (remove what a creation of one a crash cut short left, make one"
                + " others could read owner-only): " + said;
    }

    /** Closes what a refused start started, each whatever the ones before threw, which is added to {@code failure}. */
    private static void closeQuietly(Throwable failure, NodeHttpServer http, Connectors connectors, ShowRunner runner,
                                     SnapshotJournal journal, LiveIntake intake, LivePrivacy privacy, FleetNode fleet,
                                     FleetControl control) {
        DirectoryAsFound.Taken.closing(failure, http == null ? null : http::close, privacy == null ? null : privacy::close,
                control == null ? null : control::close, connectors == null ? null : connectors::close,
                runner == null ? null : runner::close, fleet == null ? null : () -> fleet.close(Duration.ZERO),
                intake == null ? null : intake::close, journal == null ? null : journal::close);
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

    /** What a live node found damaged in its ingest log when it started, for the operator, or null. */
    public String ingestLogWarning() {
        return intake == null ? null : intake.log().damageSummary();
    }

    /** Something about the token file the operator should hear, or null. */
    public String tokenWarning() {
        return token.warning();
    }

    /** What the start changed of its key files' modes, one line each (which file, from what mode to what); empty when nothing. */
    public List<String> keyFilesTightened() {
        return java.util.stream.Stream.of(token, readKey, ingestKey).filter(java.util.Objects::nonNull).map(NodeToken::tightened)
                .filter(java.util.Objects::nonNull).toList();
    }

    /** The node's journal and its snapshots. */
    public SnapshotJournal journal() {
        return journal;
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

    /** The node's part in a fleet, or empty when it publishes to none. */
    public java.util.Optional<FleetNode> fleet() {
        return java.util.Optional.ofNullable(fleet);
    }

    /** The node's part in the fleet's control topic, or empty when it is in no fleet. */
    public java.util.Optional<FleetControl> fleetControl() {
        return java.util.Optional.ofNullable(control);
    }

    /** Every operation the node answers, as {@code METHOD /path/{param}}: what its OpenAPI document describes. */
    public List<String> operations() {
        return operations;
    }

    /** Connections open now. */
    public int openConnections() {
        return http.openConnections();
    }

    /** What feeds the node now: its simulated audience, its connectors. */
    public List<SourceStatus> sources() {
        return sources.statuses();
    }

    /**
     * Stops its connectors, stops serving, stops the engine, closes the journal and gives the data directory up. Only
     * the first call does it: a process's shutdown hook and its owner may both close the node.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (privacy != null) {
            privacy.close();
        }
        if (connectors != null) {
            connectors.close();
        }
        ring.close();
        http.close();
        if (control != null) {
            // Before the engine: the applier hands each record to it.
            control.close();
        }
        runner.close();
        engine.close();
        if (fleet != null) {
            // After the engine: nothing more is taken; what is open is spooled, and sent if Kafka takes it soon (what it does
            // not take stays in the spool for the next start, and the log says how much).
            fleet.close(io.edgedeck.simulator.fleet.FleetKafka.CLOSING);
        }
        try {
            if (intake != null) {
                intake.close();
            }
            journal.close();
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the journal " + journal.file().file(), e);
        }
    }
}
