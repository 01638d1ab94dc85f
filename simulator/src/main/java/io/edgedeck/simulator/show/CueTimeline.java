package io.edgedeck.simulator.show;

import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.simulator.edge.Fault;
import io.edgedeck.simulator.scenario.Cue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Turns a scenario's cues into actions on a running show, each with the label a producer reads. */
final class CueTimeline {
    private CueTimeline() {
    }

    static List<TimedCue> of(List<Cue> cues) {
        List<TimedCue> out = new ArrayList<>();
        for (Cue cue : cues) {
            long at = cue.atSeconds() * 1000L;
            long duration = cue.durationSeconds() * 1000L;
            String span = " for " + cue.durationSeconds() + " s";
            switch (cue) {
                case Cue.PopOutage c -> out.add(fault(at, "outage " + c.pop() + span, c.pop(), new Fault.Outage(), duration));
                case Cue.Partition c -> out.add(fault(at, "partition " + c.pop() + span, c.pop(), new Fault.Partition(), duration));
                case Cue.JitterStorm c -> out.add(new TimedCue(at,
                        String.format(Locale.ROOT, "jitter storm %s +%.0f ms%s", String.join(",", c.pops()), c.jitterMs(), span),
                        show -> c.pops().forEach(p -> show.edge().applyFault(p, new Fault.JitterStorm(c.jitterMs()), duration, "cue"))));
                case Cue.LatencyShift c -> out.add(fault(at, String.format(Locale.ROOT, "latency %s %+.0f ms%s", c.pop(), c.deltaMs(), span),
                        c.pop(), new Fault.LatencyShift(c.deltaMs()), duration));
                case Cue.Loss c -> out.add(fault(at, String.format(Locale.ROOT, "loss %s %.1f%%%s", c.pop(), c.loss() * 100, span),
                        c.pop(), new Fault.Loss(c.loss()), duration));
                case Cue.AcquirerSlowdown c -> out.add(new TimedCue(at,
                        String.format(Locale.ROOT, "acquirer slowdown %s +%.0f ms%s", String.join(",", c.pops()), c.extraMs(), span),
                        show -> c.pops().forEach(p -> show.edge().applyFault(p, new Fault.AcquirerSlowdown(c.extraMs()), duration, "cue"))));
                case Cue.TrafficSurge c -> {
                    String surge = String.format(Locale.ROOT, "traffic surge x%s%s", trim(c.multiplier()), span);
                    // The surge this cue started, for its end to end: another surge (fired by hand) may overlap it.
                    var started = new java.util.concurrent.atomic.AtomicReference<io.edgedeck.simulator.traffic.AudienceModel.Surge>();
                    out.add(new TimedCue(at, surge, show -> {
                        started.set(show.audience().startSurge(c.multiplier()));
                        show.core().noteAudienceChange(surge, "cue");
                    }, at + duration));
                    out.add(new TimedCue(at + duration, "traffic surge ends", show -> {
                        // A show resumed after the surge began never started it here: nothing of it to end.
                        if (started.get() != null) {
                            show.audience().endSurge(started.get());
                        }
                        show.core().noteAudienceChange("traffic surge ends", "cue");
                    }));
                }
                case Cue.EncoderDrop c -> out.addAll(encoderFault(at, SimulatedEncoder.Kind.DROP, 0, c.durationSeconds(), "cue"));
                case Cue.EncoderBitrate c -> out.addAll(encoderFault(at, SimulatedEncoder.Kind.BITRATE, c.bitrateKbps(),
                        c.durationSeconds(), "cue"));
                case Cue.EncoderFrameDrop c -> out.addAll(encoderFault(at, SimulatedEncoder.Kind.FRAME_DROP, c.droppedPercent(),
                        c.durationSeconds(), "cue"));
                case Cue.EncoderEncodingLag c -> out.addAll(encoderFault(at, SimulatedEncoder.Kind.ENCODING_LAG, c.skippedPercent(),
                        c.durationSeconds(), "cue"));
                case Cue.EncoderRenderingLag c -> out.addAll(encoderFault(at, SimulatedEncoder.Kind.RENDERING_LAG, c.renderMs(),
                        c.durationSeconds(), "cue"));
                case Cue.SentimentShift c -> {
                    String shift = "chat mood shifts for " + c.flag() + "/" + c.variant() + span;
                    String back = "chat mood for " + c.flag() + "/" + c.variant() + " returns";
                    // The shift this cue started, for its end to end: another shift of the variant (fired by hand) may overlap it.
                    var started = new java.util.concurrent.atomic.AtomicReference<io.edgedeck.simulator.traffic.MoodShift>();
                    out.add(new TimedCue(at, shift, show -> {
                        started.set(show.audience().shiftMood(c.flag(), c.variant(), c.chatMood()));
                        show.core().noteAudienceChange(shift, "cue");
                    }, at + duration));
                    out.add(new TimedCue(at + duration, back, show -> {
                        // A show resumed after the shift began never started it here: nothing of it to end.
                        if (started.get() != null) {
                            show.audience().endMoodShift(started.get());
                        }
                        show.core().noteAudienceChange(back, "cue");
                    }));
                }
            }
        }
        out.sort(Comparator.comparingLong(TimedCue::atMillis));
        return out;
    }

    /**
     * An encoder fault from {@code at}: its start, and its end, which ends only the fault this start
     * began (another of the same kind, fired by hand, may overlap it). Both go on the timeline. Started
     * later than {@code at} (a rehearsal restarted inside it), the encoder still counts it from {@code at}.
     */
    static List<TimedCue> encoderFault(long at, SimulatedEncoder.Kind kind, double magnitude, int seconds, String origin) {
        String label = new SimulatedEncoder.Fault(kind, magnitude).label(seconds);
        String back = kind.wireName + " ends";
        var started = new java.util.concurrent.atomic.AtomicReference<SimulatedEncoder.Fault>();
        return List.of(new TimedCue(at, label, show -> {
            started.set(show.encoder().start(kind, magnitude, at));
            show.core().timeline().add(new ShowEvent(show.core().nowMillis(), "fault", label, null, null, origin));
        }, at + seconds * 1000L, show -> show.encoder().ended(kind, magnitude, at, at + seconds * 1000L)), new TimedCue(at + seconds * 1000L, back, show -> {
            // A show resumed after the fault began never started it here: nothing of it to end.
            if (started.get() != null) {
                show.encoder().end(started.get());
            }
            show.core().timeline().add(new ShowEvent(show.core().nowMillis(), "fault", back, null, null, origin));
        }));
    }

    private static TimedCue fault(long at, String label, String pop, Fault fault, long duration) {
        return new TimedCue(at, label, show -> show.edge().applyFault(pop, fault, duration, "cue"));
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
