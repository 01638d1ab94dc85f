package io.edgedeck.engine.flags;

/**
 * A flag command that cannot be applied as given. {@link #field()} names the offending input as a
 * path (e.g. {@code variants[1].weight}, {@code scope.id}, {@code reason}) so an API can answer 400
 * pointing at it and a form can highlight it.
 */
public class FlagValidationException extends IllegalArgumentException {
    private final String field;
    private final String detail;

    public FlagValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.detail = message;
    }

    /** What is wrong, without the field before it: for a caller that names the field otherwise. */
    public String detail() {
        return detail;
    }

    public String field() {
        return field;
    }
}
