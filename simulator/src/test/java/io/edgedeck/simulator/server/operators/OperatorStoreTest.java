package io.edgedeck.simulator.server.operators;

import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.server.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operators file: hashes not tokens, owner-only, no change lost to another made at the same time. */
class OperatorStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T18:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aPersonsTokenIsStoredAsItsHashOnlyInAnOwnerOnlyFile() throws Exception {
        OperatorStore store = new OperatorStore(dir, CLOCK, "carol");
        OperatorStore.Added added = store.add("alice", Role.APPROVER, dir.resolve("alice.token"));
        String token = Files.readString(added.tokenFile()).trim();
        Operator alice = store.list().getFirst();
        assertEquals(new Operator("alice", Role.APPROVER, Secrets.sha256(token), "2026-05-01T18:00:00Z", null, "carol", null), alice,
                "who ran the command is kept with the entry");
        new OperatorStore(dir, CLOCK, "dave").revoke("alice");
        Operator revoked = store.list().getFirst();
        assertEquals("carol", revoked.createdBy());
        assertEquals("dave", revoked.revokedBy());
        assertTrue(!Files.readString(store.file()).contains(token));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(added.tokenFile())));
    }

    /** An operators file as a node of the version before {@code createdBy} and {@code revokedBy} reads it, unknown fields refused. */
    private record OlderOperator(String name, String role, String tokenSha256, String createdAt, String revokedAt) {
    }

    private record OlderDocument(int format, List<OlderOperator> operators) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper OLDER_NODE = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /**
     * An add or revoke by a command that does not know who ran it writes the file as an older node reads it; one that
     * knows writes {@code createdBy}/{@code revokedBy}, which an older node refuses whole (docs/API.md: upgrade the node
     * first, or run the command of the version the node runs).
     */
    @Test
    void withoutWhoRanTheCommandTheFileIsOneAnOlderNodeReads() throws Exception {
        OperatorStore unknown = new OperatorStore(dir, CLOCK, null);
        unknown.add("alice", Role.OPERATOR, dir.resolve("alice.token"));
        unknown.add("bob", Role.VIEWER, dir.resolve("bob.token"));
        unknown.revoke("bob");
        OlderDocument older = OLDER_NODE.readValue(Files.readAllBytes(unknown.file()), OlderDocument.class);
        assertEquals(1, older.format());
        assertEquals(List.of("alice", "bob"), older.operators().stream().map(OlderOperator::name).toList());
        assertEquals(List.of("operator", "viewer"), older.operators().stream().map(OlderOperator::role).toList());
        assertEquals("2026-05-01T18:00:00Z", older.operators().get(1).revokedAt());
        assertEquals(unknown.list().getFirst().tokenSha256(), older.operators().getFirst().tokenSha256());

        new OperatorStore(dir, CLOCK, "carol").add("dave", Role.VIEWER, dir.resolve("dave.token"));
        assertThrows(com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class,
                () -> OLDER_NODE.readValue(Files.readAllBytes(unknown.file()), OlderDocument.class));
    }

    /**
     * A token an add was writing when it was killed stays beside {@code --token-out} under a
     * temporary name; the next add to that file deletes it, and nothing else.
     */
    @Test
    void whatAKilledAddLeftBesideTheTokenFileIsDeletedAndNothingElse() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path left = Files.writeString(out.resolve("alice.token.8214630871.creating"), "a live token\n");
        List<Path> others = List.of(Files.writeString(out.resolve("alice.token.notes.creating"), "mine"),
                Files.writeString(out.resolve("alice.token.8214630871.creating.bak"), "mine"),
                Files.writeString(out.resolve("bob.token.8214630871.creating"), "bob's"));
        OperatorStore store = new OperatorStore(dir, CLOCK);
        store.add("alice", Role.OPERATOR, out.resolve("alice.token"));
        assertTrue(Files.notExists(left), "the token a killed add was writing is still there");
        for (Path other : others) {
            assertTrue(Files.exists(other), other + " is not a file an add makes, and was deleted");
        }
    }

    @Test
    void revokingKeepsThePersonAndANewTokenIsANewEntry() throws Exception {
        OperatorStore store = new OperatorStore(dir, CLOCK);
        store.add("dave", Role.OPERATOR, dir.resolve("dave-1.token"));
        Operator revoked = store.revoke("DAVE");
        assertEquals("2026-05-01T18:00:00Z", revoked.revokedAt());
        assertThrows(OperatorException.class, () -> store.revoke("dave"));
        store.add("dave", Role.VIEWER, dir.resolve("dave-2.token"));
        List<Operator> all = store.list();
        assertEquals(2, all.size());
        assertEquals("2026-05-01T18:00:00Z", all.get(0).revokedAt());
        assertNull(all.get(1).revokedAt());
        assertEquals(Role.VIEWER, all.get(1).role());
    }

    @Test
    void addsMadeAtTheSameTimeAreAllKept() throws Exception {
        OperatorStore store = new OperatorStore(dir, CLOCK);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<OperatorStore.Added>> adds = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = "person" + i;
                adds.add(pool.submit(() -> store.add(name, Role.OPERATOR, dir.resolve(name + ".token"))));
            }
            for (Future<OperatorStore.Added> f : adds) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(16, store.list().size());
    }

    @Test
    void aDamagedFileIsNamedNotGuessed() throws Exception {
        Files.writeString(dir.resolve(OperatorStore.FILE), "{\"format\": 1, \"operators\": [{\"name\": \"x\"}]}");
        IOException e = assertThrows(IOException.class, () -> new OperatorStore(dir, CLOCK).list());
        assertTrue(e.getMessage().contains(dir.resolve(OperatorStore.FILE).toString()), e.getMessage());
        Files.writeString(dir.resolve(OperatorStore.FILE), "{\"format\": 2, \"operators\": []}");
        assertThrows(IOException.class, () -> new OperatorStore(dir, CLOCK).list());
        // Cut short: the parser's words and where the file stops making sense, not its own name for its input.
        Files.writeString(dir.resolve(OperatorStore.FILE), "{\"format\": 1,\n \"operators\": [");
        IOException cut = assertThrows(IOException.class, () -> new OperatorStore(dir, CLOCK).list());
        assertEquals("the operators file " + dir.resolve(OperatorStore.FILE) + " cannot be read: Unexpected end-of-input: expected"
                + " close marker for Array (line 2, column 16)", cut.getMessage());
    }

    /**
     * A file written while {@code config} was a name a person could have still reads: everyone else's
     * token works, that one is refused until the person gets another name, and it can be revoked.
     */
    @Test
    void aPersonNamedAsTheNodesOwnConfigurationIsRefusedAndTheOthersStillWork(@TempDir Path data) throws Exception {
        OperatorStore store = new OperatorStore(data, CLOCK);
        String alice = Files.readString(store.add("alice", Role.OPERATOR, data.resolve("alice.token")).tokenFile()).trim();
        String config = Secrets.newToken();
        Files.writeString(store.file(), Files.readString(store.file()).replace("\"operators\" : [", "\"operators\" : [{\"name\": \"config\","
                + " \"role\": \"operator\", \"tokenSha256\": \"" + Secrets.sha256(config) + "\", \"createdAt\": \"2026-05-01T17:00:00Z\"},"));
        assertEquals(2, store.list().size(), Files.readString(store.file()));
        Operators people = new Operators(io.edgedeck.simulator.server.http.NodeToken.loadOrCreate(data.resolve("token")), store.file());
        var refused = assertInstanceOf(io.edgedeck.simulator.server.http.Access.Verdict.Refuse.class, people.identify("Bearer " + config));
        assertTrue(refused.detail().contains("'config' is a name the audit gives to something else"), refused.detail());
        var let = assertInstanceOf(io.edgedeck.simulator.server.http.Access.Verdict.Let.class, people.identify("Bearer " + alice));
        assertEquals("alice", let.caller().name());
        store.revoke("config");
        assertTrue(people.identify("Bearer " + config) instanceof io.edgedeck.simulator.server.http.Access.Verdict.Refuse);
    }

    /**
     * A bad entry is named by its place in the list and the field at fault, for the node's log and the command's output
     * alike: neither the hash of anyone's token nor the entry's name is written out.
     */
    @Test
    void aBadEntryIsNamedByItsPlaceAndFieldNeverByItsHash(@TempDir Path data) throws Exception {
        OperatorStore store = new OperatorStore(data, CLOCK);
        store.add("alice", Role.OPERATOR, data.resolve("alice.token"));
        String good = Files.readString(store.file());
        String hash = store.list().getFirst().tokenSha256();
        String cut = hash.substring(0, 40);
        Files.writeString(store.file(), good.replace(hash, cut));
        OperatorStore.Unreadable shortHash = assertThrows(OperatorStore.Unreadable.class, store::list);
        assertEquals("the operators file " + store.file() + " has an entry it cannot use: entry 1 of 1 (operators[0]) has a"
                + " 'tokenSha256' that is not 64 lowercase hexadecimal digits (it has 40 characters)", shortHash.getMessage());
        assertEquals("its operators.json has an entry it cannot use", shortHash.forPeers(),
                "which entry and field are for the node's owner, in the log and the 'operators' command");

        String bob = Secrets.sha256(Secrets.newToken());
        Files.writeString(store.file(), good.replace("\"operators\" : [", "\"operators\" : [{\"name\": \"bob smith\","
                + " \"role\": \"operator\", \"tokenSha256\": \"" + bob + "\", \"createdAt\": \"2026-05-01T17:00:00Z\"},"));
        OperatorStore.Unreadable badName = assertThrows(OperatorStore.Unreadable.class, store::list);
        assertTrue(badName.getMessage().contains("entry 1 of 2 (operators[0]) has a 'name' that is not one"), badName.getMessage());
        Files.writeString(store.file(), good.replace("\"role\" : \"operator\"", "\"role\" : \"admin\""));
        OperatorStore.Unreadable admin = assertThrows(OperatorStore.Unreadable.class, store::list);
        assertTrue(admin.getMessage().contains("entry 1 of 1 (operators[0]) has the 'role' admin"), admin.getMessage());
        for (OperatorStore.Unreadable e : List.of(shortHash, badName, admin)) {
            for (String secret : List.of(hash, cut, bob, "bob smith", "alice")) {
                assertTrue(!e.getMessage().contains(secret) && !e.forPeers().contains(secret), e.getMessage());
            }
        }
    }

    @Test
    void namesTheAuditGivesToOthersAreRefused() {
        for (String name : List.of("admin", "Scenario", "cue", "expired", "guardrail-bot", "config", "Config", "ingest-key",
                "has space", "", "-dash", "x".repeat(65))) {
            assertTrue(Operator.nameProblem(name) != null, name);
        }
        for (String name : List.of("alice", "Bob.Smith", "ops_2", "a")) {
            assertNull(Operator.nameProblem(name), name);
        }
    }
}
