package io.edgedeck.simulator.server;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeRestartTest {

    @Test
    void aNodeStartedAgainOnItsDataDirComesBackWithFlagsGuardrailsAndAudit(@TempDir Path dir) throws Exception {
        List<AuditEntry> auditBefore;
        FlagView flagBefore;
        String token;
        try (LiveNode first = LiveNode.start(dir, 4); HttpEdgeConnection c = first.connect()) {
            assertFalse(first.node.restored());
            token = first.token;
            FlagView f = c.flags().join().getFirst();
            c.changeFlag(f.key(), new FlagChange(f.version(), List.of(new VariantView("control", 9000),
                    new VariantView("treatment", 1000)), null, "maya", "narrow before the drop")).join();
            c.setKilled(f.key(), true, "ben", "checkout errors").join();
            c.setArmed("sentiment-guard", false, "ben", "known sour chat during the giveaway").join();
            auditBefore = c.audit().join();
            flagBefore = c.flags().join().getFirst();
        }
        try (LiveNode second = LiveNode.start(dir, 4); HttpEdgeConnection c = second.connect()) {
            assertTrue(second.node.restored());
            assertEquals(token, second.token, "the token survives a restart: consoles keep working");
            FlagView flag = c.flags().join().getFirst();
            assertTrue(flag.killed());
            assertEquals(flagBefore.version(), flag.version());
            assertEquals(flagBefore.variants(), flag.variants());
            assertFalse(c.guardrails().join().getFirst().armed());
            assertEquals(auditBefore, c.audit().join());
        }
    }

    @Test
    void theTokenFileIsOwnerOnlyAndTheTokenIs32RandomBytes(@TempDir Path dir) throws Exception {
        try (LiveNode node = LiveNode.start(dir, 1)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(node.node.tokenFile())));
            assertEquals(43, node.token.length(), "32 bytes in unpadded base64url");
            assertTrue(node.token.matches("[A-Za-z0-9_-]+"), "base64url alphabet only");
        }
    }

    @Test
    void aJournalOfAnotherShowIsAClearErrorNotAMixedState(@TempDir Path dir) throws Exception {
        try (LiveNode first = LiveNode.start(dir, 1)) {
            assertTrue(Files.exists(dir.resolve("journal.jsonl")));
        }
        ShowDefinition other = ShowDefinition.of(ScenarioCatalog.resolve("pop-outage"));
        EdgeNode.StartException e = assertThrows(EdgeNode.StartException.class, () -> EdgeNode.start(
                new EdgeNode.Config(other, 1, InetAddress.getLoopbackAddress(), 0, dir)));
        assertTrue(e.getMessage().contains("'steady-show'") && e.getMessage().contains("'pop-outage'"), e.getMessage());
    }

    @Test
    void closingANodeTwiceIsHarmlessAndLeavesItsDataDirReadyForTheNext(@TempDir Path dir) throws Exception {
        String token;
        try (LiveNode first = LiveNode.start(dir, 1)) {
            token = first.token;
            first.node.close();
            first.node.close();
        }
        try (LiveNode second = LiveNode.start(dir, 1)) {
            assertTrue(second.node.restored());
            assertEquals(token, second.token);
        }
    }
}
