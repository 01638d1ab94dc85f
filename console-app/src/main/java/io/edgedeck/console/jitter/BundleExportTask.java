package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.analysis.WhatChanged;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleFormat;
import io.edgedeck.simulator.bundle.BundleManifest;
import io.edgedeck.simulator.bundle.BundleWriter;
import io.edgedeck.console.common.Background;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
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
 * newest frame and its timeline) with pictures taken beforehand on the FX thread, and writes it.
 * When the node cannot be asked (it went down mid-show, which is when a bundle is needed most),
 * the bundle is made of what the console holds instead: the histories the Jitter view is drawing and
 * the newest frame, with each part that is partial or missing, and why, named in the manifest and
 * the README. After the first call that fails the node is not asked again.
 * Runs on a worker thread; progress counts the PoPs fetched, then the files written.
 */
final class BundleExportTask implements Background.Work<Path> {
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final EdgeConnection connection;
    private final Map<String, PopHistory> held;
    private final Map<String, BufferedImage> pictures;
    private final Path file;
    private final String createdBy;
    /** Why the node could not be asked, once a call failed; null while it answers. */
    private String unreachable;

    /**
     * @param held every PoP's history as the console holds it, for when the node cannot be asked
     */
    BundleExportTask(EdgeConnection connection, Map<String, PopHistory> held, Map<String, BufferedImage> pictures,
                     Path file, String createdBy) {
        this.connection = connection;
        this.held = Map.copyOf(held);
        this.pictures = pictures;
        this.file = file;
        this.createdBy = createdBy;
    }

    @Override
    public Path call(Background.Progress progress) throws Exception {
        MetricsFrame frame = connection.latestFrame().orElseThrow(() ->
                new IOException("no metrics frame has arrived yet: there is nothing to put in a bundle"));
        long now = frame.engineMillis() / 1000;
        int steps = frame.pops().size() + 3;
        int done = 0;
        List<BundleManifest.Gap> gaps = new ArrayList<>();
        Map<String, PopHistory> history = new LinkedHashMap<>();
        for (PopMetrics p : frame.pops()) {
            progress.update((double) done / (steps * 2), "fetching the history of " + p.id());
            String entry = BundleFormat.historyEntry(p.id());
            PopHistory fetched = ask(() -> connection.history(p.id(), 0, now));
            PopHistory kept = held.get(p.id());
            if (fetched != null) {
                history.put(p.id(), fetched);
            } else if (kept != null) {
                history.put(p.id(), kept);
                long last = kept.rows() == 0 ? 0 : kept.startSecond()[kept.rows() - 1] + kept.resolutionSeconds() - 1;
                gaps.add(new BundleManifest.Gap(entry, BundleManifest.Gap.PARTIAL, "the history the console held, up to "
                        + WhatChanged.clock(last) + " engine time; the node could not be asked for the rest: " + unreachable));
            } else {
                gaps.add(new BundleManifest.Gap(entry, BundleManifest.Gap.MISSING, "left out: the console held no history of "
                        + p.id() + " and the node could not be asked: " + unreachable));
            }
            done++;
        }
        progress.update((double) done / (steps * 2), "fetching flags and the audit trail");
        List<FlagView> flags = ask(connection::flags);
        if (flags == null) {
            flags = frame.flags();
            gaps.add(new BundleManifest.Gap(BundleFormat.FLAGS, BundleManifest.Gap.PARTIAL, "the flags as the newest frame"
                    + " showed them at " + WhatChanged.clock(now) + " engine time; the node could not be asked: " + unreachable));
        }
        List<AuditEntry> audit = ask(connection::audit);
        if (audit == null) {
            audit = List.of();
            gaps.add(new BundleManifest.Gap(BundleFormat.AUDIT, BundleManifest.Gap.MISSING, "written empty: the console"
                    + " holds no audit trail and the node could not be asked: " + unreachable));
        }
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        for (var e : pictures.entrySet()) {
            pngs.put(e.getKey(), png(e.getValue()));
        }
        done += 3;
        Bundle bundle = BundleWriter.assemble(createdBy, frame.scenario(), frame.seed(), connection.mode().name(),
                connection.target(), frame.engineMillis(), history, frame.timeline(), audit, flags, frame, pngs, gaps);
        int fetched = done;
        BundleWriter.write(bundle, file, (written, total, entry) -> progress.update(
                (fetched + (double) written / total * (steps * 2 - fetched)) / (steps * 2), "writing " + entry));
        return file;
    }

    /** The node's answer, or null when it could not be asked (now, or by an earlier call of this export). */
    private <T> T ask(Supplier<CompletableFuture<T>> call) {
        if (unreachable != null) {
            return null;
        }
        try {
            return await(call.get());
        } catch (Exception e) {
            unreachable = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return null;
        }
    }

    private static <T> T await(CompletableFuture<T> call) throws Exception {
        try {
            return call.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new IOException("the edge did not answer within " + CALL_TIMEOUT_SECONDS + " s", e);
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
