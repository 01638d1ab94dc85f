package io.edgedeck.client.model;

import java.util.List;

/**
 * A fault or shift fired by hand during a rehearsal or a drill.
 *
 * @param type            {@code pop-outage}, {@code partition}, {@code jitter-storm}, {@code latency-shift},
 *                        {@code loss}, {@code acquirer-slowdown}, {@code sentiment-shift}, {@code traffic-surge}
 * @param pops            the PoPs it hits (faults)
 * @param magnitude       its size: ms for jitter, latency and acquirer; a probability for loss; a
 *                        multiplier for a surge; unused otherwise
 * @param durationSeconds how long it lasts
 * @param flag            the flag whose variant's chat turns sour (sentiment-shift)
 * @param variant         that variant
 * @param operator        who fired it
 */
public record CueRequest(String type, List<String> pops, double magnitude, int durationSeconds, String flag,
                         String variant, String operator) {
    public CueRequest {
        pops = pops == null ? List.of() : List.copyOf(pops);
    }
}
