package io.edgedeck.simulator.server.control;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.client.model.RollbackRequest;
import io.edgedeck.client.model.SpeedChange;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import io.edgedeck.simulator.server.stream.FrameStream;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Edge Control API v1 ({@code /api/v1}, the admin token): PoPs, flags, guardrails, rollbacks,
 * audit, show control and the frame stream, as docs/API.md and the OpenAPI document in edge-client
 * describe them. Actions go to an in-process {@link EdgeConnection} (the one the console rehearses
 * with), so the engine's rules and error kinds are the API's; every mutation runs once per
 * {@code Idempotency-Key} ({@link Idempotency}) and has one fate ({@link EngineCommands}).
 */
public final class ControlApi {
    public static final String PREFIX = "/api/v1";
    /** The fastest a show may be asked to run, in engine seconds per wall second. */
    static final double MAX_SPEED = 10_000;
    /** The widest any cue's magnitude may be: a latency shift down, a jitter storm or acquirer slowdown up (ms). */
    static final double MIN_MAGNITUDE = -60_000;
    static final double MAX_MAGNITUDE = 600_000;

    private final EdgeConnection engine;
    private final EngineCommands commands;
    private final Idempotency idempotency;
    private final Supplier<MetricsFrame> latest;
    private final FrameStream frames;
    private final Access access;

    public ControlApi(EdgeConnection engine, EngineCommands commands, Idempotency idempotency,
                      Supplier<MetricsFrame> latest, FrameStream frames, NodeToken adminToken) {
        this.engine = engine;
        this.commands = commands;
        this.idempotency = idempotency;
        this.latest = latest;
        this.frames = frames;
        this.access = Access.bearer(adminToken,
                "a valid bearer token is required (Authorization: Bearer <token from the node's token file>)");
    }

    /** The lane: {@code /api/v1}, opened by the admin token. */
    public Lane lane() {
        return new Lane(PREFIX, access, List.of(
                Route.get("/pops", c -> Reply.ok(Optional.ofNullable(latest.get()).map(MetricsFrame::pops).orElse(List.of()))),
                Route.get("/flags", c -> Reply.ok(commands.read(engine.flags()))),
                Route.patch("/flags/{key}", once(this::changeFlag)),
                Route.post("/flags/{key}/kill", once(c -> setKilled(c, true))),
                Route.post("/flags/{key}/unkill", once(c -> setKilled(c, false))),
                Route.get("/guardrails", c -> Reply.ok(commands.read(engine.guardrails()))),
                Route.post("/guardrails/{id}/arm", once(c -> setArmed(c, true))),
                Route.post("/guardrails/{id}/disarm", once(c -> setArmed(c, false))),
                Route.post("/rollbacks", once(this::rollback)),
                Route.get("/audit", c -> Reply.ok(commands.read(engine.audit()))),
                Route.post("/show/pause", once(c -> noContent(commands.run(engine::pause)))),
                Route.post("/show/resume", once(c -> noContent(commands.run(engine::resume)))),
                Route.put("/show/speed", once(this::setSpeed)),
                Route.post("/show/cues", once(this::fireCue)),
                Route.get("/frames/latest", c -> Reply.ok(Optional.ofNullable(latest.get())
                        .orElseThrow(() -> new ApiException(404, null, "the show has not published a frame yet")))),
                Route.get("/frames/stream", frames::answer)));
    }

    private Route.Handler once(Route.Handler mutation) {
        return idempotency.once(mutation);
    }

    private Reply changeFlag(Call c) {
        FlagChange change = JsonBodies.parse(c.body(), FlagChange.class, "expectedVersion", "operator", "reason");
        return Reply.ok(commands.run(() -> engine.changeFlag(c.param(0), change)));
    }

    private Reply setKilled(Call c, boolean killed) {
        OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "operator", "reason");
        return Reply.ok(commands.run(() -> engine.setKilled(c.param(0), killed, a.operator(), a.reason())));
    }

    private Reply setArmed(Call c, boolean armed) {
        OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "operator", "reason");
        return Reply.ok(commands.run(() -> engine.setArmed(c.param(0), armed, a.operator(), a.reason())));
    }

    private Reply rollback(Call c) {
        RollbackRequest r = JsonBodies.parse(c.body(), RollbackRequest.class, "flag", "variant", "operator", "reason");
        return Reply.ok(commands.run(() -> engine.rollback(r.flag(), r.variant(), r.operator(), r.reason())));
    }

    private Reply setSpeed(Call c) {
        SpeedChange s = JsonBodies.parse(c.body(), SpeedChange.class, "speed");
        if (!(s.speed() >= 0 && s.speed() <= MAX_SPEED)) {
            throw ApiException.invalid("speed", "must be between 0 (as fast as possible) and 10000, was " + s.speed());
        }
        return noContent(commands.run(() -> engine.setSpeed(s.speed())));
    }

    /**
     * {@code magnitude} may be left out: it is 0 then, which the cue types that need one refuse. Whatever the
     * type, it stays within the envelope the OpenAPI document states; each type's own range is the engine's.
     */
    private Reply fireCue(Call c) {
        CueRequest cue = JsonBodies.parse(c.body(), CueRequest.class, List.of("type", "durationSeconds", "operator"),
                Map.of("magnitude", 0));
        if (!(cue.magnitude() >= MIN_MAGNITUDE && cue.magnitude() <= MAX_MAGNITUDE)) {
            throw ApiException.invalid("magnitude", "must be between " + (long) MIN_MAGNITUDE + " and " + (long) MAX_MAGNITUDE
                    + ", was " + cue.magnitude());
        }
        return noContent(commands.run(() -> engine.fireCue(cue)));
    }

    private static Reply noContent(Object ignored) {
        return Reply.noContent();
    }
}
