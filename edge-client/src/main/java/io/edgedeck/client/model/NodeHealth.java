package io.edgedeck.client.model;

/**
 * What a node's {@code GET /healthz} answered, as it answered it: a stalled or failed node answers 503
 * with a body that says why, and that answer is the one a support engineer needs.
 *
 * @param httpStatus the HTTP status of the answer, e.g. 200 or 503
 * @param body       the answer's body as the node wrote it (JSON: {@code status}, {@code detail}, {@code ingest}...)
 */
public record NodeHealth(int httpStatus, String body) {
    public NodeHealth {
        body = body == null ? "" : body;
    }
}
