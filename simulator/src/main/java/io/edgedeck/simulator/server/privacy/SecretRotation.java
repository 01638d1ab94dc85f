package io.edgedeck.simulator.server.privacy;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.simulator.server.OwnerOnlyFiles;
import io.edgedeck.simulator.show.Show;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A node secret replaced by the next one (the pseudonym salt, the checkout token signing key), so
 * that no secret is ever in use without its journaled, audited record, and no record names a
 * secret the node lost:
 *
 * <ol>
 *   <li>the next secret is written beside the current one ({@code FILE.next}, owner-only, synced),
 *       not in use yet;</li>
 *   <li>the rotation is journaled and audited (its record names the secret's generation, never the
 *       secret); if the journal refuses, the prepared secret is deleted and nothing changed;</li>
 *   <li>the next secret is used, and moved over the current one in one step.</li>
 * </ol>
 *
 * A crash before the record leaves a prepared secret the journal does not name; a crash after it,
 * one it does. On start {@link #settled} deletes the first and puts the second in place.
 */
public interface SecretRotation {
    /** The file the secret is kept in. */
    Path file();

    /** The file as it is to be with the next secret in it. */
    byte[] nextContent() throws IOException;

    /** Uses the next secret from now on (in memory: the file is the caller's). */
    void use();

    /** Where the next secret waits for its record: {@code FILE.next}, beside the secret's file. */
    static Path prepared(Path file) {
        return file.resolveSibling(file.getFileName() + ".next");
    }

    /** Writes the next secret beside the current one, owner-only and synced; nothing is in use yet. */
    default void prepare() throws IOException {
        Path next = prepared(file());
        Files.deleteIfExists(next);
        OwnerOnlyFiles.createNew(next, nextContent());
    }

    /** Drops the prepared secret: the rotation did not happen. */
    default void abandon() throws IOException {
        Files.deleteIfExists(prepared(file()));
    }

    /**
     * Uses the prepared secret and moves it over the current one in one step. When the move fails
     * the secret is in use all the same: it is durable beside the file, its rotation journaled, and
     * {@link #settled} puts it in place when the node next starts.
     */
    default void commit() {
        use();
        try {
            OwnerOnlyFiles.moveOver(prepared(file()), file());
        } catch (IOException e) {
            Holder.LOG.error("The new secret is in use and its rotation journaled, but it could not be moved over {} ({});"
                    + " the node puts it in place when it next starts", file(), e.getMessage());
        }
    }

    /**
     * Rotates and audits (journaled before the new secret is used) as {@code actor}, on the engine thread.
     *
     * @throws IllegalStateException when the new secret could not be written (nothing changed)
     */
    static AuditEntry journaled(Show show, SecretRotation rotation, String actor, String action, String target, String before,
                                String after, String reason) {
        try {
            rotation.prepare();
        } catch (IOException e) {
            throw new IllegalStateException("the new secret could not be written (" + e.getMessage() + "); nothing changed", e);
        }
        AuditEntry entry;
        try {
            entry = show.core().experiments().audited(show.core().nowMillis(), actor, action, target, before, after,
                    reason == null ? "" : reason);
        } catch (RuntimeException journalRefused) {
            try {
                rotation.abandon();
            } catch (IOException e) {
                journalRefused.addSuppressed(e);
            }
            throw journalRefused;
        }
        rotation.commit();
        return entry;
    }

    /**
     * As a node starts, before {@code file} is read: a secret a rotation prepared and a crash left
     * beside it is moved over it when {@code journaled} says the journal holds that rotation (the
     * crash came after the record: the rotation happened, and was perhaps acknowledged), and deleted
     * when it does not (the crash came before: nothing was changed or acknowledged). A prepared file
     * cut short by a crash cannot be named by the journal, which is written only after it is synced;
     * one a crash cut short before it took its name is deleted. The move and the deletions are
     * {@code writes}: a start holds them until every check has passed.
     *
     * @param journaled whether the journal holds the rotation to the secret in these bytes
     * @return the bytes the move puts in {@code file}, or null when there is none (the file's own stand)
     */
    static byte[] settled(Path file, Predicate<byte[]> journaled, SecretWrites writes) throws IOException {
        Path next = prepared(file);
        writes.add(() -> OwnerOnlyFiles.deleteInterrupted(next));
        if (!Files.exists(next)) {
            return null;
        }
        byte[] content = Files.readAllBytes(next);
        boolean recorded;
        try {
            recorded = journaled.test(content);
        } catch (RuntimeException unreadable) {
            recorded = false;
        }
        if (recorded) {
            writes.add(() -> {
                OwnerOnlyFiles.moveOver(next, file);
                Holder.LOG.warn("Completed a rotation of {} that a stop interrupted after it was journaled: the new secret is in"
                        + " place", file);
            });
            return content;
        }
        writes.add(() -> {
            Files.delete(next);
            Holder.LOG.warn("Dropped the next secret for {} that a stop left before its rotation was journaled: the secret in"
                    + " use is unchanged, as the audit trail says", file);
        });
        return null;
    }

    /** The interface's logger. */
    final class Holder {
        private static final Logger LOG = LoggerFactory.getLogger(SecretRotation.class);

        private Holder() {
        }
    }
}
