package io.edgedeck.simulator.server.privacy;

import io.edgedeck.simulator.server.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What reading a node's secret files decided to write to them: the first secret of a new data
 * directory, a rotation a stop interrupted put in place or dropped, a creation a crash cut short
 * removed. A starting node reads its secrets before its checks and writes this only once every
 * check has passed ({@link #held}), so a start refused changes no byte of its data directory;
 * anyone else writes as it reads ({@link #now}).
 */
public final class SecretWrites {
    /** One write to a secret file. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    private final boolean holding;
    private final List<Write> held = new ArrayList<>();

    private SecretWrites(boolean holding) {
        this.holding = holding;
    }

    /** Writes held until {@link #write}: for a start, which may still be refused. */
    public static SecretWrites held() {
        return new SecretWrites(true);
    }

    /** Each write done as it is asked for. */
    public static SecretWrites now() {
        return new SecretWrites(false);
    }

    /** Does {@code write} now, or holds it until {@link #write}. */
    public void add(Write write) throws IOException {
        if (holding) {
            held.add(write);
        } else {
            write.run();
        }
    }

    /**
     * The bytes {@code file} holds once the writes are done: {@code settled} when a held write puts
     * them there ({@link SecretRotation#settled}), the file's own when it is there, else {@code content}
     * made now, which a write creates owner-only ({@link OwnerOnlyFiles#createOnce}). What a creation
     * of the file a crash interrupted left beside it is removed by a write too.
     */
    public byte[] createdOnce(Path file, byte[] settled, OwnerOnlyFiles.Content content) throws IOException {
        if (settled != null) {
            add(() -> OwnerOnlyFiles.deleteInterrupted(file));
            return settled;
        }
        if (Files.exists(file)) {
            add(() -> OwnerOnlyFiles.deleteInterrupted(file));
            return Files.readAllBytes(file);
        }
        byte[] made = content.bytes();
        add(() -> OwnerOnlyFiles.createOnce(file, () -> made));
        // Written now, the file may be one another start made first, which createOnce keeps.
        return holding ? made : Files.readAllBytes(file);
    }

    /** Whether a write is held (none once written). */
    public boolean pending() {
        return !held.isEmpty();
    }

    /** Does the held writes, in the order they were asked for; each is done once. */
    public void write() throws IOException {
        while (!held.isEmpty()) {
            held.getFirst().run();
            held.removeFirst();
        }
    }
}
