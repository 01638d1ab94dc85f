package io.edgedeck.simulator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code operators add|list|revoke} as a person types them: what is printed, what is written, the exit codes. */
class OperatorsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void addWritesTheTokenOnceToAnOwnerOnlyFileAndNeverPrintsIt() throws Exception {
        Path node = Files.createDirectory(tmp.resolve("node"));
        Path tokenFile = tmp.resolve("alice.token");
        CliRun r = CliRun.of("operators", "add", "alice", "--role", "operator", "--data-dir", node.toString(),
                "--token-out", tokenFile.toString());
        assertEquals(0, r.code(), r.err());
        String token = Files.readString(tokenFile).trim();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url");
        assertTrue(r.out().contains(tokenFile.toAbsolutePath().toString()), r.out());
        // the file now says who ran the command, which a node of the version before refuses to read: said, not "knows them"
        assertTrue(Files.readString(node.resolve("operators.json")).contains("createdBy"));
        assertTrue(r.out().contains("A running node of this version knows them from their first call")
                && r.out().contains("A node of an older version cannot read the file now (createdBy)")
                && r.out().contains("Upgrading: the node first, then the command"), r.out());
        assertFalse(r.out().contains(token) || r.err().contains(token), "the token is never printed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        assertFalse(Files.readString(node.resolve("operators.json")).contains(token), "the node keeps a hash, not the token");

        CliRun again = CliRun.of("operators", "add", "Alice", "--role", "viewer", "--data-dir", node.toString(),
                "--token-out", tmp.resolve("other.token").toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already has a working token"), again.err());
        assertFalse(Files.exists(tmp.resolve("other.token")), "no token made for a refused add");

        CliRun sameFile = CliRun.of("operators", "add", "bob", "--role", "viewer", "--data-dir", node.toString(),
                "--token-out", tokenFile.toString());
        assertEquals(2, sameFile.code());
        assertTrue(sameFile.err().contains("exists; nothing was overwritten"), sameFile.err());
        assertEquals(token, Files.readString(tokenFile).trim(), "alice's token file is untouched");
    }

    @Test
    void aTokenFileInFoldersThatAreNotThereYetIsWrittenWithThemTheLastOwnerOnly() throws Exception {
        Path node = Files.createDirectory(tmp.resolve("node"));
        Path tokenFile = tmp.resolve("tokens").resolve("team").resolve("alice.token");
        CliRun r = CliRun.of("operators", "add", "alice", "--role", "viewer", "--data-dir", node.toString(),
                "--token-out", tokenFile.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(tokenFile).trim().matches("[A-Za-z0-9_-]{43}"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile.getParent())),
                "the folder made for a token keeps others out of it");
        assertEquals("", r.err(), "nothing to warn of");
    }

    @Test
    void listAndRevokeSayWhoAndWhen() throws Exception {
        Path node = Files.createDirectory(tmp.resolve("node"));
        CliRun empty = CliRun.of("operators", "list", "--data-dir", node.toString());
        assertEquals(0, empty.code());
        assertTrue(empty.out().startsWith("No operators"), empty.out());
        for (String[] person : new String[][] {{"alice", "operator"}, {"carol", "viewer"}}) {
            assertEquals(0, CliRun.of("operators", "add", person[0], "--role", person[1], "--data-dir", node.toString(),
                    "--token-out", tmp.resolve(person[0] + ".token").toString()).code());
        }
        CliRun revoke = CliRun.of("operators", "revoke", "carol", "--data-dir", node.toString());
        assertEquals(0, revoke.code(), revoke.err());
        assertTrue(revoke.out().startsWith("Revoked the token of carol (viewer)"), revoke.out());
        String list = CliRun.of("operators", "list", "--data-dir", node.toString()).out();
        assertTrue(list.lines().anyMatch(l -> l.startsWith("alice") && l.contains("operator") && l.endsWith("active")), list);
        assertTrue(list.lines().anyMatch(l -> l.startsWith("carol") && l.contains("viewer") && l.contains("revoked 20")), list);
        assertEquals(2, CliRun.of("operators", "revoke", "carol", "--data-dir", node.toString()).code(), "carol has no working token now");
    }

    @Test
    void usageMistakesAreExitTwoAndSayWhat() {
        Path missing = tmp.resolve("no-such-node");
        CliRun noDir = CliRun.of("operators", "add", "alice", "--role", "viewer", "--data-dir", missing.toString(),
                "--token-out", tmp.resolve("a.token").toString());
        assertEquals(2, noDir.code());
        assertTrue(noDir.err().contains("no node data directory at"), noDir.err());
        assertFalse(Files.exists(missing), "no data directory is made by a typo");
        CliRun listNoDir = CliRun.of("operators", "list", "--data-dir", missing.toString());
        assertEquals(2, listNoDir.code(), "listing a node that is not there is the same mistake as adding to it");
        assertTrue(listNoDir.err().contains("no node data directory at"), listNoDir.err());
        assertEquals("", listNoDir.out(), "not \"No operators\": there is no node");

        CliRun admin = CliRun.of("operators", "add", "bob", "--role", "admin", "--data-dir", tmp.toString());
        assertEquals(2, admin.code());
        assertTrue(admin.err().contains("takes viewer, operator or approver"), admin.err());

        CliRun reserved = CliRun.of("operators", "add", "admin", "--role", "viewer", "--data-dir", tmp.toString());
        assertEquals(2, reserved.code());
        assertTrue(reserved.err().contains("a name the audit gives to something else"), reserved.err());

        CliRun both = CliRun.of("operators", "list", "--data-dir", tmp.toString(), "--node", "steady-show");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());

        CliRun neither = CliRun.of("operators", "list");
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("--data-dir") && neither.err().contains("--node"), neither.err());
    }
}
