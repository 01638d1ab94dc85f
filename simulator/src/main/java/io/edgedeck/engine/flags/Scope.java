package io.edgedeck.engine.flags;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a flag applies. Outside its scope a flag serves its control variant, so a scoped rollout
 * never leaks a treatment to audiences it was not meant for.
 */
public sealed interface Scope {

    Global GLOBAL = new Global();

    /** The wire form: {@code global}, {@code region:eu}, {@code pop:fra}, {@code tenant:acme}. */
    @JsonValue
    default String wireName() {
        return switch (this) {
            case Global g -> "global";
            case Region(String id) -> "region:" + id;
            case Pop(String id) -> "pop:" + id;
            case Tenant(String id) -> "tenant:" + id;
        };
    }

    /** Reads the {@link #wireName()} form back. */
    @JsonCreator
    static Scope parse(String wireName) {
        if (wireName.equals("global")) {
            return GLOBAL;
        }
        int colon = wireName.indexOf(':');
        String id = colon < 0 ? "" : wireName.substring(colon + 1);
        return switch (colon < 0 ? wireName : wireName.substring(0, colon)) {
            case "region" -> new Region(id);
            case "pop" -> new Pop(id);
            case "tenant" -> new Tenant(id);
            default -> throw new IllegalArgumentException(
                    "unknown scope '" + wireName + "': expected global, region:ID, pop:ID or tenant:ID");
        };
    }

    record Global() implements Scope {
    }

    record Region(String id) implements Scope {
    }

    record Pop(String id) implements Scope {
    }

    record Tenant(String id) implements Scope {
    }
}
