package io.edgedeck.simulator.show;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.EdgeException;
import io.edgedeck.engine.journal.JournalUnavailableException;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagRestore;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.engine.flags.FlagConflictException;
import io.edgedeck.engine.flags.FlagInUseException;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagUnchangedException;
import io.edgedeck.engine.flags.FlagValidationException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The console's connection in rehearsal: the bundled engine, in this process. Every action runs on
 * the engine thread at the next tick boundary, exactly as a command from outside would.
 */
public final class RehearsalConnection implements EdgeConnection {
    private final ShowRunner runner;
    private final List<Consumer<ConnectionStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private volatile ConnectionStatus status = new ConnectionStatus(ConnectionStatus.State.ONLINE, "rehearsal engine running",
            System.currentTimeMillis());

    private final Subscription showState;
    private final String source;
    /** What an ended show's refusal says to play it again, after "; "; empty where the show cannot be played again. */
    private final String playAgain;

    /** A rehearsal of a built-in scenario, or of one named by its scenario's name. */
    public RehearsalConnection(ShowRunner runner) {
        this(runner, runner.show().definition().name());
    }

    /**
     * @param source the scenario as it was named to start the show: a built-in's name, or the path of
     *               its file, which may hold a scenario named like a built-in
     */
    public RehearsalConnection(ShowRunner runner, String source) {
        this(runner, source, "Start in the Rehearsal tab plays it again");
    }

    /**
     * The engine of a node served over HTTP: an ended show's refusal names no Rehearsal tab, which the node's
     * callers do not have.
     */
    public static RehearsalConnection onNode(ShowRunner runner) {
        return new RehearsalConnection(runner, runner.show().definition().name(), "");
    }

    private RehearsalConnection(ShowRunner runner, String source, String playAgain) {
        this.runner = runner;
        this.source = source;
        this.playAgain = playAgain;
        // Says what the show is doing, so a rehearsal that played to its end does not read "running".
        this.showState = runner.subscribe(frame -> {
            String detail = switch (frame.state()) {
                case FINISHED -> "rehearsal finished: the show played to its end";
                case PAUSED -> "rehearsal paused";
                default -> "rehearsal engine running";
            };
            ConnectionStatus now = status;
            if (now.online() && !now.detail().equals(detail)) {
                status = new ConnectionStatus(ConnectionStatus.State.ONLINE, detail, System.currentTimeMillis());
                statusListeners.forEach(l -> l.accept(status));
            }
        });
    }

    public ShowRunner runner() {
        return runner;
    }

    /** The scenario as it was named to start this show: a built-in's name, or its file's path. */
    public String source() {
        return source;
    }

    @Override
    public ConnectionMode mode() {
        return ConnectionMode.REHEARSAL;
    }

    @Override
    public String target() {
        ShowDefinition d = runner.show().definition();
        return d.name() + " (seed " + d.seed() + ")";
    }

    @Override
    public Subscription subscribeFrames(Consumer<MetricsFrame> listener) {
        return runner.subscribe(listener);
    }

    @Override
    public Optional<MetricsFrame> latestFrame() {
        return Optional.ofNullable(runner.latest());
    }

    @Override
    public ConnectionStatus status() {
        return status;
    }

    @Override
    public Subscription subscribeStatus(Consumer<ConnectionStatus> listener) {
        statusListeners.add(listener);
        return () -> statusListeners.remove(listener);
    }

    /** Runs an action on the engine thread, turning engine exceptions into {@link EdgeException}s. */
    private <T> CompletableFuture<T> call(Function<Show, T> action) {
        if (!status.online()) {
            return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.UNREACHABLE,
                    "the rehearsal engine has stopped; nothing was applied"));
        }
        return runner.submit(action).handle((value, error) -> {
            if (error == null) {
                return value;
            }
            Throwable e = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            throw translate(e);
        });
    }

    /**
     * {@code action}, once the texts of {@code body} (the change as the API's JSON carries it) pass the
     * node's rules: no control character, names and reasons within their bounds. A rehearsal takes
     * exactly what a show-night node takes. A show that has played to its end takes no change at all.
     */
    private <T> CompletableFuture<T> checked(Object body, Function<Show, T> action) {
        try {
            io.edgedeck.simulator.server.http.JsonBodies.checkTexts(body);
        } catch (io.edgedeck.simulator.server.http.ApiException e) {
            return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.INVALID, e.field(),
                    e.field() + ": " + e.getMessage(), e));
        }
        return call(s -> {
            refuseIfEnded(s, playAgain);
            return action.apply(s);
        });
    }

    /**
     * Why a change to a show that played to its end is refused: nothing plays any more, so a flag, a
     * guardrail or a cue would reach no one, and an audit entry saying otherwise would mislead.
     */
    static String ended(Show s) {
        long seconds = s.durationMillis() / 1000;
        return String.format(java.util.Locale.ROOT, "the show ended at %02d:%02d: no one is served any more, so nothing"
                + " was changed", seconds / 60, seconds % 60);
    }

    /**
     * Refuses (409) a change to {@code s} once it has played to its end, saying so: on a node, whose callers have no
     * Rehearsal tab to play it again from. Engine thread.
     */
    public static void refuseIfEnded(Show s) {
        refuseIfEnded(s, "");
    }

    /**
     * The one rule for a change to a show that has played to its end: refused (409), saying when it ended and, where
     * {@code playAgain} is not empty, how to play it again. Engine thread.
     */
    private static void refuseIfEnded(Show s, String playAgain) {
        if (s.finished()) {
            String why = ended(s);
            throw new EdgeException(EdgeException.Kind.CONFLICT, playAgain.isEmpty() ? why : why + "; " + playAgain);
        }
    }

    /** The change {@code step}, refused (409) as {@link #refuseIfEnded} says before it runs. Engine thread. */
    public static <T> java.util.function.Function<Show, T> whileShowOn(java.util.function.Function<Show, T> step) {
        return s -> {
            refuseIfEnded(s);
            return step.apply(s);
        };
    }

    /** A change's reason as the API's body carries it. */
    private static java.util.Map<String, String> reasonBody(String reason) {
        java.util.Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("reason", reason);
        return body;
    }

    /** An engine exception as the API's: its kind and the field at fault kept. */
    public static EdgeException translate(Throwable e) {
        return switch (e) {
            case EdgeException edge -> edge;
            case FlagNotFoundException nf -> new EdgeException(EdgeException.Kind.NOT_FOUND, ShowChanges.apiField(nf.field()),
                    ShowChanges.apiField(nf.field()) + ": " + nf.detail(), nf);
            case FlagValidationException v -> new EdgeException(EdgeException.Kind.INVALID, ShowChanges.apiField(v.field()),
                    ShowChanges.apiField(v.field()) + ": " + v.detail(), v);
            case FlagInUseException u -> new EdgeException(EdgeException.Kind.CONFLICT, ShowChanges.apiField(u.field()), u.getMessage(), u);
            case FlagUnchangedException u -> new EdgeException(EdgeException.Kind.CONFLICT, null, u.getMessage(), u);
            case FlagConflictException c -> new EdgeException(EdgeException.Kind.CONFLICT, "expectedVersion", c.getMessage(), c);
            case IllegalArgumentException i -> new EdgeException(EdgeException.Kind.INVALID, null, i.getMessage(), i);
            case JournalUnavailableException j -> new EdgeException(EdgeException.Kind.UNREACHABLE, null, readOnly(j), j);
            case ShowRunner.EngineFailedException failed -> new EdgeException(EdgeException.Kind.UNREACHABLE, null, failed.getMessage(), failed);
            default -> new EdgeException(EdgeException.Kind.BAD_DATA, null, "the engine failed: " + e, e);
        };
    }

    /** What a change refused for want of a journal is told. */
    public static String readOnly(JournalUnavailableException e) {
        return "journal cannot be written: " + e.reason() + "; the node is read-only until it can write again, and nothing changed";
    }

    @Override
    public CompletableFuture<List<FlagView>> flags() {
        return call(s -> s.core().experiments().views(ShowChanges.now(s)));
    }

    @Override
    public CompletableFuture<FlagView> changeFlag(String key, FlagChange change) {
        return checked(change, s -> ShowChanges.changeFlag(s, key, change));
    }

    @Override
    public boolean hasFlagHistory() {
        return true;
    }

    @Override
    public CompletableFuture<List<FlagVersion>> flagHistory(String key) {
        return call(s -> s.core().experiments().registry().history(key));
    }

    /** A rehearsal has no approval lanes (one person acts): a restore applies at once, audited as a flag change. */
    @Override
    public CompletableFuture<FlagView> restoreFlag(String key, FlagRestore restore, String operator) {
        return checked(restore, s -> {
            if (restore.reason() == null || restore.reason().isBlank()) {
                throw new FlagValidationException("reason", "a reason is required");
            }
            return ShowChanges.changeFlag(s, key, ShowChanges.restoring(s, key, restore, operator));
        });
    }

    @Override
    public CompletableFuture<FlagView> setKilled(String key, boolean killed, String operator, String reason) {
        return checked(reasonBody(reason), s -> ShowChanges.setKilled(s, key, killed, operator, reason));
    }

    @Override
    public boolean hasRollbackClear() {
        return true;
    }

    @Override
    public CompletableFuture<FlagView> clearRollbackAt(String flag, String variant, List<String> pops, String operator,
                                                       String reason) {
        return checked(new io.edgedeck.client.model.RollbackClear(variant, pops, reason),
                s -> ShowChanges.clearRollbackAt(s, flag, variant, pops, operator, reason));
    }

    @Override
    public boolean hasVariantResume() {
        return true;
    }

    @Override
    public CompletableFuture<FlagView> resumeVariant(String flag, String variant, String operator, String reason) {
        return checked(reasonBody(reason), s -> ShowChanges.resume(s, flag, variant, operator, reason));
    }

    @Override
    public CompletableFuture<List<GuardrailStatus>> guardrails() {
        return call(s -> s.core().guardrails().statuses());
    }

    @Override
    public CompletableFuture<GuardrailStatus> setArmed(String guardrailId, boolean armed, String operator, String reason) {
        return checked(reasonBody(reason), s -> ShowChanges.setArmed(s, guardrailId, armed, operator, reason));
    }

    @Override
    public CompletableFuture<GuardrailFiring> rollback(String flag, String variant, String operator, String reason) {
        java.util.Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("flag", flag);
        body.put("variant", variant);
        body.putAll(reasonBody(reason));
        return checked(body, s -> s.core().guardrails().fireRollback(flag, variant, operator, reason, ShowChanges.now(s)));
    }

    @Override
    public CompletableFuture<List<AuditEntry>> audit() {
        return call(s -> s.core().experiments().audit());
    }

    @Override
    public CompletableFuture<Void> pause() {
        return runner.pause();
    }

    @Override
    public CompletableFuture<Void> resume() {
        return runner.resume();
    }

    @Override
    public boolean canPauseAt() {
        return true;
    }

    @Override
    public CompletableFuture<Void> pauseAt(long engineMillis) {
        return runner.pauseAt(engineMillis);
    }

    @Override
    public CompletableFuture<Void> setSpeed(double speed) {
        try {
            return runner.setSpeed(speed);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.INVALID, "speed", e.getMessage(), e));
        }
    }

    @Override
    public CompletableFuture<Void> fireCue(CueRequest cue) {
        return checked(cue, s -> {
            s.fireCue(cue);
            return null;
        });
    }

    @Override
    public boolean hasTriggerAudit() {
        return true;
    }

    @Override
    public CompletableFuture<io.edgedeck.client.model.TriggerAudit> triggerAudit() {
        return call(s -> s.core().triggers().map(t -> t.audit(s.core().nowMillis()))
                .orElse(io.edgedeck.client.model.TriggerAudit.NONE));
    }

    @Override
    public boolean hasHistory() {
        return true;
    }

    @Override
    public CompletableFuture<io.edgedeck.client.model.PopHistory> history(String popId, long fromSecond, long toSecond) {
        return call(s -> s.core().pops().history(popId, fromSecond, toSecond));
    }

    @Override
    public void close() {
        showState.close();
        runner.close();
        status = new ConnectionStatus(ConnectionStatus.State.OFFLINE, "rehearsal closed", System.currentTimeMillis());
        statusListeners.forEach(l -> l.accept(status));
    }
}
