package io.edgedeck.engine.journal;

import java.util.List;
import java.util.Objects;

/**
 * The journal of a rehearsal restarted on its data directory while it plays its show again from the
 * start: what the show makes again is already in the node's journal, so it is kept in memory, apart;
 * once the show has caught up with where the journal left it, {@link #attach} sends everything to the
 * node's journal, numbered after its last record, as a show that never stopped would have written it.
 */
public final class CatchUpJournal implements Journal {
    private volatile Journal target = new MemoryJournal();

    /** From now on every record goes to {@code journal}. Engine thread, once the show has caught up. */
    public void attach(Journal journal) {
        target = Objects.requireNonNull(journal, "journal");
    }

    @Override
    public long nextSeq() {
        return target.nextSeq();
    }

    @Override
    public void append(JournalRecord record) {
        target.append(record);
    }

    @Override
    public void appendAll(List<JournalRecord> records) {
        target.appendAll(records);
    }

    @Override
    public void appendUnforced(JournalRecord record) {
        target.appendUnforced(record);
    }

    @Override
    public void holdingWhenUnwritable(Runnable work) {
        target.holdingWhenUnwritable(work);
    }

    @Override
    public JournalCondition condition() {
        return target.condition();
    }

    @Override
    public long writableAgainMillis() {
        return target.writableAgainMillis();
    }

    @Override
    public List<JournalRecord> records() {
        return target.records();
    }

    /** {@code record} numbered {@code seq}, everything else as it was. */
    public static JournalRecord numbered(JournalRecord record, long seq) {
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) FileJournal.json(record);
        node.put("seq", seq);
        try {
            return FileJournal.JSON.treeToValue(node, JournalRecord.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a journal record did not read back as written: " + e.getOriginalMessage(), e);
        }
    }

    /** True when {@code a} and {@code b} say the same, whatever their numbers. */
    public static boolean sameButNumber(JournalRecord a, JournalRecord b) {
        return FileJournal.json(numbered(a, 0)).equals(FileJournal.json(numbered(b, 0)));
    }
}
