package io.edgedeck.simulator.server.ingest;

import io.edgedeck.client.ingest.IngestStats;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.ConnectorCounters;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Per kind of observation: accepted, refused, the rate over the last whole second and when the last
 * one came. Written on the engine thread, read from any thread ({@link #stats}).
 */
public final class IngestCounters {
    /** The kinds, in the order {@link IngestStats} lists them. */
    public static final List<String> KINDS = List.of("exposure", "conversion", "latency", "chat", "checkout", "step");

    private final long[] accepted = new long[KINDS.size()];
    private final long[] refused = new long[KINDS.size()];
    private final long[] lastSeen = new long[KINDS.size()];
    private final long[] thisSecond = new long[KINDS.size()];
    private final long[] lastSecond = new long[KINDS.size()];
    /** The lane as the node's sources show it, one row per kind: GET /api/v1/sources, /metrics, the Sources panel. */
    private final ConnectorCounters[] sources = new ConnectorCounters[KINDS.size()];
    /** Per row, when its newest {@code not-taken} happened (epoch ms), and why: {@link #BY_LOG}, {@link #BY_JOURNAL} or 0. */
    private final long[] newestNotTakenAt = new long[KINDS.size()];
    private final byte[] newestNotTakenBy = new byte[KINDS.size()];
    /** A {@code not-taken} caused by the ingest log's failed write; by the journal's. */
    private static final byte BY_LOG = 1;
    private static final byte BY_JOURNAL = 2;
    /** When the journal was last writable again after a failed write ({@link io.edgedeck.engine.journal.Journal#writableAgainMillis}). */
    private volatile java.util.function.LongSupplier journalWritableAgain = () -> Long.MIN_VALUE;
    /** When the ingest log last wrote as much as every group that failed before it ({@link #takingAgain}); epoch ms. */
    private long writableAgainMillis = Long.MIN_VALUE;
    private long second = Long.MIN_VALUE;
    private long duplicates;
    private long unreadable;

    IngestCounters() {
        for (int k = 0; k < KINDS.size(); k++) {
            String why = KINDS.get(k).equals("exposure") ? "OFREP evaluations with a targetingKey, and POST /ingest/v1/events"
                    : "POST /ingest/v1/events";
            sources[k] = new ConnectorCounters("ingest", KINDS.get(k), InstantSource.system(), SourceState.LISTENING, why);
        }
    }

    static int index(String kind) {
        return KINDS.indexOf(kind);
    }

    /**
     * An event of {@code kind} accepted: in the figures by kind, and in the lane's row of that kind
     * when it came through the ingest lane itself ({@code ownLane}; a connector's row counts its own).
     */
    synchronized void accepted(String kind, long nowEpochMillis, boolean ownLane) {
        int k = index(kind);
        roll(nowEpochMillis);
        accepted[k]++;
        thisSecond[k]++;
        lastSeen[k] = nowEpochMillis;
        if (ownLane) {
            sources[k].delivered(1, nowEpochMillis);
        }
    }

    /** An event of {@code kind} refused, naming the field at fault and why; on the lane's row when it came that way. */
    synchronized void refused(String kind, String field, String reason, boolean ownLane) {
        int k = index(kind);
        refused[k]++;
        if (ownLane) {
            sources[k].error("refused", field + " " + reason);
        }
    }

    /**
     * A batch or one-click checkout answered 503 ({@code reason} {@code not-applied-in-time} or
     * {@code held-full}; {@link #notTaken} for {@code not-taken}, {@code message} saying what became of it): on the lane's row of each kind it held events of, where the
     * Sources panel shows the other failures of that kind.
     */
    synchronized void answered503(java.util.Collection<String> kinds, String reason, String message) {
        for (String kind : kinds) {
            int k = index(kind);
            if (k >= 0) {
                sources[k].error(reason, message);
            }
        }
    }

    /**
     * A batch or one-click checkout answered 503 as {@code not-applied-in-time}, on its way to being applied still: as
     * {@link #answered503}, and over once {@link #appliedLate} says so.
     */
    synchronized void answeredNotInTime(java.util.Collection<String> kinds, String message) {
        for (String kind : kinds) {
            int k = index(kind);
            if (k >= 0) {
                sources[k].pending("not-applied-in-time", message);
            }
        }
    }

    /**
     * A batch or checkout {@linkplain #answeredNotInTime answered 503 for not being applied in time} was applied
     * ({@code applied}) or failed: once every such batch of a kind was applied, its row is no longer failing for them.
     */
    synchronized void appliedLate(java.util.Collection<String> kinds, boolean applied) {
        for (String kind : kinds) {
            int k = index(kind);
            if (k >= 0) {
                sources[k].settled("not-applied-in-time", applied);
            }
        }
    }

    /**
     * A batch or one-click checkout answered 503 {@code not-taken}, on the lane's row of each kind it held events of, as
     * {@link #answered503}; {@code cause} is why it was not taken. When that was the ingest log's write failing, the
     * occurrence is stamped with when it failed, and is over once the log has written again since
     * ({@link #takingAgain}), even when that was before this was counted. When it was the journal's write, it is stamped
     * with when the journal refused, and is over once the journal has written again since as much as every write that
     * failed, or with room for it ({@link #journal}). Of any other cause (an internal error, a batch logged but not
     * applied) nothing either writes ends it. Any thread.
     */
    synchronized void notTaken(java.util.Collection<String> kinds, String message, Throwable cause) {
        IngestLog.WriteFailed log = IngestWrites.logFailure(cause);
        io.edgedeck.engine.journal.JournalUnavailableException journal = IngestWrites.journalFailure(cause);
        long at = log != null ? log.atMillis() : journal != null ? journal.atMillis() : System.currentTimeMillis();
        for (String kind : kinds) {
            int k = index(kind);
            if (k < 0) {
                continue;
            }
            sources[k].error("not-taken", message, 1, at);
            // The newest occurrence is the one the row's error reports, and the one that must have passed.
            if (at >= newestNotTakenAt[k]) {
                newestNotTakenAt[k] = at;
                newestNotTakenBy[k] = log != null ? BY_LOG : journal != null ? BY_JOURNAL : 0;
            }
        }
        overSince(BY_LOG, writableAgainMillis);
        overSince(BY_JOURNAL, journalWritableAgain.getAsLong());
    }

    /** Each row whose newest {@code not-taken} was caused {@code by} is over, if it came before {@code atMillis}. */
    private void overSince(byte by, long atMillis) {
        for (int k = 0; k < sources.length; k++) {
            if (newestNotTakenBy[k] == by) {
                sources[k].over("not-taken", atMillis);
            }
        }
    }

    /**
     * The node's journal: a batch or checkout answered 503 {@code not-taken} because the journal could not be written is
     * over once it says it {@linkplain io.edgedeck.engine.journal.Journal#writableAgainMillis was writable again} since
     * (a write as large as the one refused), as the rows are next read. Set once, as the node starts.
     */
    void journal(io.edgedeck.engine.journal.Journal journal) {
        this.journalWritableAgain = journal::writableAgainMillis;
    }

    /**
     * The ingest log wrote again at {@code atMillis} (epoch ms) as many bytes at once as every group that failed on I/O
     * before it ({@link IngestLog#onWritableAgain}): a batch or checkout answered 503 {@code not-taken} because its write
     * failed before that is over on each row whose newest {@code not-taken} it is; still counted, and the row is again
     * what it was before without waiting for its kind's next event. Any thread.
     */
    synchronized void takingAgain(long atMillis) {
        writableAgainMillis = Math.max(writableAgainMillis, atMillis);
        overSince(BY_LOG, atMillis);
    }

    /**
     * The lane as the node's sources: per kind, events accepted, their rate over 10 s, the newest, refusals by reason; a
     * {@code not-taken} the journal caused is over first if the journal has been writable again since.
     */
    public List<SourceStatus> sources() {
        synchronized (this) {
            overSince(BY_JOURNAL, journalWritableAgain.getAsLong());
        }
        List<SourceStatus> out = new ArrayList<>(sources.length);
        for (ConnectorCounters c : sources) {
            out.add(c.snapshot());
        }
        return out;
    }

    /** An event of {@code kind} that repeated one the node holds; on the lane's row of that kind when it came that way. */
    synchronized void duplicate(String kind, boolean ownLane) {
        duplicates++;
        if (ownLane) {
            sources[index(kind)].duplicates(1);
        }
    }

    synchronized void unreadable() {
        unreadable++;
    }

    private void roll(long nowEpochMillis) {
        long now = nowEpochMillis / 1000;
        if (now == second) {
            return;
        }
        for (int k = 0; k < thisSecond.length; k++) {
            lastSecond[k] = now == second + 1 ? thisSecond[k] : 0;
            thisSecond[k] = 0;
        }
        second = now;
    }

    /**
     * The counts now, with the batches and one-click checkouts answered 503 since the node started: not in time,
     * not taken; and the batches refused because the held batches would pass their bound. Any thread.
     */
    public synchronized IngestStats stats(long nowEpochMillis, long notAppliedInTime, long notTaken,
                                          long checkoutsNotAppliedInTime, long checkoutsNotTaken, long heldRefused) {
        roll(nowEpochMillis);
        List<IngestStats.Kind> kinds = new ArrayList<>();
        for (int k = 0; k < KINDS.size(); k++) {
            kinds.add(new IngestStats.Kind(KINDS.get(k), accepted[k], refused[k], lastSecond[k], lastSeen[k]));
        }
        return new IngestStats(nowEpochMillis, kinds, duplicates, unreadable, notAppliedInTime, notTaken,
                checkoutsNotAppliedInTime, checkoutsNotTaken, heldRefused);
    }
}
