package io.edgedeck.simulator.fleet;

/**
 * What a node's control applier applies changes to: the node's core (flags, guardrails, playbooks).
 * Called on the applier's thread only, one record at a time, in control topic order.
 */
public interface ControlTarget {

    /** The version this target holds for {@code key}, or 0 when it has none. */
    long version(String key);

    /**
     * Applies every change of the record together, or none. The applier passes only changes newer
     * than {@link #version}; afterwards {@code version(key)} must return each change's version.
     *
     * @param offset the record's offset on the control topic
     * @throws Exception when the target refuses the record; it is skipped, counted and logged on
     *                   every node alike, since every node applies the same record to the same state
     */
    void apply(ControlRecord record, long offset) throws Exception;

    /**
     * A change the target holds already ({@link #version} at or past it), read again: a node started on its
     * journal reads the topic from the beginning and learns from it what the topic says of each key.
     */
    default void skipped(ControlRecord.Change change) {
    }
}
