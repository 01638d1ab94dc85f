package io.edgedeck.client.model;

import java.util.List;

/**
 * A flag as the console shows it.
 *
 * @param scope                  {@code global}, {@code region:eu}, {@code pop:fra} or {@code tenant:acme}
 * @param popsAcknowledged       PoPs running {@code version}
 * @param popsTotal              PoPs the flag is propagated to
 * @param fullPropagationMillis  how long {@code version} took to reach every PoP; {@code null} while
 *                               it is still propagating
 */
public record FlagView(String key, String description, String owner, List<VariantView> variants,
                       String controlVariant, String scope, long version, boolean killed,
                       int popsAcknowledged, int popsTotal, Long fullPropagationMillis) {

    public FlagView {
        variants = List.copyOf(variants);
    }

    /**
     * This flag as {@code acknowledged} of {@code total} PoPs run it: fully propagated (in the
     * time this view says) only when every one does.
     */
    public FlagView withAcknowledged(int acknowledged, int total) {
        return new FlagView(key, description, owner, variants, controlVariant, scope, version, killed, acknowledged, total,
                acknowledged == total ? fullPropagationMillis : null);
    }
}
