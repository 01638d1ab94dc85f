package io.edgedeck.engine.flags;

import io.edgedeck.client.model.AuditEntry;

/**
 * Hears every command that changed the registry, after it took effect, on the engine thread.
 * The engine journals {@code command} and publishes {@code entry}.
 */
@FunctionalInterface
public interface FlagChangeListener {
    void onFlagChange(FlagCommand command, AuditEntry entry);
}
