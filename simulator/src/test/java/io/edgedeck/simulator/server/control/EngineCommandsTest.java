package io.edgedeck.simulator.server.control;

import io.edgedeck.client.EdgeException;
import io.edgedeck.simulator.server.http.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineCommandsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    @Test
    void aCommandWhoseTurnDidNotComeInTimeIsCancelledAndNeverRuns() {
        AtomicReference<BooleanSupplier> waiting = new AtomicReference<>();
        CompletableFuture<Boolean> turn = new CompletableFuture<>();
        EngineCommands commands = new EngineCommands(admit -> {
            waiting.set(admit);
            return turn;
        }, TIMEOUT, Duration.ofSeconds(5));
        AtomicBoolean ran = new AtomicBoolean();
        ApiException e = assertThrows(ApiException.class, () -> commands.run(() -> {
            ran.set(true);
            return CompletableFuture.completedFuture("applied");
        }));
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("cancelled") && e.getMessage().contains("nothing changed"), e.getMessage());
        // the engine reaches the command later: its ticket is gone, so it is not handed over
        boolean admitted = waiting.get().getAsBoolean();
        turn.complete(admitted);
        assertFalse(admitted);
        assertFalse(ran.get(), "a cancelled command never runs");
    }

    @Test
    void aCommandTheEngineTookIsAnsweredWithItsRealOutcomeHoweverLateItIs() {
        EngineCommands commands = new EngineCommands(admit -> CompletableFuture.completedFuture(admit.getAsBoolean()),
                TIMEOUT, Duration.ofSeconds(5));
        String result = commands.run(() -> CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(TIMEOUT.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "applied";
        }));
        assertEquals("applied", result);
    }

    @Test
    void theEnginesRefusalKeepsItsKindAndField() {
        EngineCommands commands = new EngineCommands(admit -> CompletableFuture.completedFuture(admit.getAsBoolean()),
                TIMEOUT, Duration.ofSeconds(5));
        ApiException e = assertThrows(ApiException.class, () -> commands.run(() -> CompletableFuture.failedFuture(
                new EdgeException(EdgeException.Kind.CONFLICT, "expectedVersion", "moved on", null))));
        assertEquals(409, e.status());
        assertEquals("expectedVersion", e.field());
    }

    @Test
    void aStoppedEngineIsA503() {
        EngineCommands commands = new EngineCommands(admit -> CompletableFuture.failedFuture(
                new IllegalStateException("the show has been closed")), TIMEOUT, Duration.ofSeconds(5));
        assertEquals(503, assertThrows(ApiException.class, () -> commands.run(() -> CompletableFuture.completedFuture(1))).status());
    }
}
