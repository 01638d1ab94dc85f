package io.edgedeck.simulator.server.operators;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.edgedeck.client.model.Role;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One person's token on one node, as {@code DATA_DIR/operators.json} keeps it: never the token,
 * only its SHA-256. A person whose token was revoked keeps their entry (the audit names them);
 * giving them a new token adds a new entry under the same name.
 *
 * @param name        who, as the audit names them
 * @param role        what their token may do
 * @param tokenSha256 the SHA-256 of their token, 64 hex digits
 * @param createdAt   when the token was made, ISO-8601 UTC
 * @param revokedAt   when it was revoked, or null while it works
 * @param createdBy   the account on the node's machine that ran {@code operators add} (its OS user), or null in
 *                    entries written before the file said; the audit names it, never the token
 * @param revokedBy   the same for {@code operators revoke}, or null
 */
public record Operator(String name, Role role, String tokenSha256, String createdAt, String revokedAt,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String createdBy,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String revokedBy) {

    public Operator(String name, Role role, String tokenSha256, String createdAt, String revokedAt) {
        this(name, role, tokenSha256, createdAt, revokedAt, null, null);
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /**
     * Names the audit already gives to someone else: the node owner's token, the scenario's own
     * set-up, cues and expiries of faults, the node's lanes' keys, the node's own schedule (it rotates
     * the checkout token key), and the node's configuration (its playbooks and connectors, as the
     * node config declares them). A guardrail acts as {@code guardrail:RULE} and another node of a fleet
     * as {@code fleet:ID}, which no name can be (no colon).
     */
    private static final Set<String> RESERVED = Set.of("admin", "scenario", "cue", "expired", "anyone", "read-key",
            "ingest-key", "schedule", "config");

    public boolean active() {
        return revokedAt == null;
    }

    /** Why {@code name} cannot be a person's name, or null when it can. */
    public static String nameProblem(String name) {
        String shape = shapeProblem(name);
        return shape != null ? shape : reservedProblem(name);
    }

    /** Why {@code name} is not written as a name is, or null: what an operators file must hold. */
    static String shapeProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "a name takes letters, digits, '.', '_' and '-' (up to 64, a letter or digit first), not '" + name + "'";
        }
        return null;
    }

    /**
     * Why {@code name}, well written, is one the audit gives to something else, or null. A file written
     * before a name was reserved may hold it: the file still reads, and that token is refused
     * ({@link Operators}), so nobody acts under a name that reads as the node's own.
     */
    static String reservedProblem(String name) {
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT)) || name.toLowerCase(Locale.ROOT).startsWith("guardrail")) {
            return "'" + name + "' is a name the audit gives to something else (admin, config, scenario, schedule, cue, expired, guardrail...)";
        }
        return null;
    }
}
