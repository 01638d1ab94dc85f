package io.edgedeck.simulator.connectors.cdn;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.Hashes;
import io.edgedeck.simulator.connectors.PushConnector;
import io.edgedeck.simulator.connectors.PushEndpoint;
import io.edgedeck.simulator.connectors.Timestamps;
import io.edgedeck.simulator.server.http.PeerValues;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A CDN's pushed request logs as latency observations ({@code source: cdn}): Cloudflare Logpush's
 * HTTP destination, Fastly's HTTPS log streaming, or any CDN through a {@link FieldMapping}. Each
 * record becomes one {@link IngestEvent.Latency} at the node PoP its CDN PoP code maps to; a code the
 * mapping does not name is refused, counted per code and shown, never dropped silently.
 *
 * <p>Framework-neutral: the node's HTTP server calls {@link #handle} with the request's headers and
 * body for {@code POST} (or {@code PUT}, which Fastly may be told to use) at {@link CdnLogsConfig#path()},
 * and sends back the {@link io.edgedeck.simulator.connectors.PushResult}. Thread-safe; runs on the
 * server's request thread.
 */
public final class CdnLogEndpoint extends PushConnector {
    public static final String KIND = "cdn-logs";
    /** Where Fastly checks that the receiver wants its logs (RFC 8615), at the root of the node's host. */
    public static final String FASTLY_CHALLENGE_PATH = "/.well-known/fastly/logging/challenge";

    private final CdnLogsConfig config;

    public CdnLogEndpoint(CdnLogsConfig config, EventSink sink, InstantSource clock) {
        super(KIND, config.name(), config.path(), config.format() + " logs", config.secret(), config.secretHeader(),
                config.limits(), sink, clock, read(config.fields()));
        this.config = config;
    }

    public CdnLogsConfig config() {
        return config;
    }

    /**
     * The body Fastly's challenge expects at {@link #FASTLY_CHALLENGE_PATH}: the hex SHA-256 of each
     * configured service id, one per line. Null when no endpoint names a Fastly service.
     */
    public static String fastlyChallengeBody(List<CdnLogsConfig> endpoints) {
        StringBuilder body = new StringBuilder();
        for (CdnLogsConfig c : endpoints) {
            for (String serviceId : c.fastlyServiceIds()) {
                body.append(HexFormat.of().formatHex(Hashes.sha256(serviceId.trim().getBytes(StandardCharsets.UTF_8)))).append('\n');
            }
        }
        return body.isEmpty() ? null : body.toString();
    }

    @Override
    protected PushEndpoint.Outcome map(JsonNode record) {
        FieldMapping f = config.fields();
        PushEndpoint.Outcome.Refused twice = PushEndpoint.givenTwice(record, read(f));
        if (twice != null) {
            return twice;
        }
        JsonNode code = field(record, f.pop());
        if (code == null) {
            if (record.size() == 1 && record.has("content")) {
                return new PushEndpoint.Outcome.Check("the CDN's destination check");
            }
            return refused("missing-field", f.pop(), f.pop() + " is missing");
        }
        if (!code.isTextual() || code.asText().isBlank()) {
            return refused("bad-value", f.pop(), f.pop() + " is not a PoP code: " + PeerValues.shown(code));
        }
        String pop = config.pops().get(code.asText().trim().toUpperCase(Locale.ROOT));
        if (pop == null) {
            // Named and counted as shown: a code of 64 KiB is no CDN's, and is not repeated whole in the answer or on /metrics.
            String upper = PeerValues.shown(code.asText().trim().toUpperCase(Locale.ROOT));
            return new PushEndpoint.Outcome.Refused("unknown-pop", f.pop(), f.pop() + " " + upper
                    + " is not in this endpoint's pops mapping", upper);
        }
        JsonNode latency = field(record, f.latency());
        if (latency == null) {
            return refused("missing-field", f.latency(), f.latency() + " is missing");
        }
        double ms;
        if (latency.isNumber()) {
            ms = latency.asDouble() * f.latencyScale();
        } else if (latency.isTextual()) {
            try {
                ms = Double.parseDouble(latency.asText().trim()) * f.latencyScale();
            } catch (NumberFormatException e) {
                return refused("bad-value", f.latency(), f.latency() + " is not a number: " + PeerValues.shown(latency));
            }
        } else {
            return refused("bad-value", f.latency(), f.latency() + " is not a number: " + PeerValues.shown(latency));
        }
        if (Double.isInfinite(ms)) {
            return refused("bad-value", f.latency(), f.latency() + " is too large to be a latency: " + PeerValues.shown(latency));
        }
        if (!(ms >= 0)) {
            return refused("bad-value", f.latency(), f.latency() + " must be a latency of 0 or more, not " + PeerValues.shown(latency));
        }
        Integer status = null;
        JsonNode statusNode = f.status() == null ? null : field(record, f.status());
        if (statusNode != null) {
            // A whole number: 200.5 is no status, and not the 200 below it.
            int s = statusNode.isIntegralNumber() && statusNode.canConvertToInt() ? statusNode.asInt(-1) : -1;
            if (statusNode.isTextual()) {
                try {
                    s = Integer.parseInt(statusNode.asText().trim());
                } catch (NumberFormatException e) {
                    s = -1;
                }
            }
            if (s < 0 || s > 999) {
                return refused("bad-value", f.status(), f.status() + " is not an HTTP status: " + PeerValues.shown(statusNode));
            }
            status = s;
        }
        Long at = null;
        JsonNode time = f.timestamp() == null ? null : field(record, f.timestamp());
        // The timestamp is optional: a field left empty or "-" (a log line's placeholder) is none, not a bad time.
        if (time != null && !time.isNull() && !(time.isTextual() && (time.asText().isBlank() || time.asText().trim().equals("-")))) {
            try {
                at = Timestamps.epochMillis(time);
            } catch (IllegalArgumentException e) {
                return refused("bad-value", f.timestamp(), f.timestamp() + " is " + e.getMessage());
            }
        }
        Long start = at;
        Integer sent = status;
        Function<String, IngestEvent> observation = id -> new IngestEvent.Latency("cdn:" + config.name() + ":" + id, start, pop,
                ms, null, sent, "cdn");
        JsonNode idNode = f.id() == null ? null : field(record, f.id());
        if (idNode != null && !idNode.isTextual() && !idNode.isNumber()) {
            // An object, a list or true is no request id; read as none, the record would be taken under an id of the batch.
            return refused("bad-value", f.id(), f.id() + " is not a request id: " + PeerValues.shown(idNode));
        }
        if (idNode != null && !idNode.asText().isBlank()) {
            return new PushEndpoint.Outcome.Event(observation.apply(idNode.asText().trim()));
        }
        return new PushEndpoint.Outcome.Unnamed(observation);
    }

    /** The fields a record is read from, dotted; null for one the mapping leaves out. */
    private static List<String> read(FieldMapping f) {
        return java.util.Arrays.asList(f.pop(), f.latency(), f.status(), f.timestamp(), f.id());
    }

    private static PushEndpoint.Outcome refused(String reason, String field, String detail) {
        return new PushEndpoint.Outcome.Refused(reason, field, detail);
    }

    /** The node at a dotted path, or null when absent or JSON null. */
    static JsonNode field(JsonNode record, String path) {
        JsonNode node = record.get(path);
        if (node == null && path.indexOf('.') > 0) {
            node = record;
            for (String part : path.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
        }
        return node == null || node.isNull() ? null : node;
    }

}
