package io.edgedeck.engine.ingest;

/**
 * An event found wrong while checking it, before anything changed: the field at fault, why, and the fault's
 * code ({@link IngestOutcome.Refused#code}).
 */
final class Refusal extends RuntimeException {
    final String field;
    final String code;

    /** A refusal whose reason says only what the event holds: its own code. */
    Refusal(String field, String reason) {
        this(field, reason, reason);
    }

    Refusal(String field, String reason, String code) {
        super(reason, null, false, false);
        this.field = field;
        this.code = code;
    }
}
