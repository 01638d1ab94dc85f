package io.edgedeck.simulator.show;

import io.edgedeck.client.model.BitrateBaseline;
import io.edgedeck.client.model.EncoderHealth;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rehearsal's encoder: an OBS streaming 60 fps at 6000 kb/s, read every engine tick and judged as a
 * live node judges OBS ({@link EncoderHealth#judge}, the bitrate against its healthy readings), so the encoder tile reads the same for the same
 * condition. Its faults (the stream drops and reconnects, the bitrate collapses, the network drops
 * frames) come from the scenario's cues or by hand. Frame shares count over OBS's default window of
 * 60 s, as a live node's do, so a burst of dropped frames shows as it fills the window and fades
 * after. Stamps its reads with engine time. Deterministic; engine thread.
 */
final class SimulatedEncoder {
    static final double FPS = 60;
    static final double NOMINAL_KBPS = 6000;
    static final double RENDER_MS = 4.2;
    static final double CPU_PERCENT = 12;
    static final int WINDOW_SECONDS = 60;

    /** An encoder fault, by the cue type that names it. */
    enum Kind {
        /** The stream drops: OBS reconnects to the ingest server, nothing goes out. No magnitude. */
        DROP("encoder-drop"),
        /** The bitrate falls to the magnitude, kb/s, in [0, 6000). */
        BITRATE("encoder-bitrate"),
        /** The network drops the magnitude, a percentage in (0, 100], of the stream's frames. */
        FRAME_DROP("encoder-frame-drop");

        final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }
    }

    /** One fault in force; equal faults are interchangeable, so ending either leaves the same encoder. */
    record Fault(Kind kind, double magnitude) {
        /** The magnitude a cue gives {@code kind}, checked; the message names what is wrong with it, or null. */
        static String problem(Kind kind, double magnitude) {
            return switch (kind) {
                case DROP -> null;
                case BITRATE -> magnitude >= 0 && magnitude < NOMINAL_KBPS ? null
                        : "an encoder bitrate must be at least 0 and under the encoder's 6000 kb/s, was " + magnitude;
                case FRAME_DROP -> magnitude > 0 && magnitude <= 100 ? null
                        : "a share of frames dropped must be in (0, 100] percent, was " + magnitude;
            };
        }

        /** What a producer reads on the timeline. */
        String label(int durationSeconds) {
            String what = switch (kind) {
                case DROP -> "encoder stream drops";
                case BITRATE -> String.format(Locale.ROOT, "encoder bitrate falls to %.0f kb/s", magnitude);
                case FRAME_DROP -> "encoder drops " + CueTimeline.trim(magnitude) + "% of frames";
            };
            return what + " for " + durationSeconds + " s";
        }
    }

    /** A frame count at a whole engine second, for the window. */
    private record Count(long atMillis, long frames, long dropped) {
    }

    private final List<Fault> faults = new ArrayList<>();
    private final ArrayDeque<Count> history = new ArrayDeque<>();
    private final BitrateBaseline bitrate = new BitrateBaseline();
    private boolean present;
    private long frames;
    private long dropped;
    private double dropCarry;

    /** True once a fault was cued: from then on every frame carries the encoder. */
    boolean present() {
        return present;
    }

    /** Makes the encoder part of the show from now on, streaming cleanly until a fault. */
    void attach() {
        present = true;
    }

    Fault start(Kind kind, double magnitude) {
        String problem = Fault.problem(kind, magnitude);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Fault f = new Fault(kind, magnitude);
        present = true;
        faults.add(f);
        return f;
    }

    void end(Fault fault) {
        faults.remove(fault);
    }

    /** Streams the tick from {@code fromMillis} to {@code toMillis} of engine time under the faults in force. */
    void stream(long fromMillis, long toMillis) {
        if (history.isEmpty()) {
            history.add(new Count(fromMillis, frames, dropped));
        }
        if (!reconnecting()) {
            long n = framesAt(toMillis) - framesAt(fromMillis);
            dropCarry += n * droppedShare() / 100.0;
            long d = (long) Math.floor(dropCarry);
            dropCarry -= d;
            frames += n;
            dropped += d;
        }
        if (toMillis % 1000 == 0) {
            history.add(new Count(toMillis, frames, dropped));
            while (history.size() > 1 && history.peekFirst().atMillis() < toMillis - WINDOW_SECONDS * 1000L) {
                history.pollFirst();
            }
        }
    }

    /** The encoder as OBS would report it now, judged by OBS's thresholds. */
    EncoderHealth health(long nowMillis) {
        Count from = history.isEmpty() ? new Count(nowMillis, frames, dropped) : history.peekFirst();
        long windowFrames = frames - from.frames();
        long windowDropped = dropped - from.dropped();
        boolean reconnecting = reconnecting();
        double kbps = reconnecting ? 0 : bitrateKbps() * (1 - droppedShare() / 100.0);
        double congestion = Math.max(0, Math.min(1, 1 - kbps / NOMINAL_KBPS));
        return EncoderHealth.judge(nowMillis, true, reconnecting, kbps, congestion, windowDropped, windowFrames,
                0, windowFrames, 0, windowFrames, RENDER_MS, 1000 / FPS, CPU_PERCENT, FPS, WINDOW_SECONDS, bitrate);
    }

    private boolean reconnecting() {
        return faults.stream().anyMatch(f -> f.kind() == Kind.DROP);
    }

    private double bitrateKbps() {
        return faults.stream().filter(f -> f.kind() == Kind.BITRATE).mapToDouble(Fault::magnitude).reduce(NOMINAL_KBPS, Math::min);
    }

    private double droppedShare() {
        return faults.stream().filter(f -> f.kind() == Kind.FRAME_DROP).mapToDouble(Fault::magnitude).reduce(0, Math::max);
    }

    private static long framesAt(long millis) {
        return (long) (millis * FPS / 1000);
    }
}
