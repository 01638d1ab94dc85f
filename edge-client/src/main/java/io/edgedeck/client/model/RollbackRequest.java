package io.edgedeck.client.model;

/** A producer's rollback over the wire: the variant of the flag goes back to control everywhere. */
public record RollbackRequest(String flag, String variant, String operator, String reason) {
}
