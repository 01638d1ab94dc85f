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
 * @param state            running, paused, finished, or failed (the engine stopped: this is its last frame)
 * @param speed            engine seconds per wall second, or 0 for as fast as possible
 * @param durationSeconds  the show's planned length in engine seconds; 0 on a live node, which has no planned end
 * @param chat             the audience's chat, all variants together
 * @param flags            every flag with its version and how many PoPs run it
 * @param guardrails       every guardrail with its live values against thresholds
 * @param firings          every guardrail firing so far, oldest first
 * @param triggers         micro-metric trigger counts
 * @param timeline         what changed the show (faults, flag changes, firings), oldest first; the newest few hundred
 * @param encoder          the producer's encoder (OBS) as the node last read it, or null when no encoder is connected
 * @param node             whether the node takes changes: OK, read-only (its journal cannot be written) or failed
 * @param decisions        the decision budget: checkout and triggered-action times per stage ({@link DecisionMetrics#NONE}
 *                         from a node that sends none)
 */
public record MetricsFrame(long sequence, long engineMillis, String scenario, long seed, ShowState state,
                           double speed, int durationSeconds,
                           List<PopMetrics> pops, List<VariantMetrics> variants,
                           CheckoutCounts checkouts, EventCounts events, ChatMetrics chat,
                           List<FlagView> flags, List<GuardrailStatus> guardrails, List<GuardrailFiring> firings,
                           TriggerMetrics triggers, List<ShowEvent> timeline, EncoderHealth encoder, NodeCondition node,
                           DecisionMetrics decisions) {

    public MetricsFrame {
        node = node == null ? NodeCondition.OK : node;
        decisions = decisions == null ? DecisionMetrics.NONE : decisions;
        chat = chat == null ? ChatMetrics.EMPTY : chat;
        flags = flags == null ? List.of() : List.copyOf(flags);
        guardrails = guardrails == null ? List.of() : List.copyOf(guardrails);
        firings = firings == null ? List.of() : List.copyOf(firings);
        triggers = triggers == null ? TriggerMetrics.NONE : triggers;
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        pops = List.copyOf(pops);
        variants = List.copyOf(variants);
    }

    /** A frame without decision times (a node that measures none). */
    public MetricsFrame(long sequence, long engineMillis, String scenario, long seed, ShowState state,
                        double speed, int durationSeconds,
                        List<PopMetrics> pops, List<VariantMetrics> variants,
                        CheckoutCounts checkouts, EventCounts events, ChatMetrics chat,
                        List<FlagView> flags, List<GuardrailStatus> guardrails, List<GuardrailFiring> firings,
                        TriggerMetrics triggers, List<ShowEvent> timeline, EncoderHealth encoder, NodeCondition node) {
        this(sequence, engineMillis, scenario, seed, state, speed, durationSeconds, pops, variants, checkouts, events, chat,
                flags, guardrails, firings, triggers, timeline, encoder, node, DecisionMetrics.NONE);
    }

    /** A frame of a node that takes changes ({@link NodeCondition#OK}) with no encoder connected. */
    public MetricsFrame(long sequence, long engineMillis, String scenario, long seed, ShowState state,
                        double speed, int durationSeconds,
                        List<PopMetrics> pops, List<VariantMetrics> variants,
                        CheckoutCounts checkouts, EventCounts events, ChatMetrics chat,
                        List<FlagView> flags, List<GuardrailStatus> guardrails, List<GuardrailFiring> firings,
                        TriggerMetrics triggers, List<ShowEvent> timeline) {
        this(sequence, engineMillis, scenario, seed, state, speed, durationSeconds, pops, variants, checkouts, events, chat,
                flags, guardrails, firings, triggers, timeline, null, NodeCondition.OK);
    }

    /** A frame of a node that takes changes ({@link NodeCondition#OK}), as its engine assembles it. */
    public MetricsFrame(long sequence, long engineMillis, String scenario, long seed, ShowState state,
                        double speed, int durationSeconds,
                        List<PopMetrics> pops, List<VariantMetrics> variants,
                        CheckoutCounts checkouts, EventCounts events, ChatMetrics chat,
                        List<FlagView> flags, List<GuardrailStatus> guardrails, List<GuardrailFiring> firings,
                        TriggerMetrics triggers, List<ShowEvent> timeline, EncoderHealth encoder) {
        this(sequence, engineMillis, scenario, seed, state, speed, durationSeconds, pops, variants, checkouts, events, chat,
                flags, guardrails, firings, triggers, timeline, encoder, NodeCondition.OK);
    }

    /** The same snapshot under another sequence number, run state and speed. */
    public MetricsFrame withRunState(long newSequence, ShowState newState, double newSpeed) {
        return new MetricsFrame(newSequence, engineMillis, scenario, seed, newState, newSpeed, durationSeconds, pops,
                variants, checkouts, events, chat, flags, guardrails, firings, triggers, timeline, encoder, node, decisions);
    }

    /** The same snapshot, saying what the node can do now. */
    public MetricsFrame withNode(NodeCondition condition) {
        return condition.equals(node) ? this : new MetricsFrame(sequence, engineMillis, scenario, seed, state, speed,
                durationSeconds, pops, variants, checkouts, events, chat, flags, guardrails, firings, triggers, timeline,
                encoder, condition, decisions);
    }

    /** The same snapshot with the decision budget's times. */
    public MetricsFrame withDecisions(DecisionMetrics metrics) {
        return new MetricsFrame(sequence, engineMillis, scenario, seed, state, speed, durationSeconds, pops, variants,
                checkouts, events, chat, flags, guardrails, firings, triggers, timeline, encoder, node, metrics);
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
