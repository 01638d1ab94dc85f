package io.edgedeck.simulator.scenario;

/**
 * The producer's encoder as a rehearsal plays it: a scenario's {@code encoder} object. A live node
 * reads its encoder from OBS and does not use it.
 *
 * @param bitrateKbps the stream's healthy bitrate, kb/s, in (0, {@value #MAX_BITRATE_KBPS}]: what
 *                    the encoder streams without a fault, and what a bitrate collapse is judged against
 */
public record EncoderSpec(double bitrateKbps) {
    /** The highest healthy bitrate a scenario may give, kb/s. */
    public static final double MAX_BITRATE_KBPS = 100_000;
    /** An OBS streaming at 6000 kb/s: the encoder of a scenario that does not say. */
    public static final EncoderSpec DEFAULT = new EncoderSpec(6000);

    public EncoderSpec {
        if (!(bitrateKbps > 0 && bitrateKbps <= MAX_BITRATE_KBPS)) {
            throw new IllegalArgumentException("bitrateKbps must be over 0 and at most " + (long) MAX_BITRATE_KBPS
                    + " kb/s, was " + bitrateKbps);
        }
    }
}
