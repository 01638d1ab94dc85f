package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceState;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.simulator.scenario.Surrogates;
import io.edgedeck.simulator.server.http.PeerValues;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.ingest.IngestEvent;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Takes one pushed batch of JSON records, whichever HTTP server received it: checks the header
 * secret, bounds the body before and after gzip, reads NDJSON (or one JSON array of objects), maps
 * each record to an observation with the connector's {@link RecordMapper}, hands every accepted
 * observation to the node in one {@link EventSink#accept} call, and says what happened in a
 * {@link PushResult}. A batch with bad records takes every good one and names the bad ones in a 200,
 * since the sender's retry of it would be refused the same way. Nothing is taken from a batch refused
 * whole (401, 413, 400 for a broken gzip stream or for a batch of which no record could be read, 503
 * when the node cannot take it), so the sender's retry loses and doubles nothing.
 *
 * <p>Thread-safe: each call runs on the HTTP server's worker thread that carries the request.
 */
public final class PushEndpoint {
    // No limit of the parser's own that would stop it inside a record within a record's bounds, where no next record
    // can be found: the body's size bounds a number's and a string's length, and nesting and field names are followed
    // far past a record's bounds (PeerValues.parserLimits). The first pass refuses a record past its bounds alone, named: a
    // number of more than 64 digits in a field the connector reads, before any is converted, a field name of
    // more than 50000 characters, objects and arrays nested deeper than 1000 levels.
    // Its factory is never parsed with: each batch is read by its own copy (PeerValues.namesOfOneRequest), so the
    // field names a peer sends are forgotten with its request; no name is interned.
    private static final JsonMapper JSON = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .disable(com.fasterxml.jackson.core.JsonFactory.Feature.INTERN_FIELD_NAMES)
                    .streamReadConstraints(PeerValues.parserLimits())
                    // A token it cannot read is named by its start and its size, as every refusal names a value.
                    .errorReportConfiguration(PeerValues.errorReports())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Each object remembers the names it was given more than once, which the tree alone would hide.
            .nodeFactory(new TwiceNoting())
            // Each fraction is read exactly first, so one too large for a double keeps its value (TwiceNoting).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // The body stream belongs to the HTTP server, which still reads it to its end.
            .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    /** Reads one element of an array at a time: the next element is not a trailing token. */
    private static final ObjectMapper ELEMENTS = JSON.rebuild().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(new TwiceNoting()).build();

    private final String secretHeader;
    private final Secret secret;
    private final PushLimits limits;
    private final EventSink sink;
    private final ConnectorCounters counters;
    /** The records refused lately, so a batch sent again counts its refusals once ({@link Batch#countRefusals}). */
    private final RecentKeys refusedLately;
    private final RecordMapper mapper;
    /** Whether the mapper reads the field at a dotted path, or one inside it or on its way. */
    private final java.util.function.Predicate<String> reads;

    /** The request headers as the HTTP server has them. */
    @FunctionalInterface
    public interface Headers {
        /** The first value of the header, matched without regard to case, or null. */
        String first(String name);
    }

    /** What one record becomes. */
    public sealed interface Outcome {
        /** An observation for the node. */
        record Event(IngestEvent event) implements Outcome {
        }

        /**
         * Refused and counted under {@code reason}; {@code field} is the record's field at fault (as the
         * sender named it, a dotted path for a nested one; {@code body} when the record as a whole is), and
         * {@code unknownPop} the PoP code when that is why.
         */
        record Refused(String reason, String field, String detail, String unknownPop) implements Outcome {
            public Refused(String reason, String field, String detail) {
                this(reason, field, detail, null);
            }
        }

        /**
         * An observation the sender gave no id: {@code named} makes it from the id the endpoint derives
         * once the whole batch is read, from the batch's records without an id and this one's place
         * among them ({@link Hashes#batchRecordId}). So identical records in one batch each count, and
         * the same batch sent again counts once.
         */
        record Unnamed(Function<String, IngestEvent> named) implements Outcome {
        }

        /** Not an observation but the sender checking the endpoint (Cloudflare's destination test upload). */
        record Check(String what) implements Outcome {
        }
    }

    /** Maps one JSON object to an outcome; called on the request's thread, must not block. */
    @FunctionalInterface
    public interface RecordMapper {
        Outcome map(JsonNode record);
    }

    /**
     * The refusal of a record that gives one of the fields a connector reads ({@code paths}, dotted for a
     * nested one) more than once, in the same object or in one on its way ({@code edge} twice, for
     * {@code edge.pop}); null when it gives each once. Which of the values was meant is not for the node to
     * guess (log shippers that add their own {@code time} beside the record's send both), so such a record
     * is refused alone, as the ingest API refuses an event that sends a field twice. A field the connector
     * does not read may come twice: it is skipped, as the ingest API skips fields it does not know.
     */
    public static Outcome.Refused givenTwice(JsonNode record, java.util.Collection<String> paths) {
        for (String path : paths) {
            String twice = path == null ? null : twiceOnPath(record, path);
            if (twice != null) {
                return new Outcome.Refused("duplicate-field", twice, twice + " is sent twice in the record; send each field once");
            }
        }
        return null;
    }

    /** The part of {@code path} that {@code record} gives twice, the way a connector reads it: a literal key first, then dotted. */
    private static String twiceOnPath(JsonNode record, String path) {
        if (!(record instanceof TwiceNoting.Fields top)) {
            return null;
        }
        if (top.twice(path)) {
            return path;
        }
        if (record.has(path) || path.indexOf('.') <= 0) {
            return null;
        }
        JsonNode node = record;
        StringBuilder at = new StringBuilder();
        for (String part : path.split("\\.")) {
            at.append(at.isEmpty() ? "" : ".").append(part);
            if (node instanceof TwiceNoting.Fields f && f.twice(part)) {
                return at.toString();
            }
            node = node == null ? null : node.get(part);
        }
        return null;
    }

    /** Makes objects that note each name given to them more than once (the last value is the one they hold). */
    private static final class TwiceNoting extends com.fasterxml.jackson.databind.node.JsonNodeFactory {
        /**
         * A fraction as a double, as a tree holds one by default; one too large for a double ({@code 1e400})
         * as its exact value, so a refusal names it as its sender wrote it ({@code 1E+400}), not as the
         * infinity a double would make of it.
         */
        @Override
        public com.fasterxml.jackson.databind.node.ValueNode numberNode(java.math.BigDecimal v) {
            double d = v.doubleValue();
            return Double.isInfinite(d) ? com.fasterxml.jackson.databind.node.DecimalNode.valueOf(v) : numberNode(d);
        }

        @Override
        public com.fasterxml.jackson.databind.node.ObjectNode objectNode() {
            return new Fields(this);
        }

        static final class Fields extends com.fasterxml.jackson.databind.node.ObjectNode {
            private java.util.Set<String> twice;

            Fields(com.fasterxml.jackson.databind.node.JsonNodeFactory factory) {
                super(factory);
            }

            @Override
            public JsonNode replace(String name, JsonNode value) {
                JsonNode before = super.replace(name, value);
                if (before != null) {
                    if (twice == null) {
                        twice = new java.util.HashSet<>();
                    }
                    twice.add(name);
                }
                return before;
            }

            boolean twice(String name) {
                return twice != null && twice.contains(name);
            }
        }
    }

    /** An endpoint whose mapper may read any field of a record. */
    public PushEndpoint(String secretHeader, Secret secret, PushLimits limits, EventSink sink, ConnectorCounters counters,
                        RecordMapper mapper) {
        this(secretHeader, secret, limits, sink, counters, mapper, null);
    }

    /**
     * {@code fields}: the dotted paths the mapper reads (null entries ignored), so a number of more than 64
     * digits there refuses its record, named, and one elsewhere is left unread, as the ingest API skips
     * fields it does not know; null for any field.
     */
    public PushEndpoint(String secretHeader, Secret secret, PushLimits limits, EventSink sink, ConnectorCounters counters,
                        RecordMapper mapper, java.util.Collection<String> fields) {
        this.secretHeader = secretHeader;
        this.secret = secret;
        this.limits = limits;
        this.sink = sink;
        this.counters = counters;
        this.refusedLately = new RecentKeys("The records " + counters.kind() + " " + counters.name() + " refused lately",
                io.edgedeck.engine.ingest.IngestLimits.DEFAULT.dedupeWindowMillis(), RecentKeys.CAPACITY);
        this.mapper = mapper;
        List<String> read = fields == null ? null : fields.stream().filter(java.util.Objects::nonNull).toList();
        this.reads = read == null ? path -> true : path -> read.stream().anyMatch(f -> path.equals(f)
                || path.startsWith(f + ".") || path.startsWith(f + "[") || f.startsWith(path + "."));
    }

    public String secretHeader() {
        return secretHeader;
    }

    /** Handles one batch; never throws for anything the sender did. */
    public PushResult handle(Headers headers, InputStream body) {
        String given = headers.first(secretHeader);
        if (!secret.matches(given)) {
            String reason = given == null ? "missing-secret" : "bad-secret";
            String detail = given == null ? "the request has no " + secretHeader + " header"
                    : "the " + secretHeader + " header does not carry this endpoint's secret";
            counters.error(reason, detail);
            return PushResult.refusedWhole(401, reason, "Not authorised", detail, secretHeader, null);
        }
        String length = headers.first("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limits.maxBodyBytes()) {
                    return tooLarge("body-too-large", "the body of " + length.trim() + " bytes is over the limit of "
                            + limits.maxBodyBytes() + " bytes");
                }
            } catch (NumberFormatException e) {
                counters.error("bad-request", "Content-Length is not a number: " + length);
                return PushResult.refusedWhole(400, "bad-request", "Bad request", "Content-Length is not a number", "Content-Length", null);
            }
        }
        String encoding = headers.first("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("gzip")
                && !encoding.trim().equalsIgnoreCase("identity")) {
            String detail = "Content-Encoding " + encoding.trim() + " is not supported: send gzip or no encoding";
            counters.error("unsupported-encoding", detail);
            return PushResult.refusedWhole(415, "unsupported-encoding", "Unsupported encoding", detail, "Content-Encoding", null);
        }
        Batch batch;
        try {
            InputStream decoded = decode(new Limited(body, limits.maxBodyBytes(), "body-too-large"),
                    encoding != null && encoding.trim().equalsIgnoreCase("gzip"));
            batch = read(decoded);
        } catch (LimitExceeded e) {
            return tooLarge(e.reason, e.getMessage());
        } catch (ZipException e) {
            String detail = "the body is not a valid gzip stream: " + e.getMessage();
            counters.error("bad-gzip", detail);
            return PushResult.refusedWhole(400, "bad-gzip", "Bad request", detail, "body", null);
        } catch (IOException e) {
            String detail = "the body could not be read to its end: " + e.getMessage();
            counters.error("unreadable-body", detail);
            return PushResult.refusedWhole(400, "unreadable-body", "Bad request", detail, "body", null);
        }
        if (batch.events.isEmpty()) {
            batch.refuseBreak(0, 0);
        }
        if (batch.events.isEmpty() && batch.check == null && batch.refused > 0 && batch.unreadable == batch.refused) {
            // Not one record could be read (none is a JSON object in UTF-8 text): a sender that looks only
            // at the status must hear of it, and nothing was taken.
            batch.countRefusals(counters, refusedLately);
            return batch.refusedWhole();
        }
        batch.nameUnnamed();
        int taken = 0;
        int duplicates = 0;
        if (!batch.events.isEmpty()) {
            EventSink.Taken outcome;
            try {
                outcome = sink.accept(batch.events);
            } catch (SinkRefusedException e) {
                counters.error("node-busy", e.getMessage());
                // The node may take the batch after all with no one to hear of it, and its sender may never send it
                // again: the records the mapper refused are counted now, and once however often it is sent again.
                batch.refuseBreak(-1, 0);
                batch.countRefusals(counters, refusedLately);
                return PushResult.refusedWhole(503, "node-busy", "Node busy", "the node did not take the batch: " + e.getMessage()
                        + "; send it again", null, e.retryAfterSeconds());
            }
            // What the core refused one by one is told to the sender, as the mapper's refusals are; the node's keyed path
            // counted it on this row, where it decided whether it was the first (the same record sent again counts once).
            for (EventSink.Refusal r : outcome.refused()) {
                batch.refuse(batch.lines.get(r.index()), new Outcome.Refused("refused-" + r.field(), r.field(), r.detail()));
                batch.countedByTheNode.merge("refused-" + r.field(), 1L, Long::sum);
            }
            // A record the node holds already (a retry, or an id twice in the batch) counts once: not here. The sender
            // hears of each as a duplicate; the row counts none resent because the node answered its first send late.
            duplicates = outcome.held();
            taken = outcome.counted(batch.events.size());
            counters.taken(batch.events.size(), outcome);
        }
        batch.refuseBreak(taken, duplicates);
        batch.countRefusals(counters, refusedLately);
        if (batch.check != null) {
            counters.state(SourceState.LISTENING, batch.check + " answered" + (counters.snapshot().lastEventMillis() > 0
                    ? "; logs have come" : "; no logs yet"));
        }
        return new PushResult(200, taken, duplicates, batch.refused, batch.byReason, batch.unknownPops, batch.problems,
                null, null);
    }

    private PushResult tooLarge(String reason, String detail) {
        counters.error(reason, detail);
        return PushResult.refusedWhole(413, reason, "Batch too large", detail + "; send smaller batches", "body", null);
    }

    private InputStream decode(InputStream raw, boolean saysGzip) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 2);
        byte[] magic = in.readNBytes(2);
        in.unread(magic);
        boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        if (saysGzip && !gzip && magic.length > 0) {
            throw new ZipException("Content-Encoding says gzip but the body does not start with the gzip magic bytes");
        }
        if (!gzip) {
            return in;
        }
        return new Limited(new GZIPInputStream(in, 8192), limits.maxDecompressedBytes(), "decompressed-too-large");
    }

    /**
     * Reads the body, whole (it is bounded by {@code maxDecompressedBytes}), past a UTF-8 byte order
     * mark: a JSON array of objects; or JSON objects one after another, one per line (NDJSON) or
     * pretty-printed over several; or, when that is not what the body holds, line by line, so a line
     * that is not JSON is refused alone and the rest taken.
     *
     * <p>Bytes that are not UTF-8 are found first, and each record is decoded on its own: a record
     * that holds any is refused alone ({@code not-utf8}, naming its field), and its neighbours are
     * read as sent. To read the records around them, the bytes are read as if each were {@code ?}
     * (they are all outside ASCII, so none is a quote, a brace or a line break, and the JSON's
     * shape is the same); no record that held one is taken.
     */
    private Batch read(InputStream decoded) throws IOException {
        byte[] body = decoded.readAllBytes();
        int start = body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf ? 3 : 0;
        int first = start;
        while (first < body.length && (body[first] == ' ' || body[first] == '\t' || body[first] == '\r' || body[first] == '\n')) {
            first++;
        }
        if (first == body.length) {
            return new Batch(null, body, start, new int[0]);
        }
        int[] invalid = Utf8.invalidBytes(body, start);
        byte[] readable = body;
        if (invalid.length > 0) {
            readable = body.clone();
            for (int at : invalid) {
                readable[at] = '?';
            }
        }
        JsonFactory json = PeerValues.namesOfOneRequest(JSON.getFactory());
        Batch batch = new Batch(json, body, start, invalid);
        InputStream in = new ByteArrayInputStream(readable, start, readable.length - start);
        if (readable[first] == '[') {
            readArray(json, readable, start, batch);
            return batch;
        }
        Batch objects = readObjects(json, readable, start, batch);
        if (objects != null) {
            return objects;
        }
        readLines(json, in, batch);
        return batch;
    }

    /**
     * The records when the body is JSON objects one after another (NDJSON, or objects spread over
     * several lines); null when it holds anything else. A first pass only tokenizes each record and
     * measures it, building nothing, so a record over {@code maxLineBytes} is never held whatever
     * its size; the second builds each record within the limit as it is read and takes it, so a
     * batch's records are never all in memory as trees at once. Should the second pass meet what the
     * first let by, nothing of it is kept and null is answered: the body is then read line by line,
     * as a body the first pass refuses is. {@code empty} is the batch to fill, still empty.
     */
    private Batch readObjects(JsonFactory json, byte[] body, int start, Batch empty) {
        Records records = new Records();
        try (JsonParser parser = json.createParser(body, start, body.length - start)) {
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                if (t != JsonToken.START_OBJECT) {
                    return null;
                }
                long from = parser.currentTokenLocation().getByteOffset();
                records.add(parser, start, parser.currentTokenLocation().getLineNr(), from, tooLongRead(parser));
            }
        } catch (IOException e) {
            return null;
        }
        Batch batch = empty.fresh();
        try (JsonParser parser = json.createParser(body, start, body.length - start)) {
            takeAll(parser, records, batch);
        } catch (IOException e) {
            return null;
        }
        return batch;
    }

    /**
     * The records of a body that is one JSON array, read as {@link #readObjects} reads objects one after
     * another: measured first, so an element over {@code maxLineBytes} is refused alone and never built,
     * then built and taken one at a time. An element that is not an object is refused alone; a break in
     * the array's JSON refuses the element it is in (or, between elements, the next one), and the elements
     * before it are taken: past it there is no telling where the next one starts.
     */
    private void readArray(JsonFactory json, byte[] body, int start, Batch batch) throws IOException {
        Records records = new Records();
        long index = 0;
        boolean inElement = false;
        String broken = null;
        try (JsonParser parser = json.createParser(body, start, body.length - start)) {
            parser.nextToken();
            for (JsonToken t = parser.nextToken(); t != null && t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                index++;
                inElement = true;
                long from = parser.currentTokenLocation().getByteOffset();
                records.add(parser, start, index, from, t == JsonToken.START_OBJECT ? tooLongRead(parser) : NOT_AN_OBJECT);
                inElement = false;
            }
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            broken = "it " + PeerValues.overParserLimit(e);
        } catch (JsonProcessingException e) {
            broken = PeerValues.readError(e.getOriginalMessage());
        }
        try (JsonParser parser = json.createParser(body, start, body.length - start)) {
            parser.nextToken();
            takeAll(parser, records, batch);
        }
        if (broken != null) {
            // Refused once the node has said what it took of the elements before it (Batch.refuseBreak).
            batch.breakAt = inElement ? index : index + 1;
            batch.breakDetail = "the JSON array breaks " + (inElement ? "in element " + index : "after element " + index) + ": " + broken;
        }
    }

    /** Marks an array element that is not a JSON object, in place of a value too long. */
    private static final String[] NOT_AN_OBJECT = new String[0];

    /** What the first pass learned of each record, building none: where it starts, its size, a value of it past the bounds. */
    private static final class Records {
        long[] froms = new long[16];
        long[] sizes = new long[16];
        long[] lines = new long[16];
        String[][] tooLong = new String[16][];
        int count;

        /**
         * The record that starts at {@code from} (in the parser's input, which starts at the body's {@code start}),
         * read to its end already when it is an object.
         */
        void add(JsonParser parser, int start, long line, long from, String[] problem) throws IOException {
            if (problem == NOT_AN_OBJECT) {
                parser.skipChildren();
            }
            if (count == sizes.length) {
                froms = java.util.Arrays.copyOf(froms, count * 2);
                sizes = java.util.Arrays.copyOf(sizes, count * 2);
                lines = java.util.Arrays.copyOf(lines, count * 2);
                tooLong = java.util.Arrays.copyOf(tooLong, count * 2);
            }
            lines[count] = line;
            froms[count] = start + from;
            tooLong[count] = problem;
            sizes[count++] = parser.currentLocation().getByteOffset() - from;
        }
    }

    /** The second pass: each record the parser comes to, in turn, built and taken, or refused as the first pass found it. */
    private void takeAll(JsonParser parser, Records records, Batch batch) throws IOException {
        parser.setCodec(ELEMENTS);
        for (int i = 0; i < records.count; i++) {
            parser.nextToken();
            long line = records.lines[i];
            if (records.tooLong[i] == NOT_AN_OBJECT) {
                parser.skipChildren();
                batch.refuse(line, new Outcome.Refused("malformed-line", "body", "array element " + line + " is not a JSON object"));
            } else if (records.sizes[i] > limits.maxLineBytes()) {
                // What made it so long, named when one value alone is past the bounds (a string of over 64 KiB).
                String[] longest = firstTooLong(parser, path -> true, true);
                // Any field's name or path, which may be as long as the record: named as a value is.
                String named = longest == null ? "body" : PeerValues.shown(longest[0]);
                batch.refuse(line, new Outcome.Refused("line-too-long", named,
                        "the record of " + records.sizes[i] + " bytes is over the limit of " + limits.maxLineBytes() + " bytes"
                                + (longest == null ? "" : "; " + named + " " + longest[1])));
            } else if (records.tooLong[i] != null) {
                parser.skipChildren();
                batch.refuse(line, tooLongRefusal(records.tooLong[i]));
            } else if (!batch.notUtf8(line, records.froms[i], records.froms[i] + records.sizes[i])) {
                batch.take(line, parser.readValueAsTree(), mapper);
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readLines(JsonFactory json, InputStream in, Batch batch) throws IOException {
        BoundedLineReader lines = new BoundedLineReader(in, limits.maxLineBytes());
        for (BoundedLineReader.Line line = lines.next(); line != null; line = lines.next()) {
            if (line.tooLong()) {
                batch.refuse(line.number(), new Outcome.Refused("line-too-long", "body",
                        "the line of " + line.length() + " bytes is over the limit of " + limits.maxLineBytes() + " bytes"));
                continue;
            }
            if (line.text().isBlank() || batch.notUtf8OnLine(line.number())) {
                continue;
            }
            JsonNode node;
            try {
                String[] tooLong = null;
                try (JsonParser parser = json.createParser(line.text())) {
                    if (parser.nextToken() == JsonToken.START_OBJECT) {
                        tooLong = tooLongRead(parser);
                    }
                }
                if (tooLong != null) {
                    batch.refuse(line.number(), tooLongRefusal(tooLong));
                    continue;
                }
                try (JsonParser parser = json.createParser(line.text())) {
                    JsonNode read = JSON.readTree(parser);
                    node = read == null ? JSON.getNodeFactory().missingNode() : read;
                }
            } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
                batch.refuse(line.number(), new Outcome.Refused("malformed-line", "body", "the line " + PeerValues.overParserLimit(e)));
                continue;
            } catch (JsonProcessingException e) {
                batch.refuse(line.number(), new Outcome.Refused("malformed-line", "body", "not JSON: " + PeerValues.readError(e.getOriginalMessage())));
                continue;
            }
            batch.take(line.number(), node, mapper);
        }
    }

    /** The first number of more than 64 digits in a field the connector reads, as {path, why}; null when none. */
    private String[] tooLongRead(JsonParser parser) throws IOException {
        return firstTooLong(parser, reads, false);
    }

    /** A record refused for {@link #firstTooLong}'s find: its field's name or path repeated as a value is, once. */
    private static Outcome.Refused tooLongRefusal(String[] tooLong) {
        String field = PeerValues.shown(tooLong[0]);
        return new Outcome.Refused("bad-value", field, field + " " + tooLong[1]);
    }

    /**
     * Reads the record the parser stands on (its START_OBJECT) to its end, building nothing, and answers the
     * first value past {@link PeerValues}' bounds whose path {@code where} accepts, as {path, why}; null when
     * none. The path is as sent, names of any length whole: the refusal repeats it as a value, once
     * ({@link PeerValues#shown}). Numbers are checked on their text, never converted; strings only when
     * {@code strings} (reading one's length reads it whole), for a record already refused for its size.
     */
    private static String[] firstTooLong(JsonParser parser, java.util.function.Predicate<String> where, boolean strings)
            throws IOException {
        com.fasterxml.jackson.core.JsonStreamContext root = parser.getParsingContext();
        String[] found = null;
        int depth = 0;
        JsonToken t = parser.currentToken();
        do {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
                if (found == null && depth > PeerValues.MAX_DEPTH) {
                    // Named by the record's field it is in: the path to where it passes the bound is 1000 levels long.
                    String field = String.valueOf(root.getCurrentName());
                    found = new String[] {field, PeerValues.beyond(parser, t, depth, PeerValues.MAX_DEPTH, "objects and arrays")};
                }
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            } else if (t == JsonToken.FIELD_NAME) {
                String why = found == null ? PeerValues.beyond(parser, t, depth, PeerValues.MAX_DEPTH, "objects and arrays") : null;
                if (why != null) {
                    com.fasterxml.jackson.core.JsonStreamContext in = parser.getParsingContext();
                    // The name itself at the record's top, else the object that holds it.
                    found = in == root ? new String[] {parser.currentName(), why}
                            : new String[] {path(in.getParent(), root), PeerValues.within(why)};
                }
            } else if (found == null && (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                    || strings && t == JsonToken.VALUE_STRING)) {
                String why = PeerValues.tooLong(parser, t);
                if (why != null) {
                    String path = path(parser.getParsingContext(), root);
                    if (where.test(path)) {
                        found = new String[] {path, why};
                    }
                }
            }
        } while (depth > 0 && (t = parser.nextToken()) != null);
        return found;
    }

    /** The dotted path of the value the parser stands on, from the record's own object ({@code root}): {@code edge.pop}, {@code emotes[2]}. */
    private static String path(com.fasterxml.jackson.core.JsonStreamContext at, com.fasterxml.jackson.core.JsonStreamContext root) {
        List<String> parts = new ArrayList<>();
        for (com.fasterxml.jackson.core.JsonStreamContext c = at; c != null; c = c.getParent()) {
            parts.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : String.valueOf(c.getCurrentName()));
            if (c == root) {
                break;
            }
        }
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            path.append(path.isEmpty() || part.startsWith("[") ? "" : ".").append(part);
        }
        return path.toString();
    }

    /** What one batch made so far. */
    private static final class Batch {
        /** Reasons for a record that could not be read at all: a batch of nothing else is refused whole. */
        private static final java.util.Set<String> UNREADABLE = java.util.Set.of("malformed-line", "not-utf8", "unpaired-surrogate");

        /** In the batch's order; null where a record without an id waits for {@link #nameUnnamed}. */
        final List<IngestEvent> events = new ArrayList<>();
        /** The line (or array element) each event came from, for a refusal of it. */
        final List<Long> lines = new ArrayList<>();
        final List<Integer> unnamedAt = new ArrayList<>();
        final List<Outcome.Unnamed> unnamed = new ArrayList<>();
        /** The text of the records without an id, one per line, in order. */
        MessageDigest unnamedText;
        final Map<String, Long> byReason = new LinkedHashMap<>();
        /** Of {@link #byReason}, the core's refusals, which the node's keyed path counts on the row: not counted here. */
        final Map<String, Long> countedByTheNode = new HashMap<>();
        final Map<String, String> lastDetail = new LinkedHashMap<>();
        final Map<String, Long> unknownPops = new TreeMap<>();
        final List<PushResult.LineProblem> problems = new ArrayList<>();
        /** Every refused record, in the order refused: each counted on the row once ({@link #countRefusals}). */
        final List<LineRefusal> refusals = new ArrayList<>();
        /** Where a JSON array breaks, so nothing after it was read (0: it does not), and the parser's words for it. */
        long breakAt;
        String breakDetail;
        long refused;
        /** Records refused for not being JSON objects in UTF-8 text. */
        long unreadable;
        /** Records refused for not being JSON objects: a body of nothing else is not JSON at all ({@code malformed-body}). */
        long malformed;
        String check;

        /** The request's own factory, to read a record again (PeerValues.namesOfOneRequest); null for a body of nothing. */
        final JsonFactory json;
        /** The body as sent (its bytes that are not UTF-8 included), where its text starts, and those bytes' offsets in order. */
        final byte[] body;
        final int start;
        final int[] invalid;
        /** For a body read line by line: each line holding bytes that are not UTF-8, with where it starts and the first. */
        private Map<Long, int[]> invalidLines;

        Batch(JsonFactory json, byte[] body, int start, int[] invalid) {
            this.json = json;
            this.body = body;
            this.start = start;
            this.invalid = invalid;
        }

        /** An empty batch over the same body. */
        Batch fresh() {
            return new Batch(json, body, start, invalid);
        }

        /**
         * When the record at {@code [from, to)} of the body holds bytes that are not UTF-8: refuses it
         * ({@code not-utf8}, naming the field and the first such byte) and answers true.
         */
        boolean notUtf8(long line, long from, long to) {
            int i = java.util.Arrays.binarySearch(invalid, (int) from);
            int at = i >= 0 ? i : -i - 1;
            if (at == invalid.length || invalid[at] >= to) {
                return false;
            }
            refuseNotUtf8(line, (int) from, invalid[at]);
            return true;
        }

        /** When line {@code number} of the body holds bytes that are not UTF-8: refuses it, as {@link #notUtf8}. */
        boolean notUtf8OnLine(long number) {
            if (invalid.length == 0) {
                return false;
            }
            if (invalidLines == null) {
                // One pass: the line of each such byte, where that line starts, and its first such byte.
                invalidLines = new java.util.HashMap<>();
                long line = 1;
                int lineStart = start;
                int next = start;
                for (int bad : invalid) {
                    for (; next < bad; next++) {
                        if (body[next] == '\n') {
                            line++;
                            lineStart = next + 1;
                        }
                    }
                    invalidLines.putIfAbsent(line, new int[] {lineStart, bad});
                }
            }
            int[] at = invalidLines.get(number);
            if (at == null) {
                return false;
            }
            refuseNotUtf8(number, at[0], at[1]);
            return true;
        }

        private void refuseNotUtf8(long line, int from, int bad) {
            String field = Utf8.fieldAt(json, body, from, bad);
            refuse(line, new Outcome.Refused("not-utf8", field, field + " is not UTF-8 (byte 0x"
                    + String.format("%02x", body[bad] & 0xff) + " at byte " + bad + " of the body)"));
        }

        void take(long line, JsonNode node, RecordMapper mapper) {
            if (!node.isObject()) {
                refuse(line, new Outcome.Refused("malformed-line", "body", "not a JSON object"));
                return;
            }
            Outcome.Refused unpaired = findUnpaired(node, "");
            if (unpaired != null) {
                // Half of a surrogate pair has no UTF-8 form: taken, two ids that differ only there would count as one.
                refuse(line, unpaired);
                return;
            }
            switch (mapper.map(node)) {
                case Outcome.Event e -> {
                    events.add(e.event());
                    lines.add(line);
                }
                case Outcome.Unnamed u -> {
                    if (unnamedText == null) {
                        unnamedText = Hashes.sha256Digest();
                    }
                    // A record's compact JSON has no line break, so the breaks keep the records apart.
                    unnamedText.update((node + "\n").getBytes(StandardCharsets.UTF_8));
                    unnamedAt.add(events.size());
                    unnamed.add(u);
                    events.add(null);
                    lines.add(line);
                }
                case Outcome.Refused r -> refuse(line, r);
                case Outcome.Check c -> check = c.what();
            }
        }

        /** The first text or field name of {@code node} holding half of a surrogate pair, as a refusal; null when none. */
        static Outcome.Refused findUnpaired(JsonNode node, String path) {
            if (node.isTextual()) {
                String problem = Surrogates.problem(node.textValue());
                String field = path.isEmpty() ? "body" : path;
                return problem == null ? null : new Outcome.Refused("unpaired-surrogate", field, field + " " + problem);
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    // A name holding half a pair is named with it written as its escape: the answer's text stays text.
                    String at = path.isEmpty() ? Surrogates.escaped(field.getKey()) : path + "." + Surrogates.escaped(field.getKey());
                    String problem = Surrogates.problem(field.getKey());
                    if (problem != null) {
                        return new Outcome.Refused("unpaired-surrogate", at, "the field name " + at + " " + problem);
                    }
                    Outcome.Refused inside = findUnpaired(field.getValue(), at);
                    if (inside != null) {
                        return inside;
                    }
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    Outcome.Refused inside = findUnpaired(node.get(i), path + "[" + i + "]");
                    if (inside != null) {
                        return inside;
                    }
                }
            }
            return null;
        }

        /** Gives each record without an id its id, now that every record of the batch is known. */
        void nameUnnamed() {
            if (unnamed.isEmpty()) {
                return;
            }
            byte[] batchDigest = unnamedText.digest();
            for (int i = 0; i < unnamed.size(); i++) {
                events.set(unnamedAt.get(i), unnamed.get(i).named().apply(Hashes.batchRecordId(batchDigest, i + 1)));
            }
        }

        /**
         * Refuses the element a JSON array breaks in, if it does, saying how many of the elements before it the node
         * took ({@code taken}, and {@code duplicates} it held already; {@code taken} below 0 when the node answered 503 for
         * them) and that nothing from it on was read.
         */
        void refuseBreak(int taken, int duplicates) {
            if (breakAt == 0) {
                return;
            }
            long before = breakAt - 1;
            long at = breakAt;
            breakAt = 0;
            refuse(at, new Outcome.Refused("malformed-line", "body", before == 0 ? breakDetail + "; nothing after it was read"
                    : taken < 0 ? breakDetail + "; the node answered 503 for the " + before + " element" + (before == 1 ? "" : "s")
                    + " before it, and the rest of the body was not read: send element " + at + " and those after it again"
                    : breakDetail + "; of the " + before + " element"
                    + (before == 1 ? "" : "s") + " before it, " + taken + (taken == 1 ? " was" : " were") + " taken"
                    + (duplicates > 0 ? " and " + duplicates + " held already" : "")
                    + "; the rest of the body was not read: send element " + at + " and those after it again"));
        }

        void refuse(long line, Outcome.Refused r) {
            refused++;
            if (UNREADABLE.contains(r.reason())) {
                unreadable++;
            }
            if (r.reason().equals("malformed-line")) {
                malformed++;
            }
            byReason.merge(r.reason(), 1L, Long::sum);
            lastDetail.put(r.reason(), "line " + line + ": " + r.detail());
            if (r.unknownPop() != null) {
                unknownPops.merge(r.unknownPop(), 1L, Long::sum);
            }
            refusals.add(new LineRefusal(line, r));
            // The first refused lines by line number: the core's refusals come after the mapper's, and take
            // their place among them.
            if (problems.size() < PushResult.MAX_LINE_PROBLEMS || line < problems.getLast().line()) {
                int at = problems.size();
                while (at > 0 && problems.get(at - 1).line() > line) {
                    at--;
                }
                problems.add(at, new PushResult.LineProblem(line, r.field(), r.reason(), r.detail()));
                if (problems.size() > PushResult.MAX_LINE_PROBLEMS) {
                    problems.removeLast();
                }
            }
        }

        /**
         * The answer to a batch of which no record could be read: 400, as {@code malformed-body} when no
         * record is JSON, else under the first unreadable record's reason and field; its lines listed.
         */
        PushResult refusedWhole() {
            PushResult.LineProblem first = problems.getFirst();
            if (malformed == refused) {
                return PushResult.unreadable("malformed-body", "no record of the batch is a JSON object (line "
                        + first.line() + ": " + first.detail() + "); send NDJSON, JSON objects one after another, or a JSON array"
                        + " of objects", "body", problems);
            }
            PushResult.LineProblem named = problems.stream().filter(p -> !p.reason().equals("malformed-line")).findFirst().orElse(first);
            return PushResult.unreadable(named.reason(), "line " + named.line() + ": " + named.detail()
                    + "; no record of the batch could be read, so nothing of it was taken", named.field(), problems);
        }

        /**
         * Counts the batch's refusals on the row, but for the core's (its keyed path counted them): each refused record
         * once within the dedupe window, known by the batch's text, its line and the fault, as {@code seen} holds them,
         * so the same batch sent again (a sender's retry of a batch it was answered 200 for, or whose answer it lost)
         * counts its bad records once, as the core counts the records it refuses. Its unknown PoP codes so too.
         */
        void countRefusals(ConnectorCounters counters, RecentKeys seen) {
            String batchKey = null;
            Map<String, Long> first = new LinkedHashMap<>();
            Map<String, String> newest = new HashMap<>();
            Map<String, Long> pops = new TreeMap<>();
            for (LineRefusal l : refusals) {
                if (countedByTheNode.containsKey(l.refused().reason())) {
                    continue;
                }
                if (batchKey == null) {
                    batchKey = java.util.Base64.getEncoder().encodeToString(Hashes.sha256(body));
                }
                if (!seen.firstSince(batchKey + "\n" + l.line() + "\n" + l.refused().reason() + "\n" + l.refused().field())) {
                    continue;
                }
                first.merge(l.refused().reason(), 1L, Long::sum);
                newest.put(l.refused().reason(), "line " + l.line() + ": " + l.refused().detail());
                if (l.refused().unknownPop() != null) {
                    pops.merge(l.refused().unknownPop(), 1L, Long::sum);
                }
            }
            first.forEach((reason, n) -> counters.error(reason, newest.get(reason), n));
            pops.forEach(counters::unknownPop);
        }
    }

    /** A refused record of a batch: its line (or array element) and why. */
    private record LineRefusal(long line, Outcome.Refused refused) {
    }

    /** Thrown when a stream passes its byte limit. */
    static final class LimitExceeded extends IOException {
        final String reason;

        LimitExceeded(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    /** Counts the bytes read through it and fails past a limit, before the excess is held anywhere. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private final String reason;
        private long count;

        Limited(InputStream in, long max, String reason) {
            super(in);
            this.max = max;
            this.reason = reason;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws LimitExceeded {
            count += n;
            if (count > max) {
                throw new LimitExceeded(reason, ("decompressed-too-large".equals(reason) ? "the body unpacks to more than "
                        : "the body is over the limit of ") + max + " bytes");
            }
        }
    }
}
