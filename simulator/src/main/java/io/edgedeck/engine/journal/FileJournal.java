package io.edgedeck.engine.journal;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A journal on disk: one JSON object per line (docs/JOURNAL.md), appended and forced to the device
 * before {@link #append} returns, so an acknowledged change survives a crash.
 *
 * <p>Opening an existing file reads every complete record back. A last line that was cut short by
 * a crash (no newline, or not a whole JSON object) is a torn record: it is reported, cut off the
 * file, and everything before it is kept.
 */
public final class FileJournal implements Journal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path file;
    private final FileChannel channel;
    private final List<JournalRecord> records;
    private final boolean tornTailRemoved;

    private FileJournal(Path file, FileChannel channel, List<JournalRecord> records, boolean tornTailRemoved) {
        this.file = file;
        this.channel = channel;
        this.records = records;
        this.tornTailRemoved = tornTailRemoved;
    }

    /** Opens or creates a journal file, recovering what a crash left. */
    public static FileJournal open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        List<JournalRecord> records = new ArrayList<>();
        long goodBytes = 0;
        boolean torn = false;
        if (Files.exists(file)) {
            byte[] all = Files.readAllBytes(file);
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
                    if (indexOf(all, (byte) '\n', nl + 1) >= 0) {
                        throw new IOException("journal " + file + " is damaged at record " + (records.size() + 1)
                                + " (byte " + start + "), before its last record: " + e.getMessage().lines().findFirst().orElse(""), e);
                    }
                    torn = true;
                    break;
                }
                if (record.seq() != records.size() + 1L) {
                    throw new IOException("journal " + file + " has record " + record.seq() + " where "
                            + (records.size() + 1) + " belongs");
                }
                records.add(record);
                start = nl + 1;
                goodBytes = start;
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (torn) {
            LOG.warn("Journal {}: the last record was torn by a crash; kept the {} complete records before it", file, records.size());
            channel.truncate(goodBytes);
            channel.force(true);
        }
        channel.position(goodBytes);
        return new FileJournal(file, channel, records, torn);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
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
        return records.size() + 1L;
    }

    @Override
    public synchronized void append(JournalRecord record) {
        if (record.seq() != records.size() + 1L) {
            throw new IllegalArgumentException("journal record " + record.seq() + " out of order; expected " + (records.size() + 1));
        }
        try {
            byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to journal " + file, e);
        }
        records.add(record);
    }

    @Override
    public synchronized List<JournalRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
