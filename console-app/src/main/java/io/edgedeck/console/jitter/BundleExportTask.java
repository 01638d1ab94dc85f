package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleWriter;
import io.edgedeck.console.common.Background;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gathers a diagnostic bundle from a connection (every PoP's history, flags, audit trail, the
 * newest frame and its timeline) with pictures taken beforehand on the FX thread, and writes it.
 * Runs on a worker thread; progress counts the PoPs fetched, then the files written.
 */
final class BundleExportTask implements Background.Work<Path> {
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final EdgeConnection connection;
    private final Map<String, BufferedImage> pictures;
    private final Path file;
    private final String createdBy;

    BundleExportTask(EdgeConnection connection, Map<String, BufferedImage> pictures, Path file, String createdBy) {
        this.connection = connection;
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
        Map<String, PopHistory> history = new LinkedHashMap<>();
        for (PopMetrics p : frame.pops()) {
            progress.update((double) done / (steps * 2), "fetching the history of " + p.id());
            history.put(p.id(), await(connection.history(p.id(), 0, now)));
            done++;
        }
        progress.update((double) done / (steps * 2), "fetching flags and the audit trail");
        var flags = await(connection.flags());
        var audit = await(connection.audit());
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        for (var e : pictures.entrySet()) {
            pngs.put(e.getKey(), png(e.getValue()));
        }
        done += 3;
        Bundle bundle = BundleWriter.assemble(createdBy, frame.scenario(), frame.seed(), connection.mode().name(),
                connection.target(), frame.engineMillis(), history, frame.timeline(), audit, flags, frame, pngs);
        int fetched = done;
        BundleWriter.write(bundle, file, (written, total, entry) -> progress.update(
                (fetched + (double) written / total * (steps * 2 - fetched)) / (steps * 2), "writing " + entry));
        return file;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> call) throws Exception {
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
