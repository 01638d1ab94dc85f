package io.edgedeck.simulator.server.sources;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.engine.ingest.IngestOutcome;
import io.edgedeck.engine.ingest.KeyedIntake;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.SinkRefusedException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowRunner;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connectors' way into the core: each batch is queued for the engine thread and handed to the
 * core's keyed path ({@link KeyedIntake}), the same path {@code POST /ingest/v1/events} takes, with
 * the same ids and dedupe. The connector's thread waits until the engine has taken the batch, so a
 * connector that is told "done" knows the node holds it.
 *
 * <p>Events the core refuses one by one (an unknown PoP or flag, a time too far off) are counted
 * here, by the field at fault, as the errors of the {@code core} source in the Sources panel and
 * on /metrics: nothing a connector sends disappears without a count.
 */
public final class IntakeSink implements EventSink {
    private final ShowRunner runner;
    private final KeyedIntake intake;
    private final Duration wait;
    private final ConnectorCounters refusals;
    private long takenOnEngine;

    /**
     * @param intake the core's keyed path; used only on the engine thread
     * @param wait   how long a connector waits for the engine before its batch is refused (it retries)
     */
    public IntakeSink(ShowRunner runner, KeyedIntake intake, Duration wait, InstantSource clock) {
        this.runner = runner;
        this.intake = intake;
        this.wait = wait;
        this.refusals = new ConnectorCounters("core", "keyed-intake", clock, SourceState.LISTENING,
                "takes the connectors' observations on the engine thread");
    }

    /** The core's own counters: events taken from connectors, and those it refused by field. */
    public ConnectorCounters counters() {
        return refusals;
    }

    /**
     * Events the core has taken from connectors so far (each one counted in the frame's delivered or
     * lost events). Engine thread only: read it where the frame is made, and the two agree.
     */
    public long takenOnEngine() {
        return takenOnEngine;
    }

    @Override
    public void accept(List<IngestEvent> batch) throws SinkRefusedException {
        if (batch.isEmpty()) {
            return;
        }
        List<IngestOutcome> outcomes;
        try {
            outcomes = runner.submit((Show s) -> {
                List<IngestOutcome> out = intake.acceptAll(batch);
                takenOnEngine += out.stream().filter(IngestOutcome.Accepted.class::isInstance).count();
                return out;
            }).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Queued but not yet taken: a retry of the same ids counts once, so the sender loses nothing.
            throw new SinkRefusedException("the engine did not take the batch within " + wait.toMillis() + " ms", 1);
        } catch (ExecutionException e) {
            throw new SinkRefusedException("the engine is not running: " + e.getCause().getMessage(), 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkRefusedException("the node is stopping", 5);
        }
        int taken = 0;
        for (IngestOutcome o : outcomes) {
            if (o instanceof IngestOutcome.Refused r) {
                refusals.error("refused-" + r.field(), "event " + r.eventId() + ": " + r.field() + " " + r.reason());
            } else {
                taken++;
            }
        }
        refusals.delivered(taken);
    }
}
