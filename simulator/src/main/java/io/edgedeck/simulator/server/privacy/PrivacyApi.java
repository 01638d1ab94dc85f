package io.edgedeck.simulator.server.privacy;

import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.simulator.server.control.ControlApi;
import io.edgedeck.simulator.server.control.EngineCommands;
import io.edgedeck.simulator.server.control.Idempotency;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import io.edgedeck.simulator.show.ShowRunner;

import java.nio.file.Files;
import java.util.List;

/**
 * A live node's privacy controls under {@code /api/v1}: {@code GET /privacy} (the salt's generation,
 * the raw retention window and how far the ingest log's scrubbing has got) and
 * {@code POST /privacy/salt/rotate} (a new salt for pseudonyms: an operator's change, journaled and
 * audited as {@code privacy.salt.rotate}). Opened by the tokens the control API takes.
 */
public final class PrivacyApi {
    /** The audit action of a salt rotation; its before and after are {@link #GENERATION} and a number. */
    public static final String ROTATE_ACTION = "privacy.salt.rotate";
    public static final String GENERATION = "generation ";
    private final LiveIntake intake;
    private final ShowRunner runner;
    private final EngineCommands commands;
    private final Idempotency idempotency;
    private final Access access;

    /** The privacy settings and where the node stands: what {@code GET /api/v1/privacy} answers. */
    public record Status(long saltGeneration, long saltMadeAtEpochMillis, long rawRetentionSeconds, double rawSampleRate,
                         Long oldestRawIngestEpochMillis, long ingestLogBytes, long scrubbedRecords) {
    }

    /** What a rotation answers: the salt's generation before and after. */
    public record Rotated(long fromGeneration, long toGeneration) {
    }

    public PrivacyApi(LiveIntake intake, ShowRunner runner, EngineCommands commands, Idempotency idempotency, Access access) {
        this.intake = intake;
        this.runner = runner;
        this.commands = commands;
        this.idempotency = idempotency;
        this.access = access;
    }

    public Lane lane() {
        return new Lane("/api/v1", access, List.of(
                Route.get("/privacy", c -> Reply.ok(status())),
                Route.post("/privacy/salt/rotate", ControlApi.change(idempotency, this::rotate))));
    }

    public Status status() {
        Pseudonyms.State salt = intake.pseudonyms().state();
        long bytes;
        try {
            bytes = Files.size(intake.log().file());
        } catch (java.io.IOException e) {
            bytes = -1;
        }
        var oldest = intake.log().oldestRawEpochMillis();
        return new Status(salt.generation(), salt.madeAtEpochMillis(), intake.rawRetention().toSeconds(),
                intake.rawSampleRate(), oldest.isPresent() ? oldest.getAsLong() : null, bytes, intake.scrubbedRecords());
    }

    private Reply rotate(Call c) {
        OperatorAction a = JsonBodies.parse(c.body(), OperatorAction.class, "reason");
        if (a.reason().isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        String actor = c.caller().name();
        return Reply.ok(commands.run(() -> runner.submit(show -> {
            Pseudonyms.Rotation r;
            try {
                r = intake.pseudonyms().next(System.currentTimeMillis());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the salt file cannot be read (" + e.getMessage() + "); nothing changed", e);
            }
            SecretRotation.journaled(show, r, actor, ROTATE_ACTION, "salt", GENERATION + r.fromGeneration(),
                    GENERATION + r.toGeneration(), a.reason());
            return new Rotated(r.fromGeneration(), r.toGeneration());
        })));
    }
}
