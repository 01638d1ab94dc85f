package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.edge.Fault;
import io.edgedeck.simulator.edge.SimulatedEdge;
import io.edgedeck.simulator.scenario.ChatMix;
import io.edgedeck.simulator.traffic.AudienceModel;

import java.util.List;
import java.util.function.Consumer;

/**
 * Cues an operator fires by hand in a rehearsal (the Rehearsal tab, {@code POST /api/v1/cues}):
 * checks the request, naming the field at fault, and applies the fault to the simulated edge or the
 * encoder, or the surge or sour mood to the audience, with what ends it later. Engine thread.
 */
final class HandFiredCues {
    /** The show the cues hit, for what acts on it as a scripted cue does (an encoder fault). */
    private final Show show;
    private final EdgeCore core;
    private final SimulatedEdge edge;
    private final AudienceModel audience;
    /** Takes what ends a surge or a shift, at its engine time. */
    private final Consumer<TimedCue> later;

    HandFiredCues(Show show, EdgeCore core, SimulatedEdge edge, AudienceModel audience, Consumer<TimedCue> later) {
        this.show = show;
        this.core = core;
        this.edge = edge;
        this.audience = audience;
        this.later = later;
    }

    /**
     * Fires a fault or a shift now: faults are journaled with the operator as their origin; a surge
     * or a sentiment shift ends by itself after its duration.
     *
     * @throws FlagValidationException naming the field at fault
     */
    void fire(CueRequest cue) {
        requireField("operator", cue.operator() != null && !cue.operator().isBlank(), "must name who fires the cue");
        requireField("durationSeconds", cue.durationSeconds() > 0 && cue.durationSeconds() <= 86_400,
                "must be between 1 and 86400, was " + cue.durationSeconds());
        long duration = cue.durationSeconds() * 1000L;
        CueType type = CueType.of(cue.type());
        if (type == null) {
            throw new FlagValidationException("type", "unknown cue type '"
                    + (cue.type() == null ? "" : cue.type()) + "'; expected pop-outage, partition, jitter-storm, "
                    + "latency-shift, loss, acquirer-slowdown, sentiment-shift, traffic-surge, encoder-drop, encoder-bitrate, "
                    + "encoder-frame-drop, encoder-encoding-lag or encoder-rendering-lag");
        }
        switch (type) {
            case TRAFFIC_SURGE -> {
                requireField("magnitude", cue.magnitude() > 0 && cue.magnitude() <= 100, "the surge multiplier must be in (0, 100]");
                journaled(cue);
            }
            case SENTIMENT_SHIFT -> {
                requireField("flag", cue.flag() != null && !cue.flag().isBlank(),
                        "is required for a sentiment shift: the flag whose variant's chat sours");
                requireField("variant", cue.variant() != null && !cue.variant().isBlank(),
                        "is required for a sentiment shift: the variant whose chat sours");
                var flag = core.experiments().registry().get(cue.flag()).orElseThrow(() ->
                        new FlagNotFoundException("flag", "unknown flag '" + cue.flag() + "'"));
                if (flag.variantIndex(cue.variant()) < 0) {
                    throw new FlagNotFoundException("variant", "flag " + cue.flag()
                            + " has no variant '" + cue.variant() + "'");
                }
                journaled(cue);
            }
            case ENCODER_DROP, ENCODER_BITRATE, ENCODER_FRAME_DROP, ENCODER_ENCODING_LAG, ENCODER_RENDERING_LAG -> {
                String problem = show.encoder().problem(SimulatedEncoder.Kind.of(cue.type()), cue.magnitude());
                requireField("magnitude", problem == null, problem);
                journaled(cue);
            }
            case POP_OUTAGE, PARTITION, JITTER_STORM, LATENCY_SHIFT, LOSS, ACQUIRER_SLOWDOWN -> {
                requireField("pops", !cue.pops().isEmpty(), "must name at least one PoP");
                for (String pop : cue.pops()) {
                    if (core.pops().find(pop) < 0) {
                        throw new FlagNotFoundException("pops", "unknown PoP '" + pop + "'");
                    }
                }
                Fault fault = faultOf(type, cue.magnitude());
                // One cue, one change: every PoP it names gets the fault, or (the journal refusing) none does.
                edge.applyFault(List.copyOf(cue.pops()), fault, duration, cue.operator());
            }
        }
    }

    /**
     * Starts a cue no other record keeps (a surge, a mood shift, an encoder fault), journaled first
     * ({@code cue.fired}) so a replay fires it again at this engine time and a restart puts it back;
     * also how a replay fires a recorded one.
     */
    void journaled(CueRequest cue) {
        long now = core.nowMillis();
        long until = now + cue.durationSeconds() * 1000L;
        core.journal().append(new JournalRecord.CueFired(core.journal().nextSeq(), now, cue, until));
        start(cue, until);
    }

    /**
     * Puts a journaled cue back in force until {@code untilMillis}, when the rehearsal restarts from
     * its journal while it still ran; it is not journaled again.
     */
    void resume(CueRequest cue, long untilMillis) {
        start(cue, untilMillis);
    }

    /** Starts a checked cue now, on the timeline, and queues its end at {@code untilMillis}. */
    private void start(CueRequest cue, long untilMillis) {
        long now = core.nowMillis();
        switch (CueType.of(cue.type())) {
            case TRAFFIC_SURGE -> {
                var started = audience.startSurge(cue.magnitude());
                core.noteAudienceChange(String.format(java.util.Locale.ROOT, "traffic surge x%s for %d s", CueTimeline.trim(cue.magnitude()),
                        cue.durationSeconds()), cue.operator());
                later.accept(new TimedCue(untilMillis, "traffic surge ends", sh -> {
                    sh.audience().endSurge(started);
                    sh.core().noteAudienceChange("traffic surge ends", cue.operator());
                }));
            }
            case SENTIMENT_SHIFT -> {
                var shift = audience.shiftMood(cue.flag(), cue.variant(), ChatMix.SOUR);
                core.noteAudienceChange("chat mood sours for " + cue.flag() + "/" + cue.variant() + " for "
                        + cue.durationSeconds() + " s", cue.operator());
                later.accept(new TimedCue(untilMillis, "chat mood returns", sh -> {
                    sh.audience().endMoodShift(shift);
                    sh.core().noteAudienceChange("chat mood for " + cue.flag() + "/" + cue.variant() + " returns", cue.operator());
                }));
            }
            case ENCODER_DROP, ENCODER_BITRATE, ENCODER_FRAME_DROP, ENCODER_ENCODING_LAG, ENCODER_RENDERING_LAG -> {
                // Counted from when it was fired, also when a restart puts it back later.
                long since = untilMillis - cue.durationSeconds() * 1000L;
                List<TimedCue> startAndEnd = CueTimeline.encoderFault(since, SimulatedEncoder.Kind.of(cue.type()), cue.magnitude(),
                        cue.durationSeconds(), cue.operator());
                startAndEnd.getFirst().action().apply(show);
                later.accept(new TimedCue(untilMillis, startAndEnd.getLast().label(), startAndEnd.getLast().action()));
            }
            case null, default -> throw new IllegalArgumentException(cue.type() + " is journaled by its own records");
        }
    }

    private static Fault faultOf(CueType type, double magnitude) {
        return switch (type) {
            case POP_OUTAGE -> new Fault.Outage();
            case PARTITION -> new Fault.Partition();
            case JITTER_STORM -> new Fault.JitterStorm(positive("magnitude", magnitude));
            case LATENCY_SHIFT -> {
                // The scenario schema's bound for a latency shift's deltaMs, so a hand-fired cue can do no more than a scripted one.
                requireField("magnitude", magnitude >= -60_000 && magnitude <= 60_000,
                        "a latency shift must be between -60000 and 60000 ms, was " + magnitude);
                yield new Fault.LatencyShift(magnitude);
            }
            case LOSS -> {
                requireField("magnitude", magnitude > 0 && magnitude <= 1, "loss must be in (0, 1]");
                yield new Fault.Loss(magnitude);
            }
            case ACQUIRER_SLOWDOWN -> new Fault.AcquirerSlowdown(positive("magnitude", magnitude));
            case SENTIMENT_SHIFT, TRAFFIC_SURGE, ENCODER_DROP, ENCODER_BITRATE, ENCODER_FRAME_DROP, ENCODER_ENCODING_LAG,
                 ENCODER_RENDERING_LAG -> throw new IllegalArgumentException(type + " is not a fault");
        };
    }

    private static void requireField(String field, boolean ok, String message) {
        if (!ok) {
            throw new FlagValidationException(field, message);
        }
    }

    private static double positive(String field, double v) {
        requireField(field, v > 0 && v < 600_000, "must be a positive number of ms under 600000, was " + v);
        return v;
    }
}
