package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One of a node's journal records on the journal topic (schema {@value #SCHEMA}), as the node
 * wrote it to its own journal (docs/JOURNAL.md): the fleet-wide audit trail.
 *
 * @param node       the node's id
 * @param journalSeq the record's {@code seq} in the node's journal
 * @param record     the journal record's JSON
 */
public record JournalEntry(int v, String node, long journalSeq, JsonNode record) {
    public static final String SCHEMA = "journal/1";
}
