package io.edgedeck.client.model;

import java.util.List;

/**
 * A producer's clearing of a PoP-local rollback over the wire: {@code variant} of the flag is served
 * again at {@code pops}, or at every PoP where it is rolled back when {@code pops} is left out.
 */
public record RollbackClear(String variant, List<String> pops, String reason) {
}
