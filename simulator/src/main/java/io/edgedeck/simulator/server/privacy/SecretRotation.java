package io.edgedeck.simulator.server.privacy;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.simulator.show.Show;

import java.io.IOException;

/**
 * A node secret replaced by the next one (the pseudonym salt, the checkout token signing key): the
 * new one is written to its owner-only file in one step and used, then the rotation is journaled and
 * audited; when the journal refuses, the old secret is put back, so no secret is ever in use without
 * its record. The record names the secret's generation, never the secret.
 */
public interface SecretRotation {
    /** Writes the new secret (one step, synced) and uses it. */
    void apply() throws IOException;

    /** Puts the old secret back, file and all. */
    void undo() throws IOException;

    /**
     * Applies {@code rotation} and audits it (journaled first) as {@code actor}, on the engine thread.
     *
     * @throws IllegalStateException when the new secret could not be written (nothing changed)
     */
    static AuditEntry journaled(Show show, SecretRotation rotation, String actor, String action, String target, String before,
                                String after, String reason) {
        try {
            rotation.apply();
        } catch (IOException e) {
            throw new IllegalStateException("the new secret could not be written (" + e.getMessage() + "); nothing changed", e);
        }
        try {
            return show.core().experiments().audited(show.core().nowMillis(), actor, action, target, before, after,
                    reason == null ? "" : reason);
        } catch (RuntimeException journalRefused) {
            try {
                rotation.undo();
            } catch (IOException e) {
                journalRefused.addSuppressed(e);
            }
            throw journalRefused;
        }
    }
}
