package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.client.analysis.JitterOnset;
import io.edgedeck.client.analysis.LossEpisode;
import io.edgedeck.client.analysis.SpanLatency;
import io.edgedeck.client.analysis.WhatChanged;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The jitter view's state: every PoP ranked by its audience's jitter over the chosen span, and the
 * picture of one PoP (heatmap, percentile bands, jitter, loss, when jitter first crossed the
 * threshold and what changed then, and the active probes' series beside the audience's where probes
 * measure it). Knows nothing of nodes.
 *
 * <p>History is fetched from the connection at most once a wall-clock second, never on the FX
 * thread: a tick starts a fetch as a background job, the fetched histories are ranked on a worker,
 * and the result is applied on the FX thread. One fetch is in flight at a time, so a slow edge
 * delays the picture; it never queues work on the FX thread.
 */
public final class JitterViewModel implements FrameTicker.Sink {
    /** The spans a person can look back over. */
    public enum Span {
        LAST_MINUTE("1 min", 60), LAST_5_MINUTES("5 min", 300), LAST_15_MINUTES("15 min", 900),
        LAST_HOUR("1 h", 3600), WHOLE_SHOW("whole show", 0);

        public final String label;
        final long seconds;

        Span(String label, long seconds) {
            this.label = label;
            this.seconds = seconds;
        }

        long from(long now) {
            return seconds == 0 ? 0 : Math.max(0, now - seconds);
        }
    }

    /**
     * One PoP in the ranking.
     *
     * @param nowMs       the jitter of the newest row; NaN when that row served nobody
     * @param onsetSecond the first second of the first sustained crossing of the threshold, or -1
     * @param lossShare   the share of the span's requests lost ({@link LossEpisode#share}); NaN when it had none
     */
    public record PopRow(String pop, double nowMs, double meanMs, double maxMs, long secondsOver, long onsetSecond,
                         double lossShare) {
    }

    /**
     * The selected PoP over the span.
     *
     * @param rows        the span's history rows
     * @param onset       the first sustained crossing over the whole history, or null
     * @param whatChanged timeline events just before the onset, newest first
     * @param latency     the audience's latency over the span
     * @param probes      the active probes' latency over the span, or null when nothing probes the PoP
     */
    public record Picture(String pop, PopHistory rows, long fromSecond, long toSecond, double thresholdMs,
                          JitterOnset onset, List<ShowEvent> whatChanged, SpanLatency latency, SpanLatency probes) {
        /**
         * The second the newest figures are of: the span's last row (the span ends before {@code toSecond}),
         * which every PoP's "now" in the ranking drawn with this picture comes from too.
         */
        public long newestSecond() {
            return rows.rows() == 0 ? Math.max(0, toSecond - 1) : rows.startSecond()[rows.rows() - 1];
        }
    }

    /**
     * What one fetch produced, ready for the FX thread, with the whole histories it was drawn from; {@code refused}
     * when it failed because the node refused it (4xx), which asking again cannot change.
     */
    record Result(long requestId, List<PopRow> ranking, Picture picture, String message, Map<String, PopHistory> histories,
                  boolean refused) {
        Result(long requestId, List<PopRow> ranking, Picture picture, String message, Map<String, PopHistory> histories) {
            this(requestId, ranking, picture, message, histories, false);
        }
    }

    static final long REFRESH_MILLIS = 1000;
    /** What the view says before the show's first whole second, when there is nothing to fetch yet (not a failure). */
    private static final String FIRST_SECOND = "waiting for the show's first whole second";
    /** The longest wait before a fetch that could not reach the node is asked again. */
    static final long LONGEST_RETRY_MILLIS = 30_000;

    private final java.util.function.Supplier<EdgeConnection> connection;
    private final Background background;
    private final LongSupplier wallClock;
    private final ObjectProperty<Span> span = new SimpleObjectProperty<>(this, "span", Span.LAST_15_MINUTES);
    private final DoubleProperty thresholdMs = new SimpleDoubleProperty(this, "thresholdMs", JitterOnset.DEFAULT_THRESHOLD_MS);
    /** The PoP a person picked; null follows whichever ranks first. */
    private final StringProperty pinnedPop = new SimpleStringProperty(this, "pinnedPop");
    private final ObservableList<PopRow> ranking = FXCollections.observableArrayList();
    private final ObservableList<PopRow> readOnlyRanking = FXCollections.unmodifiableObservableList(ranking);
    private final ReadOnlyObjectWrapper<Picture> picture = new ReadOnlyObjectWrapper<>(this, "picture");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "waiting for the first frame");
    private final ReadOnlyStringWrapper behind = new ReadOnlyStringWrapper(this, "behind", "");
    /** While the picture is of another PoP than the one picked: whose it is, and that the pick's is being fetched. */
    private final ReadOnlyStringWrapper pickPending = new ReadOnlyStringWrapper(this, "pickPending", "");
    /** Whether the picture drawn is one shown before the pick, so greyed: never the current answer for what is shown. */
    private final javafx.beans.property.ReadOnlyBooleanWrapper previousPicture =
            new javafx.beans.property.ReadOnlyBooleanWrapper(this, "previousPicture", false);
    private long lastFetchWallMillis = Long.MIN_VALUE / 2;
    private long pictureAskedWallMillis = Long.MIN_VALUE / 2;
    private long lastFetchedMillis = -1;
    /** The show second the newest applied fetch (drawn or failed) was asked at, or -1 before any. */
    private long settledSecond = -1;
    /** The newest frame ticked, for saying how far the picture lags it. */
    private MetricsFrame lastFrame;
    /** Callers waiting until the picture is drawn from a fetch at a given show second, or later. */
    private final List<Map.Entry<Long, CompletableFuture<Void>>> waiting = new ArrayList<>();
    private long requestId;
    private boolean inFlight;
    /** The PoP pinned when the fetch in flight was asked (null: none). */
    private String askedPin;
    private boolean dirty = true;
    /** Fetches failed in a row, the node not reached; each waits twice as long as the one before, up to 30 s. */
    private int failedInARow;
    /** The wall-clock time before which a failed fetch is not asked again. */
    private long retryAtWallMillis = Long.MIN_VALUE / 2;
    /** The node refused the newest fetch (4xx): not asked again until the pick, the span, the threshold or the show changes. */
    private boolean refused;
    /** The connection the newest fetch was asked of: another is another show (a rehearsal started again). */
    private EdgeConnection askedOf;
    /** Every PoP's whole history as last fetched: what a bundle is made of when the node cannot be asked. */
    private Map<String, PopHistory> held = Map.of();
    /** How times are read: the wall clock on a live node, the show's clock in a rehearsal or a bundle. */
    private ShowClock times = new ShowClock();
    /** The clock's name ({@link ShowClock#clockName}) when the ranking's rows were last replaced. */
    private String rankedUnder = "";

    public JitterViewModel(EdgeConnection connection, Background background, LongSupplier wallClockMillis) {
        this(() -> connection, background, wallClockMillis);
    }

    /** @param connection the connection to read history from now: it may change (a restarted rehearsal) */
    public JitterViewModel(java.util.function.Supplier<EdgeConnection> connection, Background background,
                           LongSupplier wallClockMillis) {
        this.connection = connection;
        this.background = background;
        this.wallClock = wallClockMillis;
        span.addListener((obs, old, now) -> askAfresh());
        thresholdMs.addListener((obs, old, now) -> askAfresh());
        pinnedPop.addListener((obs, old, now) -> {
            askAfresh();
            sayPick(null);
        });
    }

    /** Shows times by {@code clock}: the console's, which the frame ticker feeds before this. FX thread. */
    public void showTimesBy(ShowClock clock) {
        times = clock;
    }

    /**
     * An engine second as a person reads it here and on every other tab: the wall clock with its zone on a live
     * node, to match against the node's logs; the show's mm:ss in a rehearsal or a bundle. FX thread.
     */
    public String time(long engineSecond) {
        return times.format(engineSecond * 1000);
    }

    /** The clock the times here are read on, which the chart's axis follows. FX thread. */
    public ShowClock times() {
        return times;
    }

    /**
     * An engine second as the ranking's cells write it: without the zone on a live node ("23:05:12"), which the ranking
     * names once over it ({@link ShowClock#clockName}); the show's mm:ss in a rehearsal or a bundle. FX thread.
     */
    public String cellTime(long engineSecond) {
        return times.formatBare(engineSecond * 1000);
    }

    /** When {@code row}'s jitter first held over the threshold, as the ranking's cells write it, or "never". FX thread. */
    public String onsetText(PopRow row) {
        return row.onsetSecond() < 0 ? "never" : cellTime(row.onsetSecond());
    }

    /** A timeline event before the onset, at the time a person reads here. FX thread. */
    public String describe(ShowEvent event) {
        // The PoPs in the node's words ("jitter storm +45 ms at fra") in capitals, as the ranking writes them.
        return io.edgedeck.console.common.PopIds.inText(WhatChanged.describe(event, time(event.atMillis() / 1000)),
                ranking.stream().map(PopRow::pop).toList());
    }

    public ObjectProperty<Span> spanProperty() {
        return span;
    }

    public DoubleProperty thresholdMsProperty() {
        return thresholdMs;
    }

    public StringProperty pinnedPopProperty() {
        return pinnedPop;
    }

    public ObservableList<PopRow> ranking() {
        return readOnlyRanking;
    }

    public ReadOnlyObjectProperty<Picture> pictureProperty() {
        return picture.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /**
     * Empty while the picture keeps up with the frames; otherwise "as of M:SS" and where the show is,
     * e.g. when a loaded machine or a slow edge holds the history back. FX thread.
     */
    public ReadOnlyStringProperty behindProperty() {
        return behind.getReadOnlyProperty();
    }

    /**
     * Empty while the picture is of the PoP picked (or nothing is picked); from the moment a person picks another PoP
     * until its picture is drawn, whose picture is still shown and that the pick's is being fetched ("Still FRA's
     * picture: AMS's is being fetched"), or why it was not drawn (the fetch failed, the PoP has no history). FX thread.
     */
    public ReadOnlyStringProperty pickPendingProperty() {
        return pickPending.getReadOnlyProperty();
    }

    /**
     * True while the picture drawn is one shown before the pick (another PoP's) and no answer for the pick has replaced
     * it: the view greys it. False for a picture that is the current answer for what is shown, such as the worst PoP's
     * in place of a pick the show has no history of. FX thread.
     */
    public javafx.beans.property.ReadOnlyBooleanProperty previousPictureProperty() {
        return previousPicture.getReadOnlyProperty();
    }

    /**
     * Says whether the picture is the pick's; {@code failed} is why the newest fetch for the pick drew nothing (null
     * while it is under way or was drawn).
     */
    private void sayPick(String failed) {
        Picture p = picture.get();
        String pin = pinnedPop.get();
        if (p == null || pin == null || pin.equals(p.pop())) {
            pickPending.set("");
            previousPicture.set(false);
            return;
        }
        String shown = io.edgedeck.console.common.PopIds.shown(p.pop());
        String picked = io.edgedeck.console.common.PopIds.shown(pin);
        pickPending.set(failed == null ? "Still " + shown + "'s picture: " + picked + "'s is being fetched"
                : "Still " + shown + "'s picture, not " + picked + "'s: " + failed);
        previousPicture.set(true);
    }

    /**
     * Says that the pick has no history in the answer just drawn, whose picture is the worst PoP's: the current answer
     * for this show, so not greyed and never called "still" anyone's (it may never have been shown before).
     */
    private void sayPickAbsent(String pin) {
        Picture p = picture.get();
        pickPending.set(io.edgedeck.console.common.PopIds.shown(pin) + " has no latency history in this show: showing "
                + io.edgedeck.console.common.PopIds.shown(p.pop()) + ", the worst PoP");
        previousPicture.set(false);
    }

    /**
     * Completes, on the FX thread, once the ranking and picture come from a fetch asked at show second
     * {@code engineSecond} or later (or that fetch failed, which the message says): what a screenshot of a
     * paused show waits for, so the tab shows the second the rest of the window does. FX thread.
     */
    public CompletableFuture<Void> drawnAt(long engineSecond) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!inFlight && settledSecond >= engineSecond) {
            done.complete(null);
        } else {
            waiting.add(Map.entry(engineSecond, done));
        }
        return done;
    }

    /** Every PoP's whole history as the view last drew it, in frame order; empty before the first. FX thread. */
    public Map<String, PopHistory> heldHistories() {
        return held;
    }

    /** FX thread. Starts the next fetch when a second has passed and something moved. */
    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        long wall = wallClock.getAsLong();
        lastFrame = frame;
        if (askedOf != null && connection.get() != askedOf) {
            // another show: what failed against the last is asked of this one at once
            askAfresh();
        }
        boolean moved = dirty || frame.engineMillis() / 1000 != lastFetchedMillis / 1000;
        if (!inFlight && moved && !refused && wall >= retryAtWallMillis && wall - lastFetchWallMillis >= REFRESH_MILLIS) {
            lastFetchWallMillis = wall;
            fetch(frame);
        }
        sayHowFarBehind(wall);
    }

    /**
     * A refresh a second, drawn a moment later, is keeping up; a picture older than two refreshes while
     * the show has moved on says how old it is rather than pass for now. Said again whenever a picture is
     * applied, so the words never name an older picture's second than the one drawn. FX thread.
     */
    private void sayHowFarBehind(long wall) {
        Picture p = picture.get();
        if (p == null || lastFrame == null) {
            behind.set("");
            return;
        }
        long showSecond = lastFrame.engineMillis() / 1000;
        behind.set(showSecond > p.toSecond() && wall - pictureAskedWallMillis >= 2 * REFRESH_MILLIS
                ? String.format(Locale.ROOT, "STALE: as of %s; the show is at %s, the history is catching up",
                        time(p.newestSecond()), time(showSecond))
                : "");
    }

    /** Something a fetch asks changed: asked on the next tick, whatever failed before. */
    private void askAfresh() {
        dirty = true;
        refused = false;
        failedInARow = 0;
        retryAtWallMillis = Long.MIN_VALUE / 2;
    }

    /**
     * A failed fetch's words with when it is asked again: after a refusal (4xx) only once something it asks changes;
     * otherwise 1, 2, 4 ... up to 30 s after the last was asked, so a node that cannot be reached is not asked every
     * second for good.
     */
    private String retryAfter(Result r) {
        if (r.refused()) {
            refused = true;
            return r.message() + "; the node refused it: asked again when another PoP, span or show is picked";
        }
        failedInARow++;
        long wait = Math.min(LONGEST_RETRY_MILLIS, REFRESH_MILLIS << Math.min(failedInARow - 1, 20));
        retryAtWallMillis = lastFetchWallMillis + wait;
        return r.message() + "; trying again in " + wait / 1000 + " s";
    }

    private void apply(Result r) {
        if (r.requestId() != requestId) {
            return;
        }
        inFlight = false;
        if (!java.util.Objects.equals(askedPin, pinnedPop.get())) {
            // Asked before a person picked another PoP: drawn, it would move the picture and the table's selection
            // back to the PoP just left. The pick marked the view dirty: the next tick asks again for it.
            dirty = true;
            return;
        }
        settledSecond = Math.max(settledSecond, lastFetchedMillis / 1000);
        if (r.message() != null) {
            String said = FIRST_SECOND.equals(r.message()) ? r.message() : retryAfter(r);
            message.set(said);
            sayPick(said);
            // A pick not yet drawn is still owed: asked again on a tick once the wait is over, frames moving or not.
            dirty |= !pickPending.get().isEmpty();
            release();
            return;
        }
        failedInARow = 0;
        retryAtWallMillis = Long.MIN_VALUE / 2;
        held = r.histories();
        // The picture is as old as its fetch: a slow fetch's picture is no fresher for having just arrived.
        pictureAskedWallMillis = lastFetchWallMillis;
        // A row's times are written under the zone the title names as of now: when that changes (summer time), rows
        // equal in value are replaced all the same, so a time from before the change is written again with its zone.
        String under = times.clockName();
        if (!ranking.equals(r.ranking()) || !under.equals(rankedUnder)) {
            rankedUnder = under;
            ranking.setAll(r.ranking());
        }
        picture.set(r.picture());
        Picture p = r.picture();
        // A pick the node holds no history of (a PoP not in this show, a pin carried into another show) falls back to
        // the worst PoP: said, not passed off as the pick's picture, nor greyed as a leftover, for it is this show's.
        if (p != null && askedPin != null && !r.histories().containsKey(askedPin)) {
            sayPickAbsent(askedPin);
        } else {
            sayPick(null);
        }
        message.set(p == null ? "no PoPs in this show" : String.format(Locale.ROOT, "%s to %s (%s), %s",
                time(p.fromSecond()), time(p.toSecond()), times.clockName(),
                p.rows().resolutionSeconds() == 1 ? "one row per second" : "one row per " + p.rows().resolutionSeconds() + " s (older history is kept per minute)"));
        sayHowFarBehind(wallClock.getAsLong());
        release();
    }

    /** Completes every {@link #drawnAt} the applied fetch satisfies. FX thread. */
    private void release() {
        List<CompletableFuture<Void>> due = new ArrayList<>();
        waiting.removeIf(w -> {
            if (w.getKey() <= settledSecond) {
                due.add(w.getValue());
                return true;
            }
            return false;
        });
        due.forEach(f -> f.complete(null));
    }

    private void fetch(MetricsFrame frame) {
        inFlight = true;
        dirty = false;
        lastFetchedMillis = frame.engineMillis();
        long id = ++requestId;
        askedPin = pinnedPop.get();
        askedOf = connection.get();
        long now = frame.engineMillis() / 1000;
        if (now == 0) {
            // No whole second of history yet: the range [0, 0) is empty, and a node refuses it.
            apply(new Result(id, List.of(), null, FIRST_SECOND, Map.of()));
            return;
        }
        Query q = new Query(now, span.get().from(now), thresholdMs.get(), askedPin, frame.timeline());
        Map<String, CompletableFuture<PopHistory>> calls = new LinkedHashMap<>();
        for (PopMetrics p : frame.pops()) {
            calls.put(p.id(), askedOf.history(p.id(), 0, now));
        }
        background.run(() -> {
            Map<String, PopHistory> histories = new LinkedHashMap<>();
            for (var call : calls.entrySet()) {
                histories.put(call.getKey(), call.getValue().join());
            }
            return compute(id, q, histories);
        }).onSuccess(this::apply)
                .onFailure(failure -> apply(new Result(id, List.of(), null, "could not fetch latency history: " + failure.message(),
                        Map.of(), failure.cause() instanceof io.edgedeck.client.EdgeException e && e.status() >= 400 && e.status() < 500)))
                .start();
    }

    /** What the FX thread knew when it asked, so the ranking runs without touching properties. */
    record Query(long nowSecond, long fromSecond, double thresholdMs, String pinned, List<ShowEvent> events) {
    }

    private static long sum(long[] counts) {
        return java.util.Arrays.stream(counts).sum();
    }

    /** Ranks the PoPs and draws up the picture. Pure; any thread. */
    static Result compute(long id, Query q, Map<String, PopHistory> histories) {
        List<PopRow> rows = new ArrayList<>();
        Map<String, Optional<JitterOnset>> onsets = new LinkedHashMap<>();
        for (PopHistory whole : histories.values()) {
            PopHistory inSpan = whole.between(q.fromSecond(), q.nowSecond());
            Optional<JitterOnset> onset = JitterOnset.first(whole, q.thresholdMs(), JitterOnset.DEFAULT_SUSTAIN_SECONDS);
            onsets.put(whole.pop(), onset);
            double sum = 0;
            double max = 0;
            long over = 0;
            int measured = 0;
            // A row that served nobody measured no jitter (NaN): it is neither over nor in the mean.
            for (double v : inSpan.jitterMs()) {
                if (Double.isNaN(v)) {
                    continue;
                }
                sum += v;
                measured++;
                max = Math.max(max, v);
                over += v >= q.thresholdMs() ? inSpan.resolutionSeconds() : 0;
            }
            double now = whole.rows() == 0 ? 0 : whole.jitterMs()[whole.rows() - 1];
            // A PoP that measured no jitter in the span has no mean or max: shown as "–", ranked last.
            rows.add(new PopRow(whole.pop(), now, measured == 0 ? Double.NaN : sum / measured, measured == 0 ? Double.NaN : max, over,
                    onset.map(JitterOnset::second).orElse(-1L), LossEpisode.share(sum(inSpan.requests()), sum(inSpan.lost()))));
        }
        // Mean over the span ranks a PoP that stutters for minutes above one with a single late packet.
        rows.sort(Comparator.comparingDouble((PopRow r) -> Double.isNaN(r.meanMs()) ? -1 : r.meanMs()).reversed()
                .thenComparing(PopRow::pop));
        if (rows.isEmpty()) {
            return new Result(id, rows, null, null, Map.of());
        }
        String pop = q.pinned() != null && histories.containsKey(q.pinned()) ? q.pinned() : rows.getFirst().pop();
        PopHistory inSpan = histories.get(pop).between(q.fromSecond(), q.nowSecond());
        JitterOnset onset = onsets.get(pop).orElse(null);
        List<ShowEvent> changed = onset == null ? List.of() : WhatChanged.before(q.events(), pop, onset.second());
        PopHistory probes = inSpan.probes();
        Picture picture = new Picture(pop, inSpan, q.fromSecond(), q.nowSecond(), q.thresholdMs(), onset, changed,
                SpanLatency.of(inSpan, 0, inSpan.rows()), probes == null ? null : SpanLatency.of(probes, 0, probes.rows()));
        return new Result(id, List.copyOf(rows), picture, null, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(histories)));
    }
}
