package io.edgedeck.simulator.cli;

import io.edgedeck.client.files.OutputFile;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.scenario.ConnectorsConfigParser;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioError;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.FleetDecisions;
import io.edgedeck.simulator.server.FleetServer;
import io.edgedeck.simulator.fleet.FleetGuardrails;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetTopics;
import io.edgedeck.simulator.show.ShowDefinition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.edgedeck.engine.journal.SnapshotJournal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: runs a headless edge node with the HTTP API until the process is stopped. It
 * listens on loopback unless {@code --bind} says otherwise, and beyond loopback only with TLS (or
 * {@code --insecure}), because every control call carries the admin token.
 */
@Command(name = "serve", description = "run a headless edge node with the HTTP API (loopback only unless --bind says otherwise)",
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8787;

    @Option(names = "--port", paramLabel = "P", converter = OptionTypes.Port.class, defaultValue = "8787",
            description = "the TCP port, 0 for any free one (default 8787)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", converter = OptionTypes.Address.class,
            description = "the address to listen on (default 127.0.0.1); beyond loopback it needs --tls-cert/--tls-key or --insecure")
    InetAddress bind = InetAddress.getLoopbackAddress();

    @Option(names = "--scenario", paramLabel = "NAME|FILE", defaultValue = "steady-show",
            description = "a built-in show (see 'scenarios') or a scenario file (default steady-show)")
    String scenario;

    @Mixin
    ShowOptions.Seed seed;

    @Option(names = "--speed", paramLabel = "N|max", converter = OptionTypes.Speed.class, defaultValue = "1",
            description = "engine seconds per wall second, or max (default 1); with --live, N runs the node's clock N times"
                    + " the wall clock's, to rehearse a show into it with load --speed N")
    double speed;

    @Option(names = "--name", paramLabel = "NAME", converter = OptionTypes.NodeName.class,
            description = "the node's name, which picks its data directory under the user's data directory"
                    + " (default: the scenario's name)")
    String name;

    @Option(names = "--data-dir", paramLabel = "DIR", converter = OptionTypes.DataDirectory.class,
            // One line each, indented as a wrapped line: the help's wrapping would break a path at its '/', '.' or '%'.
            description = {"the node's data directory (default:", "  edgedeck/nodes/NAME in the user's data directory:",
                    "  $XDG_DATA_HOME, else ~/.local/share;", "  ~/Library/Application Support on macOS;",
                    "  %%LOCALAPPDATA%% on Windows)"})
    Path dataDir;

    /** TLS: both files or neither. */
    static final class Tls {
        @Option(names = "--tls-cert", required = true, paramLabel = "FILE",
                description = "serve HTTPS with this PEM certificate chain (leaf first)")
        Path certificate;

        @Option(names = "--tls-key", required = true, paramLabel = "FILE",
                description = "the certificate's private key, PEM, unencrypted PKCS #8")
        Path key;
    }

    @ArgGroup(exclusive = false)
    Tls tls;

    @Option(names = "--live", description = "a live node: no simulated audience, the wall clock, observations from its ingest API"
            + " and OFREP evaluations (needs --node-config)")
    boolean live;

    @Option(names = "--node-config", paramLabel = "NAME|FILE",
            description = "with --live: a node configuration file (docs/LIVE.md), or a scenario (built-in name or file) whose PoPs,"
                    + " flags, triggers and guardrails the node takes; with --fleet: the guardrails the aggregator decides and the"
                    + " origins (cors.allowedOrigins) browsers may call its /ofrep/v1 from")
    String nodeConfig;

    @Option(names = "--connectors", paramLabel = "FILE",
            description = "run the sources this JSON file names (CDN log endpoints, probes, Twitch, chat webhooks, OBS; see docs/CONNECTORS.md):"
                    + " a node config with a 'connectors' object, or that object alone; a live node's own config may hold them instead")
    Path connectorsFile;

    @Option(names = "--insecure", description = "allow plain HTTP on an address beyond loopback (the admin token crosses the network in clear)")
    boolean insecure;

    @Option(names = "--snapshot-every-records", paramLabel = "N", defaultValue = "10000",
            description = "write a snapshot of the node's state after this many journal records (default ${DEFAULT-VALUE}), then compact the journal")
    long snapshotEveryRecords;

    @Option(names = "--snapshot-every-minutes", paramLabel = "M", defaultValue = "5",
            description = "or after this many minutes with at least one new record (default ${DEFAULT-VALUE})")
    double snapshotEveryMinutes;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
            description = "the fleet's Kafka cluster, host:port[,host:port...]: with --live --node-id the node publishes to it"
                    + " and makes and takes its flag changes through the fleet's control topic,"
                    + " with --fleet this process is the fleet's aggregator (docs/FLEET.md)")
    String kafka;

    @Option(names = "--node-id", paramLabel = "ID", converter = OptionTypes.NodeName.class,
            description = "with --live --kafka: this node's id in the fleet, unique and kept across restarts")
    String nodeId;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "with --kafka: a Kafka client properties file (security.protocol, sasl.*, ssl.*), read by every client")
    Path kafkaConfig;

    @Option(names = "--kafka-topics", paramLabel = "PREFIX", defaultValue = FleetTopics.DEFAULT_PREFIX,
            description = "with --kafka: the prefix of the fleet's topic names (default ${DEFAULT-VALUE}); one per show or environment")
    String kafkaTopics;

    @Option(names = "--fleet-guardrails", description = "with --live --kafka: this node's rollback rules on conversionLift and"
            + " sentimentChange are decided by the fleet's aggregator (serve --fleet --node-config) on every node's evidence;"
            + " the node shows them on its own evidence but does not roll back by itself (docs/FLEET.md)")
    boolean fleetGuardrails;

    @Option(names = "--advertise", paramLabel = "URL", converter = OptionTypes.BaseUrl.class,
            description = "with --live --kafka: the base URL at which the fleet's aggregator reaches this node's API, to send"
                    + " it the OFREP evaluations it takes (default: the address the node serves on)")
    java.net.URI advertise;

    @Option(names = "--cue-window", paramLabel = "SECONDS",
            description = "with --kafka: how long a node tries to write a change a show cue fired through the fleet, from when"
                    + " it fired the cue (1 to 300, default 5); the aggregator's answer to a cue fired for the whole fleet"
                    + " waits for the nodes' changes this long and 4 s more: give the fleet's nodes and aggregator the same")
    Integer cueWindow;

    @Option(names = "--nodes-read-key", paramLabel = "FILE",
            description = "with --fleet: the file holding the nodes' read key, with which the aggregator sends each OFREP"
                    + " evaluation to a node serving the viewer (default: the aggregator's own read-key, then every node's)")
    Path nodesReadKey;

    @Option(names = "--fleet", description = "run the fleet aggregator: read every node's aggregates and frames from --kafka and serve"
            + " /api/v1/fleet, /metrics, /healthz and the read side of the Edge Control API (the fleet's frames, PoPs, flags"
            + " and guardrails) for a console to watch the whole fleet")
    boolean fleet;

    private final PrintStream out;
    private final PrintStream err;

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Where the node keeps its data: {@code --data-dir}, or the user's data directory for its name. */
    Path dataDirectory(Scenario resolved) {
        if (dataDir != null) {
            return dataDir;
        }
        return UserDataDirectory.forNode(name != null ? name : UserDataDirectory.nameFor(resolved.name()));
    }

    private NodeConfig readNodeConfig(String nameOrPath) throws IOException {
        try {
            return NodeConfigParser.resolve(nameOrPath);
        } catch (ScenarioCatalog.UnknownScenarioException e) {
            err.println("serve: " + e.getMessage());
        } catch (ScenarioValidationException e) {
            for (ScenarioError error : e.errors()) err.println(error.toString(nameOrPath));
        }
        return null;
    }

    /**
     * The connectors of a node config file (or the connectors object alone), checked against the
     * show's PoPs, or null after saying what is wrong (each error with the file, line and path).
     */
    static ConnectorsConfig readConnectors(Path file, Collection<String> pops, PrintStream err) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            err.println("serve: cannot read --connectors " + file + ": " + e.getMessage());
            return null;
        }
        try {
            return ConnectorsConfigParser.parse(bytes, pops);
        } catch (ScenarioValidationException e) {
            for (ScenarioError error : e.errors()) err.println(error.toString(file.toString()));
            return null;
        }
    }

    /**
     * The node these options describe, read and checked (the show or node config, its connectors,
     * TLS), or null after saying what is wrong: everything {@code serve} does before it starts the node.
     */
    EdgeNode.Config nodeConfig() throws IOException {
        if (!bind.isLoopbackAddress() && tls == null && !insecure) {
            err.println("serve: --bind " + bind.getHostAddress() + " reaches beyond this machine, and every control call carries"
                    + " the admin token: give --tls-cert FILE --tls-key FILE to serve HTTPS, or --insecure to send it in clear anyway");
            return null;
        }
        if (live != (nodeConfig != null)) {
            err.println(live ? "serve: --live needs --node-config FILE (a node configuration, or a scenario name or file)"
                    : "serve: --node-config is for a live node: add --live");
            return null;
        }
        NodeConfig liveConfig = null;
        Scenario resolved;
        if (live) {
            liveConfig = readNodeConfig(nodeConfig);
            if (liveConfig == null) {
                return null;
            }
            resolved = liveConfig.show();
        } else {
            resolved = RunCommand.resolve("serve", scenario, err);
        }
        if (resolved == null) {
            return null;
        }
        ShowDefinition show = new ShowDefinition(resolved, seed.or(resolved.seed()), ScenarioCatalog.document(scenario));
        if (snapshotEveryRecords < 1 || !(snapshotEveryMinutes > 0) || snapshotEveryMinutes > 10_080) {
            err.println("serve: --snapshot-every-records must be at least 1 and --snapshot-every-minutes between 0 and 10080"
                    + " (a week), were " + snapshotEveryRecords + " and " + snapshotEveryMinutes);
            return null;
        }
        Path dir = dataDirectory(resolved);
        if (live && speed <= 0) {
            err.println("serve: --speed max is for a rehearsal; a live node's clock runs at the wall clock's pace (default)"
                    + " or N times it, to rehearse a show into it with load --speed N");
            return null;
        }
        EdgeNode.Config config = live ? EdgeNode.Config.live(liveConfig, bind, port, dir, speed)
                : new EdgeNode.Config(show, speed, bind, port, dir);
        config = config.withSnapshots(new SnapshotJournal.Policy(snapshotEveryRecords,
                java.time.Duration.ofMillis(Math.round(snapshotEveryMinutes * 60_000))));
        if (connectorsFile != null) {
            if (!config.connectors().isEmpty()) {
                err.println("serve: the node config " + nodeConfig + " has a connectors object and --connectors names " + connectorsFile
                        + ": give the connectors in one place");
                return null;
            }
            ConnectorsConfig connectors = readConnectors(connectorsFile, resolved.pops().stream().map(p -> p.id()).toList(), err);
            if (connectors == null) {
                return null;
            }
            config = config.withConnectors(connectors);
        }
        if (tls != null) {
            config = config.withTls(new EdgeNode.Tls(tls.certificate, tls.key));
        }
        if (advertise != null && kafka == null) {
            err.println("serve: --advertise tells the fleet's aggregator where this node is: it needs --kafka (and --node-id)");
            return null;
        }
        if (fleetGuardrails && kafka == null) {
            err.println("serve: --fleet-guardrails leaves rules to the fleet's aggregator: it needs --kafka (and --node-id)");
            return null;
        }
        if (cueWindow != null && kafka == null) {
            err.println("serve: --cue-window is how long a fleet node tries a cue's change through the fleet: it needs --kafka"
                    + " (and --node-id)");
            return null;
        }
        if (kafka != null) {
            FleetOptions options = fleetOptions(nodeId);
            if (options == null) {
                return null;
            }
            config = config.withFleet(options.withGuardrailsByFleet(fleetGuardrails).withAdvertise(advertise));
        }
        return config;
    }

    /**
     * The fleet options given, checked, or null after saying what is wrong. A node publishes only
     * live and with an id; the aggregator needs no id.
     */
    FleetOptions fleetOptions(String id) {
        if (!fleet && kafka != null && (!live || id == null)) {
            err.println("serve: --kafka publishes a live node to its fleet: give --live and --node-id ID (unique in the fleet),"
                    + " or --fleet to run the fleet's aggregator");
            return null;
        }
        if (kafka == null || kafka.isBlank() || !kafka.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")
                || java.util.Arrays.stream(kafka.split(",")).map(s -> s.substring(s.lastIndexOf(':') + 1))
                        .anyMatch(port -> port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535)) {
            err.println("serve: --kafka takes the cluster's bootstrap servers as host:port[,host:port...], was "
                    + (kafka == null ? "missing" : "'" + kafka + "'"));
            return null;
        }
        if (kafkaConfig != null) {
            try {
                // Read as every client will read it, so that what they would fail on is said before the node starts.
                io.edgedeck.simulator.fleet.FleetKafka.base(kafka, kafkaConfig);
            } catch (IOException e) {
                err.println("serve: --kafka-config " + kafkaConfig + " cannot be read" + (Files.isDirectory(kafkaConfig) ? ": it is a directory"
                        : e instanceof java.nio.charset.CharacterCodingException ? ": it holds bytes that are not text"
                        : e instanceof java.nio.file.NoSuchFileException ? ": no such file" : ": " + e.getMessage()));
                return null;
            }
        }
        if (cueWindow != null && (cueWindow < 1 || cueWindow > 300)) {
            err.println("serve: --cue-window takes whole seconds from 1 to 300 (a cue is a moment of the show), was " + cueWindow);
            return null;
        }
        try {
            return new FleetOptions(kafka, kafkaConfig, new FleetTopics(kafkaTopics, 6, (short) 3), id)
                    .withCueWindow(cueWindow == null ? null : java.time.Duration.ofSeconds(cueWindow));
        } catch (IllegalArgumentException e) {
            err.println("serve: --kafka-topics: " + e.getMessage());
            return null;
        }
    }

    @Override
    public Integer call() throws IOException {
        if (fleet) {
            return aggregator();
        }
        if (nodesReadKey != null) {
            err.println("serve: --nodes-read-key is the key the fleet's aggregator calls its nodes with: give it with --fleet");
            return ExitCode.BAD_INPUT;
        }
        if (nodeId != null && kafka == null) {
            err.println("serve: --node-id names a node in a fleet: give --kafka BOOTSTRAP too");
            return ExitCode.BAD_INPUT;
        }
        EdgeNode.Config config = nodeConfig();
        if (config == null) {
            return ExitCode.BAD_INPUT;
        }
        ShowDefinition show = config.show();
        Path dir = config.dataDir();
        if (!dataDirWritable(dir)) {
            return ExitCode.BAD_INPUT;
        }
        EdgeNode node = started(() -> EdgeNode.start(config));
        if (node == null) {
            return ExitCode.BAD_INPUT;
        }
        CountDownLatch stopped = closeOnShutdown(node, "edgedeck-node-shutdown");
        out.println("EdgeDeck " + (live ? "live node: " + show.name() : "node: " + show.name() + " (seed " + show.seed() + ")")
                + (node.restored() ? ", state restored from its journal" : ", new journal"));
        out.println("  API        " + node.baseUri() + "/api/v1  (health: " + node.baseUri() + "/healthz, described by "
                + node.baseUri() + "/openapi.json)");
        out.println("  token file " + node.tokenFile());
        out.println("  OFREP      " + node.baseUri() + "/ofrep/v1  (read key file: " + node.readKeyFile() + ")");
        out.println("  metrics    " + node.baseUri() + "/metrics  (the same read key, as a bearer token)");
        out.println("  sources    " + node.baseUri() + "/api/v1/sources  (the read key or the admin token)");
        if (live) {
            out.println("  ingest     " + node.baseUri() + "/ingest/v1/events  (ingest key file: " + node.ingestKeyFile() + ")");
        }
        if (config.fleet() != null) {
            out.println("  fleet      node " + config.fleet().nodeId() + " publishes to " + config.fleet().bootstrap()
                    + " (topics " + config.fleet().topics().prefix() + "*); its flag changes go through "
                    + config.fleet().topics().control());
        }
        out.println("  data dir   " + dir.toAbsolutePath());
        out.println("  console    --connect " + node.baseUri() + " --token-file " + node.tokenFile());
        out.println("  people     operators add NAME --role viewer|operator|approver --data-dir " + dir.toAbsolutePath()
                + "  (a token each; this node's own token is for its owner)");
        if (node.tokenWarning() != null) {
            err.println("serve: warning: " + node.tokenWarning());
        }
        if (node.ingestLogWarning() != null) {
            err.println("serve: warning: " + node.ingestLogWarning());
        }
        if (!bind.isLoopbackAddress() && !node.tls()) {
            err.println("serve: warning: plain HTTP on " + bind.getHostAddress()
                    + " (--insecure): anyone on the network path can read the admin token and change flags");
        }
        return untilStopped(stopped);
    }

    /** Whether the node can keep its data in {@code dir}, else says why (naming --data-dir, or that it is its default). */
    private boolean dataDirWritable(Path dir) {
        return OutputPaths.directoryWritable("serve", dataDir != null ? "--data-dir" : "the data directory (--data-dir's default)",
                dir, err);
    }

    /** Starts a node or the aggregator. */
    @FunctionalInterface
    private interface Starter<T> {
        T start() throws EdgeNode.StartException, IOException;
    }

    /** What {@code starter} started, or null after saying why it could not start (its data directory, its port). */
    private <T> T started(Starter<T> starter) throws IOException {
        try {
            return starter.start();
        } catch (EdgeNode.StartException e) {
            err.println("serve: " + e.getMessage());
        } catch (BindException e) {
            err.println("serve: cannot listen on " + bind.getHostAddress() + ":" + port + ": " + e.getMessage());
        } catch (java.nio.file.FileSystemException e) {
            // checked before, yet the disk can still refuse (full, read-only, removed meanwhile)
            err.println("serve: cannot write " + e.getFile() + ": " + OutputFile.reason(e));
        }
        return null;
    }

    /** Closes {@code served} when the process is told to stop; the latch opens once it is closed. */
    private static CountDownLatch closeOnShutdown(AutoCloseable served, String thread) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                served.close();
            } catch (Exception e) {
                System.err.println("serve: while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, thread));
        return stopped;
    }

    private Integer untilStopped(CountDownLatch stopped) {
        out.println("Stop with Ctrl-C.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }

    /** {@code serve --fleet}: the fleet's aggregator, until the process is stopped. */
    private Integer aggregator() throws IOException {
        if (live || nodeId != null || connectorsFile != null || fleetGuardrails || advertise != null) {
            err.println("serve: --fleet runs the fleet's aggregator, which takes no --live, --node-id, --connectors,"
                    + " --fleet-guardrails or --advertise: it reads what the nodes publish (and --node-config for the guardrails"
                    + " it decides)");
            return ExitCode.BAD_INPUT;
        }
        FleetGuardrails guardrails = null;
        List<String> allowedOrigins = null; // started without --node-config: no origin, and a refusal says how to list one
        if (nodeConfig != null) {
            NodeConfig rules = readNodeConfig(nodeConfig);
            if (rules == null) {
                return ExitCode.BAD_INPUT;
            }
            allowedOrigins = rules.allowedOrigins();
            List<String> nodeLocal = new ArrayList<>();
            guardrails = FleetDecisions.rules(rules.show(), nodeLocal);
            for (String line : nodeLocal) {
                out.println("  stays on each node: " + line);
            }
            out.println("  decides on the fleet's evidence: " + (guardrails.ruleIds().isEmpty() ? "no rule"
                    : String.join(", ", guardrails.ruleIds())));
        }
        FleetGuardrails deciding = guardrails;
        List<String> origins = allowedOrigins;
        if (!bind.isLoopbackAddress() && !insecure) {
            err.println("serve: --fleet serves plain HTTP; --bind " + bind.getHostAddress()
                    + " reaches beyond this machine: add --insecure to send its keys in clear anyway");
            return ExitCode.BAD_INPUT;
        }
        FleetOptions options = fleetOptions(null);
        if (options == null) {
            return ExitCode.BAD_INPUT;
        }
        Path dir = dataDir != null ? dataDir : UserDataDirectory.forNode(name != null ? name : "fleet");
        if (nodesReadKey != null && !Files.isReadable(nodesReadKey)) {
            err.println("serve: --nodes-read-key " + nodesReadKey + " cannot be read");
            return ExitCode.BAD_INPUT;
        }
        if (!dataDirWritable(dir)) {
            return ExitCode.BAD_INPUT;
        }
        FleetServer server = started(() -> FleetServer.start(options, bind, port, dir, 0, deciding, nodesReadKey, origins));
        if (server == null) {
            return ExitCode.BAD_INPUT;
        }
        CountDownLatch stopped = closeOnShutdown(server, "edgedeck-fleet-shutdown");
        out.println("EdgeDeck fleet aggregator: reading " + options.topics().prefix() + "* from " + options.bootstrap());
        out.println("  API        " + server.baseUri() + "/api/v1/fleet  (health: " + server.baseUri() + "/healthz)");
        out.println("  token file " + server.tokenFile());
        out.println("  console    --connect " + server.baseUri() + " --token-file " + server.tokenFile() + "  (a viewer)");
        out.println("  metrics    " + server.baseUri() + "/metrics  (read key file: " + server.readKeyFile() + ")");
        out.println("  OFREP      " + server.baseUri() + "/ofrep/v1  (the same read key; each evaluation is answered by a node"
                + " serving the viewer, called with " + (nodesReadKey != null ? nodesReadKey : server.readKeyFile()) + ")");
        out.println("  data dir   " + dir.toAbsolutePath());
        return untilStopped(stopped);
    }
}
