package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code operators add} and {@code operators revoke} change is in a real node's audit, by the OS account that ran
 * the command ({@code os:USER}, as the command recorded it in operators.json): made
 * while the node runs (within a second or two) or while it is stopped (as it starts), each change once,
 * with who and the role, and never the token or its hash.
 */
class OperatorsAuditedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void eachAddAndRevokeIsAuditedOnceByWhoRanItWhetherTheNodeRunsOrNot() throws Exception {
        String aliceToken;
        try (LiveNode live = LiveNode.start(dataDir, 1)) {
            aliceToken = live.addOperator("alice", Role.OPERATOR);
            LiveNode.await("alice's token audited", () -> count(live, "operator.add", "alice") == 1);
            AuditEntry added = entries(live, "operator.add", "alice").getFirst();
            // Who ran the command, as it recorded itself in operators.json: this test's OS account.
            String account = "os:" + new io.edgedeck.simulator.server.operators.OperatorStore(dataDir, java.time.Clock.systemUTC())
                    .list().getFirst().createdBy();
            assertTrue(account.length() > 3 && !account.contains(aliceToken), account);
            assertEquals(account, added.actor());
            assertEquals("none", added.before());
            assertTrue(added.after().matches("operator, token made 20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), added.after());
            live.revokeOperator("alice");
            LiveNode.await("alice's revocation audited", () -> count(live, "operator.revoke", "alice") == 1);
            AuditEntry revoked = entries(live, "operator.revoke", "alice").getFirst();
            assertEquals(account, revoked.actor());
            assertEquals(added.after(), revoked.before());
            assertTrue(revoked.after().startsWith("revoked at 20"), revoked.after());
        }
        // Stopped: bob is given a token and alice a new one; the node audits both as it starts, and nothing twice.
        Path tokens = Files.createTempDirectory("edgedeck-tokens");
        var store = new io.edgedeck.simulator.server.operators.OperatorStore(dataDir, java.time.Clock.systemUTC(), "carol");
        store.add("bob", Role.VIEWER, tokens.resolve("bob.token"));
        store.add("Alice", Role.APPROVER, tokens.resolve("alice.token"));
        try (LiveNode live = LiveNode.start(dataDir, 1)) {
            LiveNode.await("bob's token audited", () -> count(live, "operator.add", "bob") == 1);
            LiveNode.await("alice's second token audited", () -> count(live, "operator.add", "alice") == 2);
            assertEquals("approver", entries(live, "operator.add", "alice").getLast().after().split(",")[0]);
            assertEquals("os:carol", entries(live, "operator.add", "bob").getFirst().actor(), "carol ran the command");
            Thread.sleep(1_200);
            assertEquals(2, count(live, "operator.add", "alice"), "alice's first token is not audited again");
            assertEquals(1, count(live, "operator.revoke", "alice"));
            assertEquals(1, count(live, "operator.add", "bob"));
            String trail = live.send("GET", "/audit", null).body();
            for (String secret : List.of(aliceToken, Secrets.sha256(aliceToken), Files.readString(tokens.resolve("bob.token")).trim())) {
                assertFalse(trail.contains(secret), "the audit holds no token and no token's hash");
            }
        } finally {
            for (String f : List.of("bob.token", "alice.token")) {
                Files.deleteIfExists(tokens.resolve(f));
            }
            Files.delete(tokens);
        }
    }

    @Test
    void aNewPersonsFirstChangeComesAfterTheirTokenInTheTrail() throws Exception {
        try (LiveNode live = LiveNode.start(dataDir, 1)) {
            // As `operators add` does, and nothing else (LiveNode.addOperator waits for the audit), then at once, well
            // within the node's once-a-second look at the file, dana's first change.
            Path file = Files.createTempDirectory("edgedeck-tokens").resolve("dana.token");
            new io.edgedeck.simulator.server.operators.OperatorStore(dataDir, java.time.Clock.systemUTC(), "carol").add("dana", Role.OPERATOR, file);
            String dana = Files.readString(file).trim();
            Files.delete(file);
            Files.delete(file.getParent());
            var kill = live.send("POST", "/flags/checkout-button/kill", "{\"reason\": \"dana's first change\"}", dana);
            assertEquals(200, kill.statusCode(), kill.body());
            List<AuditEntry> trail = List.of(JSON.readValue(live.send("GET", "/audit", null).body(), AuditEntry[].class));
            List<String> order = trail.stream().filter(e -> e.target().equalsIgnoreCase("dana") || "dana".equals(e.actor()))
                    .map(e -> e.action() + " by " + e.actor()).toList();
            assertEquals(List.of("operator.add by os:carol", "flag.kill by dana"), order, trail.toString());
        }
    }

    /** An entry written before operators.json said who ran the command is audited as admin, as it always was. */
    @Test
    void anEntryThatDoesNotSayWhoRanTheCommandIsAuditedAsAdmin() throws Exception {
        java.nio.file.Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("operators.json"), """
                {"format": 1, "operators": [{"name": "erin", "role": "viewer", "tokenSha256": "%s",
                  "createdAt": "2026-12-01T08:00:00Z", "revokedAt": null}]}""".formatted(Secrets.sha256("an-old-token")));
        Files.setPosixFilePermissions(dataDir.resolve("operators.json"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (LiveNode live = LiveNode.start(dataDir, 1)) {
            LiveNode.await("erin's token audited", () -> count(live, "operator.add", "erin") == 1);
            assertEquals("admin", entries(live, "operator.add", "erin").getFirst().actor());
        }
    }

    private static List<AuditEntry> entries(LiveNode live, String action, String person) {
        try {
            return List.of(JSON.readValue(live.send("GET", "/audit", null).body(), AuditEntry[].class)).stream()
                    .filter(e -> e.action().equals(action) && e.target().equalsIgnoreCase(person)).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int count(LiveNode live, String action, String person) {
        return entries(live, action, person).size();
    }
}
