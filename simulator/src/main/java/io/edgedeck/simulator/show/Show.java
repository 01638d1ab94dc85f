package io.edgedeck.simulator.show;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.EdgeEngine;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.sentiment.ChatSentimentScorer;
import io.edgedeck.simulator.traffic.Audience;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One show: the engine, the audience driving it, and the cue timeline, stepped one tick at a time.
 * Deterministic and single-threaded; {@link ShowRunner} puts it on a thread and paces it.
 */
public final class Show {
    /** The scorer holds only immutable lexicons: one for every show in the process. */
    private static final ChatSentimentScorer SCORER = new ChatSentimentScorer();
    private final ShowDefinition definition;
    private final EdgeEngine engine;
    private final Audience audience;
    private final List<TimedCue> cues;
    private int nextCue;
    private long frameSequence;

    public Show(ShowDefinition definition, Journal journal) {
        this.definition = definition;
        this.engine = new EdgeEngine(definition.engine(), journal);
        this.audience = new Audience(definition.traffic(), engine, definition.seed(), SCORER);
        List<TimedCue> sorted = new ArrayList<>(definition.cues());
        sorted.sort(Comparator.comparingLong(TimedCue::atMillis));
        this.cues = sorted;
    }

    public ShowDefinition definition() {
        return definition;
    }

    public EdgeEngine engine() {
        return engine;
    }

    public Audience audience() {
        return audience;
    }

    public long durationMillis() {
        return definition.durationSeconds() * 1000L;
    }

    public boolean finished() {
        return engine.nowMillis() >= durationMillis();
    }

    /** Plays one engine tick: the cues due now, the audience's actions, then the engine's bookkeeping. */
    public void step() {
        while (nextCue < cues.size() && cues.get(nextCue).atMillis() <= engine.nowMillis()) {
            cues.get(nextCue++).action().apply(this);
        }
        audience.tick();
        engine.advance();
    }

    /** True when the engine time just reached a frame boundary. */
    public boolean atFrameBoundary() {
        return engine.nowMillis() % definition.engine().frameMillis() == 0;
    }

    /** A snapshot of everything, numbered in order. */
    public MetricsFrame frame(ShowState state, double speed) {
        return new MetricsFrame(++frameSequence, engine.nowMillis(), definition.name(), definition.seed(), state, speed,
                definition.durationSeconds(), engine.popMetrics(), List.of(), engine.checkoutCounts(), audience.events(), audience.chat());
    }
}
