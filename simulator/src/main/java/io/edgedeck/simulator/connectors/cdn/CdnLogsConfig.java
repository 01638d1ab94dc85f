package io.edgedeck.simulator.connectors.cdn;

import io.edgedeck.simulator.connectors.PushLimits;
import io.edgedeck.simulator.connectors.Secret;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One CDN log endpoint in the node config. The node mounts it at {@code /connectors/cdn/{name}}
 * ({@link #path()}); the CDN pushes NDJSON (gzip or not) there with the secret in a header.
 *
 * <p>JSON (docs/CONNECTORS.md has every field):
 * <pre>{@code
 * {"name": "cloudflare", "format": "cloudflare", "secret": "file:/etc/edgedeck/cdn-secret",
 *  "pops": {"FRA": "fra", "CDG": "par", "IAD": "iad"}}
 * }</pre>
 *
 * @param name             unique among CDN endpoints; letters, digits, '-' and '_' (it is part of the path)
 * @param format           {@code cloudflare}, {@code fastly} or {@code custom}
 * @param secret           the shared secret the CDN sends in {@code secretHeader} (see {@link Secret})
 * @param secretHeader     the header that carries it; default {@code X-EdgeDeck-Secret}
 * @param pops             the CDN's PoP codes (matched without regard to case) to the node's PoP ids
 * @param fields           for {@code custom}, the whole mapping; for a preset, fields that replace the preset's
 * @param limits           batch size limits; defaults in {@link PushLimits}
 * @param fastlyServiceIds Fastly service ids whose SHA-256 the endpoint's challenge path answers with
 */
public record CdnLogsConfig(String name, String format, Secret secret, String secretHeader, Map<String, String> pops,
                            FieldMapping fields, PushLimits limits, List<String> fastlyServiceIds) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final String DEFAULT_SECRET_HEADER = "X-EdgeDeck-Secret";

    public CdnLogsConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '-' or '_', not " + quoted(name));
        }
        format = format == null ? "custom" : format.toLowerCase(Locale.ROOT);
        if (!List.of("cloudflare", "fastly", "custom").contains(format)) {
            throw new IllegalArgumentException("format must be cloudflare, fastly or custom, not " + quoted(format));
        }
        if (secret == null) {
            throw new IllegalArgumentException("secret is required: the CDN must send it in " + DEFAULT_SECRET_HEADER
                    + " (or secretHeader)");
        }
        secretHeader = secretHeader == null || secretHeader.isBlank() ? DEFAULT_SECRET_HEADER : secretHeader.trim();
        if (pops == null || pops.isEmpty()) {
            throw new IllegalArgumentException("pops must map at least one CDN PoP code to a node PoP id");
        }
        Map<String, String> upper = new TreeMap<>();
        pops.forEach((code, pop) -> {
            if (code == null || code.isBlank() || pop == null || pop.isBlank()) {
                throw new IllegalArgumentException("pops: every CDN code and node PoP id must be non-empty");
            }
            if (upper.put(code.trim().toUpperCase(Locale.ROOT), pop.trim()) != null) {
                throw new IllegalArgumentException("pops: the code " + code + " appears twice (codes match without regard to case)");
            }
        });
        pops = Map.copyOf(upper);
        FieldMapping base = switch (format) {
            case "cloudflare" -> FieldMapping.CLOUDFLARE;
            case "fastly" -> FieldMapping.FASTLY;
            default -> new FieldMapping(null, null, 1.0, null, null, null);
        };
        fields = base.overriddenBy(fields);
        if (fields.pop() == null || fields.latency() == null) {
            throw new IllegalArgumentException("fields.pop and fields.latency are required for a custom format");
        }
        if (fields.latencyScale() == null || !(fields.latencyScale() > 0) || fields.latencyScale().isInfinite()) {
            throw new IllegalArgumentException("fields.latencyScale must be a positive number, not " + fields.latencyScale());
        }
        limits = limits == null ? PushLimits.DEFAULT : limits;
        fastlyServiceIds = fastlyServiceIds == null ? List.of() : List.copyOf(fastlyServiceIds);
    }

    /** Where the node mounts this endpoint. */
    public String path() {
        return "/connectors/cdn/" + name;
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }
}
