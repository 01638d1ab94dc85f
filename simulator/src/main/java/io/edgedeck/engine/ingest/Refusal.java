package io.edgedeck.engine.ingest;

/** An event found wrong while checking it, before anything changed: the field at fault and why. */
final class Refusal extends RuntimeException {
    final String field;

    Refusal(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }
}
