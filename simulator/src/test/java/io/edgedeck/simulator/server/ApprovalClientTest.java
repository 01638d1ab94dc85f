package io.edgedeck.simulator.server;

import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.AuditFilter;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagRestore;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.simulator.scenario.Approvals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java client's calls for approval lanes, audit filters and export, and flag history, against a
 * real node with lanes and two people's tokens: what the console relies on.
 */
class ApprovalClientTest {
    private static final String FLAG = "checkout-button";

    @TempDir
    Path dataDir;

    private static List<VariantView> split(int treatment) {
        return List.of(new VariantView("control", 10_000 - treatment), new VariantView("treatment", treatment));
    }

    private static FlagView flag(HttpEdgeConnection c) {
        return c.flags().join().stream().filter(f -> f.key().equals(FLAG)).findFirst().orElseThrow();
    }

    private static EdgeException failure(CompletableFuture<?> call) {
        CompletionException e = assertThrows(CompletionException.class, call::join);
        return (EdgeException) e.getCause();
    }

    @Test
    void heldEditedApprovedAppliedRestoredAndExported() throws Exception {
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, new Approvals(60.0, true, true, null));
             HttpEdgeConnection alice = live.connect(live.addOperator("alice", Role.OPERATOR));
             HttpEdgeConnection bob = live.connect(live.addOperator("bob", Role.APPROVER))) {
            long v1 = flag(alice).version();

            EdgeException held = failure(alice.changeFlag(FLAG, new FlagChange(v1, split(7000), null, null, "ramp")));
            assertEquals(EdgeException.Kind.HELD, held.kind());
            ChangeRequest r = held.heldRequest();
            assertNotNull(r, "the held change carries its request");
            assertEquals(ChangeRequest.State.PENDING, r.state());
            assertEquals("alice", r.requester());
            assertEquals(List.of(r), alice.requests().join());

            assertEquals(EdgeException.Kind.FORBIDDEN, failure(alice.approveRequest(r.id(), 1, "mine")).kind(),
                    "the requester cannot approve her own");
            assertEquals(ChangeRequest.State.APPROVED, bob.approveRequest(r.id(), 1, "checked").join().state());
            ChangeRequest edited = alice.editRequest(r.id(), new FlagChange(v1, split(6500), null, null, "a bit less")).join();
            assertEquals(ChangeRequest.State.PENDING, edited.state(), "an edit voids the approval");
            assertEquals(2, edited.revision());
            assertEquals(EdgeException.Kind.CONFLICT, failure(alice.applyRequest(r.id())).kind(), "not approved: nothing applies");
            EdgeException stale = failure(bob.approveRequest(r.id(), 1, "what I saw first"));
            assertEquals(EdgeException.Kind.CONFLICT, stale.kind(), "an approval of the revision before the edit is refused");
            assertTrue(stale.getMessage().contains("is at revision 2, not 1"), stale.getMessage());
            bob.approveRequest(r.id(), 2, "checked again").join();
            assertEquals(ChangeRequest.State.APPLIED, alice.applyRequest(r.id()).join().state());
            assertEquals(split(6500), flag(alice).variants());

            // history and restore: back to v1 is not risky and applies; forward to 65% again is held and withdrawn
            assertEquals(List.of(v1, v1 + 1), alice.flagHistory(FLAG).join().stream().map(v -> v.version()).toList());
            FlagView restored = alice.restoreFlag(FLAG, new FlagRestore(v1, v1 + 1, "even again"), "ignored").join();
            assertEquals(split(5000), restored.variants());
            EdgeException heldRestore = failure(alice.restoreFlag(FLAG, new FlagRestore(v1 + 1, v1 + 2, "ramp again"), "ignored"));
            assertEquals(EdgeException.Kind.HELD, heldRestore.kind());
            ChangeRequest second = heldRestore.heldRequest();
            assertEquals(ChangeRequest.State.REJECTED, alice.rejectRequest(second.id(), second.revision(), "withdrawn").join().state());

            // an unkill waits too; its requester edits its reason
            alice.setKilled(FLAG, true, null, "stop").join();
            ChangeRequest unkill = failure(alice.setKilled(FLAG, false, null, "back")).heldRequest();
            assertEquals(ChangeRequest.FLAG_UNKILL, unkill.operation());
            assertEquals("back on cue", alice.editRequest(unkill.id(), "back on cue").join().reason());

            // the audit, filtered by the node, and its export: the same entries as JSON lines
            List<AuditEntry> bobs = alice.audit(new AuditFilter("bob", null, null)).join();
            assertEquals(List.of("request.approve", "request.approve"), bobs.stream().map(AuditEntry::action).toList());
            List<AuditEntry> requests = bob.audit(new AuditFilter(null, FLAG, "request")).join();
            assertTrue(requests.stream().allMatch(e -> e.action().startsWith("request.")));
            String export = bob.exportAudit(new AuditFilter("alice", null, null)).join();
            List<AuditEntry> alices = bob.audit(new AuditFilter("alice", null, null)).join();
            assertEquals(alices.size(), export.lines().count());
            assertTrue(export.lines().allMatch(l -> l.contains("\"actor\":\"alice\"")), export);
        }
    }
}
