package io.edgedeck.client.model;

/**
 * The producer's encoder (OBS Studio) as the dashboard's encoder tile shows it, judged with OBS's own
 * thresholds from its Stats dock: a frame share (dropped by the network, skipped by the encoder,
 * missed by the renderer) above 1% warns and above 5% is bad; an average render time above 75% of
 * the frame time warns and above the frame time is bad; a stream that is reconnecting is bad.
 *
 * <p>The output bitrate is judged too, against what the same stream sent while healthy
 * ({@link BitrateBaseline}): below half of it for 10 s warns, below a quarter for 10 s is bad.
 *
 * <p>Frame shares are over the last {@code windowSeconds} (OBS's dock counts since it was opened;
 * a window lets a past burst fade and a new one show). Counts restart when OBS restarts an output.
 *
 * @param level            the worst of the judgements below
 * @param why              what decided the level, for a person ("2.4% of frames dropped by the network")
 * @param atMillis         when OBS was last read, epoch ms
 * @param streaming        the stream output is active
 * @param reconnecting     the stream output is reconnecting to the ingest server
 * @param bitrateKbps      stream bitrate from the output's byte count between the last two reads
 * @param congestion       OBS's output congestion, 0 to 1
 * @param droppedPercent   stream frames dropped by the network in the window, %
 * @param droppedFrames    those frames
 * @param streamFrames     stream frames output in the window
 * @param skippedPercent   frames skipped by the encoder (encoding lag) in the window, %
 * @param missedPercent    frames missed by the renderer (rendering lag) in the window, %
 * @param renderMs         OBS's average time to render a frame, ms
 * @param frameTimeMs      one frame at OBS's output frame rate, ms (e.g. 16.7 at 60 fps)
 * @param cpuPercent       OBS's CPU use, %
 * @param fps              frames OBS renders per second now
 * @param windowSeconds    the window the percentages cover
 */
public record EncoderHealth(Level level, String why, long atMillis, boolean streaming, boolean reconnecting,
                            double bitrateKbps, double congestion, double droppedPercent, long droppedFrames,
                            long streamFrames, double skippedPercent, double missedPercent, double renderMs,
                            double frameTimeMs, double cpuPercent, double fps, int windowSeconds) {

    /** OBS's Stats dock: above this share of frames it warns. */
    public static final double WARN_FRAME_PERCENT = 1.0;
    /** OBS's Stats dock: above this share of frames it shows an error. */
    public static final double BAD_FRAME_PERCENT = 5.0;
    /** OBS's Stats dock: render time above this share of the frame time warns; above the frame time is bad. */
    public static final double WARN_RENDER_SHARE = 0.75;

    public enum Level {
        /** Streaming within every threshold. */
        OK,
        /** Streaming, one or more judgements past the warning threshold. */
        WARN,
        /** Streaming badly: a judgement past the bad threshold, or reconnecting. */
        BAD,
        /** OBS answers but is not streaming. */
        IDLE,
        /** OBS cannot be reached or read; the other fields are from the last good read, or zero. */
        UNREACHABLE
    }

    /** Judges one read of OBS by OBS's thresholds alone, with no history to judge the bitrate against. */
    public static EncoderHealth judge(long atMillis, boolean streaming, boolean reconnecting, double bitrateKbps,
                                      double congestion, long droppedFrames, long streamFrames, long skippedFrames,
                                      long encodedFrames, long missedFrames, long renderedFrames, double renderMs,
                                      double frameTimeMs, double cpuPercent, double fps, int windowSeconds) {
        return judge(atMillis, streaming, reconnecting, bitrateKbps, congestion, droppedFrames, streamFrames, skippedFrames,
                encodedFrames, missedFrames, renderedFrames, renderMs, frameTimeMs, cpuPercent, fps, windowSeconds, null);
    }

    /**
     * Judges a read of OBS by OBS's thresholds and its bitrate against {@code bitrate}'s baseline of the
     * stream's healthy readings, which it learns from; fills in {@code level} and {@code why}.
     */
    public static EncoderHealth judge(long atMillis, boolean streaming, boolean reconnecting, double bitrateKbps,
                                      double congestion, long droppedFrames, long streamFrames, long skippedFrames,
                                      long encodedFrames, long missedFrames, long renderedFrames, double renderMs,
                                      double frameTimeMs, double cpuPercent, double fps, int windowSeconds,
                                      BitrateBaseline bitrate) {
        double dropped = percent(droppedFrames, streamFrames);
        double skipped = percent(skippedFrames, encodedFrames);
        double missed = percent(missedFrames, renderedFrames);
        Level level = Level.OK;
        String why = "streaming within OBS's thresholds";
        if (!streaming) {
            level = Level.IDLE;
            why = "OBS is not streaming";
            if (bitrate != null) {
                bitrate.reset();
            }
        } else {
            FrameVerdict frames = judgeFrames(dropped, skipped, missed, renderMs, frameTimeMs);
            if (frames.level() != Level.OK) {
                level = frames.level();
                why = switch (frames.measure()) {
                    case DROPPED -> String.format(java.util.Locale.ROOT, "%.1f%% of frames dropped by the network", dropped);
                    case SKIPPED -> String.format(java.util.Locale.ROOT, "%.1f%% of frames skipped by the encoder", skipped);
                    case MISSED -> String.format(java.util.Locale.ROOT, "%.1f%% of frames missed by the renderer", missed);
                    case RENDER, BITRATE -> String.format(java.util.Locale.ROOT, "rendering takes %.1f ms of a %.1f ms frame",
                            renderMs, frameTimeMs);
                };
            }
            if (bitrate != null) {
                BitrateBaseline.Verdict v = bitrate.judge(atMillis, bitrateKbps, level == Level.OK && !reconnecting);
                if (v.level().ordinal() > level.ordinal()) {
                    level = v.level();
                    why = v.why();
                }
            }
            if (reconnecting) {
                level = Level.BAD;
                why = "the stream is reconnecting to the ingest server";
            }
        }
        return new EncoderHealth(level, why, atMillis, streaming, reconnecting, bitrateKbps, congestion, dropped,
                droppedFrames, streamFrames, skipped, missed, renderMs, frameTimeMs, cpuPercent, fps, windowSeconds);
    }

    /** The measure that decided {@link #level}, which the tile shows as its number. */
    public enum Measure { DROPPED, SKIPPED, MISSED, RENDER, BITRATE }

    /**
     * Which measure decided {@link #level}: the first frame share at the worst frame level, then the
     * render time if it is worse, then the bitrate when the level is worse than every frame measure
     * (the bitrate's judgement against the stream's healthy readings) or the stream is reconnecting.
     * {@link Measure#DROPPED} for a stream within every threshold, an idle or an unreachable OBS.
     */
    public Measure decidedBy() {
        if (level != Level.WARN && level != Level.BAD) {
            return Measure.DROPPED;
        }
        if (reconnecting) {
            return Measure.BITRATE;
        }
        FrameVerdict frames = judgeFrames(droppedPercent, skippedPercent, missedPercent, renderMs, frameTimeMs);
        return level.ordinal() > frames.level().ordinal() ? Measure.BITRATE : frames.measure();
    }

    /** The worst of the frame judgements and the measure that decided it (the first at that level). */
    private record FrameVerdict(Level level, Measure measure) { }

    /**
     * OBS's Stats dock thresholds on the frame shares, then the render time: the first share at the
     * worst level decides, and the render time if it is worse still; {@link Level#OK} and
     * {@link Measure#DROPPED} when all are within them.
     */
    private static FrameVerdict judgeFrames(double dropped, double skipped, double missed, double renderMs, double frameTimeMs) {
        Measure measure = Measure.DROPPED;
        Level worst = Level.OK;
        double[] shares = {dropped, skipped, missed};
        Measure[] measures = {Measure.DROPPED, Measure.SKIPPED, Measure.MISSED};
        for (int i = 0; i < shares.length; i++) {
            Level l = shares[i] > BAD_FRAME_PERCENT ? Level.BAD : shares[i] > WARN_FRAME_PERCENT ? Level.WARN : Level.OK;
            if (l.ordinal() > worst.ordinal()) {
                worst = l;
                measure = measures[i];
            }
        }
        if (frameTimeMs > 0) {
            Level l = renderMs > frameTimeMs ? Level.BAD : renderMs > frameTimeMs * WARN_RENDER_SHARE ? Level.WARN : Level.OK;
            if (l.ordinal() > worst.ordinal()) {
                worst = l;
                measure = Measure.RENDER;
            }
        }
        return new FrameVerdict(worst, measure);
    }

    /** OBS could not be read; says why. */
    public static EncoderHealth unreachable(long atMillis, String why) {
        return new EncoderHealth(Level.UNREACHABLE, why, atMillis, false, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static double percent(long part, long whole) {
        return whole <= 0 ? 0 : 100.0 * part / whole;
    }
}
