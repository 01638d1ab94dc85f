package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What one node saw at one PoP in one second of event time: the fleet's evidence (docs/FLEET.md,
 * "Observations or aggregates"). Every field adds up: two records for the same node, PoP and
 * second (a late event makes a second one) merge by adding counts and sums and the histograms.
 * Schema {@value #SCHEMA}; fields may be added, these keep their names and meaning.
 *
 * @param node      the publishing node's id
 * @param pop       the PoP
 * @param second    the second, in epoch seconds, of the observations' own time
 * @param requests  requests measured (answered or lost)
 * @param lost      of those, lost
 * @param latencyUs the answered requests' latencies in microseconds ({@link LatencyHistograms})
 * @param conversions every conversion by a unit homed at this PoP, attributed to an arm or not
 * @param arms      per flag variant: exposures, conversions and chat attributed to it
 * @param chat      every chat message attributed to this PoP, whatever its arm
 * @param checkouts checkout state changes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PopSecond(int v, String node, String pop, long second, long requests, long lost, String latencyUs,
                        long conversions,
                        List<ArmCounts> arms, ChatCounts chat, CheckoutCounts checkouts) {

    public static final String SCHEMA = "pop-second/1";

    public PopSecond {
        arms = arms == null ? List.of() : List.copyOf(arms);
        chat = chat == null ? ChatCounts.NONE : chat;
        checkouts = checkouts == null ? CheckoutCounts.NONE : checkouts;
    }

    /**
     * @param exposures      units exposed to the variant (each once per flag version)
     * @param conversions    conversions by units exposed to it
     * @param value          the conversions' summed value
     * @param messages       chat messages by units exposed to it
     * @param sentimentSum   sum of those messages' compound sentiment scores
     * @param sentimentSumSq sum of their squares (for the variance the guardrails' intervals need)
     * @param movedIn        units moved into it from another arm of the flag (a rollback, a ramp): its moved
     *                       cohort, not among its exposures, as on the node (absent from older records: 0)
     * @param movedConversions conversions by that cohort, not among its conversions
     */
    public record ArmCounts(String flag, String variant, long exposures, long conversions, double value,
                            long messages, double sentimentSum, double sentimentSumSq, long movedIn, long movedConversions) {
        /** An arm with no moved cohort. */
        public ArmCounts(String flag, String variant, long exposures, long conversions, double value,
                         long messages, double sentimentSum, double sentimentSumSq) {
            this(flag, variant, exposures, conversions, value, messages, sentimentSum, sentimentSumSq, 0, 0);
        }
    }

    public record ChatCounts(long messages, double sentimentSum, double sentimentSumSq) {
        public static final ChatCounts NONE = new ChatCounts(0, 0, 0);
    }

    public record CheckoutCounts(long started, long authorised, long queued, long reconciled) {
        public static final CheckoutCounts NONE = new CheckoutCounts(0, 0, 0, 0);
    }
}
