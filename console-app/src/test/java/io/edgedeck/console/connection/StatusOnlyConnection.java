package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Only what the status view model and the dashboard read: the status and its listeners. */
final class StatusOnlyConnection implements EdgeConnection {
    final List<Consumer<ConnectionStatus>> listeners = new CopyOnWriteArrayList<>();
    volatile ConnectionStatus status = new ConnectionStatus(ConnectionStatus.State.ONLINE, "connected to http://127.0.0.1:8787", 0);

    void set(ConnectionStatus.State state, String detail) {
        set(state, detail, 0);
    }

    void set(ConnectionStatus.State state, String detail, long sinceMillis) {
        set(new ConnectionStatus(state, detail, sinceMillis));
    }

    void set(ConnectionStatus next) {
        status = next;
        listeners.forEach(l -> l.accept(next));
    }

    volatile boolean fleet;

    public ConnectionMode mode() { return ConnectionMode.LIVE; }
    public boolean hasFleet() { return fleet; }
    public String target() { return "http://127.0.0.1:8787"; }
    public Subscription subscribeFrames(Consumer<MetricsFrame> listener) { return () -> { }; }
    public Optional<MetricsFrame> latestFrame() { return Optional.empty(); }
    public ConnectionStatus status() { return status; }
    public Subscription subscribeStatus(Consumer<ConnectionStatus> l) { listeners.add(l); return () -> listeners.remove(l); }
    public CompletableFuture<List<FlagView>> flags() { throw new UnsupportedOperationException(); }
    public CompletableFuture<FlagView> changeFlag(String key, FlagChange change) { throw new UnsupportedOperationException(); }
    public CompletableFuture<FlagView> setKilled(String k, boolean b, String o, String r) { throw new UnsupportedOperationException(); }
    public CompletableFuture<List<GuardrailStatus>> guardrails() { throw new UnsupportedOperationException(); }
    public CompletableFuture<GuardrailStatus> setArmed(String g, boolean a, String o, String r) { throw new UnsupportedOperationException(); }
    public CompletableFuture<GuardrailFiring> rollback(String f, String v, String o, String r) { throw new UnsupportedOperationException(); }
    public CompletableFuture<List<AuditEntry>> audit() { throw new UnsupportedOperationException(); }
    public CompletableFuture<Void> pause() { throw new UnsupportedOperationException(); }
    public CompletableFuture<Void> resume() { throw new UnsupportedOperationException(); }
    public CompletableFuture<Void> setSpeed(double speed) { throw new UnsupportedOperationException(); }
    public CompletableFuture<Void> fireCue(CueRequest cue) { throw new UnsupportedOperationException(); }
    public void close() { }
}
