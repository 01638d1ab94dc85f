package io.edgedeck.simulator.show;

import java.util.Locale;

/**
 * How far a node starting on its data directory has come in restoring its show, for whoever asks
 * while it does: reading its journal, then a rehearsal playing its show again from the start to the
 * journal's last record ({@link Show#open(ShowDefinition, io.edgedeck.engine.journal.Journal, RestoreProgress)}),
 * or a live node reading its ingest log back. Written by the thread that starts the node, read by
 * the HTTP server's threads, which answer 503 saying {@link #describe()} until the node serves.
 */
public class RestoreProgress {
    /** What the node is doing. */
    public enum Phase {
        /** Opening its journal and snapshots, before anything is played. */
        READING_JOURNAL,
        /** A rehearsal playing its show again in memory. */
        PLAYING,
        /** A live node reading its ingest log back. */
        READING_INGEST_LOG,
        /** A live node whose journal is read and which has no ingest log to read back (none, or an empty one). */
        NO_INGEST_LOG,
        /** A node with no show to restore (a new data directory: its journal holds nothing), starting. */
        STARTING
    }

    /** The longest {@link #retryAfterSeconds()} says. */
    public static final long MAX_RETRY_AFTER_SECONDS = 5;

    private volatile Phase phase = Phase.READING_JOURNAL;
    private volatile long doneMillis;
    private volatile long ofMillis;
    private volatile long phaseStartedNanos = System.nanoTime();

    public Phase phase() {
        return phase;
    }

    /** Show time reached so far in this phase. */
    public long doneMillis() {
        return doneMillis;
    }

    /** Show time this phase goes to. */
    public long ofMillis() {
        return ofMillis;
    }

    /** A rehearsal starts playing its show again, to {@code untilMillis} of show time. */
    public void playing(long untilMillis) {
        start(Phase.PLAYING, untilMillis);
    }

    /** A live node starts reading its ingest log back, whose newest events came by {@code untilMillis} of show time. */
    public void readingIngestLog(long untilMillis) {
        start(Phase.READING_INGEST_LOG, untilMillis);
    }

    /** A live node whose journal is read has no ingest log to read back: there is no progress to count. */
    public void noIngestLog() {
        start(Phase.NO_INGEST_LOG, 0);
    }

    /** The node has no show to restore: its journal holds nothing (and a live node's ingest log nothing either). */
    public void startingFresh() {
        start(Phase.STARTING, 0);
    }

    /** True while the node restores a show it had; false while it starts one it never had ({@link Phase#STARTING}). */
    public boolean restoring() {
        return phase != Phase.STARTING;
    }

    private void start(Phase next, long untilMillis) {
        doneMillis = 0;
        ofMillis = Math.max(0, untilMillis);
        phaseStartedNanos = System.nanoTime();
        phase = next;
    }

    /** The phase has come to {@code millis} of show time. */
    public void reached(long millis) {
        doneMillis = Math.min(Math.max(millis, doneMillis), ofMillis);
    }

    /** In words, e.g. "played 4:10 of 10:43 of the show again". */
    public String describe() {
        long done = doneMillis;
        long of = ofMillis;
        return switch (phase) {
            case READING_JOURNAL -> "reading its journal";
            case PLAYING -> "played " + clock(done) + " of " + clock(of) + " of the show again";
            case READING_INGEST_LOG -> "read its ingest log back to " + clock(done) + " of " + clock(of) + " of the show";
            case NO_INGEST_LOG -> "read its journal; it has no ingest log to read back";
            case STARTING -> "starting: it has no show to restore, nothing to read back";
        };
    }

    /**
     * The sentence a caller is answered while the node is not serving yet: restoring and how far, or starting when it
     * has nothing to restore; either way, that it answers once done.
     */
    public String detail() {
        return restoring() ? "restoring: " + describe() + "; the node answers once its show is restored"
                : describe() + "; the node answers once it has started";
    }

    /**
     * When to ask again, in whole seconds (1 to 5): the time the rest should take at the pace so far,
     * 2 s while there is no pace yet; never more than 5 s, so that whoever waits sees the progress move
     * (the pace at a phase's start, while the code is still being compiled, says little of the rest).
     */
    public long retryAfterSeconds() {
        long done = doneMillis;
        long of = ofMillis;
        if (done <= 0 || of <= done) {
            return 2;
        }
        double elapsed = (System.nanoTime() - phaseStartedNanos) / 1e9;
        double rest = elapsed * (of - done) / done;
        return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, (long) Math.ceil(rest)));
    }

    /** Show time as m:ss, or h:mm:ss past an hour. */
    static String clock(long millis) {
        long s = millis / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
