package io.edgedeck.simulator.server.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * An ingest log payload with the connector it came from: {@code @["KIND","NAME"]} and a line break
 * before the batch's events. A batch of the ingest API or an OFREP exposure has no such line (its
 * payload starts with {@code [} or <code>{</code>, past white space), so a restart counts each
 * record for the source that sent it. A line that cannot be read leaves the payload as it is.
 *
 * @param source  the connector's kind and name, or null
 * @param payload the events, as {@link IngestBatch#readLogged} reads them
 */
record Sourced(List<String> source, byte[] payload) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Sourced of(byte[] logged) {
        if (logged.length == 0 || logged[0] != '@') {
            return new Sourced(null, logged);
        }
        int end = 1;
        while (end < logged.length && logged[end] != '\n') {
            end++;
        }
        try {
            String[] named = JSON.readValue(logged, 1, end - 1, String[].class);
            if (named != null && named.length == 2 && named[0] != null && named[1] != null) {
                return new Sourced(List.of(named[0], named[1]), Arrays.copyOfRange(logged, Math.min(end + 1, logged.length),
                        logged.length));
            }
        } catch (java.io.IOException unreadable) {
            // Not a source line this node wrote: read as events, which refuses what is not.
        }
        return new Sourced(null, logged);
    }

    /** {@code events} as logged for {@code source} (kind and name), or as they are when it is null. */
    static byte[] write(List<String> source, byte[] events) {
        if (source == null) {
            return events;
        }
        try {
            return withLine('@', JSON.writeValueAsBytes(source), events);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings are always written as JSON", e);
        }
    }

    /** {@code events} after a line of {@code marker} and {@code line} (JSON), as the ingest log's payloads write one. */
    static byte[] withLine(char marker, byte[] line, byte[] events) {
        byte[] out = new byte[1 + line.length + 1 + events.length];
        out[0] = (byte) marker;
        System.arraycopy(line, 0, out, 1, line.length);
        out[1 + line.length] = '\n';
        System.arraycopy(events, 0, out, line.length + 2, events.length);
        return out;
    }
}
