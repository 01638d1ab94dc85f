package io.edgedeck.simulator.server;

import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.simulator.show.ShowRunner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;

/**
 * A live node's clock: engine time is wall-clock milliseconds since the node first started on its
 * data directory, an instant kept in {@code live-epoch} so a restarted node carries on the same time
 * line (its core catches up tick by tick from its journal's last record to now). The file also marks
 * the directory as a live node's: a rehearsal, whose engine time is virtual, is not started on it,
 * nor a live node on a rehearsal's.
 *
 * <p>A node a show is rehearsed into over the wire ({@code load --speed N}) may run its clock N times
 * as fast ({@code serve --live --speed N}); the file then holds the rate after the instant, and the
 * node keeps that rate for as long as its directory lives, since its journal's time line is at that rate.
 */
final class LiveClock {
    static final String FILE = "live-epoch";

    private final long epochMillisAtStart;
    private final double rate;

    private LiveClock(long epochMillisAtStart, double rate) {
        this.epochMillisAtStart = epochMillisAtStart;
        this.rate = rate;
    }

    /**
     * The clock of the live node in {@code dir}: read from {@code live-epoch}, or made now (and
     * made durable) when the directory is new.
     *
     * @param restored true when the directory already holds a journal
     * @param rate     engine ms per wall ms: 1 for a real show
     */
    static LiveClock of(Path dir, boolean restored, double rate) throws IOException, EdgeNode.StartException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            String[] parts = text.split("\\s+");
            LiveClock clock;
            try {
                clock = new LiveClock(Long.parseLong(parts[0]), parts.length > 1 ? Double.parseDouble(parts[1]) : 1);
            } catch (NumberFormatException e) {
                throw new EdgeNode.StartException(file + " should hold the epoch milliseconds the node's time counts from"
                        + " (and its clock's rate), but holds '" + text + "'", e);
            }
            if (clock.rate != rate) {
                throw new EdgeNode.StartException("the live node in " + dir + " runs its clock at " + ShowRunner.speedLabel(clock.rate)
                        + " (" + FILE + "): start it with --speed " + ShowRunner.speedLabel(clock.rate).replace("x", "")
                        + ", or start a node at " + ShowRunner.speedLabel(rate) + " on another --data-dir", null);
            }
            return clock;
        }
        if (restored) {
            throw new EdgeNode.StartException("the data directory " + dir + " holds a rehearsal's journal, whose time is not the"
                    + " wall clock's: start a live node on another --data-dir", null);
        }
        long now = System.currentTimeMillis();
        Path partial = dir.resolve(FILE + ".new");
        try (FileChannel out = FileChannel.open(partial, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), io.edgedeck.engine.journal.OwnerOnlyCreation.in(partial.toAbsolutePath().getParent()))) {
            out.write(java.nio.ByteBuffer.wrap((now + (rate == 1 ? "" : " " + rate) + "\n").getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        OwnerOnlyFiles.moveOver(partial, file);
        return new LiveClock(now, rate);
    }

    /** Whether {@code dir} is a live node's data directory (it holds {@value #FILE}). */
    static boolean isLive(Path dir) {
        return Files.exists(dir.resolve(FILE));
    }

    /** Refuses to start a rehearsal on a live node's directory. */
    static void refuseLiveDirectory(Path dir) throws EdgeNode.StartException {
        if (isLive(dir)) {
            throw new EdgeNode.StartException("the data directory " + dir + " is a live node's (it holds " + FILE
                    + "): start it with serve --live, or rehearse on another --data-dir", null);
        }
    }

    EngineClock engineClock() {
        return EngineClock.wall(InstantSource.system(), epochMillisAtStart, rate);
    }
}
