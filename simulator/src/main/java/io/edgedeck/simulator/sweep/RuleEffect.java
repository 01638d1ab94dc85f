package io.edgedeck.simulator.sweep;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.scenario.ChatMix;
import io.edgedeck.simulator.scenario.Cue;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.Scenario;

import java.util.Locale;

/**
 * What a scenario does to the variant a rule watches, judged by what the rule looks for: a harm
 * from the start (a conversion drop for a rule on conversionLift &lt; ..., sourer chat for one on
 * sentimentChange &lt; ...), a chat shift cued later, or no harm it looks for, in which case every
 * firing is a false one.
 */
sealed interface RuleEffect {

    /** Nothing the rule looks for: identical to control, or different only in ways its conditions do not call harm. */
    record None(String what) implements RuleEffect {
    }

    /** A harm from the start: in conversion, in chat mood, or both. */
    record FromStart(boolean conversion, boolean chat, double conversionChange) implements RuleEffect {
    }

    /** The variant's chat turns sourer at {@code atSeconds}. */
    record FromCue(int atSeconds) implements RuleEffect {
    }

    static RuleEffect of(Scenario s, GuardrailSpec rule) {
        FlagSpec flag = s.flags().stream().filter(f -> f.key().equals(rule.flag())).findFirst().orElse(null);
        if (flag == null) {
            return new None("its flag is not in the scenario");
        }
        FlagSpec.VariantEffect v = flag.effectOf(rule.variant());
        FlagSpec.VariantEffect c = flag.effectOf(flag.control());
        ChatMix variantMood = v.chatMood() == null ? s.audience().chat() : v.chatMood();
        ChatMix controlMood = c.chatMood() == null ? s.audience().chat() : c.chatMood();
        double conversionChange = v.conversionMultiplier() / c.conversionMultiplier() - 1;
        boolean conversionHarm = harms(rule, GuardrailMetric.CONVERSION_LIFT, conversionChange);
        boolean chatHarm = harms(rule, GuardrailMetric.SENTIMENT_CHANGE, tone(variantMood) - tone(controlMood));
        if (conversionHarm || chatHarm) {
            return new FromStart(conversionHarm, chatHarm, conversionChange);
        }
        for (Cue cue : s.timeline()) {
            if (cue instanceof Cue.SentimentShift shift && shift.flag().equals(rule.flag()) && shift.variant().equals(rule.variant())
                    && harms(rule, GuardrailMetric.SENTIMENT_CHANGE, tone(shift.chatMood()) - tone(controlMood))) {
                return new FromCue(shift.atSeconds());
            }
        }
        boolean identical = conversionChange == 0 && tone(variantMood) == tone(controlMood)
                && s.cues().stream().noneMatch(cue -> cue instanceof Cue.SentimentShift shift && shift.flag().equals(rule.flag())
                && shift.variant().equals(rule.variant()));
        return new None(identical ? "identical to control (A/A)"
                : String.format(Locale.ROOT, "differs from control (%+.0f%% conversion) but not in a way its conditions call harm",
                conversionChange * 100));
    }

    /** Whether a change of {@code change} in {@code metric} lies the way one of the rule's conditions on it calls harm. */
    private static boolean harms(GuardrailSpec rule, GuardrailMetric metric, double change) {
        return change != 0 && rule.conditions().stream().anyMatch(c -> c.metric() == metric
                && (c.op() == ComparisonOp.GT || c.op() == ComparisonOp.GE ? change > 0 : change < 0));
    }

    /** How warm a chat mix is: the positive share less the negative one. */
    private static double tone(ChatMix mood) {
        return mood.positive() - mood.negative();
    }

    /** When the harm begins, in seconds of the show. */
    default int onsetSeconds() {
        return this instanceof FromCue c ? c.atSeconds() : 0;
    }

    default boolean isHarm() {
        return !(this instanceof None);
    }

    /**
     * How long after the harm begins its evidence can first appear: a conversion shows over a
     * session's dwell, so a conversion-only harm needs about one mean dwell; chat shows at once.
     */
    default double lagSeconds(Scenario s) {
        return this instanceof FromStart f && f.conversion() && !f.chat() ? s.audience().session().meanDwellSeconds() : 0;
    }

    default String describe() {
        return switch (this) {
            case None n -> n.what();
            case FromStart f when f.conversion() && f.chat() -> String.format(Locale.ROOT,
                    "%+.0f%% conversion and sourer chat from the start", f.conversionChange() * 100);
            case FromStart f when f.conversion() -> String.format(Locale.ROOT, "%+.0f%% conversion from the start",
                    f.conversionChange() * 100);
            case FromStart f -> "sourer chat from the start";
            case FromCue c -> "chat turns sour at " + c.atSeconds() + " s";
        };
    }
}
