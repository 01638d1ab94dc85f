package io.edgedeck.simulator.bundle;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.ShowState;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A bundle opened in the console: the show as it stood when the bundle was made, read-only. Reads
 * answer at once from the bundle; anything that would change the show is refused, because there is
 * no show to change. No frames ever arrive, so the console never calls the data stale.
 */
public final class BundleConnection implements EdgeConnection {
    private final Bundle bundle;
    private final String fileName;
    private final MetricsFrame frame;

    public BundleConnection(Bundle bundle, String fileName) {
        this.bundle = bundle;
        this.fileName = fileName;
        MetricsFrame f = bundle.frame();
        // A frame taken from a running show says RUNNING; here nothing runs, so it must not wait for more.
        this.frame = f == null || f.state() != ShowState.RUNNING ? f : f.withRunState(f.sequence(), ShowState.PAUSED, 0);
    }

    public Bundle bundle() {
        return bundle;
    }

    @Override
    public ConnectionMode mode() {
        return ConnectionMode.OFFLINE;
    }

    @Override
    public String target() {
        BundleManifest m = bundle.manifest();
        return "bundle " + fileName + ": " + m.scenario() + " (seed " + m.seed() + ") at "
                + io.edgedeck.client.analysis.WhatChanged.clock(m.engineMillis() / 1000);
    }

    @Override
    public Subscription subscribeFrames(Consumer<MetricsFrame> listener) {
        return () -> { };
    }

    @Override
    public Optional<MetricsFrame> latestFrame() {
        return Optional.ofNullable(frame);
    }

    @Override
    public ConnectionStatus status() {
        return new ConnectionStatus(ConnectionStatus.State.OFFLINE, "a bundle, opened offline: read-only", 0);
    }

    @Override
    public Subscription subscribeStatus(Consumer<ConnectionStatus> listener) {
        return () -> { };
    }

    @Override
    public boolean hasHistory() {
        return true;
    }

    @Override
    public CompletableFuture<PopHistory> history(String popId, long fromSecond, long toSecond) {
        PopHistory h = bundle.history().get(popId);
        if (h == null) {
            return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND, "pop",
                    "the bundle has no history for PoP '" + popId + "'; it has " + bundle.history().keySet(), null));
        }
        return CompletableFuture.completedFuture(h.between(fromSecond, toSecond));
    }

    private static <T> CompletableFuture<T> readOnly() {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.UNREACHABLE,
                "this is a bundle opened offline: nothing can be changed, and nothing was applied"));
    }

    @Override
    public CompletableFuture<List<FlagView>> flags() {
        return CompletableFuture.completedFuture(bundle.flags());
    }

    @Override
    public CompletableFuture<FlagView> changeFlag(String key, FlagChange change) {
        return readOnly();
    }

    @Override
    public CompletableFuture<FlagView> setKilled(String key, boolean killed, String operator, String reason) {
        return readOnly();
    }

    @Override
    public CompletableFuture<List<GuardrailStatus>> guardrails() {
        return CompletableFuture.completedFuture(frame == null ? List.of() : frame.guardrails());
    }

    @Override
    public CompletableFuture<GuardrailStatus> setArmed(String guardrailId, boolean armed, String operator, String reason) {
        return readOnly();
    }

    @Override
    public CompletableFuture<GuardrailFiring> rollback(String flag, String variant, String operator, String reason) {
        return readOnly();
    }

    @Override
    public CompletableFuture<List<AuditEntry>> audit() {
        return CompletableFuture.completedFuture(bundle.audit());
    }

    @Override
    public CompletableFuture<Void> pause() {
        return readOnly();
    }

    @Override
    public CompletableFuture<Void> resume() {
        return readOnly();
    }

    @Override
    public CompletableFuture<Void> setSpeed(double speed) {
        return readOnly();
    }

    @Override
    public CompletableFuture<Void> fireCue(CueRequest cue) {
        return readOnly();
    }

    /**
     * True when the bundle was made from a node: it has the node's {@code node.json}, says the node predates the call,
     * or says why the node could not be asked; so a bundle exported again from this one names the same node.
     */
    @Override
    public boolean hasNodeInfo() {
        BundleManifest m = bundle.manifest();
        return bundle.diagnostics().containsKey(BundleFormat.NODE) || m.nodeVersionUnknown() != null || nodeGap().isPresent();
    }

    /**
     * The node the bundle was made from, as its {@code node.json} says; from a node too old to say, the 404 it
     * answered; from one that could not be asked, why, as the bundle recorded it.
     */
    @Override
    public CompletableFuture<io.edgedeck.client.model.NodeInfo> nodeInfo() {
        Object node = bundle.diagnostics().get(BundleFormat.NODE);
        if (node != null) {
            return CompletableFuture.completedFuture(BundleFormat.JSON.convertValue(node, io.edgedeck.client.model.NodeInfo.class));
        }
        if (bundle.manifest().nodeVersionUnknown() != null) {
            return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                    "the bundle opened (" + fileName + ") says " + bundle.manifest().nodeVersionUnknown()));
        }
        String why = nodeGap().map(BundleManifest.Gap::why).orElse("it has no node.json");
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.BAD_DATA,
                "not in the bundle opened (" + fileName + "): " + why.replaceFirst("^left out: ", "")));
    }

    private java.util.Optional<BundleManifest.Gap> nodeGap() {
        return bundle.manifest().partial().stream().filter(g -> g.entry().equals(BundleFormat.NODE)).findFirst();
    }

    @Override
    public void close() {
        // Nothing is held open: the bundle was read whole.
    }
}
