package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which of a fleet node's ingest log records its spool already covers (file {@code mark.json} in
 * the node's fleet directory): the mark reached by the last flush, and the one a flush was about to
 * reach with the spool sequence number it ends at. On start, if the spool got that far the flush
 * landed and its mark holds, otherwise the one before; so a kill at any point of a flush neither
 * loses a record's observations nor spools them twice. The spool appends a flush's aggregates in
 * one forced write; a crash of the machine (not the process) in that write can keep part of it, and
 * that part is then spooled again and counted twice.
 *
 * <p>Written whole to a temporary file, forced, and moved over the old one. Not thread-safe: the
 * fleet node's flusher writes it.
 */
final class FleetMark {

    /**
     * A set of ingest log ordinals: every one below {@code prefix}, and those in {@code extra}
     * (applied out of order, above the prefix). Records are applied nearly in log order, so
     * {@code extra} stays a handful.
     */
    static final class Applied {
        private long prefix;
        private final TreeSet<Long> extra;

        Applied(long prefix, TreeSet<Long> extra) {
            this.prefix = prefix;
            this.extra = extra;
        }

        Applied(Applied other) {
            this(other.prefix, new TreeSet<>(other.extra));
        }

        static Applied none() {
            return new Applied(0, new TreeSet<>());
        }

        /** Every number up to {@code last}: a journal mark, whose records are spooled in order. */
        static Applied upTo(long last) {
            return new Applied(last + 1, new TreeSet<>());
        }

        /** The first number not covered, past any out of order. */
        long next() {
            return extra.isEmpty() ? prefix : extra.last() + 1;
        }

        void add(long ordinal) {
            if (ordinal < prefix) {
                return;
            }
            extra.add(ordinal);
            while (extra.remove(prefix)) {
                prefix++;
            }
        }

        boolean covers(long ordinal) {
            return ordinal < prefix || extra.contains(ordinal);
        }

        Applied copy() {
            return new Applied(this);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Applied a && a.prefix == prefix && a.extra.equals(extra);
        }

        @Override
        public int hashCode() {
            return Objects.hash(prefix, extra);
        }

        ObjectNode json() {
            ObjectNode n = FleetJson.MAPPER.createObjectNode().put("prefix", prefix);
            ArrayNode a = n.putArray("extra");
            extra.forEach(a::add);
            return n;
        }

        static Applied of(JsonNode n) {
            if (n == null || !n.path("prefix").canConvertToLong()) {
                throw new IllegalArgumentException("a mark needs a prefix");
            }
            TreeSet<Long> extra = new TreeSet<>();
            n.path("extra").forEach(e -> extra.add(e.asLong()));
            return new Applied(n.get("prefix").asLong(), extra);
        }
    }

    private final Path file;
    private Applied committed = Applied.none();

    FleetMark(Path file) {
        this.file = file;
    }

    /**
     * Reads the file: the ingest log records the spool covers, given the spool's last sequence
     * number now. No file: none (a node that never flushed).
     *
     * @throws IOException when the file is there and cannot be read: the node does not start rather
     *                     than count its observations twice
     */
    Applied covered(long spoolLastSeq) throws IOException {
        if (!Files.exists(file)) {
            committed = Applied.none();
            return committed.copy();
        }
        try {
            JsonNode n = FleetJson.MAPPER.readTree(Files.readAllBytes(file));
            committed = Applied.of(n.get("committed"));
            JsonNode pending = n.get("pending");
            if (pending != null && !pending.isNull() && spoolLastSeq >= n.path("endsAt").asLong(Long.MAX_VALUE)) {
                committed = Applied.of(pending);
            }
            return committed.copy();
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("the fleet mark " + file + " cannot be read (" + e.getMessage()
                    + "); it says which observations this node already published", e);
        }
    }

    /** The mark the last flush reached. */
    Applied committed() {
        return committed;
    }

    /** Before a flush spools: the mark it reaches once the spool ends at {@code endsAt}. */
    void writePending(Applied reached, long endsAt) throws IOException {
        ObjectNode n = FleetJson.MAPPER.createObjectNode();
        n.set("committed", committed.json());
        n.set("pending", reached.json());
        n.put("endsAt", endsAt);
        write(n);
    }

    /** After the flush spooled. */
    void commit(Applied reached) throws IOException {
        ObjectNode n = FleetJson.MAPPER.createObjectNode();
        n.set("committed", reached.json());
        write(n);
        committed = reached.copy();
    }

    private void write(ObjectNode n) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(FleetJson.bytes(n));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        SpoolFormat.forceDirectory(file.getParent());
    }
}
