package io.edgedeck.engine.ingest;

/**
 * An event found wrong while checking it, before anything changed: the field at fault, why, and the fault's
 * code ({@link IngestOutcome.Refused#code}).
 */
final class Refusal extends RuntimeException {
    final String field;
    final String code;

    /**
     * @param code the fault, a short code the same each time the same event is refused for it, whatever the node's
     *             state or clock the reason names (the PoPs it has, a flag's variants, how far ahead): what the
     *             refusal is known by in the dedupe window, with the event's id and the field
     */
    Refusal(String field, String reason, String code) {
        super(reason, null, false, false);
        this.field = field;
        this.code = code;
    }
}
