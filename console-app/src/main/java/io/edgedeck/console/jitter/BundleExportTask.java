package io.edgedeck.console.jitter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.analysis.WhatChanged;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeHealth;
import io.edgedeck.client.model.NodeInfo;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleFormat;
import io.edgedeck.simulator.bundle.BundleManifest;
import io.edgedeck.simulator.bundle.BundleWriter;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.connection.ConnectionLog;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Gathers a diagnostic bundle from a connection (every PoP's history, flags, audit trail, the
 * newest frame and its timeline; from a node also its guardrails, its sources, its {@code /healthz}
 * answer and which build it runs; and the console's record of the connection) with pictures taken beforehand on the FX thread,
 * and writes it. Each part the node does not give is named in the manifest and the README with why:
 * <ul>
 * <li>a part the node answers 404 for is missing, and the rest are asked;</li>
 * <li>a part whose call times out is asked once more; if it times out again the node counts as not
 *     answering (it takes connections but its engine does not reply) and nothing more is asked;</li>
 * <li>once the node is down (the connection refused, or the console not connected to it) or not answering,
 *     or the export's deadline has passed, nothing more is asked: the bundle is made of what the console holds
 *     (the histories the Jitter view is drawing, the flags and guardrails of the newest frame), each such part
 *     marked partial, the others missing, each with the reason and the wall-clock time it was found.</li>
 * </ul>
 * If {@code /healthz} answered and a later call is refused by the console because its stream is reconnecting,
 * the parts say "not connected", not "down", so the bundle does not contradict its own {@code health.json}.
 * Runs on a worker thread; progress counts the parts fetched, then the files written.
 */
final class BundleExportTask implements Background.Work<BundleExportTask.Exported> {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The whole export's budget for asking the node. Support asks for a bundle when a node misbehaves, often
     * while it is wedged; 45 s is long enough for a healthy node's every part (each answers in well under a
     * second) and for one slow call asked twice, and short enough that the engineer gets a bundle in under a
     * minute rather than waiting on every part's timeout in turn.
     */
    private static final Duration EXPORT_DEADLINE = Duration.ofSeconds(45);
    private static final java.time.format.DateTimeFormatter WALL =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final EdgeConnection connection;
    private final Map<String, PopHistory> held;
    private final List<ConnectionLog.Event> connectionLog;
    private final Map<String, BufferedImage> pictures;
    private final Path file;
    private final String createdBy;
    private final Duration callTimeout;
    private final Duration deadline;
    /** Why nothing more is asked (the node down, not answering, or the deadline passed); null while it may answer. */
    private String stopped;
    /** Whether {@code /healthz} answered in this export. */
    private boolean healthAnswered;
    private long deadlineNanos;

    /**
     * @param held          every PoP's history as the console holds it, for when the node cannot be asked
     * @param connectionLog what the console saw of the connection this session
     */
    BundleExportTask(EdgeConnection connection, Map<String, PopHistory> held, List<ConnectionLog.Event> connectionLog,
                     Map<String, BufferedImage> pictures, Path file, String createdBy) {
        this(connection, held, connectionLog, pictures, file, createdBy, CALL_TIMEOUT, EXPORT_DEADLINE);
    }

    /**
     * @param callTimeout how long one call is waited for before it counts as timed out
     * @param deadline    how long the node is asked in all, before every part not yet fetched is left to what the
     *                    console holds
     */
    BundleExportTask(EdgeConnection connection, Map<String, PopHistory> held, List<ConnectionLog.Event> connectionLog,
                     Map<String, BufferedImage> pictures, Path file, String createdBy, Duration callTimeout,
                     Duration deadline) {
        this.connection = connection;
        this.held = Map.copyOf(held);
        this.connectionLog = List.copyOf(connectionLog);
        this.pictures = pictures;
        this.file = file;
        this.createdBy = createdBy;
        this.callTimeout = callTimeout;
        this.deadline = deadline;
    }

    /** A part's answer, or why there is none; {@code notFound} when the node answered 404: it has no such part. */
    private record Answer<T>(T value, String why, boolean notFound) {
        Answer(T value, String why) {
            this(value, why, false);
        }

        boolean missing() {
            return value == null;
        }
    }

    /**
     * A bundle written: where, and which of its files are partial or missing (empty for a whole bundle).
     */
    record Exported(Path file, List<BundleManifest.Gap> partial, String nodeVersionUnknown) {
        Exported {
            file = file.toAbsolutePath();
            partial = List.copyOf(partial);
        }

        /**
         * What the person who asked for it reads, on the status line or from {@code --export-bundle}: where it is (the
         * whole path: a file chooser's folder is soon forgotten), whether it is whole or how many of its files are
         * partial or missing, and what to do with it.
         */
        String summary() {
            String where = file.toString();
            String command = where.chars().anyMatch(Character::isWhitespace) ? "\"" + where + "\"" : where;
            String handOn = " Attach it to the support ticket; it opens offline with ./edgedeck --bundle " + command + ".";
            if (partial.isEmpty()) {
                return "Bundle written to " + where + (nodeVersionUnknown == null ? "" : "; " + nodeVersionUnknown) + "."
                        + handOn;
            }
            long held = partial.stream().filter(g -> g.state().equals(BundleManifest.Gap.PARTIAL)).count();
            long left = partial.size() - held;
            return "PARTIAL bundle written to " + where + ": " + partial.size() + (partial.size() == 1 ? " file" : " files")
                    + " partial or missing (" + held + " what the console held, " + left + " left out), as the node could not"
                    + " be asked for them (README.txt says which and why)." + handOn;
        }
    }

    @Override
    public Exported call(Background.Progress progress) throws Exception {
        MetricsFrame frame = connection.latestFrame().orElseThrow(() -> new IOException(noFrameYet()));
        long now = frame.engineMillis() / 1000;
        deadlineNanos = System.nanoTime() + deadline.toNanos();
        int steps = frame.pops().size() + 6;
        int done = 0;
        List<BundleManifest.Gap> gaps = new ArrayList<>();
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        if (connection.hasHealth()) {
            // First, and asked whatever the stream's state: a refused connection here means the node is down.
            progress.update(0, "asking the node's health");
            Answer<NodeHealth> health = ask(connection::health);
            if (health.missing()) {
                gaps.add(new BundleManifest.Gap(BundleFormat.HEALTH, BundleManifest.Gap.MISSING, "left out: " + health.why()));
            } else {
                healthAnswered = true;
                diagnostics.put(BundleFormat.HEALTH, health(health.value()));
            }
        }
        String nodeVersionUnknown = null;
        if (connection.hasNodeInfo()) {
            // Which build made what the bundle shows: asked second, as it is the first thing support looks for.
            Answer<NodeInfo> node = ask(connection::nodeInfo);
            if (node.notFound()) {
                // A node older than GET /api/v1/node cannot say: nothing failed, so the bundle is not partial for it.
                nodeVersionUnknown = BundleManifest.NODE_PREDATES_NODE_INFO;
            } else if (node.missing()) {
                gaps.add(new BundleManifest.Gap(BundleFormat.NODE, BundleManifest.Gap.MISSING, "left out: " + node.why()));
            } else {
                diagnostics.put(BundleFormat.NODE, node.value());
            }
        }
        done++;
        Map<String, PopHistory> history = new LinkedHashMap<>();
        for (PopMetrics p : frame.pops()) {
            progress.update((double) done / (steps * 2), "fetching the history of " + p.id());
            String entry = BundleFormat.historyEntry(p.id());
            // Through the second the frame shows (the range's end is not in it): in a show's first second
            // "to now" would be the empty range 0 to 0, which the node refuses.
            Answer<PopHistory> fetched = ask(() -> connection.history(p.id(), 0, now + 1));
            PopHistory kept = held.get(p.id());
            if (!fetched.missing()) {
                history.put(p.id(), fetched.value());
            } else if (kept != null) {
                history.put(p.id(), kept);
                long last = kept.rows() == 0 ? 0 : kept.startSecond()[kept.rows() - 1] + kept.resolutionSeconds() - 1;
                gaps.add(new BundleManifest.Gap(entry, BundleManifest.Gap.PARTIAL, "the history the console held, up to "
                        + WhatChanged.clock(last) + " engine time; " + fetched.why()));
            } else {
                gaps.add(new BundleManifest.Gap(entry, BundleManifest.Gap.MISSING, "left out: the console held no history of "
                        + p.id() + "; " + fetched.why()));
            }
            done++;
        }
        progress.update((double) done / (steps * 2), "fetching flags and the audit trail");
        Answer<List<FlagView>> fetchedFlags = ask(connection::flags);
        List<FlagView> flags = fetchedFlags.value();
        if (fetchedFlags.missing()) {
            flags = frame.flags();
            gaps.add(new BundleManifest.Gap(BundleFormat.FLAGS, BundleManifest.Gap.PARTIAL, "the flags as the newest frame"
                    + " showed them at " + WhatChanged.clock(now) + " engine time; " + fetchedFlags.why()));
        }
        Answer<List<AuditEntry>> fetchedAudit = ask(connection::audit);
        List<AuditEntry> audit = fetchedAudit.value();
        if (fetchedAudit.missing()) {
            audit = List.of();
            gaps.add(new BundleManifest.Gap(BundleFormat.AUDIT, BundleManifest.Gap.MISSING, "written empty: the console"
                    + " holds no audit trail; " + fetchedAudit.why()));
        }
        progress.update((double) (done + 2) / (steps * 2), "fetching guardrails and sources");
        Answer<List<GuardrailStatus>> guardrails = ask(connection::guardrails);
        if (guardrails.missing()) {
            gaps.add(new BundleManifest.Gap(BundleFormat.GUARDRAILS, BundleManifest.Gap.PARTIAL, "the guardrails as the"
                    + " newest frame showed them at " + WhatChanged.clock(now) + " engine time; " + guardrails.why()));
        }
        diagnostics.put(BundleFormat.GUARDRAILS, new GuardrailsPart(
                guardrails.missing() ? frame.guardrails() : guardrails.value(), frame.firings()));
        if (connection.hasSources()) {
            Answer<List<SourceStatus>> sources = ask(connection::sources);
            if (sources.missing()) {
                gaps.add(new BundleManifest.Gap(BundleFormat.SOURCES, BundleManifest.Gap.MISSING, "left out: the console"
                        + " holds no list of sources; " + sources.why()));
            } else {
                diagnostics.put(BundleFormat.SOURCES, sources.value());
            }
        }
        diagnostics.put(BundleFormat.CONNECTION_LOG, connectionLog);
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        for (var e : pictures.entrySet()) {
            pngs.put(e.getKey(), png(e.getValue()));
        }
        done += 5;
        Bundle bundle = BundleWriter.assemble(createdBy, frame.scenario(), frame.seed(), connection.mode().name(),
                connection.target(), frame.engineMillis(), history, frame.timeline(), audit, flags, frame, pngs,
                diagnostics, gaps, nodeVersionUnknown);
        int fetched = done;
        BundleWriter.write(bundle, file, (written, total, entry) -> progress.update(
                (fetched + (double) written / total * (steps * 2 - fetched)) / (steps * 2), "writing " + entry));
        return new Exported(file, gaps, nodeVersionUnknown);
    }

    /**
     * Why there is no bundle before the first frame, with why no frame came when the connection knows (a node that
     * was never reached: "connection refused"), so the person asking does not wait for one.
     */
    private String noFrameYet() {
        var status = connection.status();
        if (status.online()) {
            return "no metrics frame has arrived yet: there is nothing to put in a bundle";
        }
        return "no metrics frame has arrived from " + connection.target() + " (" + status.detail()
                + "): there is nothing to put in a bundle until the console has heard from it";
    }

    /** {@code guardrails.json}: every rule as the node judges it, and every firing so far (from the newest frame). */
    record GuardrailsPart(List<GuardrailStatus> guardrails, List<GuardrailFiring> firings) {
    }

    /** {@code health.json}: the status and the body, as JSON where the node wrote JSON. */
    private static Map<String, Object> health(NodeHealth h) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("httpStatus", h.httpStatus());
        try {
            part.put("answer", JSON.readTree(h.body()));
        } catch (IOException e) {
            part.put("answer", h.body());
        }
        return part;
    }

    /**
     * The node's answer, or why there is none: a 404 or another refusal for this part alone; a timeout,
     * asked once more first, then the node not answering; the node down or not connected; the deadline
     * passed. The last three, found now or by an earlier call, stop all further asking.
     */
    private <T> Answer<T> ask(Supplier<CompletableFuture<T>> call) {
        if (stopped != null) {
            return new Answer<>(null, stopped);
        }
        for (int attempt = 1; ; attempt++) {
            if (remainingMillis() <= 0) {
                stopped = "not asked: the export's deadline of " + seconds(deadline) + " s had passed at " + wallNow();
                return new Answer<>(null, stopped);
            }
            try {
                return new Answer<>(await(call.get()), null);
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (timedOut(e)) {
                    if (attempt == 1) {
                        continue;
                    }
                    stopped = "not asked: the node was not answering (a call timed out twice, the second time at " + wallNow() + ")";
                    return new Answer<>(null, "the node did not answer in time, twice, at " + wallNow() + ": " + message);
                }
                if (nodeDown(e)) {
                    if (healthAnswered && clientRefused(e)) {
                        stopped = "not asked: the console was not connected to the node at " + wallNow() + " (its stream was"
                                + " reconnecting; /healthz had answered earlier in this export): " + message;
                        return new Answer<>(null, stopped);
                    }
                    stopped = "the node could not be asked: it was down (" + message + ") at " + wallNow();
                    return new Answer<>(null, "the node could not be asked: it is down (" + message + ") at " + wallNow());
                }
                if (e instanceof EdgeException edge && edge.kind() == EdgeException.Kind.NOT_FOUND) {
                    return new Answer<>(null, "the node does not have it (404): " + message, true);
                }
                // A bundle opened offline "refuses" only a part it was made without: its message says why.
                return new Answer<>(null, (connection.mode() == ConnectionMode.OFFLINE ? "" : "the node refused it: ") + message);
            }
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    /** A refused connection; or a call the connection would not send, as it hears nothing from the node. */
    private boolean nodeDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return clientRefused(e);
    }

    /** A call the connection would not send, as its stream hears nothing from the node just now. */
    private boolean clientRefused(Throwable e) {
        return e instanceof EdgeException edge && edge.kind() == EdgeException.Kind.UNREACHABLE && e.getCause() == null
                && !connection.status().online();
    }

    private long remainingMillis() {
        return (deadlineNanos - System.nanoTime()) / 1_000_000;
    }

    private static String wallNow() {
        return WALL.format(java.time.Instant.now()) + " UTC";
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + "";
    }

    private <T> T await(CompletableFuture<T> call) throws Exception {
        long wait = Math.max(1, Math.min(callTimeout.toMillis(), remainingMillis()));
        try {
            return call.get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new TimeoutException("no answer within " + wait / 1000.0 + " s");
        }
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available");
        }
        return out.toByteArray();
    }
}
