package io.edgedeck.simulator.server.control;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.AuditFilter;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Reply;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * Which audit entries a reader asked for ({@code GET /api/v1/audit?person=&flag=&kind=}), and the
 * trail as JSON lines for export. The filter is the client's own {@link AuditFilter}, so the node
 * and the console decide a match the same way: every filter left out matches everything; those
 * given must all match, exactly.
 */
record AuditQuery(AuditFilter filter) {
    /** The media type of the export: one JSON object per line (JSON Lines, also known as NDJSON). */
    static final String JSON_LINES = "application/x-ndjson";

    /** The query parameters of both audit reads: its filters, and nothing else. */
    static final String[] PARAMETERS = {"person", "flag", "kind"};

    static AuditQuery of(Call c) {
        return new AuditQuery(new AuditFilter(c.query("person"), c.query("flag"), c.query("kind")));
    }

    List<AuditEntry> select(List<AuditEntry> all) {
        return all.stream().filter(filter::matches).toList();
    }

    /** The entries as JSON lines, a download named {@code audit.jsonl}. */
    static Reply.Whole jsonLines(List<AuditEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (AuditEntry e : entries) {
                out.writeBytes(JsonBodies.MAPPER.writeValueAsBytes(e));
                out.write('\n');
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry could not be written as JSON", e);
        }
        return new Reply.Whole(200, JSON_LINES + "; charset=utf-8", out.toByteArray(),
                Map.of("Content-Disposition", "attachment; filename=\"audit.jsonl\""));
    }
}
