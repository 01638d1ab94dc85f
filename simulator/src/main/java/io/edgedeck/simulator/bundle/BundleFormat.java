package io.edgedeck.simulator.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.model.PopHistory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bundle's layout and its per-PoP CSV: one line per history row, latencies in ms to the µs
 * (the engine's resolution), heatmap counts in the {@code h*} columns. CSV so a ticket's reader can
 * open it in a spreadsheet; the manifest carries the bucket edges exactly.
 */
public final class BundleFormat {
    static final int VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String README = "README.txt";
    static final String EVENTS = "events.json";
    public static final String AUDIT = "audit.json";
    public static final String FLAGS = "flags.json";
    static final String FRAME = "frame.json";
    public static final String GUARDRAILS = "guardrails.json";
    public static final String SOURCES = "sources.json";
    public static final String HEALTH = "health.json";
    public static final String NODE = "node.json";
    public static final String CONNECTION_LOG = "connection-log.json";
    /** The node's state beside the show's, each a file of its own, with what it holds, in the order they are listed. */
    static final java.util.SequencedMap<String, String> DIAGNOSTICS = diagnostics();
    static final String HISTORY_DIR = "history/";
    static final String SNAPSHOT_DIR = "snapshots/";

    /** No entry of a real bundle comes near this: 24 h of per-second rows for one PoP is about 20 MB. */
    static final long MAX_ENTRY_BYTES = 64L * 1024 * 1024;
    static final long MAX_TOTAL_BYTES = 512L * 1024 * 1024;
    static final int MAX_ENTRIES = 4096;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final List<String> FIXED_COLUMNS = List.of("start_second", "resolution_seconds", "requests", "lost",
            "p5_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms", "jitter_ms");

    private BundleFormat() {
    }

    private static java.util.SequencedMap<String, String> diagnostics() {
        java.util.LinkedHashMap<String, String> d = new java.util.LinkedHashMap<>();
        d.put(GUARDRAILS, "guardrails: each rule, armed or not, its state, last decision and the evidence behind it, and every firing");
        d.put(SOURCES, "sources: which connectors feed the node, and their health (events, last event, errors)");
        d.put(HEALTH, "the node's GET /healthz answer: HTTP status and body");
        d.put(NODE, "which build the node runs: its GET /api/v1/node answer (version, commit, started at, mode)");
        d.put(CONNECTION_LOG, "what the console saw of the connection this session: disconnects, reconnects, node restarts");
        return java.util.Collections.unmodifiableSequencedMap(d);
    }

    public static String historyEntry(String pop) {
        return HISTORY_DIR + pop + ".csv";
    }

    static String header(double[] edges) {
        StringBuilder b = new StringBuilder(String.join(",", FIXED_COLUMNS));
        for (int k = 0; k + 1 < edges.length; k++) {
            b.append(String.format(Locale.ROOT, ",h%02d_%s-%sms", k, plain(edges[k]), plain(edges[k + 1])));
        }
        return b.toString();
    }

    static String toCsv(PopHistory h) {
        StringBuilder b = new StringBuilder(header(h.bucketEdgesMs())).append('\n');
        for (int i = 0; i < h.rows(); i++) {
            b.append(h.startSecond()[i]).append(',').append(h.resolutionSeconds()).append(',')
                    .append(h.requests()[i]).append(',').append(h.lost()[i]);
            for (double[] column : new double[][] {h.p5Ms(), h.p50Ms(), h.p95Ms(), h.p99Ms(), h.maxMs(), h.jitterMs()}) {
                b.append(',').append(Double.isNaN(column[i]) ? "" : micros(column[i]));
            }
            for (int k = 0; k < h.buckets(); k++) {
                b.append(',').append(h.heat(i, k));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String micros(double ms) {
        return BigDecimal.valueOf(Math.round(ms * 1000), 3).toPlainString();
    }

    private static String plain(double ms) {
        return BigDecimal.valueOf(ms).stripTrailingZeros().toPlainString();
    }

    /** Parses a history CSV; errors name the line and column, prefixed by {@code where}. */
    static PopHistory fromCsv(String pop, String text, double[] edges, String where) throws BundleException {
        String[] lines = text.split("\r?\n");
        String expected = header(edges);
        if (lines.length == 0 || !lines[0].equals(expected)) {
            throw new BundleException(where + ": the first line is not the expected header (" + FIXED_COLUMNS.size()
                    + " columns from start_second to jitter_ms, then " + (edges.length - 1) + " heatmap columns)");
        }
        int columns = FIXED_COLUMNS.size() + edges.length - 1;
        int buckets = edges.length - 1;
        List<String[]> rows = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] cells = lines[i].split(",", -1);
            if (cells.length != columns) {
                throw new BundleException(where + " line " + (i + 1) + ": expected " + columns + " columns, found " + cells.length);
            }
            rows.add(cells);
        }
        int n = rows.size();
        long[] start = new long[n];
        long[] requests = new long[n];
        long[] lost = new long[n];
        double[][] latency = new double[6][n];
        long[] heat = new long[n * buckets];
        int resolution = 1;
        for (int r = 0; r < n; r++) {
            String[] cells = rows.get(r);
            int line = r + 2;
            start[r] = whole(cells[0], line, 0, where);
            long res = whole(cells[1], line, 1, where);
            if (res < 1 || res > 86_400 || (r > 0 && res != resolution)) {
                throw new BundleException(where + " line " + line + ": resolution_seconds must be the same positive number on every line, was " + res);
            }
            resolution = (int) res;
            if (r > 0 && start[r] <= start[r - 1]) {
                throw new BundleException(where + " line " + line + ": start_second must increase from line to line");
            }
            requests[r] = whole(cells[2], line, 2, where);
            lost[r] = whole(cells[3], line, 3, where);
            for (int k = 0; k < 6; k++) {
                // An empty jitter cell is a row that served no request: no jitter was measured.
                latency[k][r] = k == 5 && cells[4 + k].isEmpty() ? Double.NaN : decimal(cells[4 + k], line, 4 + k, where);
            }
            for (int b = 0; b < buckets; b++) {
                heat[r * buckets + b] = whole(cells[FIXED_COLUMNS.size() + b], line, FIXED_COLUMNS.size() + b, where);
            }
        }
        return new PopHistory(pop, resolution, edges.clone(), start, requests, lost, latency[0], latency[1], latency[2],
                latency[3], latency[4], latency[5], heat);
    }

    private static String column(int index) {
        return index < FIXED_COLUMNS.size() ? FIXED_COLUMNS.get(index) : String.format(Locale.ROOT, "h%02d", index - FIXED_COLUMNS.size());
    }

    private static long whole(String cell, int line, int col, String where) throws BundleException {
        try {
            long v = Long.parseLong(cell);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BundleException(where + " line " + line + ", column " + column(col) + ": expected a whole number >= 0, found '" + cell + "'");
        }
    }

    private static double decimal(String cell, int line, int col, String where) throws BundleException {
        try {
            double v = Double.parseDouble(cell);
            if (!(v >= 0 && v < 1e9)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BundleException(where + " line " + line + ", column " + column(col) + ": expected milliseconds >= 0, found '" + cell + "'");
        }
    }
}
