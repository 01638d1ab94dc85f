package io.edgedeck.console.common;

/** One meaning everywhere: green ok, amber warn, red bad, grey stale. */
public enum Status {
    OK, WARN, BAD, STALE,
    /** A number shown without a verdict: the data cannot yet tell good from bad. */
    NEUTRAL;

    /**
     * How much it asks for a look, for lists that show their worst row: red over amber over grey (a row
     * that cannot be judged) over green and neutral.
     */
    public int urgency() {
        return switch (this) {
            case OK, NEUTRAL -> 0;
            case STALE -> 1;
            case WARN -> 2;
            case BAD -> 3;
        };
    }

    /** The one of the two that asks more for a look ({@link #urgency()}); this one on a tie. */
    public Status worse(Status other) {
        return other.urgency() > urgency() ? other : this;
    }

    /** The style class that colours a node with this status. */
    public String styleClass() {
        return StyleClasses.STATUS_PREFIX + name().toLowerCase(java.util.Locale.ROOT);
    }
}
