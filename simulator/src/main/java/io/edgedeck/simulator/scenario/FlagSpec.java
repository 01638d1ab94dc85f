package io.edgedeck.simulator.scenario;

import java.util.List;
import java.util.Map;

/**
 * A flag under test.
 *
 * @param key         flag key, unique in the scenario
 * @param description what the flag changes, for people
 * @param owner       team that owns it
 * @param variants    variants with weights in percent (at most 2 decimals, summing to 100)
 * @param control     the variant guardrails compare against and rollbacks return to
 * @param scope       where the variants apply
 * @param salt        mixed into bucketing so two flags do not bucket units alike; defaults to the key
 * @param effects     how each variant changes behaviour in the simulation; variants not named behave as control
 */
public record FlagSpec(String key, String description, String owner, List<Variant> variants, String control,
                       FlagScope scope, String salt, Map<String, VariantEffect> effects) {

    public FlagSpec {
        if (key == null || key.isBlank()) throw new IllegalArgumentException("flag key is required");
        description = description == null ? "" : description;
        owner = owner == null ? "" : owner;
        variants = List.copyOf(variants);
        scope = scope == null ? new FlagScope.Global() : scope;
        salt = salt == null ? key : salt;
        effects = effects == null ? Map.of() : Map.copyOf(effects);
    }

    /**
     * One variant and its share of units.
     *
     * @param name   variant name, unique within the flag
     * @param weight share in percent, e.g. {@code 33.34}
     */
    public record Variant(String name, double weight) {
        /** The weight in basis points (1/100 of a percent), exact for weights with at most 2 decimals. */
        public int basisPoints() {
            return (int) Math.round(weight * 100);
        }
    }

    /**
     * How a variant changes the simulated audience.
     *
     * @param conversionMultiplier factor on the session's checkout probability (1 = no change)
     * @param chatMood             chat mood of its exposed sessions, replacing the audience's; null keeps it
     */
    public record VariantEffect(double conversionMultiplier, ChatMix chatMood) {
        public static final VariantEffect NONE = new VariantEffect(1.0, null);
    }

    /**
     * Weights as integers summing to 10000 (the parser rejects files where they do not), in variant
     * order, ready for bucketing into [0, 10000).
     */
    public int[] weightsBasisPoints() {
        int[] points = new int[variants.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = variants.get(i).basisPoints();
        }
        return points;
    }

    /** The effect of {@code variant}, or {@link VariantEffect#NONE} when the file gives none. */
    public VariantEffect effectOf(String variant) {
        return effects.getOrDefault(variant, VariantEffect.NONE);
    }

    public boolean hasVariant(String name) {
        return variants.stream().anyMatch(v -> v.name().equals(name));
    }
}
