package io.edgedeck.console.common;

/** One meaning everywhere: green ok, amber warn, red bad, grey stale. */
public enum Status {
    OK, WARN, BAD, STALE;

    /** The style class that colours a node with this status. */
    public String styleClass() {
        return StyleClasses.STATUS_PREFIX + name().toLowerCase(java.util.Locale.ROOT);
    }
}
