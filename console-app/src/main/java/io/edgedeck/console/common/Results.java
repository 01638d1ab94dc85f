package io.edgedeck.console.common;

import io.edgedeck.client.EdgeException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The one hop from a connection's thread back to the UI for the result of an action a person
 * started (a toggle, a rollback). Telemetry never comes this way; it goes through {@link FrameTicker}.
 */
public final class Results {
    private Results() {
    }

    /**
     * Runs {@code onSuccess} or {@code onFailure} on {@code ui} once the action completes. In the
     * console {@code ui} is {@code Platform::runLater}; tests pass {@code Runnable::run}.
     */
    public static <T> void deliver(CompletionStage<T> action, Executor ui, Consumer<T> onSuccess, Consumer<String> onFailure) {
        action.whenComplete((value, error) -> ui.execute(() -> {
            if (error == null) {
                onSuccess.accept(value);
            } else {
                onFailure.accept(describe(error));
            }
        }));
    }

    /** What a producer reads when an action failed: the edge's own message, without wrapper noise. */
    public static String describe(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof EdgeException edge) {
            return edge.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
