package io.edgedeck.client.model;

/**
 * Restore a flag's weights and scope to those of an earlier version ({@code POST /api/v1/flags/{key}/restore}):
 * a flag change like any other, based on the version the operator saw, and subject to the same approval lanes.
 *
 * @param version         the version whose weights and scope to bring back
 * @param expectedVersion the flag's version the restore is based on; another on the node is a 409
 * @param reason          why; required
 */
public record FlagRestore(long version, long expectedVersion, String reason) {
}
