package io.edgedeck.console.common;

/** One meaning everywhere: green ok, amber warn, red bad, grey stale. */
public enum Status {
    OK, WARN, BAD, STALE,
    /** A number shown without a verdict: the data cannot yet tell good from bad. */
    NEUTRAL;

    /** The style class that colours a node with this status. */
    public String styleClass() {
        return StyleClasses.STATUS_PREFIX + name().toLowerCase(java.util.Locale.ROOT);
    }
}
