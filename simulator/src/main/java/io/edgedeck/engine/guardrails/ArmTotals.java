package io.edgedeck.engine.guardrails;

import io.edgedeck.client.stats.Moments;
import io.edgedeck.engine.experiments.Arm;

/**
 * One arm's counts summed over whole engine seconds: what a guardrail keeps of an arm, read one
 * finished second at a time through {@link Arm#window}.
 */
record ArmTotals(long exposures, long conversions, long chat, double chatSum, double chatSumOfSquares, long requests,
                 long errors) {

    static final ArmTotals ZERO = new ArmTotals(0, 0, 0, 0, 0, 0, 0);

    ArmTotals plus(Arm.WindowStats s) {
        return new ArmTotals(exposures + s.exposures(), conversions + s.conversions(), chat + s.scoredChatMessages(),
                chatSum + s.chatSum(), chatSumOfSquares + s.chatSumSq(), requests + s.requests(), errors + s.errors());
    }

    /** What was added after {@code earlier}. */
    ArmTotals minus(ArmTotals earlier) {
        return new ArmTotals(exposures - earlier.exposures, conversions - earlier.conversions, chat - earlier.chat,
                chatSum - earlier.chatSum, chatSumOfSquares - earlier.chatSumOfSquares, requests - earlier.requests,
                errors - earlier.errors);
    }

    Moments chatMoments() {
        return Moments.of(chat, chatSum, chatSumOfSquares);
    }
}
