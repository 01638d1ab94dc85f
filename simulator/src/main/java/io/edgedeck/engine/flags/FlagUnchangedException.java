package io.edgedeck.engine.flags;

/**
 * A change that would leave the flag exactly as it is. It is refused rather than made a new
 * version: a new version sends every unit through evaluation again, and each would count as a
 * fresh exposure of its arm, diluting the arms' conversion for nothing. Maps to 409; nothing is
 * journaled or audited.
 */
public final class FlagUnchangedException extends FlagConflictException {
    public FlagUnchangedException(String key, long currentVersion, String message) {
        super(key, currentVersion, message);
    }
}
