package io.edgedeck.client.model;

import java.util.List;

/**
 * The immutable snapshot an engine publishes on a fixed cadence of engine time. Consumers keep
 * only the newest one; nothing in a frame refers to engine state that may change later.
 *
 * @param sequence         increases by one per frame from the start of a show; SSE event ids use it
 * @param engineMillis     engine (virtual) time of the snapshot since the show started
 * @param scenario         the show's scenario name
 * @param seed             the seed the show runs with
 * @param state            running, paused, finished
 * @param speed            engine seconds per wall second, or 0 for as fast as possible
 * @param durationSeconds  the show's planned length in engine seconds
 * @param chat             the audience's chat, all variants together
 */
public record MetricsFrame(long sequence, long engineMillis, String scenario, long seed, ShowState state,
                           double speed, int durationSeconds,
                           List<PopMetrics> pops, List<VariantMetrics> variants,
                           CheckoutCounts checkouts, EventCounts events, ChatMetrics chat) {
    public MetricsFrame {
        chat = chat == null ? ChatMetrics.EMPTY : chat;
        pops = List.copyOf(pops);
        variants = List.copyOf(variants);
    }

    public PopMetrics pop(String id) {
        for (PopMetrics p : pops) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }
}
