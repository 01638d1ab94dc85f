package io.edgedeck.simulator.server.approvals;

import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a fleet, a request's change goes through the control topic: from the moment its change is
 * proposed until its record marks it applied (or the write fails and it is settled), nothing else is
 * done to the request, so the request the record marks applied is the one the change was made from.
 */
class ApprovalLanesInFlightTest {

    private Show show;
    private ApprovalLanes lanes;
    private FlagDefinition flag;

    @BeforeEach
    void start() {
        show = new Show(new ShowDefinition(ScenarioCatalog.load("sentiment-crash"), 3), new MemoryJournal());
        lanes = new ApprovalLanes(new Approvals(60.0, false, false, null), List.of(), () -> 0L);
        flag = show.core().experiments().registry().all().stream().filter(d -> d.variants().size() == 2).findFirst()
                .orElseThrow();
    }

    private FlagChange raising(int weight, String reason) {
        String other = flag.variants().stream().map(v -> v.name()).filter(n -> !n.equals(flag.controlVariant())).findFirst()
                .orElseThrow();
        return new FlagChange(flag.version(), List.of(new VariantView(flag.controlVariant(), 10_000 - weight),
                new VariantView(other, weight)), null, null, reason);
    }

    private ChangeRequest opened(int weight) {
        ApprovalLanes.Proposal p = new ApprovalLanes.Proposal(ChangeRequest.FLAG_CHANGE, flag.key(), raising(weight, "go big"), "go big");
        List<String> risks = lanes.risks(show, p, "alice");
        assertEquals(1, risks.size(), risks.toString());
        return lanes.open(show, p, risks, "alice");
    }

    /** Request #1, opened by alice, approved by bob, its change proposed for the fleet by alice. */
    private ApprovalLanes.Applying approvedAndApplying() {
        String id = Long.toString(opened(7000).id());
        assertEquals("1", id);
        lanes.approve(show, id, "bob", 1, "ok");
        return lanes.applying(show, id, "alice", "node-a");
    }

    @Test
    void anApprovedRequestBeingAppliedTakesNoOtherDecisionUntilItSettles() {
        String id = "1";
        ApprovalLanes.Applying applying = approvedAndApplying();
        assertEquals(ChangeRequest.State.APPLIED, applying.applied().state());
        assertEquals("alice", applying.applied().appliedBy());
        assertEquals("go big (request node-a#1 by alice, approved by bob)", applying.reason(),
                "every node of the fleet audits it: the request is named with the node that numbered it");

        for (Runnable decision : List.<Runnable>of(
                () -> lanes.applying(show, id, "alice", "node-a"),
                () -> lanes.reject(show, id, "bob", true, null, "changed my mind"),
                () -> lanes.editing(show, id, "alice", raising(8000, "bigger"), "bigger"))) {
            ApiException refused = assertThrows(ApiException.class, decision::run);
            assertEquals(409, refused.status());
            assertTrue(refused.getMessage().contains("being applied"), refused.getMessage());
        }
        assertEquals(ChangeRequest.State.APPROVED, lanes.get(id).state(), "nothing changed");

        // The write did not go through: the request takes decisions again.
        lanes.settled(id);
        assertEquals(ChangeRequest.State.REJECTED, lanes.reject(show, id, "bob", true, null, "changed my mind").state());
    }

    @Test
    void theRecordOfTheChangeMarksTheRequestAppliedOnceAndReleasesIt() {
        String id = "1";
        ApprovalLanes.Applying applying = approvedAndApplying();

        List<JournalRecord> marking = lanes.marking(show, applying.applied(), 41);
        assertEquals(1, marking.size());
        JournalRecord.RequestChanged marked = (JournalRecord.RequestChanged) marking.getFirst();
        assertEquals(41, marked.seq());
        assertEquals(ChangeRequest.State.APPLIED, marked.request().state());
        lanes.marked(marking);
        assertEquals(ChangeRequest.State.APPLIED, lanes.get(id).state());
        assertTrue(lanes.marking(show, applying.applied(), 42).isEmpty(), "applied once");
        ApiException again = assertThrows(ApiException.class, () -> lanes.applying(show, id, "alice", "node-a"));
        assertEquals(409, again.status());
        assertTrue(again.getMessage().contains("is applied"), again.getMessage());
    }

    @Test
    void aRevisionWithoutRiskAppliedThroughTheFleetNamesTheNodesRequest() {
        String id = Long.toString(opened(7000).id());
        ApprovalLanes.Edit e = lanes.editing(show, id, "alice", raising(flag.variants().stream()
                .filter(v -> !v.name().equals(flag.controlVariant())).findFirst().orElseThrow().weight() + 100, "a little"), "a little");
        assertTrue(!e.risky(), e.toString());
        assertEquals("a little (request node-a#" + id + " by alice, revision 2 has no risk left: applied without approval)",
                lanes.applyingEdit(show, e, "node-a").reason());
    }

    @Test
    void aRecordNamingAnotherNodesRequestOrAnUnknownOneMarksNothing() {
        ChangeRequest r = opened(7000);
        ChangeRequest someoneElses = new ChangeRequest(r.id(), ChangeRequest.State.APPLIED, "carol", r.operation(), r.target(),
                r.change(), r.reason(), r.risks(), 1, 0, null, null, null, "carol", 0L);
        assertTrue(lanes.marking(show, someoneElses, 7).isEmpty());
        ChangeRequest unknown = new ChangeRequest(r.id() + 1, ChangeRequest.State.APPLIED, "alice", r.operation(), r.target(),
                r.change(), r.reason(), r.risks(), 1, 0, null, null, null, "alice", 0L);
        assertTrue(lanes.marking(show, unknown, 7).isEmpty());
        assertEquals(ChangeRequest.State.PENDING, lanes.get(Long.toString(r.id())).state());
    }

    /**
     * A disarm approved for one arming, proposed for the fleet after the guardrail was disarmed and armed
     * again, is refused: it would undo an arming nobody approved disarming.
     */
    @Test
    void aDisarmApprovedBeforeTheGuardrailWasArmedAgainIsRefusedOnTheFleetPath() {
        lanes = new ApprovalLanes(new Approvals(null, false, true, null), List.of(), () -> 0L);
        String rule = show.core().guardrails().statuses().getFirst().id();
        ApprovalLanes.Proposal p = new ApprovalLanes.Proposal(ChangeRequest.GUARDRAIL_DISARM, rule, null, "noisy");
        List<String> risks = lanes.risks(show, p, "alice");
        assertEquals(1, risks.size(), risks.toString());
        String id = Long.toString(lanes.open(show, p, risks, "alice").id());
        lanes.approve(show, id, "bob", 1, "ok");
        show.core().guardrails().setArmed(rule, false, "alice", "calm", 0);
        show.core().guardrails().setArmed(rule, true, "alice", "second half", 0);

        ApiException refused = assertThrows(ApiException.class, () -> lanes.applying(show, id, "alice", "node-a"));
        assertEquals(409, refused.status());
        assertTrue(refused.getMessage().contains("disarmed and armed again since request #" + id), refused.getMessage());
        assertTrue(show.core().guardrails().armed(rule), "the later arming stands");
        assertEquals(ChangeRequest.State.APPROVED, lanes.get(id).state(), "nothing changed");
    }

    /**
     * A resume journaled before requests recorded what they lift cannot tell the pause it was approved
     * for from one taken since: proposed for the fleet, as applied on one node, it is refused.
     */
    @Test
    void anOldResumeWithoutWhatItLiftsIsRefusedOnTheFleetPathToo() {
        String variant = flag.variants().stream().map(v -> v.name()).filter(n -> !n.equals(flag.controlVariant())).findFirst()
                .orElseThrow();
        show.core().experiments().setPaused(flag.key(), variant, true, "guardrail:sentiment-guard", "chat", 0);
        ChangeRequest old = new ChangeRequest(1, ChangeRequest.State.APPROVED, "alice", ChangeRequest.VARIANT_RESUME,
                flag.key() + "/" + variant, null, "calm again", List.of(), 1, 0, "bob", 0L, "fine", null, null, null, null);
        lanes.marked(List.of(new JournalRecord.RequestChanged(1, 0, old)));

        ApiException refused = assertThrows(ApiException.class, () -> lanes.applying(show, "1", "alice", "node-a"));
        assertEquals(409, refused.status());
        assertTrue(refused.getMessage().contains("was opened before the node recorded what a request lifts"), refused.getMessage());
        assertEquals(ChangeRequest.State.APPROVED, lanes.get("1").state(), "nothing changed");
    }
}
