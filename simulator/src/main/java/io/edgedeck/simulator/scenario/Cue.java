package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * One entry of a show's timeline: a fault or a shift that starts at {@code atSeconds} of simulated
 * time and lasts {@code durationSeconds}. A cue that would run past the end of the show stops there.
 * In a file the {@code type} property names the record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Cue.PopOutage.class, name = "pop-outage"),
        @JsonSubTypes.Type(value = Cue.Partition.class, name = "partition"),
        @JsonSubTypes.Type(value = Cue.JitterStorm.class, name = "jitter-storm"),
        @JsonSubTypes.Type(value = Cue.LatencyShift.class, name = "latency-shift"),
        @JsonSubTypes.Type(value = Cue.Loss.class, name = "loss"),
        @JsonSubTypes.Type(value = Cue.AcquirerSlowdown.class, name = "acquirer-slowdown"),
        @JsonSubTypes.Type(value = Cue.SentimentShift.class, name = "sentiment-shift"),
        @JsonSubTypes.Type(value = Cue.TrafficSurge.class, name = "traffic-surge"),
        @JsonSubTypes.Type(value = Cue.EncoderDrop.class, name = "encoder-drop"),
        @JsonSubTypes.Type(value = Cue.EncoderBitrate.class, name = "encoder-bitrate"),
        @JsonSubTypes.Type(value = Cue.EncoderFrameDrop.class, name = "encoder-frame-drop"),
        @JsonSubTypes.Type(value = Cue.EncoderEncodingLag.class, name = "encoder-encoding-lag"),
        @JsonSubTypes.Type(value = Cue.EncoderRenderingLag.class, name = "encoder-rendering-lag")
})
public sealed interface Cue {

    int atSeconds();

    int durationSeconds();

    /**
     * Whether the cue acts on the producer's encoder: a show with such a cue has a simulated encoder
     * from its start, streaming cleanly until the fault. Every cue type answers for itself.
     */
    boolean onEncoder();

    /** The PoP goes down: it serves nothing, routing skips it, checkouts there queue for reconciliation. */
    record PopOutage(int atSeconds, String pop, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return false;
        }

    }

    /**
     * The PoP keeps serving its audience but loses the control plane: flag changes and rollbacks
     * do not reach it until the partition heals.
     */
    record Partition(int atSeconds, String pop, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return false;
        }

    }

    /** Extra jitter, in ms, on each of {@code pops}. */
    record JitterStorm(int atSeconds, List<String> pops, double jitterMs, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return false;
        }

        public JitterStorm {
            pops = List.copyOf(pops);
        }
    }

    /** The PoP's base latency moves by {@code deltaMs} (negative is faster, never below zero). */
    record LatencyShift(int atSeconds, String pop, double deltaMs, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return false;
        }

    }

    /** The PoP's loss probability becomes {@code loss}. */
    record Loss(int atSeconds, String pop, double loss, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return false;
        }

    }

    /** Payment authorisations through {@code pops} take {@code extraMs} longer. */
    record AcquirerSlowdown(int atSeconds, List<String> pops, double extraMs, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return false;
        }

        public AcquirerSlowdown {
            pops = List.copyOf(pops);
        }
    }

    /**
     * Sessions exposed to {@code variant} of {@code flag} chat with {@code chatMood} instead.
     * In a file {@code durationSeconds} is optional; without it the shift lasts to the end of the show.
     */
    record SentimentShift(int atSeconds, String flag, String variant, ChatMix chatMood, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return false;
        }

    }

    /** Session arrivals are multiplied by {@code multiplier}. */
    record TrafficSurge(int atSeconds, double multiplier, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return false;
        }

    }

    /** The producer's stream drops: the encoder reconnects to the ingest server and sends nothing. */
    record EncoderDrop(int atSeconds, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return true;
        }

    }

    /** The encoder's bitrate falls to {@code bitrateKbps} from its healthy bitrate ({@link Scenario#encoder}). */
    record EncoderBitrate(int atSeconds, double bitrateKbps, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return true;
        }

    }

    /** The network drops {@code droppedPercent} of the encoder's stream frames. */
    record EncoderFrameDrop(int atSeconds, double droppedPercent, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return true;
        }

    }

    /** The encoder is overloaded: it skips {@code skippedPercent} of the frames it is given (encoding lag). */
    record EncoderEncodingLag(int atSeconds, double skippedPercent, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return true;
        }

    }

    /** Rendering lags: a frame takes {@code renderMs} to render (from the encoder's 4.2 ms); past the frame time frames are missed. */
    record EncoderRenderingLag(int atSeconds, double renderMs, int durationSeconds) implements Cue {
        @Override
        public boolean onEncoder() {
            return true;
        }

    }
}
