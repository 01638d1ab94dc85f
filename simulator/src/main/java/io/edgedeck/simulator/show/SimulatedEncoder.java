package io.edgedeck.simulator.show;

import io.edgedeck.client.model.BitrateBaseline;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.simulator.scenario.EncoderSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rehearsal's encoder: an OBS streaming 60 fps at its healthy bitrate (the scenario's
 * {@code encoder.bitrateKbps}, 6000 kb/s unless it says), read every engine tick and judged as a
 * live node judges OBS ({@link EncoderHealth#judge}, the bitrate against its healthy readings), so the encoder tile reads the same for the same
 * condition. Its faults (the stream drops and reconnects, the bitrate collapses, the network drops
 * frames, the encoder skips frames it cannot encode in time, rendering lags) come from the scenario's
 * cues or by hand. Frame shares count over OBS's default window of 60 s, as a live node's do, so a
 * burst of lost frames shows as it fills the window and fades after.
 *
 * <p>Every rehearsal streams, whether or not its frames carry the encoder: the stream went live
 * {@link #PRE_ROLL_SECONDS} before the show, cleanly at its healthy bitrate, so that bitrate is learned
 * by the show's first second and a collapse cued at any time is judged against it. Stamps its reads
 * with engine time. Deterministic; engine thread.
 */
final class SimulatedEncoder {
    static final double FPS = 60;
    /** The healthy bitrate of an encoder whose scenario does not give one, kb/s. */
    static final double NOMINAL_KBPS = EncoderSpec.DEFAULT.bitrateKbps();
    static final double RENDER_MS = 4.2;
    static final double CPU_PERCENT = 12;
    static final int WINDOW_SECONDS = 60;
    /** How long the stream has been live, clean, when the show starts: the span a bitrate baseline needs. */
    static final int PRE_ROLL_SECONDS = (int) (BitrateBaseline.MIN_BASELINE_SPAN_MILLIS / 1000);
    /** The slowest render time a cue may give, ms: a frame every second. */
    static final double MAX_RENDER_MS = 1000;

    /** An encoder fault, by the cue type that names it. */
    enum Kind {
        /** The stream drops: OBS reconnects to the ingest server, nothing goes out. No magnitude. */
        DROP("encoder-drop"),
        /** The bitrate falls to the magnitude, kb/s, at least 0 and under the encoder's healthy bitrate. */
        BITRATE("encoder-bitrate"),
        /** The network drops the magnitude, a percentage in (0, 100], of the stream's frames. */
        FRAME_DROP("encoder-frame-drop"),
        /** The encoder is overloaded and skips the magnitude, a percentage in (0, 100], of the frames it is given (OBS's outputSkippedFrames). */
        ENCODING_LAG("encoder-encoding-lag"),
        /**
         * Rendering lags: a frame takes the magnitude, ms, in (4.2, 1000], to render (OBS's
         * averageFrameRenderTime); past the frame time the renderer misses the frames it has no time
         * for (renderSkippedFrames), 1 − frame time / render time of them, and renders fewer a second.
         */
        RENDERING_LAG("encoder-rendering-lag");

        final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The kind a cue type names, or null for a type that is not an encoder fault. */
        static Kind of(String wireName) {
            for (Kind k : values()) {
                if (k.wireName.equals(wireName)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One fault in force; equal faults are interchangeable, so ending either leaves the same encoder. */
    record Fault(Kind kind, double magnitude) {
        /**
         * The magnitude a cue gives {@code kind}, on an encoder whose healthy bitrate is {@code healthyKbps},
         * checked; the message names what is wrong with it, or null.
         */
        static String problem(Kind kind, double magnitude, double healthyKbps) {
            return switch (kind) {
                case DROP -> null;
                case BITRATE -> magnitude >= 0 && magnitude < healthyKbps ? null
                        : "an encoder bitrate must be at least 0 and under the encoder's " + CueTimeline.trim(healthyKbps)
                        + " kb/s, was " + magnitude;
                case FRAME_DROP -> magnitude > 0 && magnitude <= 100 ? null
                        : "a share of frames dropped must be in (0, 100] percent, was " + magnitude;
                case ENCODING_LAG -> magnitude > 0 && magnitude <= 100 ? null
                        : "a share of frames skipped by the encoder must be in (0, 100] percent, was " + magnitude;
                case RENDERING_LAG -> magnitude > RENDER_MS && magnitude <= MAX_RENDER_MS ? null
                        : "a render time must be over the encoder's usual " + RENDER_MS + " ms and at most "
                        + (int) MAX_RENDER_MS + " ms, was " + magnitude;
            };
        }

        /** What a producer reads on the timeline. */
        String label(int durationSeconds) {
            String what = switch (kind) {
                case DROP -> "encoder stream drops";
                case BITRATE -> String.format(Locale.ROOT, "encoder bitrate falls to %.0f kb/s", magnitude);
                case FRAME_DROP -> "encoder drops " + CueTimeline.trim(magnitude) + "% of frames";
                case ENCODING_LAG -> "encoder skips " + CueTimeline.trim(magnitude) + "% of frames";
                case RENDERING_LAG -> "rendering takes " + CueTimeline.trim(magnitude) + " ms a frame";
            };
            return what + " for " + durationSeconds + " s";
        }
    }

    /** A frame count at a whole engine second, for the window. */
    private record Count(long atMillis, long frames, long dropped, long skipped, long missed) {
    }

    private final List<Fault> faults = new ArrayList<>();
    /** When each fault in force began, by identity (two alike may overlap). */
    private final java.util.IdentityHashMap<Fault, Long> startedAt = new java.util.IdentityHashMap<>();
    private final ArrayDeque<Count> history = new ArrayDeque<>();
    /** Faults that had ended before a restart, with when each began and ended, for {@link #catchUp} only. */
    private final List<Ended> ended = new ArrayList<>();

    private record Ended(Fault fault, long fromMillis, long untilMillis) {
    }
    private final BitrateBaseline bitrate = new BitrateBaseline();
    /** The healthy bitrate, kb/s: what it streams without a fault. */
    private final double healthyKbps;
    private boolean present;
    /** Frames due from the renderer at OBS's frame rate. */
    private long frames;
    private long dropped;
    private long skipped;
    private long missed;
    private double dropCarry;
    private double skipCarry;
    private double missCarry;

    /** An encoder streaming at {@code healthyKbps} without a fault. */
    SimulatedEncoder(double healthyKbps) {
        this.healthyKbps = healthyKbps;
        // The pre-roll: a reading a second of the clean stream, so the show starts with its healthy bitrate learned.
        for (long at = -PRE_ROLL_SECONDS * 1000L; at <= 0; at += 1000) {
            bitrate.judge(at, healthyKbps, true);
        }
    }

    /** What is wrong with a fault of {@code kind} and {@code magnitude} on this encoder, or null. */
    String problem(Kind kind, double magnitude) {
        return Fault.problem(kind, magnitude, healthyKbps);
    }

    /** True once a fault was cued (a scenario's from the show's start): from then on every frame carries the encoder. */
    boolean present() {
        return present;
    }

    /** Makes the encoder part of the show from now on, streaming cleanly until a fault. */
    void attach() {
        present = true;
    }

    Fault start(Kind kind, double magnitude) {
        return start(kind, magnitude, Long.MIN_VALUE);
    }

    /**
     * Starts a fault that began at {@code sinceMillis} of engine time: one a rehearsal restarted from
     * its journal puts back, which {@link #catchUp} streams from then.
     */
    Fault start(Kind kind, double magnitude, long sinceMillis) {
        String problem = problem(kind, magnitude);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Fault f = new Fault(kind, magnitude);
        present = true;
        faults.add(f);
        startedAt.put(f, sinceMillis);
        return f;
    }

    /**
     * A fault that began at {@code fromMillis} and ended at {@code untilMillis}, before a rehearsal
     * restarted from its journal alone: {@link #catchUp} streams it again where it was, so the frame
     * window that held it reads as it did. The encoder was part of the show then, and is again.
     */
    void ended(Kind kind, double magnitude, long fromMillis, long untilMillis) {
        String problem = problem(kind, magnitude);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        present = true;
        ended.add(new Ended(new Fault(kind, magnitude), fromMillis, untilMillis));
    }

    void end(Fault fault) {
        faults.remove(fault);
        startedAt.remove(fault);
    }

    /**
     * A rehearsal restarted at {@code nowMillis} with faults started before it: streams the stream the
     * encoder sent up to now again, each fault from when it began, so its frame window and how long its
     * bitrate has been low read as they did before the restart rather than from nothing. Nothing is
     * journaled for it: the faults' starts and the show clock say it all.
     */
    void catchUp(long nowMillis, long tickMillis) {
        long earliest = java.util.stream.LongStream.concat(startedAt.values().stream().mapToLong(Long::longValue),
                ended.stream().mapToLong(Ended::fromMillis)).min().orElse(nowMillis);
        if (earliest >= nowMillis || !history.isEmpty()) {
            ended.clear();
            return;
        }
        // The window and the bitrate's sustained count need at most the window before the earliest start.
        long from = Math.max(0, Math.min(earliest, nowMillis - WINDOW_SECONDS * 1000L));
        from -= from % tickMillis;
        for (long t = from; t < nowMillis; t += tickMillis) {
            long at = t;
            List<Fault> then = new ArrayList<>(faults.stream().filter(f -> startedAt.getOrDefault(f, Long.MIN_VALUE) <= at).toList());
            ended.stream().filter(e -> e.fromMillis() <= at && at < e.untilMillis()).forEach(e -> then.add(e.fault()));
            stream(then, t, t + tickMillis);
            health(then, t + tickMillis);
        }
        ended.clear();
    }

    /** Streams the tick from {@code fromMillis} to {@code toMillis} of engine time under the faults in force. */
    void stream(long fromMillis, long toMillis) {
        stream(faults, fromMillis, toMillis);
    }

    private void stream(List<Fault> faults, long fromMillis, long toMillis) {
        if (history.isEmpty()) {
            history.add(new Count(fromMillis, frames, dropped, skipped, missed));
        }
        if (!reconnecting(faults)) {
            long n = framesAt(toMillis) - framesAt(fromMillis);
            missCarry += n * missedShare(faults);
            long m = (long) Math.floor(missCarry);
            missCarry -= m;
            skipCarry += (n - m) * worst(faults, Kind.ENCODING_LAG, 0) / 100.0;
            long k = (long) Math.floor(skipCarry);
            skipCarry -= k;
            dropCarry += (n - m - k) * worst(faults, Kind.FRAME_DROP, 0) / 100.0;
            long d = (long) Math.floor(dropCarry);
            dropCarry -= d;
            frames += n;
            missed += m;
            skipped += k;
            dropped += d;
        }
        if (toMillis % 1000 == 0) {
            history.add(new Count(toMillis, frames, dropped, skipped, missed));
            while (history.size() > 1 && history.peekFirst().atMillis() < toMillis - WINDOW_SECONDS * 1000L) {
                history.pollFirst();
            }
        }
    }

    /** The encoder as OBS would report it now, judged by OBS's thresholds. */
    EncoderHealth health(long nowMillis) {
        return health(faults, nowMillis);
    }

    private EncoderHealth health(List<Fault> faults, long nowMillis) {
        Count from = history.isEmpty() ? new Count(nowMillis, frames, dropped, skipped, missed) : history.peekFirst();
        // OBS's counts: the renderer's frames and those it missed; the encoder's (what it rendered) and
        // those it skipped; the stream's (what it encoded) and those the network dropped.
        long rendered = frames - from.frames();
        long windowMissed = missed - from.missed();
        long encoded = rendered - windowMissed;
        long windowSkipped = skipped - from.skipped();
        long streamed = encoded - windowSkipped;
        long windowDropped = dropped - from.dropped();
        boolean reconnecting = reconnecting(faults);
        double kbps = reconnecting ? 0 : bitrateKbps(faults) * (1 - worst(faults, Kind.FRAME_DROP, 0) / 100.0);
        double congestion = Math.max(0, Math.min(1, 1 - kbps / healthyKbps));
        double renderMs = worst(faults, Kind.RENDERING_LAG, RENDER_MS);
        return EncoderHealth.judge(nowMillis, true, reconnecting, kbps, congestion, windowDropped, streamed,
                windowSkipped, encoded, windowMissed, rendered, renderMs, 1000 / FPS, CPU_PERCENT,
                Math.min(FPS, 1000 / renderMs), WINDOW_SECONDS, bitrate);
    }

    private static boolean reconnecting(List<Fault> faults) {
        return faults.stream().anyMatch(f -> f.kind() == Kind.DROP);
    }

    private double bitrateKbps(List<Fault> faults) {
        return faults.stream().filter(f -> f.kind() == Kind.BITRATE).mapToDouble(Fault::magnitude).reduce(healthyKbps, Math::min);
    }

    /** The largest magnitude of the faults of {@code kind} in force, or {@code none}. */
    private static double worst(List<Fault> faults, Kind kind, double none) {
        return faults.stream().filter(f -> f.kind() == kind).mapToDouble(Fault::magnitude).reduce(none, Math::max);
    }

    /** The share of frames the renderer misses: those a frame's render time leaves no time for. */
    private static double missedShare(List<Fault> faults) {
        return Math.max(0, 1 - (1000 / FPS) / worst(faults, Kind.RENDERING_LAG, RENDER_MS));
    }

    private static long framesAt(long millis) {
        return (long) (millis * FPS / 1000);
    }
}
