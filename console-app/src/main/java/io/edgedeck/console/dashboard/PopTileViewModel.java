package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.TileColouring;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.util.List;
import java.util.Locale;

/** What one PoP tile shows. Updated on the FX thread by {@link DashboardViewModel}. */
public final class PopTileViewModel {
    /**
     * p95 samples the sparkline keeps: one per frame the engine published of a later engine time (15 s of a
     * 4 Hz engine), those between the console's ticks too ({@link #record}), so the line does not depend on
     * when ticks fell. A frame of the same engine time (a change made while the show is paused) adds none:
     * the line does not move while the show stands still. A frame that never reached the console, or one in which
     * the PoP served no request for 10 s (it has no p95), is a gap ({@code NaN}): the line breaks there rather
     * than joining its neighbours, or dropping to 0 ms.
     */
    static final int RECENT_SAMPLES = 60;

    private final String popId;
    private final String region;
    private final ReadOnlyDoubleWrapper p95 = new ReadOnlyDoubleWrapper(this, "p95");
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
    private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper(this, "health", "");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.STALE);
    private final ObjectProperty<Long> sampleSequence = new SimpleObjectProperty<>(this, "sampleSequence", 0L);
    private final double[] recent = new double[RECENT_SAMPLES];
    private int recentCount;
    private int recentNext;
    /** The engine time of the frame the last sample came from, or -1 before any. */
    private long sampledAtMillis = -1;
    /** The sequence number of the frame the last sample came from, or -1 before any. */
    private long sampledSequence = -1;
    /** The engine time between two frames in a row, learned from them; 0 until two came in a row. */
    private long frameStepMillis;
    private double objectiveMs = Slo.DEFAULT.p95TargetMs();
    private String basis = "";
    /** The normal's part of the detail, with its separator, when the colour is judged against it; else empty. */
    private String normal = "";
    private boolean served;
    /** True while the PoP's figures are not of now: its node says it has no data, or no frame came lately. */
    private boolean stale;
    /** The PoP's p95 when it was last live (served, and not without data), in ms; NaN before any. */
    private double lastLiveP95 = Double.NaN;
    /** The engine time of the frame {@link #lastLiveP95} came from; -1 when no frame this console saw had it live. */
    private long lastLiveAtMillis = -1;
    /** The engine time of the frame applied last. */
    private long appliedAtMillis;
    /** Its p50, p99, jitter and loss as the frame applied last gave them, in words; empty when it served nothing. */
    private String figures = "";
    /** The colour the frame applied last gave it (grey where its node has no data of it), whatever came since. */
    private Status judged = Status.STALE;
    /** The colour it had when last heard of (its node had data of it); grey before any. */
    private Status lastHeard = Status.STALE;

    PopTileViewModel(String popId, String region) {
        this.popId = popId;
        this.region = region;
    }

    public String popId() {
        return popId;
    }

    public String title() {
        return io.edgedeck.console.common.PopIds.shown(popId) + " · " + region;
    }

    /** Applies the PoP's figures, its faults told as {@code faults} (the frame's; at an aggregator, a silent node's by the Fleet tab's count). */
    void apply(PopMetrics m, List<String> faults, Slo slo, long frameSequence, long engineMillis) {
        p95.set(m.last10s().p95Ms());
        Slo.Verdict verdict = slo.judge(m);
        objectiveMs = verdict.lineMs();
        basis = verdict.basis();
        served = m.last10s().count() > 0;
        // A PoP its node has no data of (a silent node's, one with no traffic lately) may still carry its last p95: a
        // figure of then, not of now.
        stale = m.health() == PopHealth.NO_DATA;
        appliedAtMillis = engineMillis;
        if (served && !stale) {
            lastLiveP95 = m.last10s().p95Ms();
            lastLiveAtMillis = engineMillis;
        } else if (served && Double.isNaN(lastLiveP95)) {
            // Stale since before this console saw it: the figure is known, not since when.
            lastLiveP95 = m.last10s().p95Ms();
        }
        record(m, frameSequence, engineMillis);
        figures = !served ? "" : String.format(Locale.ROOT, "p50 %.0f ms · p99 %.0f ms · jitter %.1f ms · loss %.1f%%",
                m.last10s().p50Ms(), m.last10s().p99Ms(), m.jitterMs(), m.lossRatio() * 100);
        // few words: a tile of a wall of 6 is about 170 px across inside, and this is one part, not broken
        String numbers = stale ? lastText(0) : !served ? "no requests for 10 s" : figures;
        // judged against its normal, the normal comes first: it is what the colour means
        normal = slo.colouring() == TileColouring.ADAPTIVE ? normalText(m) + " · " : "";
        detail.set(normal + numbers);
        tellHealth(m, faults);
        judged = verdict.status();
        if (judged != Status.STALE) {
            lastHeard = judged;
        }
        status.set(judged);
        sampleSequence.set(frameSequence);
    }

    /**
     * Adds one frame's p95 to the sparkline, once per engine time; before it, a gap for each frame of the engine's
     * cadence that never arrived (its sequence number skipped), and a gap instead of it where the PoP served nothing.
     */
    void record(PopMetrics m, long frameSequence, long engineMillis) {
        // One frame seen twice, or a frame of the same engine time (a change while paused), has the same time.
        if (engineMillis == sampledAtMillis) {
            sampledSequence = Math.max(sampledSequence, frameSequence);
            return;
        }
        long advance = engineMillis - sampledAtMillis;
        if (sampledAtMillis >= 0 && advance > 0) {
            long skipped = frameSequence - sampledSequence - 1;
            if (skipped == 0) {
                frameStepMillis = frameStepMillis == 0 ? advance : Math.min(frameStepMillis, advance);
            } else if (skipped > 0) {
                // Frames missed while paused (changes at one engine time) leave no moment out: count by the cadence.
                long missed = frameStepMillis == 0 ? 1 : Math.min(skipped, Math.round((double) advance / frameStepMillis) - 1);
                for (long i = 0; i < Math.min(missed, RECENT_SAMPLES); i++) {
                    push(Double.NaN);
                }
            }
        }
        sampledAtMillis = engineMillis;
        sampledSequence = frameSequence;
        // A PoP without data now is a gap, even where its node still sends its last p95: the line does not run on flat.
        push(m.last10s().count() == 0 || m.health() == PopHealth.NO_DATA ? Double.NaN : m.last10s().p95Ms());
    }

    private void push(double p95Ms) {
        recent[recentNext] = p95Ms;
        recentNext = (recentNext + 1) % RECENT_SAMPLES;
        recentCount = Math.min(RECENT_SAMPLES, recentCount + 1);
    }

    /** Starts the part of the detail a narrow tile leaves out first: why the normal is not learning now. */
    static final String FROZEN_PART = "frozen: ";

    /**
     * The PoP's normal p95 and where it is now against it, e.g. "x1.3 of normal 48 ms", or why there is
     * none yet; while the normal is not learning, "· frozen: fault" after it, a part of its own.
     */
    static String normalText(PopMetrics m) {
        PopBaseline b = m.baseline();
        if (!b.learned()) {
            return b.windowSeconds() == 0 ? "no normal from this node"
                    : String.format(Locale.ROOT, "learning normal %d/%d s", b.samples(), PopBaseline.MIN_SAMPLES);
        }
        String text = m.last10s().count() == 0 ? String.format(Locale.ROOT, "normal %.0f ms", b.p95Ms())
                : String.format(Locale.ROOT, "x%.1f of normal %.0f ms", b.p95VsBaseline(m.last10s().p95Ms()), b.p95Ms());
        return b.frozen() ? text + " · " + FROZEN_PART + b.frozenBy() : text;
    }

    /** Its health in words again, with {@code faults} for the frame's: a silent node's seconds aged on a tick. */
    void tellHealth(PopMetrics m, List<String> faults) {
        health.set(healthText(m, faults));
    }

    private static String healthText(PopMetrics m, List<String> faults) {
        String base = switch (m.health()) {
            case UP -> "up";
            case DEGRADED -> "degraded";
            case DOWN -> "DOWN";
            case PARTITIONED -> "partitioned";
            case NO_DATA -> "no data";
        };
        if (m.health() == PopHealth.DEGRADED && !faults.isEmpty()) {
            // Red at a p95 inside the objective needs its cause on the tile: the faults, each with its figure.
            base += CAUSE + String.join(", ", faults.stream().map(f -> faultReason(f, m)).toList());
        } else if (!faults.isEmpty()) {
            base += " (" + String.join(", ", faults) + ")";
        }
        if (m.queueDepth() > 0) {
            base += " · queue " + m.queueDepth();
        }
        return base;
    }

    /** Separates a degraded PoP's health word from its cause: "degraded: acquirer slow". */
    static final String CAUSE = ": ";

    /** A fault as the cause of a degraded PoP, in few words, with the figure it moves where the frame has one. */
    private static String faultReason(String fault, PopMetrics m) {
        return switch (fault) {
            case "acquirer" -> "acquirer slow";
            case "jitter" -> String.format(Locale.ROOT, "jitter %.0f ms", m.jitterMs());
            case "loss" -> String.format(Locale.ROOT, "loss %.1f%%", m.lossRatio() * 100);
            case "latency" -> "latency fault";
            default -> fault;
        };
    }

    void markStale(long seconds) {
        status.set(Status.STALE);
        health.set("stale for " + seconds + " s");
        if (!stale && served) {
            // Its last frame's p95 was live then: that is the last one, from then on.
            lastLiveP95 = p95.get();
            lastLiveAtMillis = appliedAtMillis;
        }
        stale = true;
        detail.set(normal + lastText(seconds * 1000));
    }

    /**
     * The last p95 and how long ago it was live, for a tile whose figures are not of now: "last 123 ms, 45 s ago" ({@code
     * moreMillis} after the last frame applied); where this console saw none, that it served no request lately.
     */
    private String lastText(long moreMillis) {
        if (Double.isNaN(lastLiveP95)) {
            return "no requests for 10 s";
        }
        String last = String.format(Locale.ROOT, "last %.0f ms", lastLiveP95);
        return lastLiveAtMillis < 0 ? last + ", since before this console"
                : last + ", " + ago((appliedAtMillis - lastLiveAtMillis + moreMillis) / 1000) + " ago";
    }

    /** "45 s", "3 min 05 s", "2 h 04 min". */
    static String ago(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds / 60 % 60);
    }

    /**
     * True while the PoP's figures are not of now (its node has no data of it, or no frame came lately): the tile
     * shows no p95 in large type, only the last one, small, with how long ago ({@link #detailProperty()}).
     */
    public boolean stale() {
        return stale;
    }

    /**
     * Its place on a wall sorted worst first, lowest first: red, then a PoP its node has no data of (unknown may be
     * worse than amber: it is not hidden among the green its last figure was), then amber, then the rest. By the
     * frame applied last, so when no frame comes lately and every tile turns grey the wall keeps its order; a PoP
     * without data among the others by the colour it had when last heard of.
     */
    int worstFirstRank() {
        return rank(judged) * 4 + (judged == Status.STALE ? rank(lastHeard) : 0);
    }

    private static int rank(Status s) {
        return switch (s) {
            case BAD -> 0;
            case STALE -> 1;
            case WARN -> 2;
            case OK, NEUTRAL -> 3;
        };
    }

    /** The last p95 it had while live, in ms; NaN when it had none this console saw. */
    public double lastLiveP95() {
        return lastLiveP95;
    }

    /** Its p50, p99, jitter and loss from the frame applied last, in words; empty when it served nothing then. */
    public String figures() {
        return figures;
    }

    /** Whether the PoP served requests in the last 10 s, so its p95 is a measurement (a PoP that is down has none). */
    public boolean served() {
        return served;
    }

    /** The p95s of the frames applied lately, oldest first, for the sparkline; NaN where it has a gap. */
    public double[] recentP95() {
        double[] out = new double[recentCount];
        int start = (recentNext - recentCount + RECENT_SAMPLES) % RECENT_SAMPLES;
        for (int i = 0; i < recentCount; i++) {
            out[i] = recent[(start + i) % RECENT_SAMPLES];
        }
        return out;
    }

    /** The p95 the colour turns at, in ms: the objective, or the top of the PoP's normal band. */
    public double objectiveMs() {
        return objectiveMs;
    }

    /** What the colour was judged against, in words: "objective 150 ms", "normal 48 ms, band to 61 ms". */
    public String basis() {
        return basis;
    }

    /** p95 latency over the last 10 s, in ms. */
    public ReadOnlyDoubleProperty p95Property() {
        return p95.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty healthProperty() {
        return health.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Changes whenever a new frame's numbers were applied, so a sparkline adds one point per frame. */
    public ObjectProperty<Long> sampleSequenceProperty() {
        return sampleSequence;
    }
}
