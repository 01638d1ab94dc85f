package io.edgedeck.simulator.show;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.MetricsFrame;

import java.util.Optional;
import java.util.function.Consumer;

/** The console's connection in rehearsal: the bundled engine, in this process. */
public final class RehearsalConnection implements EdgeConnection {
    private final ShowRunner runner;

    public RehearsalConnection(ShowRunner runner) {
        this.runner = runner;
    }

    public ShowRunner runner() {
        return runner;
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
    public void close() {
        runner.close();
    }
}
