package io.edgedeck.simulator.fleet;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * The headers every fleet record carries, so a consumer can drop a duplicate without parsing the
 * value: the node that published it, that node's publish sequence number, and the value's schema.
 * Values are UTF-8 text ({@code ed-seq} in decimal), readable with any Kafka tool.
 */
public final class FleetHeaders {

    public static final String NODE = "ed-node";
    public static final String SEQ = "ed-seq";
    public static final String SCHEMA = "ed-schema";

    private FleetHeaders() {
    }

    public static void put(Headers headers, String node, long seq, String schema) {
        headers.add(NODE, node.getBytes(StandardCharsets.UTF_8));
        headers.add(SEQ, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        headers.add(SCHEMA, schema.getBytes(StandardCharsets.UTF_8));
    }

    /** The header's text, or null when absent. */
    public static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The sequence number, or -1 when absent or not a number. */
    public static long seq(Headers headers) {
        String s = text(headers, SEQ);
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
