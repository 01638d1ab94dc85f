package io.edgedeck.engine.flags;

import java.util.List;
import java.util.Objects;

/**
 * One version of a flag.
 *
 * <h2>How variants map onto buckets</h2>
 * Variant ranges are cumulative in declaration order: with weights w0, w1, ... the first variant
 * owns buckets [0, w0), the second [w0, w0 + w1), and so on. A unit's bucket never changes for a
 * given key and salt, so a unit keeps its variant for as long as the weights are unchanged.
 *
 * <p>When weights change, only the boundaries between ranges move, and a unit changes variant only
 * if a boundary crossed its bucket. Hence the rollout rule:
 * <ul>
 *   <li>A boolean flag lists {@code "on"} first ({@link #booleanFlag} does): the {@code on} range is
 *   [0, onWeight) and grows from the bottom of the space. Raising a rollout from 10% to 20% moves
 *   buckets [1000, 2000) from off to on and nobody from on to off; lowering it does the reverse.
 *   (With two variants the single boundary makes the other order monotone too, but one canonical
 *   order keeps every evaluator and every table in the docs the same.)</li>
 *   <li>With more variants, moving weight between two <em>adjacent</em> variants moves only units
 *   across their shared boundary; moving weight between non-adjacent variants shifts every range in
 *   between. Put the variant you ramp next to the one it takes weight from (usually control).</li>
 *   <li>The salt is fixed for a flag's life: a new salt reshuffles every unit.</li>
 * </ul>
 *
 * @param controlVariant the safe variant: a kill serves it to everyone, a rollback moves weight to it
 * @param version        assigned by {@link FlagRegistry}; 1 at creation, +1 per audited mutation
 * @param experimentSeed recorded with the flag so an analysis of its exposures can be reproduced
 */
public record FlagDefinition(
        String key,
        String description,
        String owner,
        List<Variant> variants,
        String controlVariant,
        Scope scope,
        String salt,
        long version,
        boolean killed,
        long experimentSeed) {

    public static final String ON = "on";
    public static final String OFF = "off";

    public FlagDefinition {
        Objects.requireNonNull(variants, "variants");
        variants = List.copyOf(variants);
    }

    /** A boolean flag: {@code on} first (so rollouts grow from bucket 0), {@code off} as control. */
    public static FlagDefinition booleanFlag(String key, String description, String owner, int onWeight,
                                             Scope scope, String salt, long experimentSeed) {
        return new FlagDefinition(key, description, owner,
                List.of(new Variant(ON, onWeight), new Variant(OFF, Bucketing.BUCKETS - onWeight)),
                OFF, scope, salt, 0, false, experimentSeed);
    }

    /**
     * Whether a flag with variants named {@code names} is a boolean flag: exactly {@code on} and
     * {@code off}. Over OFREP its value is {@code true} or {@code false}; any other flag's value is its
     * variant's name. A flag keeps the type it was declared with ({@link FlagRules#keepsType}).
     */
    public static boolean booleanVariants(java.util.Collection<String> names) {
        return names.size() == 2 && names.contains(ON) && names.contains(OFF);
    }

    /** Whether this flag is a boolean flag: {@link #booleanVariants} of its variants' names. */
    public boolean booleanValued() {
        return booleanVariants(variants.stream().map(Variant::name).toList());
    }

    /** The index of the variant called {@code name}, or -1. */
    public int variantIndex(String name) {
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public int weightOf(String name) {
        int index = variantIndex(name);
        return index < 0 ? 0 : variants.get(index).weight();
    }

    FlagDefinition withVersion(long newVersion) {
        return new FlagDefinition(key, description, owner, variants, controlVariant, scope, salt, newVersion,
                killed, experimentSeed);
    }

    FlagDefinition withKilled(boolean newKilled) {
        return new FlagDefinition(key, description, owner, variants, controlVariant, scope, salt, version,
                newKilled, experimentSeed);
    }

    FlagDefinition withVariants(List<Variant> newVariants) {
        return new FlagDefinition(key, description, owner, newVariants, controlVariant, scope, salt, version,
                killed, experimentSeed);
    }

    /**
     * The compact form used in audit entries, e.g. {@code v3 on=10% off=90% control=off scope=global},
     * with {@code killed} appended while the flag is killed.
     */
    public String summary() {
        var sb = new StringBuilder().append('v').append(version);
        for (Variant variant : variants) {
            sb.append(' ').append(variant.name()).append('=').append(percent(variant.weight()));
        }
        sb.append(" control=").append(controlVariant).append(" scope=").append(scope.wireName());
        if (killed) {
            sb.append(" killed");
        }
        return sb.toString();
    }

    /** Basis points as a percentage without trailing zeros: 1000 -> 10%, 1050 -> 10.5%, 1 -> 0.01%. */
    static String percent(int basisPoints) {
        int whole = basisPoints / 100;
        int hundredths = Math.abs(basisPoints % 100);
        if (hundredths == 0) {
            return whole + "%";
        }
        return hundredths % 10 == 0 ? whole + "." + hundredths / 10 + "%" : whole + "." + String.format("%02d", hundredths) + "%";
    }
}
