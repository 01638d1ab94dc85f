package io.edgedeck.simulator.server;

import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.engine.ingest.IngestLimits;
import io.edgedeck.engine.ingest.KeyedIntake;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.KeyedRequest;
import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.simulator.connectors.ConnectorMetrics;
import io.edgedeck.simulator.connectors.Connectors;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.server.sources.DiagnosticsApi;
import io.edgedeck.simulator.server.sources.IntakeSink;
import io.edgedeck.simulator.server.sources.SourceRegistry;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.server.approvals.ApprovalLanes;
import io.edgedeck.simulator.server.playbooks.PlaybookApi;
import io.edgedeck.simulator.server.playbooks.Playbooks;
import io.edgedeck.simulator.server.playbooks.Schedule;
import io.edgedeck.simulator.scenario.PlaybookSpec;
import io.edgedeck.simulator.server.control.ControlApi;
import io.edgedeck.simulator.server.control.EngineCommands;
import io.edgedeck.simulator.server.control.FleetControl;
import io.edgedeck.simulator.server.control.Idempotency;
import io.edgedeck.simulator.server.control.JournaledAnswers;
import io.edgedeck.simulator.server.control.ShowControl;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.ingest.IngestExposition;
import io.edgedeck.simulator.server.ingest.IngestLane;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import io.edgedeck.simulator.server.metrics.MetricsLane;
import io.edgedeck.simulator.server.metrics.PrometheusExposition;
import io.edgedeck.simulator.server.ofrep.OfrepEvaluator;
import io.edgedeck.simulator.server.operators.OperatorAudit;
import io.edgedeck.simulator.server.operators.OperatorStore;
import io.edgedeck.simulator.server.operators.Operators;
import io.edgedeck.simulator.server.ofrep.OfrepLane;
import io.edgedeck.simulator.server.privacy.PrivacyApi;
import io.edgedeck.simulator.server.privacy.PrivacyExposition;
import io.edgedeck.simulator.server.tokens.CheckoutTokenApi;
import io.edgedeck.simulator.server.stream.FrameRing;
import io.edgedeck.simulator.server.stream.FrameStream;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowChanges;
import io.edgedeck.simulator.show.ShowRunner;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The lanes of a node's HTTP API and the sources that feed it, wired from what {@link EdgeNode}
 * started: health, ingest, diagnostics, the control API with its idempotency and command fate, the
 * frame stream, OFREP and metrics, one lane per key; the simulated audience and the connectors as
 * sources. Called once, while the node starts.
 */
final class NodeLanes {
    /** How long an admitted command's outcome is awaited: it runs within one engine tick. */
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(30);
    /** How long a connector's batch waits for the engine before it is refused (and resent by its connector). */
    private static final Duration SINK_WAIT = Duration.ofSeconds(10);

    private NodeLanes() {
    }

    /**
     * The simulated audience as one of the node's sources: the events it delivered, per second, from
     * the frames the show publishes.
     */
    static Supplier<SourceStatus> simulatedAudience(ShowDefinition show, ShowRunner runner, LongSupplier keyed) {
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

    /** A rehearsal node's keyed path for its connectors (a live node's is its intake's), used on the engine thread. */
    static IntakeSink.OnEngine keyedOnEngine(Show show, ShowRunner runner) {
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
        // A rehearsal keys no unit: keys of its own, for as long as it runs, tell its refusals apart as a live node's tell its.
        return IntakeSink.onEngine(runner, new KeyedIntake(show.core(), clock, IngestLimits.DEFAULT),
                io.edgedeck.simulator.server.privacy.UnitKeys.of(Secrets.newToken().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    /**
     * The connectors' sink into a keyed path: a batch waits for it at most {@link #SINK_WAIT}; the path counts the
     * events it refuses on their rows through {@code countsRefusalsOn}.
     */
    static IntakeSink sink(IntakeSink.KeyedPath path, java.util.function.Consumer<IntakeSink.RefusalRows> countsRefusalsOn) {
        IntakeSink sink = new IntakeSink(path, SINK_WAIT, InstantSource.system());
        countsRefusalsOn.accept(sink::refused);
        return sink;
    }

    /**
     * The node config's connectors, feeding the core's keyed path and the frame's encoder health.
     * Their counters join the node's sources.
     */
    static Connectors connectors(ConnectorsConfig config, IntakeSink sink, ShowRunner runner, SourceRegistry sources,
                                 java.nio.file.Path dataDir, io.edgedeck.simulator.server.privacy.UnitKeys keys) {
        Connectors all = new Connectors(config, sink, health -> runner.submit(s -> {
            s.core().reportEncoder(health);
            return null;
        }), InstantSource.system(), dataDir, keys);
        sink.connectorRows(all::counters);
        sources.registerAll(all::statuses);
        sources.register(sink.counters()::snapshot);
        return all;
    }

    /** The node's lanes, in the order the router tries them; a new lane (ingest) is one more entry here. */
    static List<Lane> lanes(EdgeNode.Config config, Show show, ShowRunner runner, RehearsalConnection engine, FrameRing ring,
                                    NodeToken token, NodeToken readKey, SourceRegistry sources, NodeToken ingestKey,
                                    LiveIntake intake, LivePrivacy privacy, Supplier<String> fleetMetrics,
                                    FleetControl fleetControl) {
        EngineCommands commands = new EngineCommands(gate -> runner.submit(s -> gate.getAsBoolean()), config.actionTimeout(),
                OUTCOME_WAIT);
        // Answers to changes are journaled with them, and remembered again from the journal after a restart.
        Idempotency idempotency = new Idempotency(KeyedRequest.MAX_KEYS, KeyedRequest.REMEMBERED, System::currentTimeMillis,
                config.actionTimeout().plus(OUTCOME_WAIT), new JournaledAnswers(runner, OUTCOME_WAIT))
                .restore(show.core().journal().records());
        if (fleetControl != null) {
            // A keyed change this node applies from the control topic after it stopped is remembered with its key too.
            fleetControl.keysIn(idempotency);
        }
        OfrepEvaluator ofrep = new OfrepEvaluator(show.core().experiments()::snapshot, config.show().scenario().pops()
                .stream().collect(Collectors.toMap(PopSpec::id, PopSpec::region)), ShowChanges.tenants(show), intake);
        Set<String> popIds = config.show().scenario().pops().stream().map(PopSpec::id).collect(Collectors.toSet());
        Operators operators = new Operators(token, config.dataDir().toAbsolutePath().resolve(OperatorStore.FILE));
        // What operators add and revoke change, audited as the node starts and within a second while it runs, and
        // before the command of the request whose check noticed the change: a new person's first change comes after
        // their token's entry in the trail.
        OperatorAudit operatorAudit = new OperatorAudit(operators.file(), show.core().journal().records());
        // Once a second the node looks at the file as a check would, so a file that cannot be read is in the log (and
        // /healthz) from then on, not only once a person's call finds it.
        runner.alsoBetweenTicks(s -> {
            if (operatorAudit.betweenTicks(s)) {
                operators.look();
            }
        });
        // Of no keyed request: the entries are the node's own, not part of the change that noticed them.
        operators.whenReread(() -> KeyedRequest.during(null, () -> runner.submit(s -> {
            operatorAudit.look(s);
            return null;
        })));
        Access readKeyOrToken = readKeyOrToken(readKey, operators);
        List<Lane> lanes = new ArrayList<>();
        lanes.add(new HealthLane(runner::latest, intake == null ? () -> null : intake.writes()::failure,
                intake == null ? () -> false : intake.writes()::stopped, fleetControl == null ? () -> null : fleetControl::status,
                runner::stalledFor, config.actionTimeout(), operators::problem).lane());
        lanes.add(OpenApiLane.lane());
        CheckoutTokenApi tokens = privacy == null ? null : new CheckoutTokenApi(privacy.tokens, privacy.keys, intake, runner,
                commands, idempotency, config.actionTimeout());
        if (intake != null) {
            intake.offerWith(tokens::offer);
            lanes.add(new IngestLane(intake, ingestKey, config.actionTimeout()).lane(tokens.redeemRoute()));
            lanes.add(IngestLane.statsLane(intake, readKeyOrToken));
            // A live node's privacy controls and checkout tokens: tokens the control API takes, as its changes.
            lanes.add(new PrivacyApi(intake, runner, commands, idempotency, operators.access()).lane());
            lanes.add(tokens.controlLane(operators.access()));
        }
        long startedNanos = System.nanoTime();
        lanes.add(new DiagnosticsApi(engine, commands, popIds, sources,
                () -> runner.submit(s -> Reports.of(s, (System.nanoTime() - startedNanos) / 1_000_000)), readKeyOrToken,
                NodeBuild.info(intake == null ? io.edgedeck.client.model.NodeInfo.REHEARSAL : io.edgedeck.client.model.NodeInfo.LIVE,
                        show.resumedFromJournalAlone()))
                .lane());
        ApprovalLanes approvals = new ApprovalLanes(config.show().scenario().approvals(), show.core().journal().records(),
                System::currentTimeMillis);
        if (fleetControl != null) {
            // A clear of a PoP-local rollback sees the fleet's list, with the PoPs other nodes serve.
            approvals.popRollbacksFrom(fleetControl.popRollbacks());
            // A record of this node's that applies a change request marks it applied with the change, also on start.
            fleetControl.requestsIn(new FleetControl.Requests() {
                @Override
                public List<JournalRecord> marking(Show s, ChangeRequest applied, long firstSeq) {
                    return approvals.marking(s, applied, firstSeq);
                }

                @Override
                public void marked(Show s, List<JournalRecord> records) {
                    approvals.marked(records);
                }

                @Override
                public void settled(long id) {
                    approvals.settled(Long.toString(id));
                }
            });
        }
        // Playbooks and scheduled changes: read back from the journal now, before the engine starts; run between ticks.
        Playbooks playbooks = new Playbooks(config.show().scenario().playbooks().stream().map(PlaybookSpec::toPlaybook).toList(),
                show.core().journal().records(), approvals, show.core().guardrails().firings().size(), fleetControl);
        Schedule schedule = new Schedule(playbooks, show.core().journal().records(), System::currentTimeMillis, fleetControl);
        runner.alsoBetweenTicks(s -> {
            playbooks.afterTick(s);
            schedule.fireDue(s);
        });
        lanes.add(new PlaybookApi(playbooks, schedule, runner, commands, idempotency, operators.access(), fleetControl).lane());
        lanes.add(new ControlApi(engine, new ShowControl(runner), commands, idempotency, runner::latest,
                new FrameStream(ring, EdgeNode.MAX_STREAMS, FrameStream.HEARTBEAT_MILLIS), operators, runner, approvals,
                fleetControl).lane());
        lanes.add(new OfrepLane(ofrep, readKey).lane());
        lanes.add(new MetricsLane(() -> (runner.failure() != null
                        ? CompletableFuture.completedFuture(PrometheusExposition.renderNode(runner.latest()))
                        : runner.submit(s -> PrometheusExposition.render(s, runner.latest())
                                + (intake == null ? "" : IngestExposition.render(intake)
                                        + PrivacyExposition.render(s.core().checkouts().counts(), tokens.issued(), intake))))
                .thenApply(text -> text + ConnectorMetrics.render(sources.statuses()) + fleetMetrics.get()),
                config.actionTimeout(), readKey).lane());
        return forbiddingOtherKeys(lanes, readKeyOrToken, token, readKey, ingestKey, operators);
    }

    /** The diagnostic reads (and a live node's ingest figures) open for the read key or any token the control API takes. */
    private static Access readKeyOrToken(NodeToken readKey, Operators operators) {
        return Access.readKeyOr(readKey, operators.access(
                "a valid bearer token is required (Authorization: Bearer <token>): the node's read key, its"
                        + " admin token or a person's own"));
    }

    /**
     * Who may call what while the node restores its show, before its lanes exist ({@link io.edgedeck.simulator.server.http.Restoring}):
     * the lanes' prefixes and keys, with no routes. A request without a key its lane takes is refused as a running node
     * refuses it (401, or 403 for another lane's key); one with such a key is told the node is restoring.
     * Under {@code /api/v1}, whose diagnostic reads take the read key too, any key that opens one of its paths is let on.
     */
    static List<Lane> restoringGate(EdgeNode.Config config, NodeToken token, NodeToken readKey, NodeToken ingestKey) {
        Operators operators = new Operators(token, config.dataDir().toAbsolutePath().resolve(OperatorStore.FILE));
        Access readKeyOrToken = readKeyOrToken(readKey, operators);
        List<Lane> lanes = new ArrayList<>(List.of(new Lane("/healthz", Access.anyone(), List.of()),
                new Lane("/openapi.json", Access.anyone(), List.of()), new Lane(ControlApi.PREFIX, readKeyOrToken, List.of()),
                new Lane("/ofrep/v1", MetricsLane.access(readKey), List.of()),
                new Lane("/metrics", MetricsLane.access(readKey), List.of())));
        if (ingestKey != null) {
            lanes.add(new Lane("/ingest/v1", IngestLane.access(ingestKey), List.of()));
        }
        return forbiddingOtherKeys(lanes, readKeyOrToken, token, readKey, ingestKey, operators);
    }

    private static List<Lane> forbiddingOtherKeys(List<Lane> lanes, Access readKeyOrToken, NodeToken token, NodeToken readKey,
                                                  NodeToken ingestKey, Operators operators) {
        // One lane per key: a key of another lane is known, and is told so (403) rather than taken for a stranger (401).
        // A lane's own key sent where the lane does not read it (the ingest key as X-API-Key) is not another lane's:
        // it gets the lane's 401, which says where the key goes.
        // A person's own token opens what the admin token opens: where that one is another lane's key, so is theirs.
        // A rehearsal node has no ingest key: its keys are the admin token and the read key, and the answer names no other.
        List<NodeToken> keys = ingestKey == null ? List.of(token, readKey) : List.of(token, readKey, ingestKey);
        String opens = "the admin token and persons' own tokens open /api/v1, the read key /ofrep/v1, /metrics"
                + (ingestKey == null ? "" : ", /api/v1/ingest/stats") + " and the diagnostic reads (/api/v1/sources,"
                + " /api/v1/report, /api/v1/triggers, /api/v1/node, /api/v1/pops/{id}/history)"
                + (ingestKey == null ? "" : ", the ingest key /ingest/v1 alone");
        Predicate<String> personsToken = authorization -> operators.identify(authorization) instanceof Access.Verdict.Let;
        return lanes.stream().map(l -> {
            List<NodeToken> own = ownKeys(l, readKeyOrToken, token, readKey, ingestKey);
            List<NodeToken> others = keys.stream().filter(k -> !own.contains(k)).toList();
            return new Lane(l.prefix(), l.access().forbidding(others, own.contains(token) ? authorization -> false : personsToken,
                    "this key does not open " + l.prefix() + ": " + opens), l.routes());
        }).toList();
    }

    /** The node's keys that open {@code lane}: the ones a caller is told where to send rather than that they do not open it. */
    private static List<NodeToken> ownKeys(Lane lane, Access readKeyOrToken, NodeToken token, NodeToken readKey,
                                           NodeToken ingestKey) {
        if (lane.access() == readKeyOrToken) {
            return List.of(readKey, token);
        }
        return switch (lane.prefix()) {
            case "/ingest/v1" -> List.of(ingestKey);
            case "/ofrep/v1", "/metrics" -> List.of(readKey);
            default -> lane.prefix().startsWith(ControlApi.PREFIX) ? List.of(token) : List.of();
        };
    }
}
