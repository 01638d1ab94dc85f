package io.edgedeck.engine.journal;

/**
 * Where a crash test stops a node's process in the middle of writing a snapshot, compacting its
 * journal or answering a guardrail's firing, so it can be killed with SIGKILL exactly there. A process started with
 * {@code -Dedgedeck.crash-test.halt-at=NAME} says {@code halted at NAME} on standard error when it
 * gets there and waits for the kill; without the property each point does nothing.
 */
public enum CrashPoint {
    /** A snapshot's temporary file is written and forced, not yet renamed into place. */
    SNAPSHOT_WRITTEN,
    /** The journal's compacted file is written and forced, not yet renamed over the journal. */
    COMPACTION_WRITTEN,
    /** The compacted file has replaced the journal; the directory is not forced yet. */
    COMPACTION_RENAMED,
    /** A guardrail's firing is journaled; the playbook the node runs for it is not run yet. */
    PLAYBOOK_OWED;

    private static final String PROPERTY = "edgedeck.crash-test.halt-at";

    /** Halts the calling thread for good when the process was started to halt here. */
    public void reach() {
        if (name().equals(System.getProperty(PROPERTY))) {
            System.err.println("halted at " + name());
            System.err.flush();
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // halted until killed: an interrupt does not let it on
                }
            }
        }
    }
}
