package io.edgedeck.client.model;

import java.util.List;

/**
 * An edit of a flag's weights or scope, based on the version the operator saw.
 *
 * @param expectedVersion the version the edit was made against; a newer one on the edge is a conflict
 * @param variants        new weights in basis points summing to 10000, or null to keep them
 * @param scope           new scope ({@code global}, {@code region:eu}, {@code pop:fra}, {@code tenant:acme}), or null
 * @param operator        who makes the change
 * @param reason          why; required
 */
public record FlagChange(long expectedVersion, List<VariantView> variants, String scope, String operator, String reason) {
    public FlagChange {
        variants = variants == null ? null : List.copyOf(variants);
    }
}
