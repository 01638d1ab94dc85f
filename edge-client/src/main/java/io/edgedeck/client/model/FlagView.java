package io.edgedeck.client.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A flag as the console shows it.
 *
 * @param scope                  {@code global}, {@code region:eu}, {@code pop:fra} or {@code tenant:acme}
 * @param popsAcknowledged       PoPs running {@code version}
 * @param popsTotal              PoPs the flag is propagated to
 * @param fullPropagationMillis  how long {@code version} took to reach every PoP; {@code null} while
 *                               it is still propagating
 * @param paused                 its variants paused for new exposures (a unit not in one already is
 *                               served control instead), whatever their weights say
 * @param rolledBackAt           per variant, the PoPs where it is rolled back to control on its own
 *                               (a PoP-local rollback): there nobody is served it, whatever its weight
 *                               says, until an operator clears it; variants rolled back nowhere are left out
 */
public record FlagView(String key, String description, String owner, List<VariantView> variants,
                       String controlVariant, String scope, long version, boolean killed,
                       int popsAcknowledged, int popsTotal, Long fullPropagationMillis,
                       List<String> paused, Map<String, List<String>> rolledBackAt) {

    public FlagView {
        variants = List.copyOf(variants);
        paused = paused == null ? List.of() : List.copyOf(paused);
        Map<String, List<String>> sorted = new TreeMap<>();
        if (rolledBackAt != null) {
            rolledBackAt.forEach((variant, pops) -> {
                if (pops != null && !pops.isEmpty()) {
                    sorted.put(variant, pops.stream().sorted().toList());
                }
            });
        }
        rolledBackAt = java.util.Collections.unmodifiableMap(sorted);
    }

    /** A flag with no variant paused or rolled back anywhere. */
    public FlagView(String key, String description, String owner, List<VariantView> variants,
                    String controlVariant, String scope, long version, boolean killed,
                    int popsAcknowledged, int popsTotal, Long fullPropagationMillis) {
        this(key, description, owner, variants, controlVariant, scope, version, killed, popsAcknowledged, popsTotal,
                fullPropagationMillis, List.of(), Map.of());
    }

    /**
     * This flag as {@code acknowledged} of {@code total} PoPs run it: fully propagated (in the
     * time this view says) only when every one does.
     */
    public FlagView withAcknowledged(int acknowledged, int total) {
        return new FlagView(key, description, owner, variants, controlVariant, scope, version, killed, acknowledged, total,
                acknowledged == total ? fullPropagationMillis : null, paused, rolledBackAt);
    }

    /** This flag with {@code paused} variants and the PoP-local rollbacks {@code rolledBackAt} in force. */
    public FlagView withOverrides(List<String> paused, Map<String, List<String>> rolledBackAt) {
        return new FlagView(key, description, owner, variants, controlVariant, scope, version, killed, popsAcknowledged,
                popsTotal, fullPropagationMillis, paused, rolledBackAt);
    }

    /** Whether a variant is paused or rolled back at some PoP: the weights alone do not say what is served. */
    public boolean overridden() {
        return !paused.isEmpty() || !rolledBackAt.isEmpty();
    }
}
