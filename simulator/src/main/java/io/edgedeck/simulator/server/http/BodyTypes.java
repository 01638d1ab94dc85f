package io.edgedeck.simulator.server.http;

import java.util.Locale;

/**
 * What a lane reads request bodies as, checked against the request's {@code Content-Type} before
 * the body is read ({@link Call#body}): a body sent as something else is a 415 naming what the lane
 * takes, and nothing of it is read. A type's parameters ({@code charset=utf-8}) are fine, and so is
 * any {@code application/*+json}; a charset other than UTF-8 is a 415 naming it, as the body is read
 * as UTF-8 whatever the header says. A body sent with no {@code Content-Type} is read as the lane's
 * JSON: a missing type names nothing wrong, and {@code java.net.http.HttpClient} sends none unless
 * told. A type that names something else ({@code application/x-www-form-urlencoded}, what
 * {@code curl -d} sends unless told otherwise) is refused rather than parsed on a guess.
 */
public enum BodyTypes {
    /** The control API ({@code /api/v1}) and OFREP ({@code /ofrep/v1}): a JSON object. */
    JSON("application/json (a charset parameter, or a type ending in +json, is fine)"),
    /**
     * The ingest API ({@code /ingest/v1}): a JSON array of events or NDJSON, or text/plain, which is
     * what a browser's {@code navigator.sendBeacon} sends so as to need no CORS preflight.
     */
    INGEST("application/json, application/x-ndjson or text/plain (a browser's beacon)"),
    /** A lane that reads its own formats (a connector's push endpoint): not checked here. */
    OWN(null);

    private final String expected;

    BodyTypes(String expected) {
        this.expected = expected;
    }

    /** What the lane under {@code prefix} reads. */
    public static BodyTypes forLane(String prefix) {
        if (under(prefix, "/ingest/v1")) {
            return INGEST;
        }
        return under(prefix, "/api/v1") || under(prefix, "/ofrep/v1") ? JSON : OWN;
    }

    private static boolean under(String prefix, String family) {
        return prefix.equals(family) || prefix.startsWith(family + "/");
    }

    /** Refuses a body sent as {@code contentType} (the header as sent, or null) with a 415 naming the field. */
    public void check(String contentType) {
        if (this == OWN || contentType == null || contentType.isBlank()) {
            return;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
        if (json || this == INGEST && (type.equals("application/x-ndjson") || type.equals("text/plain"))) {
            refuseCharsetOtherThanUtf8(contentType, parts);
            return;
        }
        throw new ApiException(415, "Content-Type", "the body was sent as "
                + PeerValues.quoted(contentType.trim(), '\'') + "; this API reads it as JSON: send Content-Type: " + expected);
    }

    /**
     * Refuses a JSON lane's body sent with a {@code Content-Encoding} (other than {@code identity}) with a
     * 415 naming the header: the control API and OFREP read a body as sent, so a compressed one would be
     * read as broken JSON, and a body the header says is compressed but is not would be taken on a guess.
     * The ingest API reads gzip itself ({@code IngestLane}).
     */
    public void checkEncoding(String encoding) {
        if (this != JSON || encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            return;
        }
        throw new ApiException(415, "Content-Encoding", "the body was sent with Content-Encoding "
                + PeerValues.quoted(encoding.trim(), '\'')
                + "; this API reads bodies as sent: send it without Content-Encoding (gzip is taken by /ingest/v1)");
    }

    /**
     * A body said to be in another charset ({@code charset=latin1}) is a 415 naming it: it is read as
     * UTF-8 whatever the header says, so its text would be read as other characters than were meant.
     */
    private static void refuseCharsetOtherThanUtf8(String contentType, String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].trim().equalsIgnoreCase("charset")) {
                String charset = param[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new ApiException(415, "Content-Type", "the body was sent as "
                            + PeerValues.quoted(contentType.trim(), '\'')
                            + ", in charset " + PeerValues.quoted(charset, '\'') + "; this API reads UTF-8 only: send charset=utf-8, or no charset");
                }
            }
        }
    }
}
