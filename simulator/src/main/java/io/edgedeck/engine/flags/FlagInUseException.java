package io.edgedeck.engine.flags;

/**
 * A change that would take away a variant (or the control) something else depends on: a guardrail
 * watching it, say. The change is valid on its own but conflicts with the show as it is, so it maps
 * to 409 like a version conflict; {@link #field()} names the input at fault ({@code variants} or
 * {@code controlVariant}) rather than {@code expectedVersion}, since reloading does not help.
 */
public final class FlagInUseException extends FlagConflictException {
    private final String field;

    public FlagInUseException(String key, long currentVersion, String field, String message) {
        super(key, currentVersion, message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
