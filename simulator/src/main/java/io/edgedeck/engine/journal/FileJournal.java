package io.edgedeck.engine.journal;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A journal on disk: one JSON object per line (docs/JOURNAL.md), appended and forced to the device
 * before {@link #append} returns, so an acknowledged change survives a crash.
 *
 * <p>Opening an existing file reads every complete record back. A last line that was cut short by
 * a crash (no newline, or not a whole JSON object) is a torn record: it is reported, cut off the
 * file, and everything before it is kept. A write that fails (a full disk) leaves no partial record
 * behind: the file is cut back to its last whole record at once, or before the next write if the
 * cut itself failed. Creating the file forces its directory too, so the file survives a crash.
 *
 * <p>A force that fails may leave the pages it did not write marked clean (Linux does, on an I/O
 * error), so a later force would not write them either: the records written without a force of their
 * own since the last forced write ({@link #appendUnforced}) are then cut off the file with the failed
 * write and wait in memory as held records do, to be written again, and forced, before any later
 * record. No record ever follows bytes whose contents on the device are unknown.
 *
 * <p>Records the show makes while the file cannot be written ({@link #holdingWhenUnwritable}) wait in
 * memory, in order, and are written before the next record; at most {@value #MAX_HELD} of them.
 *
 * <p>Over 350 lines, on purpose: one job, the durability of one file (append and force, torn and
 * partial records cut, held records); snapshots and compaction are {@link SnapshotJournal}'s.
 */
public final class FileJournal implements Journal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);
    /** Records of the show's own changes kept in memory while the file cannot be written. */
    public static final int MAX_HELD = 100_000;
    /**
     * Writes records as UTF-8 bytes itself, never through a Java string's encoding, which turns a lone
     * UTF-16 surrogate (a text cut in the middle of an emoji) into {@code ?}: a record would then read
     * back other than it was applied. A lone surrogate is written as its six-character JSON escape
     * and reads back as it was; a whole pair is written as the one UTF-8 character it is.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /** A record as this journal writes it, e.g. for a fleet's journal topic. */
    public static com.fasterxml.jackson.databind.JsonNode json(JournalRecord record) {
        return JSON.valueToTree(record);
    }

    private final Path file;
    private final UnaryOperator<FileChannel> channels;
    private final DirectorySyncer directories;
    /**
     * True while the name a compaction's rewrite took may not be durable, its directory sync having
     * failed: a power loss could bring the replaced file back without what was written since, so the
     * next write syncs the directory before it writes a byte.
     */
    private boolean nameUnsynced;
    private FileChannel channel;
    /** The records found when the file was opened, for the restore that follows; dropped at the first append. */
    private List<JournalRecord> opened;
    /** The first record's number: 1, or the first after those a compaction dropped. */
    private long firstSeq;
    /** Records from {@link #firstSeq} on, held ones included. */
    private long count;
    private final boolean tornTailRemoved;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** Records in {@link #held}. */
    private int heldRecords;
    /**
     * Bytes of the records in {@link #held}, kept as they come and go: a full disk's every append asks for room for all
     * of them, and adding them up each time made holding {@value #MAX_HELD} records take time of their number squared.
     */
    private long heldBytes;
    /** Bytes of whole records on disk: where the next record starts. */
    private long goodBytes;
    /** Bytes of whole records the journal has forced to the device, or found there when it was opened. */
    private long forcedBytes;
    /** The records written since {@link #forcedBytes} without a force of their own, in order, and their bytes. */
    private final List<JournalRecord> unforced = new ArrayList<>();
    private final java.io.ByteArrayOutputStream unforcedBytes = new java.io.ByteArrayOutputStream();
    /** A failed write left bytes past {@link #goodBytes} that could not be cut yet. */
    private boolean partialTail;
    /** Writes forced to the device since the file was opened; read by any thread. */
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    private boolean holding;
    private volatile JournalCondition condition = JournalCondition.WRITABLE;
    /**
     * The bytes of the largest write that failed since the journal was last {@linkplain #writableAgainMillis writable
     * again}, 0 when none.
     */
    private long owedBytes;
    private volatile long writableAgainMillis = Long.MIN_VALUE;

    private FileJournal(Path file, UnaryOperator<FileChannel> channels, DirectorySyncer directories, FileChannel channel,
                        List<JournalRecord> records, boolean tornTailRemoved, long goodBytes) {
        this.file = file;
        this.channels = channels;
        this.directories = directories;
        this.channel = channel;
        this.opened = records;
        this.firstSeq = records.isEmpty() ? 1 : records.getFirst().seq();
        this.count = records.size();
        this.tornTailRemoved = tornTailRemoved;
        this.goodBytes = goodBytes;
        this.forcedBytes = goodBytes;
    }

    /** Opens or creates a journal file, recovering what a crash left. */
    public static FileJournal open(Path file) throws IOException {
        return open(file, UnaryOperator.identity());
    }

    /** As {@link #open(Path)}, writing through {@code channels}' view of the file (tests put a failing disk there). */
    static FileJournal open(Path file, UnaryOperator<FileChannel> channels) throws IOException {
        return open(file, channels, DirectorySync::sync);
    }

    /** Syncs a directory: {@link DirectorySync#sync} (tests put a failing disk there). */
    @FunctionalInterface
    interface DirectorySyncer {
        void sync(Path dir) throws IOException;
    }

    /** As {@link #open(Path, UnaryOperator)}, syncing the journal's directory after a compaction with {@code directories}. */
    static FileJournal open(Path file, UnaryOperator<FileChannel> channels, DirectorySyncer directories) throws IOException {
        // Read before anything is recovered: a journal refused as damaged leaves what a crash left as it was.
        return open(file, readIfThere(file), channels, directories);
    }

    /**
     * Opens the journal file {@code read} holds as it was read ({@link #readIfThere}), without reading it
     * again, recovering what a crash left: a compaction it interrupted is removed, a torn last record cut.
     * The caller holds the data directory, so the file is as it was read.
     */
    public static FileJournal open(Path file, Read read) throws IOException {
        return open(file, read, UnaryOperator.identity(), DirectorySync::sync);
    }

    private static FileJournal open(Path file, Read read, UnaryOperator<FileChannel> channels, DirectorySyncer directories)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path unfinished = file.resolveSibling(file.getFileName() + COMPACTING);
        if (Files.deleteIfExists(unfinished)) {
            LOG.warn("Journal {}: removed {}, a compaction a crash interrupted; the journal itself is whole", file, unfinished);
        }
        List<JournalRecord> records = read.records();
        long goodBytes = read.goodBytes();
        boolean torn = read.torn();
        boolean created = !Files.exists(file);
        FileChannel channel = channels.apply(FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ), OwnerOnlyCreation.in(file.toAbsolutePath().getParent())));
        if (created) {
            forceDirectory(file);
        }
        if (torn) {
            LOG.warn("Journal {}: the last record was torn by a crash; kept the {} complete records before it", file, records.size());
            channel.truncate(goodBytes);
            channel.force(true);
        } else if (goodBytes > 0) {
            // A kill -9 leaves the records a node wrote without a force of their own (a late batch's tick) in the page
            // cache only: they reach the device before this start builds on them, as a forced record would.
            channel.force(false);
        }
        channel.position(goodBytes);
        return new FileJournal(file, channels, directories, channel, records, torn, goodBytes);
    }

    /** What a journal file holds: its whole records, where they end, and whether a torn one followed. */
    public record Read(List<JournalRecord> records, long goodBytes, boolean torn) {
    }

    /**
     * Reads a journal file without opening it for writing: nothing is created, a torn last record is
     * left where it is (and reported), for a command that only reads.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such file
     */
    public static Read readOnly(Path file) throws IOException {
        return read(file, Files.readAllBytes(file));
    }

    /** As {@link #readOnly}, a file that is not there read as a journal with no records (which opening creates). */
    public static Read readIfThere(Path file) throws IOException {
        return Files.exists(file) ? readOnly(file) : new Read(new ArrayList<>(), 0, false);
    }

    private static Read read(Path file, byte[] all) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        long goodBytes = 0;
        boolean torn = false;
        {
            int start = 0;
            while (start < all.length) {
                int nl = indexOf(all, (byte) '\n', start);
                if (nl < 0) {
                    torn = true;
                    break;
                }
                String line = new String(all, start, nl - start, StandardCharsets.UTF_8);
                JournalRecord record;
                try {
                    record = JSON.readValue(line, JournalRecord.class);
                } catch (IOException e) {
                    if (e instanceof com.fasterxml.jackson.databind.exc.InvalidTypeIdException unknown && unknown.getTypeId() != null) {
                        // a whole line naming a kind of record this version does not know: written by a later one, not torn
                        throw new IOException("journal " + file + " holds record " + (records.size() + 1) + " of a kind this"
                                + " version of EdgeDeck does not know ('" + unknown.getTypeId() + "'): it was written by a later"
                                + " version; start that version on it", e);
                    }
                    if (indexOf(all, (byte) '\n', nl + 1) >= 0) {
                        throw new IOException("the journal " + file + " is damaged at line " + (records.size() + 1)
                                + (records.isEmpty() ? "" : " (record " + (records.getFirst().seq() + records.size()) + ")")
                                + ", before its last line: " + LineProblem.of(e), e);
                    }
                    torn = true;
                    break;
                }
                // A compacted journal starts after the records its snapshots cover; from there on, no gaps.
                long expected = records.isEmpty() ? record.seq() : records.getFirst().seq() + records.size();
                if (record.seq() != expected || expected < 1) {
                    throw new IOException("journal " + file + " has record " + record.seq() + " where "
                            + expected + " belongs");
                }
                records.add(record);
                start = nl + 1;
                goodBytes = start;
            }
        }
        return new Read(records, goodBytes, torn);
    }

    /**
     * Forces the entries of {@code file}'s directory to the device, so a file just created or renamed
     * in it survives a crash ({@link DirectorySync}: a file system that refuses is warned of once).
     */
    public static void forceDirectory(Path file) throws IOException {
        DirectorySync.sync(file.toAbsolutePath().getParent());
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** One line of a journal or snapshot file: {@code value} as JSON in UTF-8 (see {@link #JSON}), then a line feed. */
    static byte[] line(Object value) throws IOException {
        byte[] json = JSON.writeValueAsBytes(value);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    /** True when opening found and removed a torn last record. */
    public boolean tornTailRemoved() {
        return tornTailRemoved;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized long nextSeq() {
        return firstSeq + count;
    }

    /** The first record the file holds: 1, or the first after those a compaction dropped. */
    public synchronized long firstSeq() {
        return firstSeq;
    }

    @Override
    public synchronized void append(JournalRecord record) {
        appendAll(List.of(record));
    }

    @Override
    public synchronized void appendAll(List<JournalRecord> records) {
        byte[][] lines = new byte[records.size()][];
        int total = 0;
        for (int i = 0; i < records.size(); i++) {
            JournalRecord record = records.get(i);
            if (record.seq() != nextSeq() + i) {
                throw new IllegalArgumentException("journal record " + record.seq() + " out of order; expected " + (nextSeq() + i));
            }
            try {
                lines[i] = line(record);
            } catch (IOException e) {
                throw new UncheckedIOException("could not encode journal record " + record.seq(), e);
            }
            total += lines[i].length;
        }
        if (records.isEmpty()) {
            return;
        }
        opened = null;
        ByteBuffer batch = ByteBuffer.allocate(total);
        for (byte[] line : lines) {
            batch.put(line);
        }
        try {
            if (!condition.writable()) {
                requireRoom(total);
            }
            writeHeld();
            write(batch.array(), true);
        } catch (IOException e) {
            owedBytes = Math.max(owedBytes, total);
            String said = said(e);
            String problem = failed(said);
            if (!holding) {
                condition = new JournalCondition(false, problem, heldRecords);
                // A failed force may have taken records written unforced before these off the file: they wait in memory.
                throw JournalUnavailableException.because(said, heldRecords, e);
            }
            if (heldRecords + records.size() > MAX_HELD) {
                condition = new JournalCondition(false, problem, heldRecords);
                throw JournalUnavailableException.because(said, heldRecords, e);
            }
            held.addLast(new Held(List.copyOf(records), batch.array()));
            heldRecords += records.size();
            heldBytes += total;
            count += records.size();
            condition = new JournalCondition(false, problem, heldRecords);
            return;
        }
        count += records.size();
        if (!condition.writable()) {
            LOG.info("Journal {} can be written again", file);
        }
        condition = JournalCondition.WRITABLE;
        paidFor(total);
    }

    /**
     * A write of {@code bytes} succeeded: the journal is {@linkplain #writableAgainMillis writable again} only once such a
     * write was as large as every one that failed since. A smaller one proves nothing for the larger: it may fit where
     * the larger did not (a full disk's or a quota's last block), and after an I/O error, a failed fsync or a file that
     * may not be changed, the device's free space says nothing of whether the larger would be written.
     */
    private void paidFor(long bytes) {
        if (owedBytes > 0 && bytes >= owedBytes) {
            owedBytes = 0;
            writableAgainMillis = System.currentTimeMillis();
        }
    }

    @Override
    public long writableAgainMillis() {
        return writableAgainMillis;
    }

    /**
     * Written after the last whole record and not forced: the next forced write makes it durable (one
     * that fails takes it off the file, held in memory to be written again).
     * Refused, and not held, while the journal cannot be written or holds records for it.
     */
    @Override
    public synchronized void appendUnforced(JournalRecord record) {
        if (record.seq() != nextSeq()) {
            throw new IllegalArgumentException("journal record " + record.seq() + " out of order; expected " + nextSeq());
        }
        if (!condition.writable() || !held.isEmpty()) {
            throw JournalUnavailableException.because(condition.problem(), heldRecords, null);
        }
        byte[] line;
        try {
            line = line(record);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode journal record " + record.seq(), e);
        }
        opened = null;
        try {
            write(line, false);
        } catch (IOException e) {
            owedBytes = Math.max(owedBytes, line.length);
            cutPartial();
            // the next forced write finds the journal's condition; this record is simply not kept
            throw JournalUnavailableException.because(said(e), 0, e);
        }
        unforced.add(record);
        unforcedBytes.writeBytes(line);
        count++;
    }

    /** After a failed write: cuts what it left, and says why it failed, logging it the first time. */
    private String failed(String said) {
        cutPartial();
        String problem = said == null ? "an I/O error that gave no reason" : said;
        if (condition.writable()) {
            LOG.warn("Journal {} cannot be written ({}): changes are refused until it can", file, problem);
        }
        return problem;
    }

    @Override
    public void holdingWhenUnwritable(Runnable work) {
        synchronized (this) {
            holding = true;
        }
        try {
            work.run();
        } finally {
            synchronized (this) {
                holding = false;
            }
        }
    }

    @Override
    public JournalCondition condition() {
        return condition;
    }

    /**
     * While the journal cannot be written for want of space, a write is tried again only once its
     * device reports room for it and what is held: a full disk can leave a few hundred bytes free in
     * the file's last block, and taking whichever change happens to be short enough to fit there would
     * make the node accept one change and refuse the next at random while it says it is read-only.
     * Any other cause (an I/O error) is tried again at once. The room is asked of the path itself
     * (statvfs), not of a mount table, which a container or another mount namespace may not show.
     */
    private void requireRoom(long bytes) throws IOException {
        String problem = condition.problem();
        if (!(problem.contains("No space left") || problem.contains("quota"))) {
            return;
        }
        if (file.toFile().getUsableSpace() < bytes + heldBytes) {
            throw new IOException(problem);
        }
    }

    /**
     * Writes the held changes in order, each in one write and one force as it was appended (the records
     * a failed force took off the file in one).
     */
    private void writeHeld() throws IOException {
        while (!held.isEmpty()) {
            write(held.peekFirst().bytes(), true);
            Held written = held.removeFirst();
            heldRecords -= written.records().size();
            heldBytes -= written.bytes().length;
        }
    }

    /**
     * Writes whole records after the last whole one, in one write, and forces them to the device when
     * {@code force} (with every record written unforced before them).
     */
    private void write(byte[] line, boolean force) throws IOException {
        if (nameUnsynced) {
            // Before any byte: a record written to a file whose name may not survive a power loss could come back
            // after one, though the change it holds was refused when this sync failed.
            syncName();
        }
        if (partialTail) {
            channel.truncate(goodBytes);
            partialTail = false;
        }
        ByteBuffer buffer = ByteBuffer.wrap(line);
        long at = goodBytes;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        if (force) {
            forceTo(at);
            writes.incrementAndGet();
        }
        goodBytes = at;
    }

    /**
     * Forces what is written up to {@code at}. When that fails, the records written unforced since the
     * last force may be on the device or not, and the system may never write them now: they are taken
     * off the file (the caller cuts it back to {@link #goodBytes}) and held, before any record held
     * already, to be written again from memory.
     */
    private void forceTo(long at) throws IOException {
        try {
            channel.force(false);
            forcedBytes = at;
        } catch (IOException e) {
            if (!unforced.isEmpty()) {
                Held taken = new Held(List.copyOf(unforced), unforcedBytes.toByteArray());
                held.addFirst(taken);
                heldRecords += unforced.size();
                heldBytes += taken.bytes().length;
            }
            goodBytes = forcedBytes;
            throw e;
        } finally {
            forgetUnforced();
        }
    }

    /** Everything written is forced, or held: no record is written without a force since the last one. */
    private void forgetUnforced() {
        unforced.clear();
        unforcedBytes.reset();
    }

    /**
     * Forces to the device the records written without a force ({@link #appendUnforced}) since the
     * last forced write, so that what is taken from the journal now (a snapshot of it) does not rest
     * on a record a power loss could take back. Does nothing when there are none. When the force
     * fails, those records wait in memory, as after any failed force, and the journal cannot be
     * written until its next write succeeds.
     */
    public synchronized void force() throws IOException {
        if (goodBytes > forcedBytes) {
            try {
                forceTo(goodBytes);
            } catch (IOException e) {
                condition = new JournalCondition(false, failed(said(e)), heldRecords);
                throw e;
            }
        }
    }

    /** How many bytes of whole records the journal has forced to the device: what a power loss now leaves of it. */
    public synchronized long forcedBytes() {
        return forcedBytes;
    }

    /**
     * How many writes, each forced to the device, the journal made since it was opened: a change's
     * records go in one, so this counts changes made durable rather than records.
     */
    public long writes() {
        return writes.get();
    }

    /** Cuts what a failed write left after the last whole record; if that fails too, before the next write. */
    private void cutPartial() {
        try {
            if (channel.size() > goodBytes) {
                channel.truncate(goodBytes);
            }
            partialTail = false;
        } catch (IOException e) {
            partialTail = true;
        }
    }

    /** Records of one change of the show's own, kept in memory while the file could not take them. */
    private record Held(List<JournalRecord> records, byte[] bytes) {
    }

    /** What the operating system said, e.g. "No space left on device"; null when it said nothing. */
    private static String said(IOException e) {
        String m = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        return m == null || m.isBlank() ? null : m.strip();
    }

    /**
     * Drops the records up to and including {@code seq} from the file, which a durable snapshot
     * covers: the records after them are written to a new file and forced; that file, opened as the
     * journal's channel before it takes the journal's name, is renamed over the journal, and then the
     * directory is synced. A crash at any point leaves either the old file or the new one, each whole;
     * a failure before the rename leaves the journal writing where it was, one after it leaves the
     * journal writing to the file that has its name (never to the one the rename replaced), and a
     * directory that could not be synced is synced by the next write before it counts as written.
     * Nothing is dropped while records wait in memory or a partial record could not be cut. The
     * records after {@code seq} keep their numbers.
     *
     * @return how many records were dropped
     * @throws IOException when the directory could not be synced after the rename (the compaction is done)
     *                     or a step before it failed (nothing is dropped)
     */
    public synchronized long compactThrough(long seq) throws IOException {
        long drop = Math.min(seq, nextSeq() - 1) - firstSeq + 1;
        if (drop <= 0 || !held.isEmpty() || partialTail) {
            return 0;
        }
        opened = null;
        byte[] all = readBack();
        int from = 0;
        for (long line = 0; line < drop; line++) {
            from = indexOf(all, (byte) '\n', from) + 1;
        }
        Path temp = file.resolveSibling(file.getFileName() + COMPACTING);
        FileChannel raw = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ), OwnerOnlyCreation.in(temp.toAbsolutePath().getParent()));
        FileChannel next = raw;
        long nextBytes = all.length - from;
        try {
            next = channels.apply(raw);
            ByteBuffer tail = ByteBuffer.wrap(all, from, all.length - from);
            long at = 0;
            while (tail.hasRemaining()) {
                at += next.write(tail, at);
            }
            next.force(true);
            next.position(nextBytes);
            CrashPoint.COMPACTION_WRITTEN.reach();
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            next.close();
            raw.close();
            Files.deleteIfExists(temp);
            throw e;
        }
        CrashPoint.COMPACTION_RENAMED.reach();
        // The rewrite has the journal's name: from here on the journal writes to it, whatever follows.
        FileChannel replaced = channel;
        channel = next;
        goodBytes = nextBytes;
        forcedBytes = nextBytes;
        // the rewrite was forced whole, records written unforced before it with the rest
        forgetUnforced();
        firstSeq += drop;
        count -= drop;
        try {
            replaced.close();
        } catch (IOException e) {
            LOG.warn("Journal {}: the file its compaction replaced could not be closed ({}); the journal writes to the new one",
                    file, e.getMessage());
        }
        try {
            syncName();
        } catch (IOException e) {
            nameUnsynced = true;
            LOG.error("Journal {} was compacted, but its directory could not be synced after the new file took the journal's"
                    + " name ({}); the next change syncs it before it counts as written", file, e.getMessage());
            throw e;
        }
        return drop;
    }

    /** Makes the journal's name durable: syncs its directory. */
    private void syncName() throws IOException {
        directories.sync(file.toAbsolutePath().getParent());
        nameUnsynced = false;
    }

    /** The name a compaction writes the journal's new file under before renaming it over the journal. */
    public static final String COMPACTING = ".compacting";

    /** The whole records on disk, as bytes. */
    private byte[] readBack() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(goodBytes));
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // read on until the whole records are in
        }
        return bytes.array();
    }

    @Override
    public synchronized List<JournalRecord> records() {
        if (opened != null) {
            return List.copyOf(opened);
        }
        // Read back from the file rather than kept: a node's journal does not grow in memory for its lifetime.
        List<JournalRecord> all = new ArrayList<>();
        try {
            all.addAll(read(file, readBack()).records());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the journal " + file + " back", e);
        }
        held.forEach(h -> all.addAll(h.records()));
        return List.copyOf(all);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
