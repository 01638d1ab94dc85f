package io.edgedeck.simulator.connectors.obs;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.client.model.BitrateBaseline;
import io.edgedeck.client.model.EncoderHealth;

/**
 * What OBS's statistics mean for the encoder tile: the answers to {@code GetVideoSettings} (the
 * frame time), {@code GetStreamStatus} and {@code GetStats} judged together into an
 * {@link EncoderHealth}: bitrate from the output's byte count between two reads, dropped, skipped and
 * missed frame shares over a window ({@link FrameWindow}), render time against the frame time, with
 * OBS's own thresholds, and the bitrate against the stream's healthy readings ({@link BitrateBaseline}). Kept apart from the connection ({@link ObsConnector}), which only speaks the
 * protocol. One thread at a time (the connector's).
 */
final class ObsStatsJudge {
    private final int windowSeconds;
    private final FrameWindow dropped;
    private final FrameWindow skipped;
    private final FrameWindow missed;
    private final BitrateBaseline bitrate = new BitrateBaseline();
    private long lastBytes = -1;
    private long lastBytesAt;
    private double frameTimeMs;

    ObsStatsJudge(int windowSeconds) {
        this.windowSeconds = windowSeconds;
        long window = windowSeconds * 1000L;
        this.dropped = new FrameWindow(window);
        this.skipped = new FrameWindow(window);
        this.missed = new FrameWindow(window);
    }

    /** {@code GetVideoSettings}' answer: one frame's time, from the frame rate. */
    void videoSettings(JsonNode data) {
        double num = data.path("fpsNumerator").asDouble(0);
        double den = data.path("fpsDenominator").asDouble(0);
        frameTimeMs = num > 0 && den > 0 ? 1000.0 * den / num : 0;
    }

    /** The fields of {@code GetStreamStatus}' answer the judgement reads, as obs-websocket 5 documents them. */
    private static final java.util.List<String> STREAM_FLAGS = java.util.List.of("outputActive", "outputReconnecting");
    private static final java.util.List<String> STREAM_COUNTS = java.util.List.of("outputBytes", "outputSkippedFrames", "outputTotalFrames");
    private static final java.util.List<String> STREAM_NUMBERS = java.util.List.of("outputCongestion");
    /** Likewise of {@code GetStats}' answer. */
    private static final java.util.List<String> STATS_COUNTS = java.util.List.of("renderSkippedFrames", "renderTotalFrames",
            "outputSkippedFrames", "outputTotalFrames");
    private static final java.util.List<String> STATS_NUMBERS = java.util.List.of("cpuUsage", "activeFps", "averageFrameRenderTime");

    /**
     * What makes the two answers unreadable, naming the request, the field and what it held (e.g.
     * {@code GetStats answered renderSkippedFrames "lots", not a count of 0 or more}); null when every
     * field the judgement reads is there with its type. Such an answer is not judged: read as zero, a
     * count OBS did not give would make a healthy tile of it.
     */
    static String unreadable(JsonNode stream, JsonNode stats) {
        String problem = unreadable("GetStreamStatus", stream, STREAM_FLAGS, STREAM_COUNTS, STREAM_NUMBERS);
        return problem != null ? problem : unreadable("GetStats", stats, java.util.List.of(), STATS_COUNTS, STATS_NUMBERS);
    }

    private static String unreadable(String request, JsonNode data, java.util.List<String> flags, java.util.List<String> counts,
                                     java.util.List<String> numbers) {
        if (data == null || !data.isObject()) {
            return request + " answered without its responseData";
        }
        for (String f : flags) {
            JsonNode v = data.get(f);
            if (v == null || !v.isBoolean()) {
                return v == null ? request + " answered without " + f : request + " answered " + f + " " + io.edgedeck.simulator.server.http.PeerValues.shown(v) + ", not true or false";
            }
        }
        for (String f : counts) {
            JsonNode v = data.get(f);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                return v == null ? request + " answered without " + f : request + " answered " + f + " " + io.edgedeck.simulator.server.http.PeerValues.shown(v) + ", not a count of 0 or more";
            }
        }
        for (String f : numbers) {
            JsonNode v = data.get(f);
            if (v == null || !v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
                return v == null ? request + " answered without " + f : request + " answered " + f + " " + io.edgedeck.simulator.server.http.PeerValues.shown(v) + ", not a number of 0 or more";
            }
        }
        return null;
    }

    /** The health {@code GetStreamStatus}' and {@code GetStats}' answers, read at {@code now}, add up to. */
    EncoderHealth judge(long now, JsonNode stream, JsonNode s) {
        boolean active = stream.path("outputActive").asBoolean(false);
        long bytes = stream.path("outputBytes").asLong(0);
        double kbps = 0;
        if (lastBytes >= 0 && bytes >= lastBytes && now > lastBytesAt) {
            kbps = (bytes - lastBytes) * 8.0 / (now - lastBytesAt);
        }
        lastBytes = bytes;
        lastBytesAt = now;
        long[] net = dropped.add(now, stream.path("outputSkippedFrames").asLong(0), stream.path("outputTotalFrames").asLong(0));
        long[] enc = skipped.add(now, s.path("outputSkippedFrames").asLong(0), s.path("outputTotalFrames").asLong(0));
        long[] ren = missed.add(now, s.path("renderSkippedFrames").asLong(0), s.path("renderTotalFrames").asLong(0));
        return EncoderHealth.judge(now, active, stream.path("outputReconnecting").asBoolean(false), kbps,
                stream.path("outputCongestion").asDouble(0), net[0], net[1], enc[0], enc[1], ren[0], ren[1],
                s.path("averageFrameRenderTime").asDouble(0), frameTimeMs, s.path("cpuUsage").asDouble(0),
                s.path("activeFps").asDouble(0), windowSeconds, bitrate);
    }

    /** A new connection: OBS's counters may have restarted, so the windows, the byte count and the bitrate's baseline start afresh. */
    void reset() {
        lastBytes = -1;
        bitrate.reset();
        dropped.clear();
        skipped.clear();
        missed.clear();
    }
}
