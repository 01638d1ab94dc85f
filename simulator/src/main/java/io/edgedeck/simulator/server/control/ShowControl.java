package io.edgedeck.simulator.server.control;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The node's show control with an audit entry for each change, naming who made it: pausing,
 * resuming, changing the speed and firing a cue by hand; a live node refuses the first three (409) and
 * its engine refuses cues (400), since it has no simulated clock or audience to change. The engine audits flag and guardrail
 * changes itself; these are the node's, because only the node knows the caller (a rehearsal's
 * console acts for one person and does not audit them). Each entry is journaled, so a restarted node
 * shows it again.
 *
 * <p>Order within one engine step: a pause, resume or speed change is audited just before it is
 * made (nothing to validate; a failed journal write stops it); a cue is applied first, because the
 * engine validates it as it applies it, and audited right after in the same step.
 */
public final class ShowControl {
    private final ShowRunner runner;

    public ShowControl(ShowRunner runner) {
        this.runner = runner;
    }

    public CompletableFuture<Void> pause(String actor) {
        return onRehearsal("paused", () -> runner.pause(audit(actor, "show.pause")));
    }

    public CompletableFuture<Void> resume(String actor) {
        return onRehearsal("resumed", () -> runner.resume(audit(actor, "show.resume")));
    }

    /** @param speed engine seconds per wall second, 0 for as fast as possible */
    public CompletableFuture<Void> setSpeed(double speed, String actor) {
        return onRehearsal("set to another speed", () -> runner.setSpeed(speed, audit(actor, "show.speed")));
    }

    /**
     * Runs a change of the show's clock, which only a rehearsal has: a live node's clock is the wall
     * clock (or the fixed rate it was started with, kept in {@code live-epoch}) and its audience is
     * real, so a pause or a new speed would only change what its frames say. Refused there (409),
     * before the engine is asked, so nothing is changed or audited.
     */
    private CompletableFuture<Void> onRehearsal(String what, Supplier<CompletableFuture<Void>> change) {
        if (runner.show().live()) {
            return CompletableFuture.failedFuture(new ApiException(409, null, "a live node's show cannot be " + what
                    + ": its clock is the wall clock (or the rate it was started with, --speed, kept in live-epoch) and its"
                    + " audience is real; nothing changed"));
        }
        return change.get();
    }

    /** Fires {@code cue} as {@code actor}: the engine journals its faults with the actor as their origin. */
    public CompletableFuture<Void> fireCue(CueRequest cue, String actor) {
        CueRequest as = new CueRequest(cue.type(), cue.pops(), cue.magnitude(), cue.durationSeconds(), cue.flag(), cue.variant(), actor);
        return runner.<Void>submit(show -> {
            RehearsalConnection.refuseIfEnded(show);
            show.fireCue(as);
            show.core().experiments().audited(show.core().nowMillis(), actor, Show.CUE_AUDIT, as.type(), "", describe(as), "");
            return null;
        }).exceptionallyCompose(e -> CompletableFuture.failedFuture(RehearsalConnection.translate(
                e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e)));
    }

    private static ShowRunner.BeforeChange audit(String actor, String action) {
        return (Show show, String before, String after) ->
                show.core().experiments().audited(show.core().nowMillis(), actor, action, "show", before, after, "");
    }

    /** What a cue did, for people: "fra, ams · 250 · 60 s". */
    static String describe(CueRequest cue) {
        List<String> parts = new ArrayList<>();
        if (!cue.pops().isEmpty()) {
            parts.add(String.join(", ", cue.pops()));
        }
        if (cue.flag() != null) {
            parts.add(cue.flag() + (cue.variant() != null ? "/" + cue.variant() : ""));
        }
        if (cue.magnitude() != 0) {
            parts.add(cue.magnitude() == Math.rint(cue.magnitude()) ? Long.toString((long) cue.magnitude())
                    : Double.toString(cue.magnitude()));
        }
        parts.add(cue.durationSeconds() + " s");
        return String.join(" · ", parts);
    }
}
