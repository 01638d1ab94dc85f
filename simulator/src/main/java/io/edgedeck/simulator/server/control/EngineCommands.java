package io.edgedeck.simulator.server.control;

import io.edgedeck.client.EdgeException;
import io.edgedeck.engine.journal.JournalUnavailableException;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.server.http.ApiException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Hands the control API's commands to the engine so that each has exactly one fate, and the
 * answer says which. A command waits its turn behind a ticket: on the engine thread, at the tick
 * boundary where its turn comes, the ticket is taken and only then is the command itself handed
 * over (it runs in the same drain of the engine's queue). If the turn has not come within the
 * action timeout, the ticket is cancelled instead: the command will never run, and the answer is
 * a 503 that says nothing changed. If the ticket was taken, the answer waits for the command's
 * real outcome. There is no third case where a 503 is answered and the change applies later.
 */
public final class EngineCommands {

    /** Lets a command in: runs {@code admit} on the engine thread at its next tick boundary. */
    @FunctionalInterface
    public interface Gate {
        CompletableFuture<Boolean> admit(BooleanSupplier admit);
    }

    private static final int PENDING = 0;
    private static final int TAKEN = 1;
    private static final int CANCELLED = 2;

    private final Gate gate;
    private final Duration timeout;
    private final Duration outcomeWait;

    /**
     * @param timeout     how long a command may wait for its turn before it is cancelled
     * @param outcomeWait how long an admitted command's outcome is awaited (it runs within one tick)
     */
    public EngineCommands(Gate gate, Duration timeout, Duration outcomeWait) {
        this.gate = gate;
        this.timeout = timeout;
        this.outcomeWait = outcomeWait;
    }

    /** How long a command may wait for the engine. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs a command that changes the engine's state and returns its result.
     *
     * @param command hands the command to the engine; called at most once, on the engine thread or the caller's
     * @throws ApiException 503 when it was cancelled (nothing changed), or the engine's refusal as its status
     */
    public <T> T run(Supplier<CompletableFuture<T>> command) {
        AtomicInteger ticket = new AtomicInteger(PENDING);
        CompletableFuture<T> outcome = gate.admit(() -> ticket.compareAndSet(PENDING, TAKEN))
                .thenCompose(admitted -> admitted ? command.get() : CompletableFuture.failedFuture(new Cancelled()));
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            if (ticket.compareAndSet(PENDING, CANCELLED)) {
                throw new ApiException(503, null, "the engine did not take the command within " + seconds(timeout)
                        + "; it was cancelled and will not be applied: nothing changed");
            }
            return awaitOutcome(outcome);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (ticket.compareAndSet(PENDING, CANCELLED)) {
                throw new ApiException(503, null, "the node is stopping; the command was cancelled: nothing changed");
            }
            throw new ApiException(500, null, "the node stopped while the engine applied the command; check the audit log");
        } catch (ExecutionException e) {
            throw refusal(e.getCause());
        }
    }

    private <T> T awaitOutcome(CompletableFuture<T> outcome) {
        try {
            return outcome.get(outcomeWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(500, null, "the engine took the command but gave no outcome within "
                    + seconds(outcomeWait) + "; check the audit log before sending it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(500, null, "the node stopped while the engine applied the command; check the audit log");
        } catch (ExecutionException e) {
            throw refusal(e.getCause());
        }
    }

    /** Waits for a query (which changes nothing, so giving up on it is harmless). */
    public <T> T read(CompletableFuture<T> query) {
        try {
            return query.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(503, null, "the engine did not answer within " + seconds(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, null, "the node is stopping");
        } catch (ExecutionException e) {
            throw refusal(e.getCause());
        }
    }

    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled before the engine took it", null, false, false);
        }
    }

    /** The engine's answer to a command as the API's: its refusals keep their kind and field. */
    static ApiException refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        return switch (cause) {
            case ApiException api -> api;
            case EdgeException edge -> new ApiException(status(edge.kind()), edge.field(), edge.getMessage());
            case JournalUnavailableException journal -> new ApiException(503, null, RehearsalConnection.readOnly(journal));
            case IllegalStateException closed -> new ApiException(503, null, closed.getMessage());
            default -> new ApiException(500, null, "the engine failed: " + cause);
        };
    }

    static int status(EdgeException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORISED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNREACHABLE -> 503;
            case BAD_DATA -> 500;
            case HELD -> 202;
        };
    }

    /** A duration as answers word it: "10 s", or "750 ms" when not whole seconds. */
    public static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
