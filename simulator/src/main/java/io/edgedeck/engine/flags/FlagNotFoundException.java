package io.edgedeck.engine.flags;

/** A request named a flag, variant, guardrail or PoP the edge does not have. */
public final class FlagNotFoundException extends FlagValidationException {
    public FlagNotFoundException(String field, String message) {
        super(field, message);
    }
}
