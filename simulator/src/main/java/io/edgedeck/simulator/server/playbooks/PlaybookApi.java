package io.edgedeck.simulator.server.playbooks;

import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.CueFired;
import io.edgedeck.client.model.NewPlaybook;
import io.edgedeck.client.model.NewScheduledChange;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.simulator.server.control.ControlApi;
import io.edgedeck.simulator.server.control.EngineCommands;
import io.edgedeck.simulator.server.control.FleetControl;
import io.edgedeck.simulator.server.control.Idempotency;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowRunner;

import java.util.List;
import java.util.function.Function;

/**
 * Playbooks, scheduled changes and named cues under {@code /api/v1} (docs/API.md, "Playbooks" and
 * "Scheduled changes"), opened by the tokens the control API takes. Reads for any of them; changes
 * for an operator or above, once per caller and {@code Idempotency-Key}, each journaled before it is
 * answered and audited once.
 */
public final class PlaybookApi {
    private final Playbooks playbooks;
    private final Schedule schedule;
    private final ShowRunner runner;
    private final EngineCommands commands;
    private final Idempotency idempotency;
    private final Access access;
    private final FleetControl fleet;

    /** @param fleet the node's part of the fleet's control topic, or null for a node in no fleet */
    public PlaybookApi(Playbooks playbooks, Schedule schedule, ShowRunner runner, EngineCommands commands, Idempotency idempotency,
                       Access access, FleetControl fleet) {
        this.playbooks = playbooks;
        this.schedule = schedule;
        this.runner = runner;
        this.commands = commands;
        this.idempotency = idempotency;
        this.access = access;
        this.fleet = fleet;
    }

    public Lane lane() {
        return new Lane(ControlApi.PREFIX, access, List.of(
                Route.get("/playbooks", c -> Reply.ok(read(s -> playbooks.all()))),
                Route.get("/playbooks/{id}", c -> Reply.ok(read(s -> playbooks.get(c.param(0))))),
                Route.post("/playbooks", ControlApi.change(idempotency, this::create)),
                Route.post("/playbooks/{id}/run", ControlApi.change(idempotency, c -> {
                    OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "reason");
                    // In a fleet, a run is one record on the control topic that every node applies.
                    return Reply.ok(fleet == null ? change(RehearsalConnection.whileShowOn(s -> playbooks.run(s, c.param(0), actor(c), a.reason())))
                            : fleet.change(commands, RehearsalConnection.whileShowOn(s -> playbooks.runInFleet(s, c.param(0), actor(c), a.reason()))));
                })),
                Route.post("/playbooks/{id}/retire", ControlApi.change(idempotency, c -> {
                    OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "reason");
                    return Reply.ok(change(s -> retire(s, c.param(0), actor(c), a.reason())));
                })),
                Route.get("/schedule", c -> Reply.ok(scheduled(c.query("state")))).taking("state"),
                Route.get("/schedule/{id}", c -> Reply.ok(read(s -> view(schedule.get(c.param(0)))))),
                Route.post("/schedule", ControlApi.change(idempotency, c -> {
                    NewScheduledChange n = JsonBodies.parse(c.body(), NewScheduledChange.class, "reason");
                    ScheduledChange made = change(RehearsalConnection.whileShowOn(s -> schedule.create(s, n, actor(c))));
                    return Reply.json(201, made).with("Location", ControlApi.PREFIX + "/schedule/" + made.id());
                })),
                Route.post("/schedule/{id}/retry", ControlApi.change(idempotency, c -> {
                    OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "reason");
                    return Reply.ok(change(s -> view(schedule.retry(s, c.param(0), actor(c), a.reason()))));
                })),
                Route.post("/schedule/{id}/cancel", ControlApi.change(idempotency, c -> {
                    OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "reason");
                    return Reply.ok(change(s -> schedule.cancel(s, c.param(0), actor(c), a.reason())));
                })),
                Route.post("/show/cues/{name}", ControlApi.change(idempotency, c -> {
                    OperatorAction a = c.body().length == 0 ? new OperatorAction(null, "") : JsonBodies.parse(c.body(), OperatorAction.class);
                    CueFired fired = change(RehearsalConnection.whileShowOn(s -> schedule.fireCue(s, c.param(0), actor(c), a.reason())));
                    return Reply.ok(fleet == null ? fired : settled(fired));
                }))));
    }

    /** A new playbook: 201 when it is ready, 202 with the change request that holds it back when it is risky. */
    private Reply create(Call c) {
        NewPlaybook p = JsonBodies.parse(c.body(), NewPlaybook.class, "id", "actions", "reason");
        Object made = change(s -> playbooks.create(s, p, actor(c)));
        if (made instanceof ChangeRequest held) {
            return Reply.json(202, held).with("Location", ControlApi.PREFIX + "/requests/" + held.id());
        }
        return Reply.json(201, made).with("Location", ControlApi.PREFIX + "/playbooks/" + p.id());
    }

    /** Retires a playbook no pending scheduled change waits to run: those are named, to cancel first. */
    private Object retire(Show s, String id, String actor, String reason) {
        playbooks.get(id);
        List<String> waiting = schedule.all().stream()
                .filter(c -> c.state() == ScheduledChange.State.PENDING && id.equals(c.playbook()))
                .map(c -> "#" + c.id() + " (" + c.when() + ")").toList();
        if (!waiting.isEmpty()) {
            throw new ApiException(409, null, "scheduled changes wait to run playbook '" + id + "': " + String.join(", ", waiting)
                    + "; cancel them first; nothing changed");
        }
        return playbooks.retire(s, id, actor, reason);
    }

    /**
     * A fired cue on a fleet node, answered once each change it fired through the fleet was applied here
     * (or failed, or left pending: not confirmed), with the changes as they then are: it waits for the node's cue window
     * and the last try in it.
     */
    private CueFired settled(CueFired fired) {
        long waitMillis = Math.max(commands.timeout().multipliedBy(2).toMillis(), fleet.cueWindow().plus(commands.timeout()).toMillis());
        try {
            schedule.settled(fired).get(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // answered with the changes as they are: pending ones are still being written, or were refused
        }
        return read(s -> new CueFired(fired.cue(), fired.fired().stream().map(x -> schedule.get(Long.toString(x.id()))).toList()));
    }

    private List<ScheduledChange> scheduled(String state) {
        ScheduledChange.State wanted;
        try {
            wanted = state == null || state.isBlank() ? null : ScheduledChange.State.of(state);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("state", e.getMessage());
        }
        return read(s -> schedule.all().stream().filter(x -> wanted == null || x.state() == wanted).map(this::view).toList());
    }

    /**
     * A scheduled change as the API gives it; one left pending because its control record was never confirmed carries
     * {@code unconfirmed}: since when, the last try's failure, and what a producer can do (docs/FLEET.md). Engine thread:
     * the change and what is said of it are read at one moment.
     */
    private ScheduledChange view(ScheduledChange c) {
        Schedule.Unconfirmed u = schedule.unconfirmed(c.id());
        if (u == null) {
            return c;
        }
        return c.withUnconfirmed(new ScheduledChange.Unconfirmed(u.sinceEpochMillis(), u.last(),
                "its control record was not confirmed by the fleet's Kafka: it may yet apply on every node, or may have"
                        + " applied already; check the fleet's nodes (their flags and the control topic) before it is retried or"
                        + " cancelled (a retry of a change that did apply makes it again over any change made since; a cancel"
                        + " does not take back a record that lands)"));
    }

    private <T> T change(Function<Show, T> step) {
        return commands.run(() -> ControlApi.onEngine(runner, step));
    }

    private <T> T read(Function<Show, T> step) {
        return commands.read(ControlApi.onEngine(runner, step));
    }

    private static String actor(Call c) {
        return c.caller().name();
    }
}
