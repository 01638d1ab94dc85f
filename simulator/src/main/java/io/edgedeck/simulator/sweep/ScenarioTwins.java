package io.edgedeck.simulator.sweep;

import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.scenario.ChatMix;
import io.edgedeck.simulator.scenario.Cue;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.Scenario;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The same show with the variants its guardrails watch made identical to control (A/A), or given
 * one harm instead: everything else (PoPs, audience, faults, surges, other flags) stays as it is,
 * so false rollbacks and time to detect are measured on this show's own traffic.
 */
public final class ScenarioTwins {
    private ScenarioTwins() {
    }

    /**
     * The A/A twin: every watched variant behaves like its control (conversion and chat mood), and
     * the sentiment shifts cued on watched variants are left out.
     */
    public static Scenario aa(Scenario s) {
        return withWatched(s, (flag, control) -> control);
    }

    /** The A/A twin with {@code effect} on every watched variant from the start. */
    public static Scenario with(Scenario s, Effect effect) {
        return withWatched(s, (flag, control) -> switch (effect) {
            case Effect.ConversionChange c -> new FlagSpec.VariantEffect(control.conversionMultiplier() * (1 + c.change()),
                    control.chatMood());
            case Effect.SourChat sour -> new FlagSpec.VariantEffect(control.conversionMultiplier(), ChatMix.SOUR);
        });
    }

    private interface Watched {
        FlagSpec.VariantEffect effect(FlagSpec flag, FlagSpec.VariantEffect control);
    }

    private static Scenario withWatched(Scenario s, Watched watched) {
        Set<String> pairs = s.guardrails().stream().map(ScenarioTwins::pair).collect(Collectors.toSet());
        List<FlagSpec> flags = s.flags().stream().map(f -> {
            Map<String, FlagSpec.VariantEffect> effects = new HashMap<>(f.effects());
            FlagSpec.VariantEffect control = f.effectOf(f.control());
            for (FlagSpec.Variant v : f.variants()) {
                FlagSpec.VariantEffect next = watched.effect(f, control);
                // an unchanged effect stays as written, so a show that already is A/A equals its twin
                if (pairs.contains(f.key() + "/" + v.name()) && !next.equals(f.effectOf(v.name()))) {
                    effects.put(v.name(), next);
                }
            }
            return new FlagSpec(f.key(), f.description(), f.owner(), f.variants(), f.control(), f.scope(), f.salt(), effects);
        }).toList();
        List<Cue> cues = s.cues().stream()
                .filter(c -> !(c instanceof Cue.SentimentShift shift && pairs.contains(shift.flag() + "/" + shift.variant())))
                .toList();
        return new Scenario(s.name(), s.description(), s.seed(), s.durationSeconds(), s.frameMillis(), s.pops(), s.regions(),
                s.audience(), flags, s.triggers(), s.guardrails(), cues);
    }

    static String pair(GuardrailSpec rule) {
        return rule.flag() + "/" + rule.variant();
    }
}
