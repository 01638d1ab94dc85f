package io.edgedeck.simulator.server;

import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.privacy.Pseudonyms;
import io.edgedeck.simulator.server.privacy.UnitKeys;
import io.edgedeck.simulator.server.tokens.CheckoutTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's secret files (its tokens, the unit key, the pseudonym salt, the checkout token keys)
 * take their names only once whole: a first start that could not write one (a full disk here; a
 * kill -9 leaves the same) leaves no file of that name, so the next start makes it, instead of
 * refusing an empty one. What such a start left beside it is deleted.
 */
class SecretFilesTest {
    private SmallDisk disk;

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    private interface Load {
        void in(Path dir) throws IOException;
    }

    /** A secret file a node makes on its first start, and what makes it. */
    private record Secret(String file, Load load) {
    }

    private static final List<Secret> SECRETS = List.of(
            new Secret("token", dir -> NodeToken.loadOrCreate(dir.resolve("token"))),
            new Secret(UnitKeys.FILE, UnitKeys::loadOrCreate),
            new Secret(Pseudonyms.FILE, dir -> Pseudonyms.loadOrCreate(dir, 1_000)),
            new Secret(CheckoutTokens.FILE, dir -> CheckoutTokens.loadOrCreate(dir, Duration.ofMinutes(10), Duration.ofHours(1), 1_000)));

    @Test
    void aFirstStartOnAFullDiskLeavesNoSecretFileAndTheNextStartMakesThem(@TempDir Path dir) throws Exception {
        try {
            disk = SmallDisk.make(dir);
        } catch (SmallDisk.Unavailable e) {
            Assumptions.abort(e.getMessage());
        }
        Path data = disk.view();
        Path filler = SmallDisk.fill(data);
        for (Secret secret : SECRETS) {
            assertThrows(IOException.class, () -> secret.load().in(data), secret.file());
            assertFalse(Files.exists(data.resolve(secret.file())), secret.file() + " was left though it could not be written");
            try (Stream<Path> left = Files.list(data)) {
                assertEquals(List.of(filler), left.toList(), "a start that could not write " + secret.file() + " left a file");
            }
        }
        Files.delete(filler);
        for (Secret secret : SECRETS) {
            secret.load().in(data);
            assertTrue(Files.size(data.resolve(secret.file())) > 0, secret.file());
        }
    }

    @Test
    void whatAnInterruptedCreationLeftBesideASecretFileIsDeletedAndTheFileMadeWhole(@TempDir Path dir) throws Exception {
        Path stale = dir.resolve(UnitKeys.FILE + ".4711.creating");
        Files.write(stale, "half a ke".getBytes(StandardCharsets.US_ASCII));
        UnitKeys.loadOrCreate(dir);
        assertFalse(Files.exists(stale));
        String key = Files.readString(dir.resolve(UnitKeys.FILE), StandardCharsets.US_ASCII);
        assertEquals(43, key.trim().length(), key);
        if (OwnerOnlyFiles.posix(dir)) {
            assertEquals(OwnerOnlyFiles.OWNER_ONLY, Files.getPosixFilePermissions(dir.resolve(UnitKeys.FILE)));
        }
    }

    /**
     * A secret a rotation was preparing when a crash cut it short is deleted as the node starts; a
     * file beside it that no creation makes is not.
     */
    @Test
    void whatAnInterruptedRotationLeftIsDeletedAndNothingElse(@TempDir Path dir) throws Exception {
        Path left = Files.writeString(dir.resolve(Pseudonyms.FILE + ".next.5551212.creating"), "half a sal");
        Path other = Files.writeString(dir.resolve(Pseudonyms.FILE + ".copy.creating"), "the operator's");
        Pseudonyms.loadOrCreate(dir, 1_000);
        assertFalse(Files.exists(left));
        assertTrue(Files.exists(other), "a file no creation makes was deleted");
    }

    @Test
    void aSecretFileThatExistsIsNeverReplaced(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("read-key");
        byte[] kept = "kept\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(file, kept);
        assertThrows(FileAlreadyExistsException.class, () -> OwnerOnlyFiles.createNew(file, "other\n".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(kept, Files.readAllBytes(file));
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(List.of(file), all.toList(), "nothing is left beside it");
        }
    }

    /** A link the disk refuses for another reason than having no hard links fails the creation: nothing takes the name. */
    @Test
    void aLinkRefusedForAnyOtherReasonCreatesNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("read-key");
        FileSystemException full = assertThrows(FileSystemException.class, () -> OwnerOnlyFiles.createNew(file,
                "secret\n".getBytes(StandardCharsets.US_ASCII), (link, existing) -> {
                    throw new FileSystemException(link.toString(), existing.toString(), "No space left on device");
                }));
        assertEquals("No space left on device", full.getReason());
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(List.of(), all.toList(), "a file was created, or left beside it");
        }
    }

    /**
     * Where the file system has no hard links (Linux answers EPERM on FAT), the file is made whole
     * another way, and an existing one is still refused and kept.
     */
    @Test
    void withoutHardLinksTheFileIsMadeWholeAndAnExistingOneIsKept(@TempDir Path dir) throws Exception {
        OwnerOnlyFiles.Links fat = (link, existing) -> {
            throw new FileSystemException(link.toString(), existing.toString(), "Operation not permitted");
        };
        Path file = dir.resolve("read-key");
        OwnerOnlyFiles.createNew(file, "secret\n".getBytes(StandardCharsets.US_ASCII), fat);
        assertEquals("secret\n", Files.readString(file, StandardCharsets.US_ASCII));
        if (OwnerOnlyFiles.posix(dir)) {
            assertEquals(OwnerOnlyFiles.OWNER_ONLY, Files.getPosixFilePermissions(file));
        }
        assertThrows(FileAlreadyExistsException.class, () -> OwnerOnlyFiles.createNew(file,
                "other\n".getBytes(StandardCharsets.US_ASCII), fat));
        assertEquals("secret\n", Files.readString(file, StandardCharsets.US_ASCII));
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(List.of(file), all.toList(), "nothing is left beside it");
        }
    }
}
