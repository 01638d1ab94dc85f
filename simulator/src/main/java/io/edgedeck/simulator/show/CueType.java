package io.edgedeck.simulator.show;

/** The cues an operator can fire by hand in a rehearsal, by the name a {@code CueRequest} gives. */
enum CueType {
    POP_OUTAGE("pop-outage"),
    PARTITION("partition"),
    JITTER_STORM("jitter-storm"),
    LATENCY_SHIFT("latency-shift"),
    LOSS("loss"),
    ACQUIRER_SLOWDOWN("acquirer-slowdown"),
    SENTIMENT_SHIFT("sentiment-shift"),
    TRAFFIC_SURGE("traffic-surge"),
    ENCODER_DROP("encoder-drop"),
    ENCODER_BITRATE("encoder-bitrate"),
    ENCODER_FRAME_DROP("encoder-frame-drop"),
    ENCODER_ENCODING_LAG("encoder-encoding-lag"),
    ENCODER_RENDERING_LAG("encoder-rendering-lag");

    private final String wireName;

    CueType(String wireName) {
        this.wireName = wireName;
    }

    /** The type a request names, or null. */
    static CueType of(String wireName) {
        for (CueType t : values()) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        return null;
    }
}
