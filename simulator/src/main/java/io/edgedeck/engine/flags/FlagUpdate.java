package io.edgedeck.engine.flags;

import java.util.List;

/**
 * The editable parts of a flag for {@link FlagRegistry#change}; a {@code null} component keeps
 * the current value. The key, salt and experiment seed are fixed for a flag's life (a new salt
 * would reshuffle every unit); kill state has its own commands.
 */
public record FlagUpdate(List<Variant> variants, String controlVariant, Scope scope, String description,
                         String owner) {

    public FlagUpdate {
        variants = variants == null ? null : List.copyOf(variants);
    }

    public static FlagUpdate weights(List<Variant> variants) {
        return new FlagUpdate(variants, null, null, null, null);
    }

    /** New weights for a boolean flag: {@code on} at {@code onWeight} basis points, the rest off. */
    public static FlagUpdate rollout(int onWeight) {
        return weights(List.of(new Variant(FlagDefinition.ON, onWeight),
                new Variant(FlagDefinition.OFF, Bucketing.BUCKETS - onWeight)));
    }

    public static FlagUpdate scope(Scope scope) {
        return new FlagUpdate(null, null, scope, null, null);
    }

    FlagDefinition applyTo(FlagDefinition current) {
        return new FlagDefinition(current.key(),
                description != null ? description : current.description(),
                owner != null ? owner : current.owner(),
                variants != null ? variants : current.variants(),
                controlVariant != null ? controlVariant : current.controlVariant(),
                scope != null ? scope : current.scope(),
                current.salt(), current.version(), current.killed(), current.experimentSeed());
    }
}
