package io.edgedeck.client.model;

import java.util.List;

/**
 * One version of a flag, as the change that made it left it ({@code GET /api/v1/flags/{key}/history}):
 * what a producer picks from to restore ({@code POST /api/v1/flags/{key}/restore}).
 *
 * @param version  1 at creation, +1 per change
 * @param variants the weights, in basis points summing to 10000
 * @param scope    {@code global}, {@code region:eu}, {@code pop:fra}, {@code tenant:acme}
 * @param atMillis engine time of the change
 * @param actor    who made it, as the audit names them
 * @param action   the audit's action for it: {@code flag.create}, {@code flag.change}, {@code flag.kill}...
 */
public record FlagVersion(long version, List<VariantView> variants, String scope, boolean killed, long atMillis, String actor,
                          String action, String reason) {
    public FlagVersion {
        variants = List.copyOf(variants);
    }
}
