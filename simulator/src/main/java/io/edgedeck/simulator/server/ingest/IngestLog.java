package io.edgedeck.simulator.server.ingest;

import io.edgedeck.simulator.server.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * The ingest log: every batch a live node accepts, on disk before the node answers. It is apart from
 * the journal (which records state changes): it records observations, and a node started again on
 * its data directory feeds them to its core again, so nothing acknowledged is lost to a kill -9.
 *
 * <p>Group commit: callers on any thread {@link #append} and wait on the future; one writer thread
 * writes everything waiting with one {@code write} and makes it durable with one {@code fsync}
 * ({@code FileChannel.force}), then completes every future of that group. Under load a group holds
 * many batches, so the fsync cost is shared.
 *
 * <p>Record format, little ceremony: {@code int length, int crc32c, long arrivalEpochMillis,
 * payload[length]}, the checksum over the arrival time and the payload. A record cut short by a
 * crash, or a last one whose checksum fails, is a torn tail: it is cut off on open (it was never
 * acknowledged, since its fsync never returned). Bad bytes with whole records after them are damage,
 * not a tail: every whole record after them is kept, the damaged span takes one ordinal and is
 * {@linkplain #damage reported}, and the file is left as it is until the retention window scrubs
 * the span (it may hold raw ids) into a marker record that keeps it counted. Bit 30 of the length marks a
 * record that holds no raw id: one the retention window has {@linkplain #scrub scrubbed}, or one
 * written with none ({@code privacy.rawSampleRate}): its payload is the batch's events with keys for
 * ids (docs/PRIVACY.md). Every record before {@code rawStart} is scrubbed; after it, raw and
 * scrubbed records may alternate.
 *
 * <p>A group that cannot be written (a full disk, a file made immutable, a device gone) marks the log
 * {@linkplain #writeFailure failing} until a write succeeds again. Whom it tells {@linkplain #onWritableAgain}
 * hears that it can be written again only once it wrote as many bytes at once as the largest group that failed on
 * I/O since it last said so: a disk with room for a small batch but not for a group that size has not
 * recovered from what that group met. While it fails, or owes that write, and no batch comes, the writer
 * thread tries the file itself every {@link #PROBE_MILLIS} ms, between groups: it writes {@link #PROBE_FIRST_BYTES}
 * past the log's end, syncs them and cuts them off again, and only once that succeeded writes more the same way,
 * eight times as many each step up to as many bytes as that group (in chunks of {@link #PROBE_CHUNK_BYTES}), so a
 * disk that fails every write is not worn by the size of the group that failed; a step past the first that fails is
 * tried again only after {@link #PROBE_GROWTH_BACKOFF_MILLIS} ms, a wait that doubles each time up to
 * {@link #PROBE_GROWTH_BACKOFF_MAX_MILLIS}. Those bytes are zeros, which never read as a record (a crash between
 * the two steps leaves them as a torn tail, cut off on open), so the log holds only batches, in order.
 * Each group is written where the last durable record ends. What a failed group left past it is cut
 * off (and the cut synced) before anything else is written; while it cannot be cut off, nothing is
 * written, every group is refused and the log fails, and the next group or try cuts it off first, so
 * no acknowledged record ever follows bytes of one that was not.
 *
 * <p>Anything else the writer thread meets is never silent. An unexpected exception fails the group
 * it met (nothing of it is kept or acknowledged) and marks the log {@linkplain #writeFailure failing}
 * like an I/O error, and the thread goes on. An {@link Error} (out of memory, say, or one thrown by a
 * {@linkplain #scrub scrub}'s callback) {@linkplain #stopped stops} the log for good: the group it
 * met, everything waiting and every later append fail at once with {@link WriterStopped} instead of
 * waiting for a writer that is gone, until the node is started again.
 *
 * <p>Its format is named in the file beside it, {@code ingest.log.format} ({@link #formatFile}): {@value #FORMAT},
 * written once every check of a start has passed if it is not there yet. A log with no such file (written by a build
 * before there was one) is in format {@value #FORMAT} too, and is read; one whose file names another format (a newer
 * build's) is refused before a byte of it is read ({@link UnknownFormat}).
 */
public final class IngestLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLog.class);
    private static final int HEADER = 16;
    /** The format of the records this build writes and reads, as {@link #formatFile} names it. */
    static final String FORMAT = "1";
    /** The largest payload a record holds; a batch is far smaller (the node's batch limit). */
    static final int MAX_PAYLOAD = 256 * 1024 * 1024;
    /** How many bytes one group writes at most before its fsync. */
    private static final long GROUP_BYTES = 32L * 1024 * 1024;

    /**
     * How often, in ms, the writer thread tries the file while the last write failed and no batch comes, unless the log was
     * opened with another interval ({@link #open(Path, Replay, UnaryOperator, long)}, which tests use to shorten every wait
     * of a try: the growth waits below are the same multiples of it).
     */
    static final long PROBE_MILLIS = 2_000;
    /** The most bytes such a try writes in one call (it writes as many as the group that failed, at least a record's header). */
    static final int PROBE_CHUNK_BYTES = 1024 * 1024;
    /**
     * The bytes a try writes first; only once those are synced does it write more, eight times as many each step up to the
     * size of the group that failed, so a disk that fails every write is not written 32 MiB every {@link #PROBE_MILLIS} ms.
     */
    static final int PROBE_FIRST_BYTES = 64 * 1024;
    /** How long a try waits to write past its first bytes again after doing so failed, at first; twice as long each time it fails again. */
    static final long PROBE_GROWTH_BACKOFF_MILLIS = 8 * PROBE_MILLIS;
    /** The longest such wait. */
    static final long PROBE_GROWTH_BACKOFF_MAX_MILLIS = 32 * PROBE_MILLIS;

    /** Marks a scrubbed record in its length field. */
    private static final int SCRUBBED = 1 << 30;
    /**
     * Set on every record by the node's builds of 5 December 2026, and by no other: it marked a record
     * to be read strictly, and is read past (a payload is never that long), so a log those builds
     * wrote is read whole.
     */
    private static final int MARKED_STRICT = 1 << 29;

    /** What a {@link #scrub} did: records rewritten, and the log's size before and after, in bytes. */
    public record Scrubbed(int records, long bytesBefore, long bytesAfter) {
    }

    /**
     * Damage found when the log was opened: a span of bad bytes at {@code offset} with whole records
     * after it, which took the {@code ordinal} of one record; {@code recordsAfter} whole records
     * follow it. {@code scrubbed} when a scrub has since replaced the bytes with a marker record.
     */
    public record Damage(long ordinal, long offset, long bytes, long recordsAfter, boolean scrubbed) {
    }

    /**
     * A record to write, or (record null) a task to run on the writer thread between groups, which
     * completes {@code result}.
     */
    private record Pending(ByteBuffer record, CompletableFuture<Long> done, Runnable task, CompletableFuture<?> result) {
        /** The future this entry's caller waits on. */
        CompletableFuture<?> waiting() {
            return task == null ? done : result;
        }
    }

    /** Why a log is not read: the file beside it names a format this build does not know, such as a newer build's. */
    public static final class UnknownFormat extends IOException {
        UnknownFormat(String message) {
            super(message);
        }
    }

    /** The file beside {@code log} that names the format of its records: {@code ingest.log.format}. */
    public static Path formatFile(Path log) {
        return log.resolveSibling(log.getFileName() + ".format");
    }

    /**
     * What {@link #formatFile} says, stripped of white space: empty when it is not there (a log of a build before it was written is
     * in format {@value #FORMAT}) or holds nothing.
     *
     * @throws UnknownFormat when it names another format, or holds what no build writes there
     */
    private static String checkFormat(Path file) throws IOException {
        Path marker = formatFile(file);
        byte[] bytes;
        try {
            bytes = Files.size(marker) > 64 ? null : Files.readAllBytes(marker);
        } catch (java.nio.file.NoSuchFileException absent) {
            return "";
        }
        String text = bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).strip();
        if (text != null && (text.isEmpty() || text.equals(FORMAT))) {
            return text;
        }
        String shown = text != null && text.chars().allMatch(c -> c >= 0x21 && c < 0x7f) ? "format " + text : "what is not a format";
        throw new UnknownFormat("the ingest log " + file + " is in " + shown + ", as " + marker + " says, and this build reads"
                + " format " + FORMAT + ": start the build that wrote it (or a newer one) on this data directory; nothing of"
                + " the log was read or changed");
    }

    /** Why an append or a scrub is refused once the log is closed: the node is stopping. */
    public static final class Closed extends IllegalStateException {
        Closed() {
            super("the ingest log is closed");
        }
    }

    /**
     * Why an append is refused when its group could not be written on an I/O error (a full disk, a file made
     * immutable, a device gone), with when the write failed (epoch ms): the batch's answer may be counted after
     * the log was written again, and is over only if that was after this.
     */
    public static final class WriteFailed extends UncheckedIOException {
        private final long atMillis;

        WriteFailed(IOException cause, long atMillis) {
            super(cause);
            this.atMillis = atMillis;
        }

        /** When the write failed, epoch ms. */
        public long atMillis() {
            return atMillis;
        }
    }

    /**
     * Why an append or a scrub is refused once the log has {@linkplain #stopped stopped}: its cause is
     * the error that stopped the writer thread.
     */
    public static final class WriterStopped extends IllegalStateException {
        private static final String MESSAGE = "the ingest log takes no more records: its writer thread stopped on an error";

        WriterStopped(Throwable cause) {
            super(MESSAGE, cause);
        }

        /** Made before it is needed, its cause set once the writer stops: stopping allocates as little as it can. */
        private WriterStopped() {
            super(MESSAGE);
        }
    }

    private final Path file;
    /** The view of the file the log writes through: the file itself (tests put a failing disk there). */
    private final UnaryOperator<FileChannel> channels;
    /** Syncs the log's directory: {@link OwnerOnlyFiles#syncDirectory} (tests put a failing disk there). */
    private final DirectorySync directorySync;
    /**
     * True while the name a scrub's rewrite took may not be durable, its directory sync having failed:
     * a power loss could bring the replaced file back without what was written since, so no group
     * is acknowledged until the directory is synced. Writer thread.
     */
    private boolean nameUnsynced;
    private FileChannel channel;
    /** Where the last durable record ends: the next group is written here. Writer thread. */
    private long end;
    /**
     * True while bytes of a failed write may lie past {@link #end} because they could not be cut
     * off: nothing is written, and the log fails, until they are. Writer thread.
     */
    private boolean uncut;
    /** Where the first record not yet scrubbed starts; only the writer thread moves it after open. */
    private long rawStart;
    /** The arrival of the oldest record not yet scrubbed, or Long.MAX_VALUE when there is none. */
    private volatile long oldestRawEpochMillis = Long.MAX_VALUE;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile long groups;
    private volatile long records;
    private volatile long syncNanos;
    /** The ordinal the next durable record gets: records in the file before it. Writer thread. */
    private long nextOrdinal;
    /**
     * Why the last write (of a group, or a try) failed, an I/O error or an unexpected exception; null
     * while the last one succeeded.
     */
    private volatile Exception writeFailure;
    /** The error that stopped the writer thread for good; null while it runs. */
    private volatile Throwable stopped;
    /** The refusal the writer thread answers with as it stops, made at open, as it may stop for want of memory. */
    private final WriterStopped stopping = new WriterStopped();
    /** The bytes of the group that last failed, and when the file was last tried ({@link System#nanoTime}). Writer thread. */
    private long failedBytes;
    /**
     * The bytes of the largest group that failed on I/O since a write of as many succeeded ({@link #onWritableAgain} was
     * told), 0 when none: a smaller write since proves nothing for it. Writer thread.
     */
    private long owedBytes;
    private long triedNanos;
    /**
     * When a try may next write past its first bytes ({@link System#nanoTime}, compared only by difference, as its origin
     * may be negative), and how long it waits after that fails; both start again once nothing is owed. Writer thread.
     */
    private long growAfterNanos = System.nanoTime();
    private long growthBackoffMillis;
    /** This log's {@link #PROBE_MILLIS}, and its growth waits' first and longest lengths (the same multiples of it). */
    private final long probeMillis;
    private final long growthBackoffFirstMillis;
    private final long growthBackoffMaxMillis;
    /** Tries made since the log was opened. */
    private volatile long tries;

    /** What {@link #open} found damaged. */
    private final List<Damage> damage;

    private IngestLog(Path file, UnaryOperator<FileChannel> channels, DirectorySync directorySync, FileChannel channel, long end,
                      long rawStart, long oldestRaw, long recordsInFile, List<Damage> damage, long probeMillis) {
        if (probeMillis <= 0) {
            throw new IllegalArgumentException("probeMillis must be more than 0, was " + probeMillis);
        }
        this.probeMillis = probeMillis;
        this.growthBackoffFirstMillis = PROBE_GROWTH_BACKOFF_MILLIS / PROBE_MILLIS * probeMillis;
        this.growthBackoffMaxMillis = PROBE_GROWTH_BACKOFF_MAX_MILLIS / PROBE_MILLIS * probeMillis;
        this.growthBackoffMillis = growthBackoffFirstMillis;
        this.file = file;
        this.channels = channels;
        this.directorySync = directorySync;
        this.damage = List.copyOf(damage);
        this.channel = channel;
        this.end = end;
        this.rawStart = rawStart;
        this.oldestRawEpochMillis = oldestRaw;
        this.nextOrdinal = recordsInFile;
        this.writer = Thread.ofPlatform().name("edgedeck-ingest-log").daemon().start(this::writeLoop);
    }

    /**
     * A record read back from the log: its ordinal (0 for the first in the file; a scrub keeps every
     * record in its place, so the ordinal never changes), arrival epoch ms, payload, and whether the
     * retention window has scrubbed it.
     */
    @FunctionalInterface
    public interface Replay {
        void record(long ordinal, long arrivalEpochMillis, byte[] payload, boolean scrubbed);

        /**
         * A damaged span in place of a record: nothing of it can be read. {@code arrivalEpochMillis}
         * is that of the whole record next to it (the span's own is unreadable).
         */
        default void damaged(long ordinal, long arrivalEpochMillis) {
        }
    }

    /**
     * Opens the log for appending, after handing every whole record already in it to
     * {@code replay} in order, each named by its ordinal (the same number {@link #append} completed
     * with when it was written), and cutting off a torn tail. A scrub a crash cut short left its
     * rewrite beside the log, never moved over it: the log is whole, and the rewrite, which holds raw
     * ids too, is deleted.
     */
    public static IngestLog open(Path file, Replay replay) throws IOException {
        return open(file, replay, UnaryOperator.identity());
    }

    /**
     * As {@link #open(Path, Replay)}, but what a crash left is only found, not yet undone: a torn tail
     * stays in the file and a scrub's unfinished rewrite beside it until {@link #recover} (a node's
     * start calls it once every check has passed, so a refused start changes no byte of the log).
     */
    public static IngestLog read(Path file, Replay replay) throws IOException {
        return read(file, replay, UnaryOperator.identity(), OwnerOnlyFiles::syncDirectory, PROBE_MILLIS);
    }

    /** As {@link #open(Path, Replay)}, writing through {@code channels}' view of the file (tests put a failing disk there). */
    static IngestLog open(Path file, Replay replay, UnaryOperator<FileChannel> channels) throws IOException {
        return open(file, replay, channels, OwnerOnlyFiles::syncDirectory);
    }

    /** Syncs a directory, as {@link OwnerOnlyFiles#syncDirectory} does. */
    @FunctionalInterface
    interface DirectorySync {
        void sync(Path dir) throws IOException;
    }

    /** As {@link #open(Path, Replay, UnaryOperator)}, syncing the log's directory after a scrub with {@code directorySync}. */
    static IngestLog open(Path file, Replay replay, UnaryOperator<FileChannel> channels, DirectorySync directorySync)
            throws IOException {
        return open(file, replay, channels, directorySync, PROBE_MILLIS);
    }

    /** As {@link #open(Path, Replay, UnaryOperator)}, trying the file every {@code probeMillis} ms while it fails. */
    static IngestLog open(Path file, Replay replay, UnaryOperator<FileChannel> channels, long probeMillis) throws IOException {
        return open(file, replay, channels, OwnerOnlyFiles::syncDirectory, probeMillis);
    }

    private static IngestLog open(Path file, Replay replay, UnaryOperator<FileChannel> channels, DirectorySync directorySync,
                                  long probeMillis) throws IOException {
        IngestLog log = read(file, replay, channels, directorySync, probeMillis);
        try {
            log.recover();
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    /**
     * Undoes what a crash left, as {@link #read} found it: deletes a scrub's unfinished rewrite and cuts
     * off the torn tail (never acknowledged, since its fsync never returned). Call before anything is
     * appended; a second call finds nothing to do.
     */
    public void recover() throws IOException {
        Files.deleteIfExists(scrubbing(file));
        if (checkFormat(file).isEmpty()) {
            try {
                OwnerOnlyFiles.replace(formatFile(file), (FORMAT + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // Without it the log is read as format 1 all the same, which it is: the next start writes it.
                LOG.warn("The ingest log's format could not be written to {} ({}); it is read as format {} without it",
                        formatFile(file), e.getMessage(), FORMAT);
            }
        }
        long size = channel.size();
        if (end < size) {
            LOG.warn("The ingest log {} ends in a record that was never acknowledged ({} bytes); it is cut off", file, size - end);
            channel.truncate(end);
            channel.force(true);
            channel.position(end);
        }
    }

    private static IngestLog read(Path file, Replay replay, UnaryOperator<FileChannel> channels, DirectorySync directorySync,
                                  long probeMillis) throws IOException {
        checkFormat(file);
        FileChannel channel = channels.apply(OwnerOnlyFiles.openCreating(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
        try {
            long[] raw = {-1, Long.MAX_VALUE};
            long[] count = new long[1];
            List<Damage> found = new ArrayList<>();
            long end = readAll(channel, 0, new Visitor() {
                @Override
                public boolean visit(long position, long at, byte[] payload, boolean scrubbed) {
                    long bytes = scrubbed ? markedBytes(payload) : -1;
                    if (bytes >= 0) {
                        found.add(new Damage(count[0], position, bytes, 0, true));
                        replay.damaged(count[0]++, at);
                        return true;
                    }
                    if (!scrubbed && raw[0] < 0) {
                        raw[0] = position;
                        raw[1] = at;
                    }
                    replay.record(count[0]++, at, payload, scrubbed);
                    return true;
                }

                @Override
                public void damaged(long position, long bytes, long nextAt) {
                    // The span may have held raw ids: the retention window's scrub starts no later than it.
                    if (raw[0] < 0) {
                        raw[0] = position;
                        raw[1] = nextAt;
                    }
                    found.add(new Damage(count[0], position, bytes, 0, false));
                    replay.damaged(count[0]++, nextAt);
                }
            });
            List<Damage> damage = found.stream()
                    .map(d -> new Damage(d.ordinal(), d.offset(), d.bytes(), count[0] - d.ordinal() - 1, d.scrubbed())).toList();
            for (Damage d : damage) {
                LOG.error(d.scrubbed()
                        ? "The ingest log {} holds record {} damaged: the retention window has since replaced its {} bytes"
                        + " with a marker (at byte {}); the {} whole records after it are counted, the damaged one is not"
                        : "The ingest log {} is DAMAGED: record {} ({} bytes at byte {}) cannot be read, and {} whole records"
                        + " follow it. They are kept and counted; the damaged record's events (its checkouts included) are not."
                        + " The file is left as it is", file, d.ordinal(), d.bytes(), d.offset(), d.recordsAfter());
            }
            channel.position(end);
            return new IngestLog(file, channels, directorySync, channel, end, raw[0] < 0 ? end : raw[0], raw[1], count[0], damage,
                    probeMillis);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The damaged spans found when the log was opened, in the file's order; empty for a sound log. */
    public List<Damage> damage() {
        return damage;
    }

    /** The damage found when the log was opened, said in one sentence for the operator; null for a sound log. */
    public String damageSummary() {
        if (damage.isEmpty()) {
            return null;
        }
        Damage first = damage.getFirst();
        return "the ingest log " + file + " is damaged: " + damage.size() + (damage.size() == 1 ? " record" : " records")
                + " cannot be read (" + damage.stream().mapToLong(Damage::bytes).sum() + " bytes, the first at byte "
                + first.offset() + ", with " + first.recordsAfter() + " whole records after it); every whole record is kept"
                + " and counted, the damaged ones' events are not. The file is left as it is (docs/LIVE.md, \"Durability\")";
    }

    /** What {@link #readAll} finds, in the file's order. */
    private interface Visitor {
        /** One whole record: where it starts, when it arrived, its payload, whether it is scrubbed; false stops reading. */
        boolean visit(long position, long at, byte[] payload, boolean scrubbed) throws IOException;

        /** Bad bytes from {@code position} with a whole record after them, which arrived at {@code nextAt}. */
        void damaged(long position, long bytes, long nextAt) throws IOException;
    }

    /**
     * Reads whole records from {@code position} on; answers where the first record not visited
     * starts, or where a torn tail (bad bytes running to the end of the file) does. Bad bytes with
     * a whole record after them are damage: they are handed to the visitor and reading goes on.
     */
    private static long readAll(FileChannel channel, long from, Visitor visitor) throws IOException {
        long position = from;
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (position < size) {
            byte[] payload = null;
            long at = 0;
            int lengthField = 0;
            if (position + HEADER <= size) {
                header.clear();
                readFully(channel, header, position);
                lengthField = header.getInt(0);
                at = header.getLong(8);
                payload = whole(channel, position, lengthField, header.getInt(4), at, size);
            }
            if (payload == null) {
                long next = nextWhole(channel, position, size);
                if (next < 0) {
                    return position;
                }
                header.clear();
                readFully(channel, header, next);
                visitor.damaged(position, next - position, header.getLong(8));
                position = next;
                continue;
            }
            if (!visitor.visit(position, at, payload, (lengthField & SCRUBBED) != 0)) {
                return position;
            }
            position += HEADER + payload.length;
        }
        return position;
    }

    /** The payload of the record whose header was read at {@code position}, or null when it is not whole there. */
    private static byte[] whole(FileChannel channel, long position, int lengthField, int crc, long at, long size) throws IOException {
        int length = lengthField & ~(SCRUBBED | MARKED_STRICT);
        if (lengthField < 0 || length > MAX_PAYLOAD || position + HEADER + length > size) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(channel, payload, position + HEADER);
        return crc(at, payload.array()) == crc ? payload.array() : null;
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, position + into.position()) < 0) {
                throw new java.io.EOFException("the ingest log ended while being read");
            }
        }
    }

    /** Bytes of the file looked at at once when looking for the next whole record. */
    private static final int SCAN_WINDOW = 1 << 20;
    /** The latest arrival a record may hold for a scan to take it as a record (year 9999). */
    private static final long LATEST_ARRIVAL = 253_402_300_799_999L;

    /**
     * Where the first whole record after the bad bytes at {@code bad} starts: the first position
     * whose header has a length that fits the file and an arrival that could be one, and whose
     * checksum matches; -1 when there is none, so the bad bytes run to the end of the file.
     */
    private static long nextWhole(FileChannel channel, long bad, long size) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(SCAN_WINDOW + HEADER - 1);
        for (long base = bad + 1; base + HEADER <= size; base += SCAN_WINDOW) {
            window.clear();
            window.limit((int) Math.min(window.capacity(), size - base));
            readFully(channel, window, base);
            for (int i = 0; i < SCAN_WINDOW && i + HEADER <= window.limit(); i++) {
                long at = window.getLong(i + 8);
                if (at >= 0 && at <= LATEST_ARRIVAL
                        && whole(channel, base + i, window.getInt(i), window.getInt(i + 4), at, size) != null) {
                    return base + i;
                }
            }
        }
        return -1;
    }

    /** What a scrub writes in place of a damaged span: a scrubbed record that says so, {@code {"ingestLogDamage":{"bytes":N}}}. */
    private static final byte[] MARK = "{\"ingestLogDamage\":{\"bytes\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static byte[] mark(long bytes) {
        return (new String(MARK, java.nio.charset.StandardCharsets.US_ASCII) + bytes + "}}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The damaged bytes a scrubbed record stands for, or -1 when it is a record of events. */
    private static long markedBytes(byte[] payload) {
        if (payload.length > MARK.length + 21 || !java.util.Arrays.equals(payload, 0, Math.min(MARK.length, payload.length), MARK, 0, MARK.length)) {
            return -1;
        }
        String rest = new String(payload, MARK.length, payload.length - MARK.length, java.nio.charset.StandardCharsets.US_ASCII);
        try {
            return rest.endsWith("}}") ? Long.parseLong(rest.substring(0, rest.length() - 2)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int crc(long at, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, at));
        crc.update(payload);
        return (int) crc.getValue();
    }

    /**
     * Queues a record; the future completes once it is on disk (after the fsync of its group) with
     * the record's ordinal (its place in the file, counting from 0, as {@link Replay} names it
     * after a restart), or fails when it cannot be written. Any thread; never blocks.
     */
    public CompletableFuture<Long> append(long arrivalEpochMillis, byte[] payload) {
        return append(arrivalEpochMillis, payload, false);
    }

    /**
     * As {@link #append(long, byte[])}; {@code scrubbed} marks a payload that holds no raw id, which
     * the retention window then leaves as it is.
     */
    public CompletableFuture<Long> append(long arrivalEpochMillis, byte[] payload, boolean scrubbed) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (payload.length > MAX_PAYLOAD) {
            done.completeExceptionally(new IllegalArgumentException("an ingest log record holds at most " + MAX_PAYLOAD + " bytes"));
            return done;
        }
        if (closed) {
            done.completeExceptionally(new Closed());
            return done;
        }
        return enqueue(new Pending(record(arrivalEpochMillis, payload, scrubbed), done, null, null), done);
    }

    /**
     * Queues {@code p} for the writer thread, or refuses it at once once the log has stopped, and
     * answers {@code waiting}, the future its caller waits on. A writer that stops meanwhile refuses
     * what is queued; looking again after queueing refuses what came after it looked.
     */
    private <T> CompletableFuture<T> enqueue(Pending p, CompletableFuture<T> waiting) {
        Throwable error = stopped;
        if (error != null) {
            waiting.completeExceptionally(new WriterStopped(error));
            return waiting;
        }
        queue.add(p);
        if (stopped != null) {
            refuseWaiting();
        }
        return waiting;
    }

    private static ByteBuffer record(long arrivalEpochMillis, byte[] payload, boolean scrubbed) {
        ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length);
        record.putInt(scrubbed ? payload.length | SCRUBBED : payload.length).putInt(crc(arrivalEpochMillis, payload))
                .putLong(arrivalEpochMillis).put(payload).flip();
        return record;
    }

    /**
     * Rewrites every record that arrived before {@code cutoffEpochMillis} and is not scrubbed yet
     * with {@code scrub} (a batch as received to its events without raw ids), on the writer thread
     * between two groups: the scrubbed records and the rest are written to a new file, synced, and
     * moved over the log in one step, so a crash leaves the old log or the new one. Each record is
     * rewritten in its place and none is dropped, so every record keeps its ordinal. Appends wait
     * meanwhile. Completes with what it did; nothing to do costs one read of a record header. Once
     * the rewrite has taken the log's name the scrub is done, even when the directory cannot be
     * synced after it: the next group syncs it before it is acknowledged, and is refused while it
     * cannot be.
     */
    public CompletableFuture<Scrubbed> scrub(long cutoffEpochMillis, UnaryOperator<byte[]> scrub) {
        CompletableFuture<Scrubbed> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new Closed());
            return result;
        }
        return enqueue(new Pending(null, null, () -> {
            try {
                result.complete(rewrite(cutoffEpochMillis, scrub));
            } catch (IOException | RuntimeException e) {
                LOG.error("The ingest log {} could not be scrubbed; its raw records stay until the next try", file, e);
                result.completeExceptionally(e);
            }
            // An Error stops the writer thread: stop() refuses this scrub once the log says it stopped, so whoever
            // waited on the scrub never finds the log still running.
        }, result), result);
    }

    private Scrubbed rewrite(long cutoff, UnaryOperator<byte[]> scrub) throws IOException {
        if (uncut && !cutBackTo()) {
            throw new IOException("the ingest log ends in bytes of a failed write that cannot be cut off", writeFailure);
        }
        long size = end;
        // Written in order: the records scrubbed now, and those written scrubbed among them, as they are.
        List<ByteBuffer> scrubbed = new ArrayList<>();
        int[] rewritten = {0};
        long[] oldest = {Long.MAX_VALUE};
        long rest = readAll(channel, rawStart, new Visitor() {
            @Override
            public boolean visit(long position, long at, byte[] payload, boolean already) {
                if (already) {
                    scrubbed.add(record(at, payload, true));
                    return true;
                }
                if (at >= cutoff) {
                    oldest[0] = at;
                    return false;
                }
                scrubbed.add(record(at, scrub.apply(payload), true));
                rewritten[0]++;
                return true;
            }

            @Override
            public void damaged(long position, long bytes, long nextAt) {
                // Nothing in it can be keyed, and it may hold raw ids: a marker takes its place, and keeps it counted.
                LOG.warn("The ingest log {}: the damaged record at byte {} ({} bytes) is scrubbed into a marker", file, position, bytes);
                scrubbed.add(record(nextAt, mark(bytes), true));
                rewritten[0]++;
            }
        });
        if (rewritten[0] == 0) {
            // Nothing to rewrite; records written scrubbed before the first raw one need no reading again.
            rawStart = rest;
            oldestRawEpochMillis = rest < size ? oldest[0] : Long.MAX_VALUE;
            return new Scrubbed(0, size, size);
        }
        Path next = scrubbing(file);
        Files.deleteIfExists(next);
        long newRawStart;
        long newEnd;
        FileChannel rewrite;
        // The rewrite is opened as the log's channel before it takes the log's name, and nothing is
        // opened after: a failure at any step leaves the log, and the channel it writes through, as
        // they were, never without a channel or with one on the file the rewrite replaced.
        FileChannel out = FileChannel.open(next, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                io.edgedeck.engine.journal.OwnerOnlyCreation.in(next.toAbsolutePath().getParent()));
        try {
            copy(channel, 0, rawStart, out);
            for (ByteBuffer b : scrubbed) {
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            newRawStart = out.position();
            copy(channel, rest, size - rest, out);
            out.force(true);
            newEnd = out.position();
            rewrite = channels.apply(out);
            rewrite.position(newEnd);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(next);
            throw e;
        }
        FileChannel replaced = channel;
        channel = rewrite;
        end = newEnd;
        uncut = false;
        rawStart = newRawStart;
        oldestRawEpochMillis = rest < size ? oldest[0] : Long.MAX_VALUE;
        try {
            replaced.close();
        } catch (IOException e) {
            LOG.warn("The ingest log {}: the file its scrub replaced could not be closed ({}); the log writes to the new one", file,
                    e.getMessage());
        }
        try {
            syncName();
        } catch (IOException e) {
            // The scrub is done: the log the node reads and writes is the rewrite. Only its name may not
            // survive a power loss yet, so the next group syncs the directory before it is acknowledged.
            nameUnsynced = true;
            LOG.error("The ingest log {} was scrubbed, but its directory could not be synced after the rewrite took the log's"
                    + " name ({}); no batch is acknowledged until it is", file, e.getMessage());
        }
        return new Scrubbed(rewritten[0], size, end);
    }

    /** Where a scrub writes the log's rewrite before it moves it over the log. */
    private static Path scrubbing(Path file) {
        return file.resolveSibling(file.getFileName() + ".scrubbing");
    }

    private static void copy(FileChannel from, long position, long count, FileChannel to) throws IOException {
        long done = 0;
        while (done < count) {
            done += from.transferTo(position + done, count - done, to);
        }
    }

    /** The arrival of the oldest record that still holds raw ids, or empty when every record is scrubbed. */
    public java.util.OptionalLong oldestRawEpochMillis() {
        long o = oldestRawEpochMillis;
        return o == Long.MAX_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(o);
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        Pending[] task = new Pending[1];
        try {
            writeLoop(group, task);
        } catch (Throwable e) {
            // An Error, or anything thrown while handling a failure (out of memory while saying why, say).
            stop(e, group, task[0]);
        }
    }

    /** The writer thread's loop; {@code task[0]} is the task it runs, if any, so a stop answers its caller too. */
    private void writeLoop(List<Pending> group, Pending[] task) {
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    if ((writeFailure != null || owedBytes > 0) && !closed
                            && System.nanoTime() - triedNanos >= probeMillis * 1_000_000) {
                        probe();
                    }
                    continue;
                }
                if (first.task() != null) {
                    task[0] = first;
                    first.task().run();
                    task[0] = null;
                    continue;
                }
                group.add(first);
                long bytes = first.record().remaining();
                Pending next;
                while (bytes < GROUP_BYTES && (next = queue.peek()) != null && next.task() == null) {
                    group.add(queue.poll());
                    bytes += next.record().remaining();
                }
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                writeFailure = e;
                triedNanos = System.nanoTime();
                failedBytes = 0;
                for (Pending p : group) {
                    failedBytes += p.record().limit();
                    p.done().completeExceptionally(e);
                }
                LOG.error("The ingest log {} met an unexpected error; the batches waiting on it are refused,"
                        + " and it is failing until a write succeeds again", file, e);
            }
            group.clear();
        }
    }

    /**
     * The writer thread met an error it cannot go on from: the log stops for good, and the group it
     * met, the task it ran, everything waiting and every later append are refused at once. It may
     * have stopped for want of memory, so the refusal was made at open, each future is answered on
     * its own, and saying so in the node's log comes last: whatever this meets, no caller is left
     * waiting for a writer that is gone.
     */
    private void stop(Throwable e, List<Pending> group, Pending task) {
        stopped = e;
        stopping.initCause(e);
        for (int i = 0; i < group.size(); i++) {
            refuse(group.get(i).done());
        }
        if (task != null) {
            refuse(task.waiting());
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            refuse(p.waiting());
        }
        try {
            LOG.error("The ingest log {} STOPPED: its writer thread met an error it cannot go on from. Ingest batches and"
                    + " one-click checkouts are refused with 503 until the node is started again; every batch"
                    + " acknowledged before is in the log", file, e);
        } catch (Throwable unsaid) {
            // Every caller is answered already; the log is as full as the heap.
        }
    }

    private void refuse(CompletableFuture<?> waiting) {
        try {
            waiting.completeExceptionally(stopping);
        } catch (Throwable again) {
            // One more try, once the failed allocation's memory is free again.
            waiting.completeExceptionally(stopping);
        }
    }

    /** Refuses everything waiting for a writer thread that has stopped. Any thread. */
    private void refuseWaiting() {
        List<Pending> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        WriterStopped refusal = new WriterStopped(stopped);
        waiting.forEach(p -> p.waiting().completeExceptionally(refusal));
    }

    private void write(List<Pending> group) {
        ByteBuffer[] buffers = new ByteBuffer[group.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = group.get(i).record();
        }
        boolean durable = false;
        long first = nextOrdinal;
        try {
            if (uncut && !cutBackTo()) {
                throw new IOException("the ingest log ends in bytes of a failed write that could not be cut off ("
                        + writeFailure.getMessage() + "); nothing is written after them until they are", writeFailure);
            }
            long start = end;
            channel.position(start);
            long remaining = 0;
            for (ByteBuffer b : buffers) {
                remaining += b.remaining();
            }
            long bytes = remaining;
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
            long before = System.nanoTime();
            channel.force(false);
            if (nameUnsynced) {
                syncName();
            }
            durable = true;
            end = start + bytes;
            nextOrdinal += group.size();
            syncNanos += System.nanoTime() - before;
            groups++;
            records += group.size();
            if (oldestRawEpochMillis == Long.MAX_VALUE) {
                for (Pending p : group) {
                    if ((p.record().getInt(0) & SCRUBBED) == 0) {
                        oldestRawEpochMillis = p.record().getLong(8);
                        break;
                    }
                }
            }
            // Writable again before anyone is told: a caller acknowledged must not then read the log failing.
            writable(bytes);
            acknowledge(group, first);
        } catch (IOException e) {
            long failedAt = System.currentTimeMillis();
            LOG.error("The ingest log {} could not be written; the batches waiting on it are refused", file, e);
            writeFailure = e;
            failedBytes = 0;
            for (ByteBuffer b : buffers) {
                failedBytes += b.limit();
            }
            owedBytes = Math.max(owedBytes, failedBytes);
            triedNanos = System.nanoTime();
            group.forEach(p -> p.done().completeExceptionally(new WriteFailed(e, failedAt)));
            cutBackTo();
        } catch (RuntimeException | Error e) {
            if (durable) {
                // On disk: each record is acknowledged with its ordinal, whatever came after the fsync.
                acknowledge(group, first);
            } else {
                // Not durable, so not acknowledged (the caller fails the group): nothing of it is kept.
                cutBackTo();
            }
            throw e;
        }
    }

    /** Completes each record of a durable group with its ordinal, the first's being {@code first}; once each. */
    private static void acknowledge(List<Pending> group, long first) {
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(first + i);
        }
    }

    /**
     * Tries whether the log can be written again, on the writer thread with no group waiting: as many
     * zeros past the end as the largest group that failed (of those it owes a write for, and the last),
     * synced, then cut off; the log's records and end are as they were either way. It writes {@link
     * #PROBE_FIRST_BYTES} first, synced and cut off, and only then more, eight times as many each step,
     * so a disk that fails every write is tried with little; a step past the first that fails (a disk with
     * room for a little, not for the group) is not tried again for {@link #PROBE_GROWTH_BACKOFF_MILLIS} ms, then twice
     * as long each time it fails, up to {@link #PROBE_GROWTH_BACKOFF_MAX_MILLIS}. Only a write as large as the
     * group says the log can be written again. A try that fails while batches are written (it owes a write
     * larger than theirs) leaves the log taking them.
     */
    private void probe() {
        try {
            tryFile();
        } finally {
            tries++;
        }
    }

    private void tryFile() {
        triedNanos = System.nanoTime();
        if (uncut && !cutBackTo()) {
            return;
        }
        long size = Math.max(HEADER, Math.max(owedBytes, writeFailure == null ? 0 : failedBytes));
        for (long step = Math.min(size, PROBE_FIRST_BYTES); ; step = Math.min(size, step * 8)) {
            boolean first = step == Math.min(size, PROBE_FIRST_BYTES);
            if (!first && System.nanoTime() - growAfterNanos < 0) {
                return;
            }
            try {
                zeros(step);
            } catch (IOException e) {
                if (writeFailure != null) {
                    writeFailure = e;
                }
                if (!first) {
                    growAfterNanos = System.nanoTime() + growthBackoffMillis * 1_000_000;
                    growthBackoffMillis = Math.min(growthBackoffMaxMillis, growthBackoffMillis * 2);
                }
                cutBackTo();
                return;
            }
            if (!cutBackTo()) {
                return;
            }
            if (step >= size) {
                writable(size);
                return;
            }
        }
    }

    /** Writes {@code size} zeros past the log's end, in chunks, and syncs them; the caller cuts them off. */
    private void zeros(long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, PROBE_CHUNK_BYTES));
        long at = end;
        while (at < end + size) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end + size - at));
            while (zeros.hasRemaining()) {
                at += channel.write(zeros, at);
            }
        }
        channel.force(false);
        if (nameUnsynced) {
            syncName();
        }
    }

    /** How many times the writer thread has tried the file ({@link #probe}) since the log was opened; each counts once done. */
    long tries() {
        return tries;
    }

    /** How long a try's growth past its first bytes waits after the next such step fails (ms); read after the writer's last write or try. */
    long growthBackoffMillis() {
        return growthBackoffMillis;
    }

    /** How often the writer thread tries the file while it fails ({@link #PROBE_MILLIS} unless opened with another interval). */
    long probeMillis() {
        return probeMillis;
    }

    /** The first and the longest wait of a try's growth ({@link #PROBE_GROWTH_BACKOFF_MILLIS}, {@link #PROBE_GROWTH_BACKOFF_MAX_MILLIS} by default). */
    long growthBackoffFirstMillis() {
        return growthBackoffFirstMillis;
    }

    long growthBackoffMaxMillis() {
        return growthBackoffMaxMillis;
    }

    /** Makes the log's name durable: syncs its directory. Writer thread. */
    private void syncName() throws IOException {
        directorySync.sync(file.toAbsolutePath().getParent());
        nameUnsynced = false;
    }

    /**
     * A write of {@code bytes} succeeded: the log is writable again, if it was not, and {@link #onWritableAgain} is told
     * when, once the write was as large as every group that failed on I/O since it was last told. Once nothing is owed
     * (a batch's write or a try), the next failure's tries grow again after the first wait, not the longest.
     */
    private void writable(long bytes) {
        if (writeFailure != null) {
            LOG.info("The ingest log {} can be written again", file);
            writeFailure = null;
        }
        if (owedBytes > 0 && bytes >= owedBytes) {
            owedBytes = 0;
            onWritableAgain.accept(System.currentTimeMillis());
        }
        if (owedBytes == 0) {
            growthBackoffMillis = growthBackoffFirstMillis;
            growAfterNanos = System.nanoTime();
        }
    }

    /** Told, on the writer thread, when a write or try as large as every group that failed on I/O since succeeds (epoch ms). */
    private volatile java.util.function.LongConsumer onWritableAgain = atMillis -> { };

    /**
     * Whom to tell, on the writer thread, when the log can be written again after a group failed on I/O (a batch's
     * write, or its own try while no batch comes, of at least as many bytes as every such group since it last told),
     * with when (epoch ms); set once, as the node starts.
     */
    public void onWritableAgain(java.util.function.LongConsumer listener) {
        this.onWritableAgain = listener;
    }

    /**
     * Why the ingest log cannot be written, as the last write or try found it (every {@link
     * #PROBE_MILLIS} ms while it fails): an I/O error, or an unexpected exception the writer thread
     * met; null while it can. Any thread.
     */
    public Exception writeFailure() {
        return writeFailure;
    }

    /**
     * The error that stopped the log for good: its writer thread met it (out of memory, say) and
     * takes no more records, so every append is refused at once until the node is started again;
     * null while it runs. Any thread.
     */
    public Throwable stopped() {
        return stopped;
    }

    /**
     * A group (or a try) that failed may have left part of itself past {@link #end}: cut it off, and
     * sync the cut, so later groups follow the last durable record. False when it could not be cut
     * off: the log fails then, and writes nothing, until a later group or try cuts it off.
     */
    private boolean cutBackTo() {
        try {
            channel.truncate(end);
            channel.force(false);
            channel.position(end);
            uncut = false;
            return true;
        } catch (IOException e) {
            if (!uncut) {
                LOG.error("The ingest log {} could not be cut back after a failed write; it takes no batch until it is", file, e);
            }
            writeFailure = e;
            uncut = true;
            return false;
        }
    }

    /** Time spent in fsync so far, in ns. */
    public long syncNanos() {
        return syncNanos;
    }

    public Path file() {
        return file;
    }

    /** Groups made durable so far (one fsync each), and the records in them. */
    public long groups() {
        return groups;
    }

    public long records() {
        return records;
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
