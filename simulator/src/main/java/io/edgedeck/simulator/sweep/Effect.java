package io.edgedeck.simulator.sweep;

import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.scenario.ChatMix;

import java.util.Locale;

/**
 * A harm a pre-flight gives a rule's variant, from the start of the show, to see how soon the rule
 * would catch it.
 */
public sealed interface Effect {

    /** The variant converts {@code change} (e.g. -0.2) more than control: 20% fewer checkouts per session. */
    record ConversionChange(double change) implements Effect {
        public ConversionChange {
            if (!(change > -1 && change <= 10) || change == 0) {
                throw new IllegalArgumentException("a conversion change must be a non-zero share above -100%, was " + change);
            }
        }
    }

    /** The variant's chat turns sour ({@link ChatMix#SOUR}). */
    record SourChat() implements Effect {
    }

    /** In words: "-20% conversion", "sour chat". */
    default String describe() {
        return switch (this) {
            case ConversionChange c -> String.format(Locale.ROOT, "%+.0f%% conversion", c.change() * 100);
            case SourChat s -> "sour chat";
        };
    }

    /** The metric this harm shows in. */
    default GuardrailMetric metric() {
        return this instanceof ConversionChange ? GuardrailMetric.CONVERSION_LIFT : GuardrailMetric.SENTIMENT_CHANGE;
    }

    /** What a rule has to read to see this harm, in words: "conversion", "chat sentiment". */
    default String reads() {
        return this instanceof ConversionChange ? "conversion" : "chat sentiment";
    }

    /**
     * Whether {@code rule} can catch this harm: one of its conditions reads the harm's metric and
     * calls a change that way harm. A rule that cannot is not timed on it.
     */
    default boolean seenBy(GuardrailSpec rule) {
        boolean lower = !(this instanceof ConversionChange c) || c.change() < 0;
        return rule.conditions().stream().anyMatch(k -> k.metric() == metric() && k.op().harmIsHigher() != lower);
    }

    /**
     * Reads {@code conversion:-20%}, {@code conversion:-0.2} or {@code chat:sour}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Effect parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("chat:sour")) {
            return new SourChat();
        }
        if (t.startsWith("conversion:")) {
            String value = t.substring("conversion:".length());
            try {
                double change = value.endsWith("%")
                        ? Double.parseDouble(value.substring(0, value.length() - 1)) / 100
                        : Double.parseDouble(value);
                return new ConversionChange(change);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not a number: write conversion:-20% or conversion:-0.2");
            }
        }
        throw new IllegalArgumentException("unknown effect '" + text + "'; expected conversion:CHANGE (e.g. conversion:-20%) or chat:sour");
    }
}
