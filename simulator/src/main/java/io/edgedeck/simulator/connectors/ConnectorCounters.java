package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceState;

import io.edgedeck.client.model.SourceStatus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters of one connector: observations handed over (total, per second, last seen), errors by
 * reason with the latest message of each, unknown PoP codes, and the connection state with why.
 * Thread-safe; every connector thread writes here and {@link #snapshot()} may be read from any thread.
 *
 * <p>The rate is the count over the last {@value #RATE_WINDOW_SECONDS} whole seconds of the clock plus
 * the current one, divided by the seconds covered: a connector that stops delivering drops to 0 within
 * that window.
 */
public final class ConnectorCounters {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorCounters.class);
    public static final int RATE_WINDOW_SECONDS = 10;
    /** Distinct unknown PoP codes kept; past this, further codes add to {@link #OTHER_CODES}. */
    static final int MAX_UNKNOWN_CODES = 64;
    static final String OTHER_CODES = "(other codes)";

    private final String kind;
    private final String name;
    private final InstantSource clock;
    private final long[] bucketSecond = new long[RATE_WINDOW_SECONDS + 1];
    private final long[] bucketCount = new long[RATE_WINDOW_SECONDS + 1];
    private final Map<String, MutableError> errors = new LinkedHashMap<>();
    private final Map<String, Long> unknownPops = new TreeMap<>();
    private final long startedMillis;
    private long events;
    private long duplicates;
    private long lastEventMillis;
    private SourceState state;
    private String why;
    /** For a source that asks in rounds: the parts whose newest round got no answer; null for other sources. */
    private List<String> unanswered;

    public ConnectorCounters(String kind, String name, InstantSource clock, SourceState initial, String why) {
        this.kind = kind;
        this.name = name;
        this.clock = clock;
        this.state = initial;
        this.why = why;
        this.startedMillis = clock.millis();
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** {@code count} observations were handed to the node. */
    public synchronized void delivered(int count) {
        delivered(count, clock.millis());
    }

    /**
     * {@code count} observations were handed to the node at {@code atMillis} (epoch ms; earlier than
     * now for those a live node reads back from its ingest log at a restart): in the rate only while
     * that second is in its window, and the newest event's time only when they are newer.
     */
    public synchronized void delivered(int count, long atMillis) {
        if (count <= 0) {
            return;
        }
        long second = Math.floorDiv(atMillis, 1000L);
        int slot = (int) Math.floorMod(second, (long) bucketSecond.length);
        if (bucketSecond[slot] < second) {
            bucketSecond[slot] = second;
            bucketCount[slot] = 0;
        }
        if (bucketSecond[slot] == second) {
            bucketCount[slot] += count;
        }
        events += count;
        lastEventMillis = Math.max(lastEventMillis, atMillis);
    }

    /**
     * {@code count} observations the node took that repeated one it already held: counted once, with
     * the first, so never in the events; counted here so that a sender's retries show.
     */
    public synchronized void duplicates(long count) {
        if (count > 0) {
            duplicates += count;
        }
    }

    /**
     * A batch of {@code handed} observations the node took: those that count (neither refused nor a
     * repeat of one it holds) as delivered, the repeats as duplicates, save those resent because the node answered
     * their first send late, which count nowhere (that send counted). Its refusals are counted here as
     * errors {@code refused-FIELD} by the node's keyed path, where it decides which is the first
     * ({@code IntakeSink}), not by the connector.
     */
    public void taken(int handed, EventSink.Taken taken) {
        delivered(taken.counted(handed));
        duplicates(taken.duplicates());
    }

    /**
     * Adds what {@code earlier} counted (events, their rate while in its window, the newest, and the
     * refusals by reason): this connector's observations a node read back from its ingest log at a restart.
     */
    public void carry(ConnectorCounters earlier) {
        long[] seconds;
        long[] counts;
        long total;
        long newest;
        List<SourceStatus.ErrorCount> refusals;
        synchronized (earlier) {
            seconds = earlier.bucketSecond.clone();
            counts = earlier.bucketCount.clone();
            total = earlier.events;
            newest = earlier.lastEventMillis;
            refusals = earlier.snapshot().errors();
        }
        for (SourceStatus.ErrorCount e : refusals) {
            error(e.reason(), e.lastMessage(), e.count(), e.lastAtMillis());
        }
        synchronized (this) {
            long inBuckets = 0;
            for (int i = 0; i < seconds.length; i++) {
                if (counts[i] > 0) {
                    delivered((int) Math.min(Integer.MAX_VALUE, counts[i]), seconds[i] * 1000);
                    inBuckets += counts[i];
                }
            }
            events += total - inBuckets;
            lastEventMillis = Math.max(lastEventMillis, newest);
        }
    }

    /** One occurrence of {@code reason}; the message names the field or value at fault. */
    public void error(String reason, String message) {
        error(reason, message, 1);
    }

    /** {@code count} occurrences of {@code reason}, the newest described by {@code message}. */
    public void error(String reason, String message, long count) {
        error(reason, message, count, clock.millis());
    }

    /**
     * {@code count} occurrences of {@code reason} at {@code atMillis} (epoch ms; earlier than now for those
     * a live node reads back from its ingest log at a restart): the message is the newest's.
     */
    public synchronized void error(String reason, String message, long count, long atMillis) {
        if (count <= 0) {
            return;
        }
        MutableError e = errors.computeIfAbsent(reason, r -> new MutableError());
        e.count += count;
        if (e.lastMessage == null || atMillis >= e.lastAtMillis) {
            e.lastMessage = message;
            e.lastAtMillis = atMillis;
        }
        if (atMillis >= e.overAtMillis) {
            // It happened again since the last was over: failing again, even within the millisecond that one settled in.
            e.overAtMillis = 0;
        }
    }

    /**
     * One occurrence of {@code reason} that is over once it is {@linkplain #settled settled}: a batch answered 503
     * while it was still on its way to being applied, say.
     */
    public synchronized void pending(String reason, String message) {
        error(reason, message, 1);
        errors.get(reason).pending++;
    }

    /**
     * One {@linkplain #pending pending} occurrence of {@code reason} is settled: once none is left, the error is
     * over when {@code over} (the batch was applied), and stays while it is not (it failed).
     */
    public synchronized void settled(String reason, boolean over) {
        MutableError e = errors.get(reason);
        if (e == null || e.pending == 0) {
            return;
        }
        e.pending--;
        if (e.pending == 0 && over) {
            e.overAtMillis = Math.max(clock.millis(), e.lastAtMillis);
        }
    }

    /**
     * What the newest occurrence of {@code reason} reported was over at {@code sinceMillis} (epoch ms), when that
     * occurrence came before it and none is {@linkplain #pending pending}: a batch answered 503 because the ingest log
     * could not be written, and the log written again since. Still counted; an occurrence after it is failing again. Nothing
     * for a reason that has not occurred.
     */
    public synchronized void over(String reason, long sinceMillis) {
        MutableError e = errors.get(reason);
        if (e != null && e.pending == 0 && e.overAtMillis < e.lastAtMillis && e.lastAtMillis <= sinceMillis) {
            // Over since then, not since it was said: an occurrence stamped after it (a write that failed since, counted
            // later) is failing again.
            e.overAtMillis = sinceMillis;
        }
    }

    /** Requests from a CDN PoP code the mapping does not name. */
    public synchronized void unknownPop(String code, long requests) {
        String key = unknownPops.containsKey(code) || unknownPops.size() < MAX_UNKNOWN_CODES ? code : OTHER_CODES;
        unknownPops.merge(key, requests, Long::sum);
    }

    /** The connection state changed; {@code why} is shown beside it and logged when it changes. */
    public synchronized void state(SourceState newState, String newWhy) {
        if (newState != state || !newWhy.equals(why)) {
            LOG.info("{} {}: {} ({})", kind, name, newState, newWhy);
        }
        state = newState;
        why = newWhy;
    }

    public synchronized SourceState state() {
        return state;
    }

    /**
     * For a source that asks in rounds: the parts whose newest round got no answer at all (empty when every part
     * answered some), with {@code why}, under the same lock, so the two never disagree.
     */
    public synchronized void rounds(List<String> newUnanswered, String newWhy) {
        unanswered = List.copyOf(newUnanswered);
        state(SourceState.CONNECTED, newWhy);
    }

    public synchronized SourceStatus snapshot() {
        long now = clock.millis();
        long second = now / 1000;
        long inWindow = 0;
        for (int i = 0; i < bucketSecond.length; i++) {
            if (bucketSecond[i] > second - bucketSecond.length && bucketSecond[i] <= second) {
                inWindow += bucketCount[i];
            }
        }
        // The current second is partly elapsed: divide by the time actually covered, and never by
        // more than the connector has been running.
        double covered = Math.min(RATE_WINDOW_SECONDS + (now % 1000) / 1000.0, Math.max(0.001, (now - startedMillis) / 1000.0));
        covered = Math.max(covered, 1.0);
        List<SourceStatus.ErrorCount> list = new ArrayList<>(errors.size());
        errors.forEach((reason, e) -> list.add(new SourceStatus.ErrorCount(reason, e.count, e.lastMessage, e.lastAtMillis,
                e.overAtMillis >= e.lastAtMillis ? e.overAtMillis : 0)));
        return new SourceStatus(kind, name, state, why, events, duplicates, inWindow / covered, lastEventMillis, list, unknownPops,
                unanswered);
    }

    private static final class MutableError {
        long count;
        String lastMessage;
        long lastAtMillis;
        /** Occurrences not yet {@linkplain #settled settled}. */
        long pending;
        /** When the last of them was settled as over (0: never). */
        long overAtMillis;
    }
}
