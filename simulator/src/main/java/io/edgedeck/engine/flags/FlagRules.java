package io.edgedeck.engine.flags;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What makes a flag definition valid: a key, an owner, a salt, variants whose weights add up to
 * 100%, a control among them, and a scope naming a region or PoP the edge has. Each rule broken is
 * a {@link FlagValidationException} naming the field.
 */
final class FlagRules {
    /**
     * The most variants a change may give a flag. Every variant is carried in each frame and in
     * {@code /metrics} from the moment it exists; a show's tests have a handful (a declared flag at most 20).
     */
    static final int MAX_VARIANTS = 32;

    private final Set<String> regionIds;
    private final Set<String> popIds;

    /** @param regionIds the regions a scope may name; @param popIds the PoPs a scope may name (sorted) */
    FlagRules(Set<String> regionIds, Set<String> popIds) {
        this.regionIds = regionIds;
        this.popIds = popIds;
    }

    FlagDefinition validated(FlagDefinition flag) {
        String key = flag.key();
        requireText("key", key);
        if (key.chars().anyMatch(c -> c == ':' || Character.isWhitespace(c))) {
            // ':' separates key, salt and unit in the bucketing input; allowing it would let two
            // different flags hash their units identically.
            throw new FlagValidationException("key", "'" + key + "' must not contain ':' or whitespace");
        }
        requireText("owner", flag.owner());
        if (flag.description() == null) {
            throw new FlagValidationException("description", "must be present (it may be empty)");
        }
        if (flag.salt() == null || flag.salt().indexOf(':') >= 0) {
            throw new FlagValidationException("salt", "must be present and must not contain ':'");
        }
        validateVariants(flag);
        if (flag.variantIndex(flag.controlVariant()) < 0) {
            throw new FlagValidationException("controlVariant", "'" + flag.controlVariant()
                    + "' is not one of the variants " + flag.variants().stream().map(Variant::name).toList());
        }
        validateScope(flag.scope());
        return flag;
    }

    /**
     * The variants alone (present, named, distinct, weights that add up), as {@link #validated} checks
     * them: malformed input is answered 400 naming its field before anything is asked of the show.
     */
    static void validateVariants(FlagDefinition flag) {
        List<Variant> variants = flag.variants();
        if (variants.isEmpty()) {
            throw new FlagValidationException("variants", "a flag needs at least one variant");
        }
        Set<String> names = new HashSet<>();
        long sum = 0;
        for (int i = 0; i < variants.size(); i++) {
            String path = "variants[" + i + "]";
            Variant variant = variants.get(i);
            if (variant == null) {
                throw new FlagValidationException(path, "must not be null");
            }
            requireText(path + ".name", variant.name());
            if (!names.add(variant.name())) {
                throw new FlagValidationException(path + ".name", "duplicate variant name '" + variant.name() + "'");
            }
            if (variant.weight() < 0) {
                throw new FlagValidationException(path + ".weight",
                        "weight of '" + variant.name() + "' is " + variant.weight() + "; weights must not be negative");
            }
            sum += variant.weight();
        }
        if (sum != Bucketing.BUCKETS) {
            throw new FlagValidationException("variants", "weights add up to " + sum + " ("
                    + FlagDefinition.percent((int) sum) + "); they must add up to " + Bucketing.BUCKETS + " (100%)");
        }
    }

    /**
     * A change keeps the flag's type, which its declaration gave it: a boolean flag (exactly {@code on}
     * and {@code off}) stays one, and no other flag becomes one. OpenFeature clients ask for a flag's
     * value by its type; a boolean flag answering {@code "off"} would make every one of them serve its
     * default. A flag that an older change (replayed from the journal as it was) left of the other type
     * may be brought back to its declared type, or keep the one it has. Asked of a new change only.
     *
     * @param declaredBoolean whether the flag was declared a boolean flag
     * @throws FlagInUseException naming {@code variants}
     */
    static void keepsType(boolean declaredBoolean, FlagDefinition before, FlagDefinition after) {
        if (before.booleanValued() == after.booleanValued() || after.booleanValued() == declaredBoolean) {
            return;
        }
        List<String> names = after.variants().stream().map(Variant::name).toList();
        String why = before.booleanValued()
                ? "is a boolean flag: OpenFeature clients read its value as true (on) or false (off). Variants "
                        + names + " would make its value a variant's name, and every client asking for a boolean would"
                        + " get its default. Keep exactly the variants on and off (weight 0 stops serving one)"
                : "is a string flag: OpenFeature clients read its value as the variant's name. Variants exactly on and"
                        + " off would make its value true or false, and every client asking for a string would get its"
                        + " default. Keep a variant other than on and off, or name them otherwise";
        throw new FlagInUseException(before.key(), before.version(), "variants", "flag " + before.key() + " " + why
                + "; a flag of another type is a new flag in the show's configuration; nothing changed");
    }

    /**
     * A change gives the flag at most {@link #MAX_VARIANTS} variants. Asked of a new change only: the
     * journal replays what it holds as it was.
     */
    static void boundedVariants(FlagDefinition after) {
        if (after.variants().size() > MAX_VARIANTS) {
            throw new FlagValidationException("variants", "has " + after.variants().size() + " variants; a flag has at most "
                    + MAX_VARIANTS + " (each one is carried in every frame and every /metrics scrape); nothing changed");
        }
    }

    private void validateScope(Scope scope) {
        switch (scope) {
            case null -> throw new FlagValidationException("scope", "must be present (use global)");
            case Scope.Global g -> {
            }
            case Scope.Region(String id) when !regionIds.contains(id) ->
                    throw new FlagValidationException("scope.id", "unknown region '" + id + "'; known regions: "
                            + String.join(", ", regionIds));
            case Scope.Region r -> {
            }
            case Scope.Pop(String id) when !popIds.contains(id) ->
                    throw new FlagValidationException("scope.id", "unknown PoP '" + id + "'; known PoPs: "
                            + String.join(", ", popIds));
            case Scope.Pop p -> {
            }
            case Scope.Tenant(String id) -> requireText("scope.id", id);
        }
    }

    static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new FlagValidationException(field, "must not be blank");
        }
    }
}
