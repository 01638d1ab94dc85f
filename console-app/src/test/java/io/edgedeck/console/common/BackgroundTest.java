package io.edgedeck.console.common;

import io.edgedeck.client.EdgeException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundTest {
    private final List<String> seen = new ArrayList<>();

    @Test
    void successThenFinallyOnTheUiExecutor() {
        var done = Background.sameThread().run(() -> 42)
                .onSuccess(v -> seen.add("success " + v))
                .onFailure(f -> seen.add("failure"))
                .andFinally(() -> seen.add("finally"))
                .start();
        assertEquals(List.of("success 42", "finally"), seen);
        assertEquals(42, done.join());
    }

    @Test
    void aFailureCarriesTheEdgesOwnMessageWithoutWrappers() {
        CompletableFuture<String> call = CompletableFuture.failedFuture(
                new EdgeException(EdgeException.Kind.CONFLICT, "flag", "stale version 3, now 4", null));
        var done = Background.sameThread().follow(call.thenApply(s -> s))
                .onSuccess(v -> seen.add("success"))
                .onFailure(f -> seen.add("failure: " + f.message() + " (" + f.cause().getClass().getSimpleName() + ")"))
                .andFinally(() -> seen.add("finally"))
                .start();
        assertEquals(List.of("failure: the flag: stale version 3, now 4 (EdgeException)", "finally"), seen);
        assertTrue(done.isCompletedExceptionally());
    }

    @Test
    void aCheckedExceptionFromBlockingWorkIsAFailureNamedByItsMessage() {
        Background.sameThread().run(() -> {
            throw new IOException("disk full");
        }).onFailure(f -> seen.add(f.message())).start();
        assertEquals(List.of("disk full"), seen);
    }

    @Test
    void outcomesWaitForTheUiExecutorAndProgressIsCoalesced() {
        LinkedBlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
        Background background = new Background(Runnable::run, ui::add);
        List<String> progress = new ArrayList<>();
        background.run(p -> {
            for (int i = 1; i <= 100; i++) {
                p.update(i / 100.0, "step " + i);
            }
            return "ok";
        }).onProgress((fraction, message) -> progress.add(message + " " + fraction))
                .onSuccess(seen::add).start();
        assertTrue(seen.isEmpty(), "nothing runs before the UI executor does");
        assertEquals(2, ui.size(), "a hundred progress reports cost one hop, then the outcome one more");
        ui.forEach(Runnable::run);
        assertEquals(List.of("step 100 1.0"), progress, "only the newest report is shown");
        assertEquals(List.of("ok"), seen);
    }
}
