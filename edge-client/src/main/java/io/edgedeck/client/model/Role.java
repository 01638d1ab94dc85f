package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What a person may do on a node, from the token they call with. Each role may do everything the
 * one before it may: a viewer reads the control API and the frame stream; an operator also makes
 * every change (flags, guardrails, rollbacks, show control); an approver is the role that decides
 * on another person's change once changes can wait for approval (until then it may what an operator
 * may). {@code admin} is the node owner's own token ({@code DATA_DIR/token}), with every right; no
 * personal token has it.
 */
public enum Role {
    VIEWER, OPERATOR, APPROVER, ADMIN;

    /** The name on the wire and on the command line: {@code viewer}, {@code operator}, {@code approver}, {@code admin}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id}, as {@link #id()} writes it. */
    @JsonCreator
    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no role '" + id + "'; roles are viewer, operator, approver and admin");
    }

    /** True when this role may do what {@code needed} may. */
    public boolean covers(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** True when it may change the show: flags, guardrails, rollbacks, pause, speed, cues. */
    public boolean mayChange() {
        return covers(OPERATOR);
    }
}
