package io.edgedeck.console.sources;

import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What feeds the node, for the Sources panel and the status bar: one row per source (the simulated
 * audience, each connector, the ingest API, what the core refused) with its state, events per
 * second, when it last delivered and its errors; and one line that sums them up. Fed on the FX
 * thread with the newest answer of {@code GET /api/v1/sources}; knows nothing of nodes.
 *
 * <p>Red rows come first, then amber ones, then the rest, each in the node's order.
 *
 * <p>A source that delivered before but nothing for {@link #QUIET_AFTER_MILLIS} is amber ("quiet"),
 * one that is reconnecting or refused events is amber (probes: while the newest round of some PoP lost every
 * probe, named in its state), one that is stopped is red; when the node
 * has not answered for {@link #STALE_AFTER_MILLIS}, every row is grey: nothing here may look live
 * that is not. On a node whose engine failed every row is red: what the sources send is taken by nothing.
 *
 * <p>The rates are the node's, over its last 10 s. A source with none in that window says "none in 10 s", not
 * "0.0/s"; while no source has any, the status line says so and when the newest event came, grey unless a source
 * needs a look: a zero in green would read as a healthy feed. Its seconds are the wall clock's (the node's counters
 * are): where the node's show runs at another pace, "last event 62 s ago (wall clock)" says so, beside the variant
 * tiles' seconds of show time.
 */
public final class SourcesViewModel {
    /** A source silent this long after delivering is quiet. */
    public static final long QUIET_AFTER_MILLIS = 30_000;
    /** With no answer from the node this long, what is shown is stale. */
    public static final long STALE_AFTER_MILLIS = 10_000;
    /**
     * What the Sources table's colours mean, shown above it: every reason a row is grey ({@link #judge}
     * and a node gone silent), so a grey row never reads as the node not answering while it does.
     */
    public static final String LEGEND = "What feeds this node: events per second over the last 10 s, duplicates (events "
            + "sent again, such as a retried batch, counted once), the newest event, and every refusal by reason. An amber row is reconnecting, "
            + "quiet, or failing (its why names the newest error; probes: some PoP answered none of its newest round). A grey row: nothing has come through that source yet, or the node has not "
            + "answered lately (then every row is grey).";
    /** The Sources table's column of each source's newest event, at the wall clock's pace. */
    static final String LAST_EVENT = "Last event";
    /** After a wall-clock figure where the node's show runs at another pace, as the tiles' seconds are the show's. */
    static final String WALL_CLOCK = " (wall clock)";
    /** The source that counts what the core took from connectors (and refused): a sum of others, not a feed of its own. */
    static final String CORE = "core";

    /** One source as a row: immutable, replaced on every update. */
    public record Row(String source, String state, String rate, String duplicates, String lastEvent, String errors, String why,
                      Status status) {
    }

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "sources: asking the node…");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.STALE);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper lastEventHeader = new ReadOnlyStringWrapper(this, "lastEventHeader", LAST_EVENT);
    /** The status line and, on lines of their own, why (the cause the short line leaves out). */
    private final ReadOnlyStringWrapper summaryDetail = new ReadOnlyStringWrapper(this, "summaryDetail", summary.get());
    private List<SourceStatus> last = List.of();
    private long answeredAtMillis = -1;
    /** Why the node's engine stopped, or null while it runs. */
    private String nodeFailed;
    /** Engine seconds per wall second of the node's show, from its newest frame. */
    private double speed = 1;

    public ObservableList<Row> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    /** One line for the status bar, e.g. "sources: 4 · 1,204 ev/s · 3 errors · twitch reconnecting". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The status line with its cause, for its tooltip: the line itself stays short enough for the status bar. */
    public ReadOnlyStringProperty summaryDetailProperty() {
        return summaryDetail.getReadOnlyProperty();
    }

    /** The worst of the sources, or stale. */
    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /**
     * The "Last event" column's header: "Last event", and under it "(wall clock)" where the node's show runs at another
     * pace, as the status line's "last event 62 s ago (wall clock)" says.
     */
    public ReadOnlyStringProperty lastEventHeaderProperty() {
        return lastEventHeader.getReadOnlyProperty();
    }

    /** Why the list could not be read, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /**
     * The node's engine stopped ({@code why}), or runs again (null): what the sources send is taken
     * by nothing, so none of them is shown as working. FX thread; applied at the next refresh.
     */
    public void nodeFailed(String why) {
        nodeFailed = why;
    }

    /**
     * The node's show runs at {@code engineSecondsPerWallSecond} (its newest frame's speed): at any but 1, the
     * line's and the "Last event" column's wall-clock seconds say so. FX thread; the line's applied at the next refresh.
     */
    public void showSpeed(double engineSecondsPerWallSecond) {
        speed = engineSecondsPerWallSecond;
        // On a line of its own: the column is as narrow as "12 min ago".
        lastEventHeader.set(speed == 1 ? LAST_EVENT : LAST_EVENT + "\n" + WALL_CLOCK.strip());
    }

    /** " (wall clock)" where the node's show runs at another pace than the wall clock's, else nothing. */
    private String wallClock() {
        return speed == 1 ? "" : WALL_CLOCK;
    }

    /** The node answered with these sources at {@code nowMillis}. FX thread. */
    public void answered(List<SourceStatus> sources, long nowMillis) {
        last = List.copyOf(sources);
        answeredAtMillis = nowMillis;
        problem.set("");
        refresh(nowMillis);
    }

    /** The node could not be asked; what is shown ages into stale. FX thread. */
    public void failed(String why, long nowMillis) {
        problem.set("could not read the node's sources: " + why);
        refresh(nowMillis);
    }

    /** Ages "last event" and staleness; called every tick. FX thread. */
    public void refresh(long nowMillis) {
        boolean stale = answeredAtMillis < 0 || nowMillis - answeredAtMillis > STALE_AFTER_MILLIS;
        List<Row> next = new ArrayList<>(last.size());
        Status worst = Status.OK;
        double rate = 0;
        long errors = 0;
        String attention = null;
        boolean anyHeard = false;
        long newestEvent = 0;
        for (SourceStatus s : last) {
            Status st = stale ? Status.STALE : nodeFailed != null ? Status.BAD : judge(s, nowMillis);
            anyHeard |= !neverHeard(s);
            // A source that has sent nothing yet is grey on its own row; it greys the line only when all have.
            if (!stale && st != Status.STALE && st.urgency() > worst.urgency()) {
                worst = st;
                attention = s.kind() + " " + s.name() + " " + describeState(s, nowMillis);
            }
            if (!s.kind().equals(CORE)) {
                // The core's count is the connectors' events again, once taken: summing both would count them twice.
                rate += s.eventsPerSecond();
                newestEvent = Math.max(newestEvent, s.lastEventMillis());
            }
            errors += s.errorTotal();
            next.add(new Row(s.kind() + " · " + s.name(), describeState(s, nowMillis),
                    rate(s),
                    String.format(Locale.ROOT, "%,d", s.duplicates()), lastEvent(s, nowMillis), errorText(s),
                    why(s, nowMillis), st));
        }
        // Red rows, then amber ones, above the rest, each in the node's order: on a short window the rows that need a
        // look are never below the fold, under the grey rows of sources that have sent nothing yet.
        next.sort(Comparator.comparingInt(SourcesViewModel::rank));
        rows.setAll(next);
        if (answeredAtMillis < 0) {
            summarise(problem.get().isEmpty() ? "sources: asking the node…" : "sources: could not be read", problem.get());
            status.set(Status.STALE);
            return;
        }
        if (stale) {
            long age = (nowMillis - answeredAtMillis) / 1000;
            summarise("sources: not heard for " + age + " s", problem.get());
            status.set(Status.STALE);
            return;
        }
        if (nodeFailed != null) {
            summarise("sources: " + last.size() + " · taken by nothing: the edge node failed", nodeFailed);
            status.set(Status.BAD);
            return;
        }
        if (!anyHeard && worst == Status.OK) {
            // Nothing has come in from anywhere: zeros in green would read as a healthy, quiet show.
            summarise("sources: " + last.size() + " · nothing received yet", "");
            status.set(Status.STALE);
            return;
        }
        // The rates are over the node's last 10 s: a zero is "none in 10 s", never "0 ev/s", and in no colour of
        // health unless a source needs a look. One event in the window makes it a rate again, so a source that sends
        // a batch every few seconds keeps the line coloured; only a feed silent for the whole window greys it.
        boolean none = rate == 0;
        StringBuilder line = new StringBuilder("sources: ").append(last.size()).append(none
                ? " · none in 10 s" + (newestEvent > 0 ? " · last event " + ago(newestEvent, nowMillis)
                        + wallClock() : "")
                : rate < 1 ? String.format(Locale.ROOT, " · %.1f ev/s", rate) : String.format(Locale.ROOT, " · %,.0f ev/s", rate));
        if (errors > 0) {
            line.append(" · ").append(String.format(Locale.ROOT, "%,d", errors)).append(errors == 1 ? " error" : " errors");
        }
        if (attention != null) {
            line.append(" · ").append(attention);
        }
        summarise(line.toString(), "");
        status.set(none && worst == Status.OK ? Status.STALE : worst);
    }

    /** Its events per second over the node's last 10 s and its total: "12.0/s · 1,204", or "none in 10 s · 1,204". */
    static String rate(SourceStatus s) {
        return s.eventsPerSecond() == 0 ? String.format(Locale.ROOT, "none in 10 s · %,d", s.events())
                : String.format(Locale.ROOT, "%,.1f/s · %,d", s.eventsPerSecond(), s.events());
    }

    private static int rank(Row r) {
        return switch (r.status()) {
            case BAD -> 0;
            case WARN -> 1;
            default -> 2;
        };
    }

    static Status judge(SourceStatus s, long nowMillis) {
        if (s.state() == SourceState.STOPPED) {
            return Status.BAD;
        }
        if (s.state() == SourceState.RECONNECTING || s.state() == SourceState.CONNECTING) {
            return Status.WARN;
        }
        if (quiet(s, nowMillis)) {
            return Status.WARN;
        }
        if (neverHeard(s)) {
            // A push endpoint that refused all it was sent is not silent: grey would read as a sender not started yet.
            return allRefused(s) ? Status.WARN : Status.STALE;
        }
        if (s.unanswered() != null) {
            // A source that asks in rounds is judged by its newest round: while one PoP fails and the others answer,
            // the newest error and the newest event take turns, and the row would flicker between white and amber.
            return s.unanswered().isEmpty() ? Status.OK : Status.WARN;
        }
        return failing(s) ? Status.WARN : Status.OK;
    }

    /**
     * Its newest error that is not over came after its newest event: nothing has come through since it failed. A batch
     * answered 503 for not being applied in time and applied since is over: the row is what it was before it.
     */
    private static boolean failing(SourceStatus s) {
        return s.errorTotal() > 0 && s.lastEventMillis() < newestError(s);
    }

    /** A push endpoint (a CDN's, a chat bridge's) that refused everything it was sent, such as batches with a wrong secret. */
    private static boolean allRefused(SourceStatus s) {
        return s.state() == SourceState.LISTENING && neverHeard(s) && s.errorTotal() > 0;
    }

    /**
     * What it does, and while it is failing and not connected, first its newest error with the message that names what
     * to fix: a push endpoint refusing every batch still says "listening", and a connector between two attempts says
     * "connecting to ...", while the failure that keeps it from delivering is in the errors alone. Left out when the
     * why says it already, and on a connected source, whose older errors are history.
     */
    static String why(SourceStatus s, long nowMillis) {
        if (!failing(s) || s.state() == SourceState.CONNECTED) {
            return s.why();
        }
        SourceStatus.ErrorCount newest = s.errors().stream().filter(e -> !e.over())
                .max(Comparator.comparingLong(SourceStatus.ErrorCount::lastAtMillis)).orElseThrow();
        if (newest.lastMessage() == null || newest.lastMessage().isBlank() || s.why().contains(newest.lastMessage())) {
            return s.why();
        }
        // The error first: the row shows two lines, and what to fix matters more than what the source is for.
        String error = newest.reason() + " " + ago(newest.lastAtMillis(), nowMillis) + ": " + newest.lastMessage();
        return s.why().isBlank() ? error : error + " — " + s.why();
    }

    /** Working, but nothing has come in through it yet. */
    private static boolean neverHeard(SourceStatus s) {
        return s.events() == 0 && s.lastEventMillis() <= 0;
    }

    private static boolean quiet(SourceStatus s, long nowMillis) {
        return s.lastEventMillis() > 0 && nowMillis - s.lastEventMillis() > QUIET_AFTER_MILLIS;
    }

    private static long newestError(SourceStatus s) {
        return s.errors().stream().filter(e -> !e.over()).mapToLong(SourceStatus.ErrorCount::lastAtMillis).max().orElse(0);
    }

    private static String describeState(SourceStatus s, long nowMillis) {
        String state = s.state().name().toLowerCase(Locale.ROOT);
        boolean up = s.state() == SourceState.CONNECTED || s.state() == SourceState.LISTENING;
        if (up && quiet(s, nowMillis)) {
            return state + ", quiet";
        }
        if (up && neverHeard(s)) {
            return state + (allRefused(s) ? ", all refused" : ", nothing yet");
        }
        if (up && s.unanswered() != null && !s.unanswered().isEmpty()) {
            return state + ", no answer from " + String.join(", ", s.unanswered());
        }
        return state;
    }

    static String lastEvent(SourceStatus s, long nowMillis) {
        if (s.lastEventMillis() <= 0) {
            return "never";
        }
        return ago(s.lastEventMillis(), nowMillis);
    }

    /** "just now", "12 s ago", "3 min ago". */
    private static String ago(long atMillis, long nowMillis) {
        long seconds = Math.max(0, (nowMillis - atMillis) / 1000);
        if (seconds < 2) {
            return "just now";
        }
        if (seconds < 120) {
            return seconds + " s ago";
        }
        return seconds / 60 + " min ago";
    }

    private static String errorText(SourceStatus s) {
        if (s.errors().isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (SourceStatus.ErrorCount e : s.errors()) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(e.reason()).append(' ').append(String.format(Locale.ROOT, "%,d", e.count()));
        }
        if (!s.unknownPops().isEmpty()) {
            b.append("; unknown PoPs ").append(s.unknownPops());
        }
        return b.toString();
    }

    /** A short status line, and the line with its cause for the tooltip. */
    private void summarise(String line, String cause) {
        summary.set(line);
        summaryDetail.set(cause.isEmpty() ? line : line + "\n" + cause);
    }
}
