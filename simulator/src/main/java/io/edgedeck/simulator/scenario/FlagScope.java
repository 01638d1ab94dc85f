package io.edgedeck.simulator.scenario;

/**
 * Where a flag's variants apply. Outside its scope a flag serves its control variant.
 * In a file a scope is one string: {@code global}, {@code region:ID}, {@code pop:ID} or {@code tenant:ID}.
 */
public sealed interface FlagScope {

    String wireName();

    record Global() implements FlagScope {
        public String wireName() {
            return "global";
        }
    }

    record Region(String id) implements FlagScope {
        public String wireName() {
            return "region:" + id;
        }
    }

    record Pop(String id) implements FlagScope {
        public String wireName() {
            return "pop:" + id;
        }
    }

    record Tenant(String id) implements FlagScope {
        public String wireName() {
            return "tenant:" + id;
        }
    }

    /** Reads the file form; the schema's pattern has already vetted the shape, this names what is wrong if not. */
    static FlagScope parse(String text) {
        if ("global".equals(text)) return new Global();
        int colon = text.indexOf(':');
        String id = colon < 0 ? "" : text.substring(colon + 1);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("scope must be global, region:ID, pop:ID or tenant:ID, was '" + text + "'");
        }
        return switch (text.substring(0, colon)) {
            case "region" -> new Region(id);
            case "pop" -> new Pop(id);
            case "tenant" -> new Tenant(id);
            default -> throw new IllegalArgumentException(
                    "scope must be global, region:ID, pop:ID or tenant:ID, was '" + text + "'");
        };
    }
}
