package io.edgedeck.simulator.server.control;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagRestore;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.RequestDecision;
import io.edgedeck.client.model.RollbackClear;
import io.edgedeck.client.model.RollbackRequest;
import io.edgedeck.client.model.SpeedChange;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import io.edgedeck.simulator.server.approvals.ApprovalLanes;
import io.edgedeck.simulator.server.operators.Operators;
import io.edgedeck.simulator.server.stream.FrameStream;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowChanges;
import io.edgedeck.simulator.show.ShowRunner;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Edge Control API v1 ({@code /api/v1}): PoPs, flags, guardrails, rollbacks, audit, show control
 * and the frame stream, as docs/API.md and the OpenAPI document in edge-client describe them.
 *
 * <p>Every call acts for someone ({@link Operators}): the node owner's admin token, or a person's own
 * token with their role. Reads need any of them; changes need the operator role or above (a viewer
 * gets 403 naming the role needed, and nothing changes). The audit names the caller, never the
 * {@code operator} a body may still carry: that field is accepted for older clients and ignored.
 *
 * <p>Actions go to an in-process {@link EdgeConnection} (the one the console rehearses with), so the
 * engine's rules and error kinds are the API's; show control goes through {@link ShowControl}, which
 * audits it. Every change runs once per caller and {@code Idempotency-Key} ({@link Idempotency}) and
 * has one fate ({@link EngineCommands}).
 */
public final class ControlApi {
    public static final String PREFIX = "/api/v1";
    /** The widest any cue's magnitude may be: a latency shift down, a jitter storm or acquirer slowdown up (ms). */
    static final double MIN_MAGNITUDE = -60_000;
    static final double MAX_MAGNITUDE = 600_000;

    private final EdgeConnection engine;
    private final ShowControl show;
    private final EngineCommands commands;
    private final Idempotency idempotency;
    private final Supplier<MetricsFrame> latest;
    private final FrameStream frames;
    private final Access access;
    private final ShowRunner runner;
    private final ApprovalLanes lanes;
    private final FleetControl fleet;

    /**
     * @param lanes the show's approval lanes: which flag changes, unkills and disarms wait for a second person
     * @param fleet the fleet's control topic, through which this node's flag changes go; null for a node in no fleet
     */
    public ControlApi(EdgeConnection engine, ShowControl show, EngineCommands commands, Idempotency idempotency,
                      Supplier<MetricsFrame> latest, FrameStream frames, Operators operators, ShowRunner runner,
                      ApprovalLanes lanes, FleetControl fleet) {
        this.engine = engine;
        this.fleet = fleet;
        this.runner = runner;
        this.lanes = lanes;
        this.show = show;
        this.commands = commands;
        this.idempotency = idempotency;
        this.latest = latest;
        this.frames = frames;
        this.access = operators.access();
    }

    /** The lane: {@code /api/v1}, opened by the admin token or a person's token. */
    public Lane lane() {
        return new Lane(PREFIX, access, List.of(
                Route.get("/me", c -> Reply.ok(c.caller())),
                Route.get("/pops", c -> Reply.ok(Optional.ofNullable(latest.get()).map(MetricsFrame::pops).orElse(List.of()))),
                Route.get("/flags", c -> Reply.ok(commands.read(engine.flags()))),
                Route.get("/flags/{key}", c -> Reply.ok(commands.read(onEngine(s -> ShowChanges.view(s, c.param(0)))))),
                Route.patch("/flags/{key}", change(this::changeFlag)),
                Route.get("/flags/{key}/history", c -> Reply.ok(commands.read(onEngine(s ->
                        s.core().experiments().registry().history(c.param(0)))))),
                Route.post("/flags/{key}/restore", change(this::restore)),
                Route.post("/flags/{key}/kill", change(c -> setKilled(c, true))),
                Route.post("/flags/{key}/unkill", change(c -> setKilled(c, false))),
                Route.get("/guardrails", c -> Reply.ok(commands.read(engine.guardrails()))),
                Route.post("/guardrails/{id}/arm", change(c -> setArmed(c, true))),
                Route.post("/guardrails/{id}/disarm", change(c -> setArmed(c, false))),
                Route.post("/rollbacks", change(this::rollback)),
                Route.post("/flags/{key}/pop-rollbacks/clear", change(this::clearRollbackAt)),
                Route.post("/flags/{key}/variants/{variant}/resume", change(this::resume)),
                Route.get("/requests", c -> Reply.ok(requests(c.query("state")))).taking("state"),
                Route.get("/requests/{id}", c -> Reply.ok(commands.read(onEngine(s -> lanes.read(s, c.param(0)))))),
                Route.patch("/requests/{id}", change(this::editRequest)),
                Route.post("/requests/{id}/approve", change(Role.APPROVER, c -> decide(c, true))),
                Route.post("/requests/{id}/reject", change(c -> decide(c, false))),
                Route.post("/requests/{id}/apply", change(this::applyRequest)),
                Route.get("/audit", c -> Reply.ok(AuditQuery.of(c).select(commands.read(engine.audit())))).taking(AuditQuery.PARAMETERS),
                Route.get("/audit/export", c -> AuditQuery.jsonLines(AuditQuery.of(c).select(commands.read(engine.audit()))))
                        .taking(AuditQuery.PARAMETERS),
                Route.post("/show/pause", change(c -> noContent(commands.run(() -> show.pause(actor(c)))))),
                Route.post("/show/resume", change(c -> noContent(commands.run(() -> show.resume(actor(c)))))),
                Route.put("/show/speed", change(this::setSpeed)),
                Route.post("/show/cues", change(this::fireCue)),
                Route.get("/frames/latest", c -> Reply.ok(Optional.ofNullable(latest.get())
                        .orElseThrow(() -> new ApiException(404, null, "the show has not published a frame yet")))),
                Route.get("/frames/stream", frames::answer)));
    }

    /**
     * A route that changes the show: the caller's role is checked first (403, before the body is
     * read or an Idempotency-Key is taken), then it runs once per caller and key.
     */
    private Route.Handler change(Route.Handler mutation) {
        return change(Role.OPERATOR, mutation);
    }

    /** The same, for a route that needs {@code needed} (an approver's route). */
    private Route.Handler change(Role needed, Route.Handler mutation) {
        return change(idempotency, needed, mutation);
    }

    /**
     * A route that changes the node, for any lane under {@code /api/v1}: the caller's role is checked
     * first (403 unless it is an operator's, nothing read or taken), then it runs once per caller and
     * {@code Idempotency-Key}.
     */
    public static Route.Handler change(Idempotency idempotency, Route.Handler mutation) {
        return change(idempotency, Role.OPERATOR, mutation);
    }

    private static Route.Handler change(Idempotency idempotency, Role needed, Route.Handler mutation) {
        Route.Handler once = idempotency.once(mutation);
        return c -> {
            Caller caller = c.caller();
            if (!caller.role().covers(needed)) {
                String article = caller.role().id().matches("[aeiou].*") ? " is an " : " is a ";
                throw ApiException.forbidden(needed, caller.name() + article + caller.role().id() + ": " + c.method() + " "
                        + c.path() + (needed == Role.OPERATOR ? " needs the operator role (or approver, or the node's admin token)"
                        : " needs the approver role (or the node's admin token)") + "; nothing changed");
            }
            return once.handle(c);
        };
    }

    /** Runs {@code step} on the engine thread; the engine's refusals keep their kind, the lanes' their status. */
    private <T> CompletableFuture<T> onEngine(Function<Show, T> step) {
        return onEngine(runner, step);
    }

    /** Runs {@code step} on {@code runner}'s engine thread; the engine's refusals keep their kind, the node's their status. */
    public static <T> CompletableFuture<T> onEngine(ShowRunner runner, Function<Show, T> step) {
        return runner.submit(step).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof ApiException api ? api : RehearsalConnection.translate(cause));
        });
    }

    /**
     * A change the approval lanes may hold back: applied at once unless they find it risky, else
     * opened as a request and answered 202 with it. The check and what follows are one engine step.
     */
    private Reply throughLanes(Call c, ApprovalLanes.Proposal p, Function<Show, Object> direct,
                               Function<Show, FleetControl.Proposal> viaFleet) {
        return throughLanes(c, s -> p, (s, same) -> direct.apply(s), viaFleet == null ? null : (s, same) -> viaFleet.apply(s));
    }

    /**
     * The same, for a change whose proposal is made on the engine thread from the show's state. In a
     * fleet, a change the lanes let through is made through the fleet's control topic ({@code viaFleet}
     * names it; null for a change the topic does not carry); one they hold is opened here as a
     * request, as on a node in no fleet.
     */
    private Reply throughLanes(Call c, Function<Show, ApprovalLanes.Proposal> propose,
                               BiFunction<Show, ApprovalLanes.Proposal, Object> direct,
                               BiFunction<Show, ApprovalLanes.Proposal, FleetControl.Proposal> viaFleet) {
        Object outcome;
        if (fleet != null && viaFleet != null) {
            outcome = fleet.change(commands, s -> {
                RehearsalConnection.refuseIfEnded(s);
                ApprovalLanes.Proposal p = propose.apply(s);
                List<String> risks = lanes.risks(s, p, actor(c));
                return risks.isEmpty() ? viaFleet.apply(s, p) : new FleetControl.Proposal.Answer(lanes.open(s, p, risks, actor(c)));
            });
        } else {
            outcome = commands.run(() -> onEngine(s -> {
                RehearsalConnection.refuseIfEnded(s);
                ApprovalLanes.Proposal p = propose.apply(s);
                List<String> risks = lanes.risks(s, p, actor(c));
                return risks.isEmpty() ? direct.apply(s, p) : lanes.open(s, p, risks, actor(c));
            }));
        }
        if (outcome instanceof ChangeRequest held) {
            return Reply.json(202, held).with("Location", PREFIX + "/requests/" + held.id());
        }
        return Reply.ok(outcome);
    }

    private List<ChangeRequest> requests(String state) {
        ChangeRequest.State wanted;
        try {
            wanted = state == null || state.isBlank() ? null : ChangeRequest.State.of(state);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("state", e.getMessage());
        }
        return commands.read(onEngine(lanes::read)).stream().filter(r -> wanted == null || r.state() == wanted).toList();
    }

    /**
     * An approval (of the revision the approver saw: {@code revision} is required) or a rejection (of
     * the revision named, when one is). The revision is compared on the engine thread, in the same
     * step as the decision, so an edit that lands first makes the approval a 409, never an approval
     * of the new revision.
     */
    private Reply decide(Call c, boolean approve) {
        RequestDecision a = approve ? JsonBodies.parse(c.body(), RequestDecision.class, "reason", "revision")
                : JsonBodies.parse(c.body(), RequestDecision.class, "reason");
        if (a.revision() != null && a.revision() < 1) {
            throw ApiException.invalid("revision", "must be 1 or more (the request's revision you decided on), was " + a.revision());
        }
        boolean approver = c.caller().role().covers(Role.APPROVER);
        return Reply.ok(commands.run(() -> onEngine(s -> {
            if (approve) {
                // An approval is of a change to apply, and an ended show takes none.
                RehearsalConnection.refuseIfEnded(s);
            }
            return approve ? lanes.approve(s, c.param(0), actor(c), a.revision(), a.reason())
                : lanes.reject(s, c.param(0), actor(c), approver, a.revision(), a.reason());
        })));
    }

    /**
     * Applies an approved request. In a fleet, an approved flag change, unkill or disarm is made
     * through the control topic like any such change, its record carrying the request as applied,
     * which this node marks so in the same journal write as the change; a request of another kind
     * applies on this node, as on a node in no fleet.
     */
    private Reply applyRequest(Call c) {
        String id = c.param(0);
        if (fleet == null) {
            return Reply.ok(commands.run(() -> onEngine(RehearsalConnection.whileShowOn(s -> lanes.apply(s, id, actor(c))))));
        }
        return Reply.ok(throughFleet(id, RehearsalConnection.whileShowOn(s -> {
            ApprovalLanes.Applying change = lanes.applying(s, id, actor(c), fleet.node());
            return change == null ? new FleetControl.Proposal.Answer(lanes.apply(s, id, actor(c)))
                    : new FleetControl.Proposal.Write(change.step(), actor(c), change.reason()).applying(change.applied());
        })));
    }

    /**
     * How long at most a request whose change this node has not applied yet stays in flight (every decision
     * on it answered 409): written but not applied in time, or not confirmed by the fleet's Kafka.
     */
    static final java.time.Duration UNCONFIRMED_HOLD = java.time.Duration.ofMinutes(2);

    /**
     * Request {@code id}'s change made through the fleet as {@code propose} says, and the request as it then
     * stands: applied, marked so with its change; or the proposal's own answer.
     */
    private ChangeRequest throughFleet(String id, java.util.function.Function<Show, FleetControl.Proposal> propose) {
        Object outcome;
        // Whether this call put the request in flight (a write): only then is it this call's to settle.
        boolean[] writing = new boolean[1];
        FleetControl.NotAppliedYet pending = null;
        try {
            outcome = fleet.change(commands, s -> {
                FleetControl.Proposal p = propose.apply(s);
                writing[0] = p instanceof FleetControl.Proposal.Write;
                return p;
            });
        } catch (FleetControl.NotAppliedYet e) {
            pending = e;
            throw e;
        } finally {
            if (pending == null) {
                runner.submit(s -> {
                    if (writing[0]) {
                        lanes.settled(id);
                    }
                    return null;
                });
            } else {
                // Written, or perhaps on the topic: it applies (and settles the request) once this node reads that
                // far. A request held past UNCONFIRMED_HOLD takes decisions again, so one whose record this node
                // never applies (its reader stopped, the record was refused) is not held until a restart; should
                // its change apply after that, it is marked applied all the same, since the change was made.
                java.util.concurrent.CompletableFuture.delayedExecutor(UNCONFIRMED_HOLD.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> runner.submit(s -> {
                    lanes.settled(id);
                    return null;
                }));
            }
        }
        if (outcome instanceof ChangeRequest answered) {
            return answered;
        }
        ChangeRequest now = commands.read(onEngine(s -> lanes.get(id)));
        if (now.state() != ChangeRequest.State.APPLIED) {
            throw new ApiException(500, null, "the change of request #" + id + " is made on every node, but the request was"
                    + " not marked applied here (it is " + now.state().id() + "); this node's log says why");
        }
        return now;
    }

    /** The requester's new version of their request: a flag change's new body, or another change's new reason. */
    private Reply editRequest(Call c) {
        var held = commands.read(onEngine(s -> lanes.get(c.param(0))));
        FlagChange change = null;
        String reason;
        if (held.operation().equals(ChangeRequest.FLAG_CHANGE)) {
            change = JsonBodies.parse(c.body(), FlagChange.class, "expectedVersion", "reason");
            requireVersion("expectedVersion", change.expectedVersion());
            reason = change.reason();
        } else {
            reason = JsonBodies.parse(c.body(), OperatorAction.class, "reason").reason();
        }
        FlagChange edited = change;
        String id = c.param(0);
        if (fleet == null) {
            return Reply.ok(commands.run(() -> onEngine(RehearsalConnection.whileShowOn(s -> lanes.edit(s, id, actor(c), edited, reason)))));
        }
        // In a fleet, a revision without risk applies as an opening would: through the control topic.
        return Reply.ok(throughFleet(id, RehearsalConnection.whileShowOn(s -> {
            ApprovalLanes.Edit e = lanes.editing(s, id, actor(c), edited, reason);
            if (e.risky()) {
                return new FleetControl.Proposal.Answer(lanes.edit(s, e));
            }
            ApprovalLanes.Applying applying = lanes.applyingEdit(s, e, fleet.node());
            return new FleetControl.Proposal.Write(applying.step(), actor(c), applying.reason()).applying(applying.applied());
        })));
    }

    /**
     * A flag version the body names is one a flag can have: versions count from 1, so a smaller one is a
     * malformed request (400), not a stale one (409, which would send the caller to read the flag again).
     */
    private static void requireVersion(String field, long version) {
        if (version < 1) {
            throw ApiException.invalid(field, "must be a flag version, 1 or more (a flag's first version is 1), was " + version);
        }
    }

    /** The name the audit gives the caller. */
    private static String actor(Call c) {
        return c.caller().name();
    }

    private Reply changeFlag(Call c) {
        FlagChange body = JsonBodies.parse(c.body(), FlagChange.class, "expectedVersion", "reason");
        requireVersion("expectedVersion", body.expectedVersion());
        FlagChange change = new FlagChange(body.expectedVersion(), body.variants(), body.scope(), actor(c), body.reason());
        return throughLanes(c, new ApprovalLanes.Proposal(ChangeRequest.FLAG_CHANGE, c.param(0), change,
                body.reason()), s -> ShowChanges.changeFlag(s, c.param(0), change),
                s -> FleetControl.Proposal.Write.flag(ShowChanges.command(s, c.param(0), change, actor(c), body.reason())));
    }

    /**
     * Brings back an earlier version's weights and scope, as a flag change based on {@code expectedVersion}:
     * the same checks, lanes and audit entry ({@code flag.change}, its reason beginning {@code restore vN:}).
     * Whether the flag is killed is left as it is: kill and unkill are their own changes.
     */
    private Reply restore(Call c) {
        FlagRestore r = JsonBodies.parse(c.body(), FlagRestore.class, "version", "expectedVersion", "reason");
        requireVersion("version", r.version());
        requireVersion("expectedVersion", r.expectedVersion());
        // Checked as given: the reason kept is "restore vN: " and the one given, never blank itself.
        if (r.reason().isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        String key = c.param(0);
        String reason = "restore v" + r.version() + ": " + r.reason();
        return throughLanes(c, s -> {
            FlagVersion old = s.core().experiments().registry().history(key).stream().filter(v -> v.version() == r.version())
                    .findFirst().orElseThrow(() -> new ApiException(404, "version", key + " has no version " + r.version()));
            return new ApprovalLanes.Proposal(ChangeRequest.FLAG_CHANGE, key,
                    new FlagChange(r.expectedVersion(), old.variants(), old.scope(), actor(c), reason), reason);
        }, (s, p) -> ShowChanges.changeFlag(s, key, p.change()),
                (s, p) -> FleetControl.Proposal.Write.flag(ShowChanges.command(s, key, p.change(), actor(c), reason)));
    }

    private Reply setKilled(Call c, boolean killed) {
        OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "reason");
        String key = c.param(0);
        if (killed && fleet != null) {
            return Reply.ok(fleet.change(commands, s -> killing(s, key, true, actor(c), a.reason())));
        }
        if (killed) {
            return Reply.ok(commands.run(() -> engine.setKilled(key, true, actor(c), a.reason())));
        }
        return throughLanes(c, new ApprovalLanes.Proposal(ChangeRequest.FLAG_UNKILL, key, null,
                a.reason()), s -> ShowChanges.setKilled(s, key, false, actor(c), a.reason()),
                s -> killing(s, key, false, actor(c), a.reason()));
    }

    /** A kill or unkill to make through the fleet; a flag already so is answered as it is, as on a node in no fleet. */
    private static FleetControl.Proposal killing(Show s, String key, boolean killed, String operator, String reason) {
        ShowChanges.flag(s, key);
        ShowChanges.reasonGiven(reason, "must not be blank");
        if (ShowChanges.flag(s, key).killed() == killed) {
            return new FleetControl.Proposal.Answer(ShowChanges.view(s, key));
        }
        long now = ShowChanges.now(s);
        return FleetControl.Proposal.Write.flag(killed ? new FlagCommand.Kill(key, operator, reason, now)
                : new FlagCommand.Unkill(key, operator, reason, now));
    }

    private Reply setArmed(Call c, boolean armed) {
        OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "reason");
        String rule = c.param(0);
        if (armed && fleet != null) {
            return Reply.ok(fleet.change(commands, s -> arming(s, rule, true, actor(c), a.reason())));
        }
        if (armed) {
            return Reply.ok(commands.run(() -> engine.setArmed(rule, true, actor(c), a.reason())));
        }
        return throughLanes(c, new ApprovalLanes.Proposal(ChangeRequest.GUARDRAIL_DISARM, rule, null, a.reason()),
                s -> ShowChanges.setArmed(s, rule, false, actor(c), a.reason()), s -> arming(s, rule, false, actor(c), a.reason()));
    }

    /** An arm or disarm to make through the fleet; a guardrail already so is answered as it is, as on a node in no fleet. */
    private static FleetControl.Proposal arming(Show s, String rule, boolean armed, String operator, String reason) {
        s.core().guardrails().armed(rule);
        ShowChanges.reasonGiven(reason, "must say why");
        if (s.core().guardrails().armed(rule) == armed) {
            return new FleetControl.Proposal.Answer(s.core().guardrails().status(rule));
        }
        return FleetControl.Proposal.Write.arming(rule, armed, operator, reason);
    }

    private Reply rollback(Call c) {
        RollbackRequest r = JsonBodies.parse(c.body(), RollbackRequest.class, "flag", "variant", "reason");
        if (fleet == null) {
            return Reply.ok(commands.run(() -> engine.rollback(r.flag(), r.variant(), actor(c), r.reason())));
        }
        // In a fleet it is a flag change on the control topic: the flag's weights with the variant's moved to control.
        fleet.change(commands, s -> FleetControl.Proposal.Write.flag(ShowChanges.rollingBack(s, r.flag(), r.variant(), actor(c),
                r.reason())));
        return Reply.ok(commands.read(onEngine(s -> new GuardrailFiring(ShowChanges.now(s), io.edgedeck.engine.guardrails.Guardrails.MANUAL, r.flag(), r.variant(),
                GuardrailAction.ROLLBACK, s.core().experiments().popIds(), r.reason(), false, actor(c), Map.of()))));
    }

    /**
     * Serves a variant again at PoPs where a PoP-local rollback (a guardrail's or a playbook's) sent its
     * units to control: at {@code pops}, or at every PoP where it is rolled back when they are left out.
     * The answer is the flag, with the PoPs where the variant is still rolled back.
     */
    private Reply clearRollbackAt(Call c) {
        RollbackClear r = JsonBodies.parse(c.body(), RollbackClear.class, "variant", "reason");
        if (r.pops() != null && r.pops().isEmpty()) {
            throw ApiException.invalid("pops", "names no PoP: leave pops out to clear the rollback at every PoP where it is");
        }
        for (int i = 0; r.pops() != null && i < r.pops().size(); i++) {
            if (r.pops().indexOf(r.pops().get(i)) < i) {
                throw ApiException.invalid("pops[" + i + "]", "names " + r.pops().get(i) + " again: name each PoP once");
            }
        }
        List<String> pops = r.pops() == null ? List.of() : r.pops();
        String key = c.param(0);
        return throughLanes(c, s -> {
            ShowChanges.flag(s, key);
            return ApprovalLanes.Proposal.rollbackClear(key, r.variant(), pops, r.reason());
        }, (s, p) -> ShowChanges.clearRollbackAt(s, key, r.variant(), pops, actor(c), r.reason()),
                (s, p) -> clearing(s, key, r.variant(), lanes.lifted(s, p.target(), pops), actor(c), r.reason()));
    }

    /**
     * A clear to make through the fleet, at the PoPs of the fleet's list (and this node's own) it lifts; with
     * none left to lift, the flag as it is, as on a node in no fleet.
     */
    private static FleetControl.Proposal clearing(Show s, String key, String variant, List<String> lifted, String operator,
                                                  String reason) {
        if (lifted.isEmpty()) {
            return new FleetControl.Proposal.Answer(ShowChanges.view(s, key));
        }
        return new FleetControl.Proposal.Write(io.edgedeck.engine.journal.JournalRecord.Step.clearing(
                new io.edgedeck.engine.journal.JournalRecord.RollbackAtStep(key, variant, lifted)), operator, reason);
    }

    /**
     * Lets a paused variant (a guardrail's pause) take new exposures again, through the approval lanes as
     * an unkill goes; in a fleet through the control topic, which carries pauses and their lifting alike.
     */
    private Reply resume(Call c) {
        OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "reason");
        String key = c.param(0);
        String variant = c.param(1);
        return throughLanes(c, s -> {
            ShowChanges.flag(s, key);
            return ApprovalLanes.Proposal.resume(key, variant, a.reason());
        }, (s, p) -> ShowChanges.resume(s, key, variant, actor(c), a.reason()),
                (s, p) -> ShowChanges.paused(s, key, variant) ? resuming(key, variant, actor(c), a.reason())
                        : new FleetControl.Proposal.Answer(ShowChanges.view(s, key)));
    }

    /** A paused variant resumed, as one write to the fleet's control topic. */
    static FleetControl.Proposal.Write resuming(String key, String variant, String operator, String reason) {
        return new FleetControl.Proposal.Write(io.edgedeck.engine.journal.JournalRecord.Step.pausing(
                new io.edgedeck.engine.journal.JournalRecord.PauseStep(key, variant, false)), operator, reason);
    }

    private Reply setSpeed(Call c) {
        SpeedChange s = JsonBodies.parse(c.body(), SpeedChange.class, "speed");
        if (!(s.speed() == ShowRunner.MAX_SPEED || ShowRunner.speedTaken(s.speed()))) {
            // Refused as --speed refuses it.
            throw ApiException.invalid("speed", "must be 0 (as fast as possible) or " + ShowRunner.SPEED_RANGE + ", was "
                    + (Double.isFinite(s.speed()) ? new java.math.BigDecimal(Double.toString(s.speed())).stripTrailingZeros().toString()
                    : Double.toString(s.speed())));
        }
        return noContent(commands.run(() -> show.setSpeed(s.speed(), actor(c))));
    }

    /**
     * {@code magnitude} may be left out: it is 0 then, which the cue types that need one refuse. Whatever the
     * type, it stays within the envelope the OpenAPI document states; each type's own range is the engine's.
     */
    private Reply fireCue(Call c) {
        CueRequest cue = JsonBodies.parse(c.body(), CueRequest.class, List.of("type", "durationSeconds"),
                Map.of("magnitude", 0));
        if (!(cue.magnitude() >= MIN_MAGNITUDE && cue.magnitude() <= MAX_MAGNITUDE)) {
            throw ApiException.invalid("magnitude", "must be between " + (long) MIN_MAGNITUDE + " and " + (long) MAX_MAGNITUDE
                    + ", was " + cue.magnitude());
        }
        return noContent(commands.run(() -> show.fireCue(cue, actor(c))));
    }

    private static Reply noContent(Object ignored) {
        return Reply.noContent();
    }
}
