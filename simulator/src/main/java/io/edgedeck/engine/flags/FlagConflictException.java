package io.edgedeck.engine.flags;

/**
 * An edit based on a version that is no longer current, or a create for a key that exists; or an
 * edit the flag as it is refuses ({@link FlagInUseException}, {@link FlagUnchangedException}).
 * Maps to 409: the operator reloads and decides again rather than overwriting someone's change.
 */
public sealed class FlagConflictException extends IllegalStateException permits FlagInUseException, FlagUnchangedException {
    private final String key;
    private final long currentVersion;

    public FlagConflictException(String key, long currentVersion, String message) {
        super(message);
        this.key = key;
        this.currentVersion = currentVersion;
    }

    public String key() {
        return key;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
