package io.edgedeck.simulator.server.control;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Reply;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * Which audit entries a reader asked for ({@code GET /api/v1/audit?person=&flag=&kind=}), and the
 * trail as JSON lines for export. Every filter left out matches everything; those given must all match.
 *
 * @param person the entry's actor, exactly: a person's name, {@code admin}, {@code scenario}, {@code guardrail:RULE}
 * @param flag   the entry's target, exactly: a flag key (or a guardrail id, for guardrail entries)
 * @param kind   the action's first part ({@code flag}, {@code guardrail}, {@code show}, {@code request}), or a whole action ({@code flag.kill})
 */
record AuditQuery(String person, String flag, String kind) {
    /** The media type of the export: one JSON object per line (JSON Lines, also known as NDJSON). */
    static final String JSON_LINES = "application/x-ndjson";

    static AuditQuery of(Call c) {
        return new AuditQuery(blankToNull(c.query("person")), blankToNull(c.query("flag")), blankToNull(c.query("kind")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    boolean matches(AuditEntry e) {
        return (person == null || person.equals(e.actor()))
                && (flag == null || flag.equals(e.target()))
                && (kind == null || kind.equals(e.action()) || e.action().startsWith(kind + "."));
    }

    List<AuditEntry> select(List<AuditEntry> all) {
        return all.stream().filter(this::matches).toList();
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
