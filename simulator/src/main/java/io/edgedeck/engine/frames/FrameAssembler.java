package io.edgedeck.engine.frames;

import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.TriggerMetrics;
import io.edgedeck.engine.chat.Chat;
import io.edgedeck.engine.checkouts.Checkouts;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.guardrails.Guardrails;
import io.edgedeck.engine.pops.EventTally;
import io.edgedeck.engine.pops.Pops;
import io.edgedeck.engine.timeline.Timeline;
import io.edgedeck.engine.triggers.TriggerEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Builds the metrics frame: an immutable snapshot of every part of the core, numbered in order.
 * Engine thread; the frame it returns may cross threads.
 */
public final class FrameAssembler {
    private final String name;
    private final long seed;
    private final LongSupplier clock;
    private final Pops pops;
    private final Checkouts checkouts;
    private final EventTally events;
    private final Chat chat;
    private final Experiments experiments;
    private final Guardrails guardrails;
    private final TriggerEngine triggers;
    private final Timeline timeline;
    private long sequence;
    private EncoderHealth encoder;

    /** @param triggers the trigger engine, or null when there are no trigger rules */
    public FrameAssembler(String name, long seed, LongSupplier clock, Pops pops, Checkouts checkouts, EventTally events,
                          Chat chat, Experiments experiments, Guardrails guardrails, TriggerEngine triggers,
                          Timeline timeline) {
        this.name = name;
        this.seed = seed;
        this.clock = clock;
        this.pops = pops;
        this.checkouts = checkouts;
        this.events = events;
        this.chat = chat;
        this.experiments = experiments;
        this.guardrails = guardrails;
        this.triggers = triggers;
        this.timeline = timeline;
    }

    /** The producer's encoder as last read (OBS); every frame from now on carries it. Null for none. */
    public void encoder(EncoderHealth health) {
        this.encoder = health;
    }

    /**
     * The next frame.
     *
     * @param durationSeconds the show's planned length, or 0 for a node that runs until stopped
     */
    public MetricsFrame frame(ShowState state, double speed, int durationSeconds) {
        long now = clock.getAsLong();
        List<PopMetrics> popMetrics = new ArrayList<>(pops.count());
        for (int p = 0; p < pops.count(); p++) {
            popMetrics.add(pops.metrics(p, checkouts.pendingAt(p), now));
        }
        return new MetricsFrame(++sequence, now, name, seed, state, speed, durationSeconds, popMetrics,
                experiments.variantMetrics(now), checkouts.counts(), events.counts(), chat.metrics(), experiments.views(now),
                guardrails.statuses(), guardrails.firings(), triggers == null ? TriggerMetrics.NONE : triggers.metrics(),
                timeline.events(), encoder);
    }
}
