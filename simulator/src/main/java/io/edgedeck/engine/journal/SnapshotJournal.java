package io.edgedeck.engine.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's journal: the journal file after its newest snapshot, and the snapshots
 * (docs/JOURNAL.md, "Snapshots and compaction"). Opening it loads the newest snapshot that reads
 * back whole and replays only the records after it; a damaged snapshot is refused, logged and set
 * aside, and the one before it (or the whole journal) used instead. While the node runs it writes a
 * snapshot every so many records or minutes and then drops from the journal file the records the
 * snapshot before it covers: one snapshot back, so a newest snapshot found damaged never costs a
 * record.
 *
 * <p>Appends go to the journal file as {@link FileJournal} makes them; the engine thread appends and
 * snapshots.
 */
public final class SnapshotJournal implements Journal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotJournal.class);
    public static final String FILE = "journal.jsonl";

    /**
     * When to write a snapshot: after {@code everyRecords} records, or {@code every} of wall time
     * with at least one record, whichever comes first.
     */
    public record Policy(long everyRecords, Duration every) {
        public static final Policy DEFAULT = new Policy(10_000, Duration.ofMinutes(5));

        public Policy {
            if (everyRecords < 1) throw new IllegalArgumentException("a snapshot needs at least 1 record between, was " + everyRecords);
            if (every.isNegative() || every.isZero()) throw new IllegalArgumentException("the time between snapshots must be positive");
        }
    }

    /**
     * What opening found.
     *
     * @param snapshot     the snapshot the state was loaded from, or null when it came from the whole journal
     * @param tailRecords  journal records replayed after it
     * @param refused      snapshots refused as damaged, with why
     */
    public record Recovery(Snapshot snapshot, long tailRecords, List<String> refused) {
    }

    private final FileJournal file;
    private final SnapshotStore store;
    private final Policy policy;
    private final Recovery recovery;
    private List<JournalRecord> opened;
    /** The newest snapshot written or loaded, or null. */
    private Snapshot current;
    private long lastSnapshotNanos = System.nanoTime();
    private long snapshotsWritten;
    private long recordsDropped;

    private SnapshotJournal(FileJournal file, SnapshotStore store, Policy policy, Snapshot current, List<JournalRecord> opened,
                            Recovery recovery) {
        this.file = file;
        this.store = store;
        this.policy = policy;
        this.current = current;
        this.opened = opened;
        this.recovery = recovery;
    }

    /**
     * Opens the journal in {@code dir}: the newest whole snapshot and the journal records after it.
     * A torn last record is cut off the journal file and a damaged snapshot is set aside as
     * {@code .refused} ({@link #asideName}).
     *
     * @throws IOException when the journal is damaged, or starts after records no whole snapshot covers
     */
    public static SnapshotJournal open(Path dir, Policy policy) throws IOException {
        Files.createDirectories(dir);
        return read(dir).open(policy);
    }

    /**
     * A data directory's journal read and judged, nothing written yet: the records that rebuild the
     * state, and what {@link #open(Policy)} then recovers (a torn last record to cut, damaged snapshots
     * to set aside, what a crash left unfinished to remove). A start checks what it must here, and is
     * refused, before any of it is done; the journal is read once.
     */
    public static final class Found {
        private final Path dir;
        private final FileJournal.Read file;
        private final Restored restored;
        private final List<RefusedSnapshot> refused;

        private Found(Path dir, FileJournal.Read file, Restored restored, List<RefusedSnapshot> refused) {
            this.dir = dir;
            this.file = file;
            this.restored = restored;
            this.refused = refused;
        }

        /** The records that rebuild the state: the snapshot's, then the journal's after it. */
        public List<JournalRecord> records() {
            return restored.records();
        }

        /** The number the journal, once {@linkplain #open opened}, gives its next record. */
        public long nextSeq() {
            List<JournalRecord> inFile = file.records();
            return inFile.isEmpty() ? 1 : inFile.getFirst().seq() + inFile.size();
        }

        /**
         * Opens the journal as it was read: removes a snapshot or compaction a crash left unfinished, sets
         * each damaged snapshot aside as {@code .refused} ({@link SnapshotJournal#asideName}), cuts a torn
         * last record, and writes from there.
         */
        public SnapshotJournal open(Policy policy) throws IOException {
            SnapshotStore store = SnapshotStore.open(dir);
            for (RefusedSnapshot r : refused) {
                Path aside = asideName(r.file());
                // Never over one set aside before: that is evidence too.
                Files.move(r.file(), aside);
                LOG.error("Snapshot refused: {}; set aside as {}; {}", r.why(), aside, r.next());
            }
            FileJournal journal = FileJournal.open(dir.resolve(FILE), file);
            Snapshot used = restored.recovery().snapshot();
            if (used != null) {
                LOG.info("Journal {}: state from snapshot {} (records 1 to {}, {} entries) and the {} journal records after it",
                        journal.file(), store.fileOf(used.coversSeq()).getFileName(), used.coversSeq(), used.records().size(),
                        restored.recovery().tailRecords());
            }
            return new SnapshotJournal(journal, store, policy, used, restored.records(), restored.recovery());
        }
    }

    /** What a damaged snapshot's name is followed by once it is set aside: {@code snapshot-N.jsonl.refused}. */
    private static final String REFUSED = ".refused";
    private static final Pattern SET_ASIDE = Pattern.compile("(.+)" + Pattern.quote(REFUSED) + "(?:-\\d+)?");

    /**
     * The name {@code snapshot} is set aside under: {@code snapshot-N.jsonl.refused}, or, when one set
     * aside at an earlier start has that name, the first of {@code .refused-2}, {@code .refused-3}, ... not there.
     */
    static Path asideName(Path snapshot) {
        Path aside = snapshot.resolveSibling(snapshot.getFileName() + REFUSED);
        for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
            aside = snapshot.resolveSibling(snapshot.getFileName() + REFUSED + "-" + n);
        }
        return aside;
    }

    /**
     * The file {@code aside} was set aside from ({@code snapshot-N.jsonl} for {@code snapshot-N.jsonl.refused}
     * or {@code snapshot-N.jsonl.refused-2}), or null when its name is not one a file is set aside under.
     */
    public static Path setAsideFrom(Path aside) {
        Matcher m = SET_ASIDE.matcher(aside.getFileName().toString());
        return m.matches() ? aside.resolveSibling(m.group(1)) : null;
    }

    /** A snapshot refused as damaged, why, and what restoring does instead. */
    private record RefusedSnapshot(Path file, String why, String next) {
    }

    /**
     * Reads the journal in {@code dir} as {@link #open} restores it, writing nothing: nothing is
     * created, cut, renamed or removed until {@link Found#open} is called.
     *
     * @throws IOException when the journal is damaged, or starts after records no whole snapshot covers; each
     *                     snapshot refused on the way is logged, and left under its name
     */
    public static Found read(Path dir) throws IOException {
        Path journal = dir.resolve(FILE);
        FileJournal.Read read = FileJournal.readIfThere(journal);
        List<RefusedSnapshot> refused = new ArrayList<>();
        try {
            Restored restored = restore(SnapshotStore.files(dir), read.records(), journal,
                    (snapshot, why, next) -> refused.add(new RefusedSnapshot(snapshot, why, next)));
            return new Found(dir, read, restored, List.copyOf(refused));
        } catch (IOException e) {
            for (RefusedSnapshot r : refused) {
                LOG.error("Snapshot refused: {}; {} (left as it is)", r.why(), r.next());
            }
            throw e;
        }
    }

    /**
     * What a data directory's journal holds, read as {@link #open} would restore it but without
     * writing: nothing is created, cut, renamed or removed. A torn last record is left in the file
     * and reported ({@code torn}); a damaged snapshot is left under its name and reported in the
     * recovery's {@code refused}; a snapshot or compaction a crash left unfinished is left too.
     *
     * @param records the records that rebuild the state: the snapshot's, then the journal's after it
     * @param torn    the journal file's last record was torn (it is not among {@code records})
     * @param asideAs for each snapshot in the recovery's {@code refused}, in its order, the name a node's start
     *                would set it aside under now ({@code snapshot-N.jsonl.refused}, or {@code .refused-2}, ...)
     */
    public record ReadOnly(List<JournalRecord> records, Recovery recovery, boolean torn, List<Path> asideAs) {
    }

    /**
     * Reads the journal in {@code dir} for a command that only reads (a replay of a node's evidence).
     *
     * @throws java.nio.file.NoSuchFileException when the directory has no journal file
     * @throws IOException when the journal is damaged, or starts after records no whole snapshot covers
     */
    public static ReadOnly readOnly(Path dir) throws IOException {
        Path journal = dir.resolve(FILE);
        FileJournal.Read read = FileJournal.readOnly(journal);
        // A refused snapshot is only reported: the caller says so, and its file stays as it was found.
        List<Path> asideAs = new ArrayList<>();
        Restored restored = restore(SnapshotStore.files(dir), read.records(), journal,
                (refused, why, next) -> asideAs.add(asideName(refused)));
        return new ReadOnly(restored.records(), restored.recovery(), read.torn(), List.copyOf(asideAs));
    }

    /** What is done with a snapshot refused as damaged, and why it was. */
    @FunctionalInterface
    private interface Refusal {
        /** {@code next}: what restoring does instead, in words (the snapshot before it, the whole journal, or no start). */
        void refuse(Path snapshot, String why, String next) throws IOException;
    }

    /** The records that rebuild the state, and what restoring them found. */
    private record Restored(List<JournalRecord> records, Recovery recovery) {
    }

    /**
     * Restores the state from the newest snapshot in {@code snapshots} (newest first) that reads back
     * whole and that the journal's {@code fileRecords} continue, and the records after it.
     */
    private static Restored restore(List<Path> snapshots, List<JournalRecord> fileRecords, Path journal, Refusal refusal)
            throws IOException {
        long first = fileRecords.isEmpty() ? 1 : fileRecords.getFirst().seq();
        long last = first + fileRecords.size() - 1;
        List<String> refused = new ArrayList<>();
        Snapshot used = null;
        for (int i = 0; i < snapshots.size(); i++) {
            Path f = snapshots.get(i);
            try {
                Snapshot s = SnapshotStore.read(f);
                if (s.coversSeq() < first - 1 || s.coversSeq() > last) {
                    throw new SnapshotStore.DamagedSnapshotException(f + " covers records to " + s.coversSeq()
                            + ", which the journal (records " + first + " to " + last + ") does not continue");
                }
                used = s;
                break;
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage();
                refused.add(why);
                refusal.refuse(f, why, i + 1 < snapshots.size()
                        ? "trying the snapshot before it, " + snapshots.get(i + 1).getFileName()
                        : first > 1
                        ? "there is no snapshot before it, and the journal starts at record " + first
                                + ": the show cannot be restored without losing changes, and the node does not start"
                        : "there is no snapshot before it: restoring from the whole journal"
                                + (fileRecords.isEmpty() ? ", which holds no records" : " (records 1 to " + last + ")"));
            }
        }
        if (used == null && first > 1) {
            throw new IOException("the journal " + journal + " starts at record " + first
                    + " and no whole snapshot covers the records before it" + (refused.isEmpty() ? "" : " (refused: "
                    + String.join("; ", refused) + ")") + ": the data directory cannot be restored without losing changes");
        }
        long coversSeq = used == null ? 0 : used.coversSeq();
        List<JournalRecord> records = new ArrayList<>(used == null ? List.of() : used.records());
        List<JournalRecord> tail = fileRecords.stream().filter(r -> r.seq() > coversSeq).toList();
        records.addAll(tail);
        return new Restored(records, new Recovery(used, tail.size(), List.copyOf(refused)));
    }

    /** What opening found: the snapshot used, how many records were replayed after it, what was refused. */
    public Recovery recovery() {
        return recovery;
    }

    public FileJournal file() {
        return file;
    }

    public SnapshotStore store() {
        return store;
    }

    /** True when opening found and removed a torn last record. */
    public boolean tornTailRemoved() {
        return file.tornTailRemoved();
    }

    @Override
    public long nextSeq() {
        return file.nextSeq();
    }

    @Override
    public void append(JournalRecord record) {
        opened = null;
        file.append(record);
    }

    @Override
    public void appendAll(List<JournalRecord> records) {
        opened = null;
        file.appendAll(records);
    }

    @Override
    public void appendUnforced(JournalRecord record) {
        opened = null;
        file.appendUnforced(record);
    }

    @Override
    public void holdingWhenUnwritable(Runnable work) {
        file.holdingWhenUnwritable(work);
    }

    @Override
    public JournalCondition condition() {
        return file.condition();
    }

    @Override
    public long writableAgainMillis() {
        return file.writableAgainMillis();
    }

    /** The records that rebuild the state: the newest snapshot's, then the journal's after it. */
    @Override
    public List<JournalRecord> records() {
        if (opened != null) {
            return List.copyOf(opened);
        }
        Snapshot s = current;
        long coversSeq = s == null ? 0 : s.coversSeq();
        List<JournalRecord> all = new ArrayList<>(s == null ? List.of() : s.records());
        file.records().stream().filter(r -> r.seq() > coversSeq).forEach(all::add);
        return List.copyOf(all);
    }

    /** The snapshot the journal continues now, or null when it is whole from its first record. */
    public Snapshot snapshot() {
        return current;
    }

    public long snapshotsWritten() {
        return snapshotsWritten;
    }

    /** Records dropped from the journal file by compaction since it was opened. */
    public long recordsDropped() {
        return recordsDropped;
    }

    /**
     * Writes a snapshot when the policy says one is due and the journal is writable with nothing
     * held, then compacts. Engine thread, between ticks, when the core's state is that of the last
     * record. A snapshot or compaction that fails is logged and tried again later; the journal is
     * whole either way.
     *
     * @param checkouts the core's checkouts now
     * @return true when a snapshot was written
     */
    public boolean snapshotIfDue(Supplier<JournalRecord.CheckoutsState> checkouts) {
        long since = nextSeq() - 1 - (current == null ? 0 : current.coversSeq());
        boolean due = since >= policy.everyRecords()
                || since > 0 && System.nanoTime() - lastSnapshotNanos >= policy.every().toNanos();
        if (!due || !condition().writable() || condition().held() > 0) {
            return false;
        }
        try {
            snapshotNow(checkouts.get());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write a snapshot of {} ({}); the journal is whole, trying again later", file.file(), e.toString());
            lastSnapshotNanos = System.nanoTime();
            return false;
        }
    }

    /**
     * Writes a snapshot of the state as of the last record, then drops what the snapshot before it covers.
     * The journal is forced first: a snapshot covering a record written without a force, which a power
     * loss could then take from the journal, would read back as one the journal does not continue.
     */
    public Snapshot snapshotNow(JournalRecord.CheckoutsState checkouts) throws IOException {
        file.force();
        Snapshot before = current;
        long coversSeq = before == null ? 0 : before.coversSeq();
        List<JournalRecord> after = file.records().stream().filter(r -> r.seq() > coversSeq).toList();
        Snapshot next = Compaction.next(before, after, checkouts,
                System.currentTimeMillis() - KeyedRequest.REMEMBERED.toMillis());
        store.write(next);
        current = next;
        opened = null;
        snapshotsWritten++;
        lastSnapshotNanos = System.nanoTime();
        if (before != null) {
            recordsDropped += file.compactThrough(before.coversSeq());
            store.deleteOlderThan(before.coversSeq());
        }
        return next;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
