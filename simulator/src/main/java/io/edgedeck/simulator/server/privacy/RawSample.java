package io.edgedeck.simulator.server.privacy;

import io.edgedeck.client.ingest.IngestEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Which units' ingest records keep the ids they came with for the retention window (the node
 * config's {@code privacy.rawSampleRate}, docs/PRIVACY.md). A unit is in the sample when 53 bits of
 * its id's HMAC under the unit key, bits its key does not show, fall below the rate: the same units
 * all show long, after a restart too, about that share of them, and nobody who sees keys or
 * pseudonyms can tell who. An event outside the sample is written {@linkplain UnitKeys#scrubbed
 * scrubbed}, so its ids never reach the disk; one inside is written as it came and scrubbed when the
 * window ends. The core counts keys either way, so a restart counts the same.
 *
 * <p>An event's unit is the one it is about: a chat line's {@code user} (else its
 * {@code targetingKey}), a checkout's {@code checkoutId}, any other event's {@code targetingKey}. An
 * event about no unit (a latency sample sent without one, say) holds no raw id to keep but its own
 * {@code id}, and is written scrubbed unless every unit is kept. A unit whose id came already as a
 * key (a Twitch viewer remembered across a restart, say) cannot be sampled: it is written as it came,
 * a key, and is never raw on disk.
 */
public final class RawSample {
    private static final double SCALE = 0x1p53;

    private final UnitKeys keys;
    private final double rate;
    private final long below;

    public RawSample(UnitKeys keys, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("a raw sample rate is from 0 to 1, was " + rate);
        }
        this.keys = keys;
        this.rate = rate;
        this.below = (long) Math.ceil(rate * SCALE);
    }

    /** The share of units whose records keep their raw ids. */
    public double rate() {
        return rate;
    }

    /** True when every unit's records are written as they came (a rate of 1): nothing to rewrite. */
    public boolean keepsAll() {
        return rate >= 1;
    }

    /** True when {@code raw}, a unit's id as it came, names a unit in the sample. Any thread. */
    public boolean inSample(String raw) {
        if (keepsAll()) {
            return true;
        }
        if (raw == null || raw.isBlank() || UnitKeys.isKey(raw) || below == 0) {
            return false;
        }
        return keys.sampleBits(raw) < below;
    }

    /** The id of the unit {@code event} is about, as it came; null when it names none. */
    static String unitOf(IngestEvent event) {
        return switch (event) {
            case IngestEvent.Chat c -> c.user() != null && !c.user().isBlank() ? c.user() : c.targetingKey();
            case IngestEvent.Checkout c -> c.checkoutId();
            case IngestEvent.Exposure x -> x.targetingKey();
            case IngestEvent.Conversion c -> c.targetingKey();
            case IngestEvent.Step t -> t.targetingKey();
            case IngestEvent.Latency l -> l.targetingKey();
        };
    }

    /** What an ingest log record holds of a batch's events, and whether no raw id is left in it. */
    public record Logged(List<IngestEvent> events, boolean scrubbed) {
    }

    /**
     * The events as the ingest log keeps them: a unit in the sample's as they came, every other one
     * scrubbed; {@code scrubbed} when none keeps a raw id. Any thread.
     */
    public Logged forLog(List<IngestEvent> events) {
        List<IngestEvent> out = new ArrayList<>(events.size());
        boolean anyRaw = false;
        for (IngestEvent e : events) {
            if (inSample(unitOf(e))) {
                out.add(e);
                anyRaw = true;
            } else {
                out.add(keys.scrubbed(e));
            }
        }
        return new Logged(out, !anyRaw);
    }
}
