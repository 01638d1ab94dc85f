package io.edgedeck.client.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which audit entries to show or export ({@code GET /api/v1/audit?person=&flag=&kind=}): each filter
 * given must match, exactly; one left out (null or blank) matches everything.
 *
 * @param person the entry's actor: a person's name, {@code admin}, {@code scenario}, {@code guardrail:RULE}
 * @param flag   a flag key (or a guardrail id): the entries that changed it ({@link AuditEntry#concerns}), whether
 *               as their target, a variant of it, or one of the changes a playbook's run or a scheduled change made
 * @param kind   the action's first part ({@code flag}, {@code guardrail}, {@code show}, {@code request}), or a whole action ({@code flag.kill})
 */
public record AuditFilter(String person, String flag, String kind) {
    /** Every entry. */
    public static final AuditFilter ALL = new AuditFilter(null, null, null);

    public AuditFilter {
        person = blankToNull(person);
        flag = blankToNull(flag);
        kind = blankToNull(kind);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** True when {@code e} passes every filter given, as the node decides it. */
    public boolean matches(AuditEntry e) {
        return (person == null || person.equals(e.actor()))
                && (flag == null || e.concerns(flag))
                && (kind == null || kind.equals(e.action()) || e.action().startsWith(kind + "."));
    }

    /** True when nothing is filtered out. */
    public boolean all() {
        return person == null && flag == null && kind == null;
    }

    /** The filters given, as the query parameters the node reads. */
    public Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        if (person != null) {
            q.put("person", person);
        }
        if (flag != null) {
            q.put("flag", flag);
        }
        if (kind != null) {
            q.put("kind", kind);
        }
        return q;
    }
}
