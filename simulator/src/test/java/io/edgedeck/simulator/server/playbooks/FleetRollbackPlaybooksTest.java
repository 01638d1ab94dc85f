package io.edgedeck.simulator.server.playbooks;

import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.server.approvals.ApprovalLanes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node killed after applying the aggregator's rollback for a rule it leaves to the fleet, and before its
 * playbook tied to that rule ran: started again, it reads its journal and still owes that run, once; a run
 * journaled after the rollback settles it.
 */
class FleetRollbackPlaybooksTest {
    private static final Playbook STAND_DOWN = new Playbook("stand-down", "", List.of(PlaybookAction.arm("banner-guard", false)),
            "conversion-guard", Playbook.State.READY, Playbook.CONFIG, null, "");

    private static JournalRecord.ControlApplied rollback(long seq, String id, String issuer) {
        return new JournalRecord.ControlApplied(seq, 5_000, id, 7, issuer, Map.of("flag/checkout-redesign", 2L),
                "fleet:" + issuer, "fleet.apply", "checkout-redesign", "", "", "by guardrail:conversion-guard@fleet: guardrail "
                + "conversion-guard on every node's evidence since 12:00:01 UTC: conversion lift -50%", List.of());
    }

    private static Playbooks restarted(List<JournalRecord> journal) {
        return new Playbooks(List.of(STAND_DOWN), journal, new ApprovalLanes(Approvals.NONE, journal, () -> 0L), 0, null);
    }

    @Test
    void theAggregatorsRollbackWithNoRunAfterItIsOwedOnce() {
        List<Playbooks.Owed> owed = restarted(List.of(rollback(1, "fleet-guardrail/conversion-guard/flag/checkout-redesign@2",
                "aggregator"))).owed();
        assertEquals(1, owed.size(), owed.toString());
        assertEquals("stand-down", owed.getFirst().playbook());
        assertEquals("conversion-guard", owed.getFirst().firing().rule());
        assertEquals("on every node's evidence since 12:00:01 UTC: conversion lift -50%", owed.getFirst().firing().reason());
    }

    @Test
    void aRunAfterItSettlesItAndOtherRecordsOweNothing() {
        JournalRecord.Audited ran = new JournalRecord.Audited(2, 5_100, "guardrail:conversion-guard", "playbook.run", "stand-down",
                "run by the node: guardrail conversion-guard fired", Playbooks.NOTHING_TO_CHANGE, "guardrail conversion-guard fired");
        assertEquals(List.of(), restarted(List.of(rollback(1, "fleet-guardrail/conversion-guard/flag/checkout-redesign@2",
                "aggregator"), ran)).owed());
        assertEquals(List.of(), restarted(List.of(rollback(1, "fleet-guardrail/conversion-guard/flag/checkout-redesign@2",
                "node-b"))).owed(), "only the aggregator's rollbacks are the fleet's firings");
        assertEquals(List.of(), restarted(List.of(rollback(1, "batch/42", "aggregator"))).owed());
    }
}
