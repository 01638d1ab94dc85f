package io.edgedeck.simulator.server.ofrep;

import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The OpenFeature Remote Evaluation Protocol at {@code /ofrep/v1}, opened by the node's read key
 * (as a bearer token or an {@code X-API-Key}). Evaluation answers, failed evaluations included,
 * are in the protocol's own shapes, as {@link OfrepEvaluator} writes them; errors of HTTP itself
 * (no key, a body too large, a wrong method) are problem documents like everywhere else.
 */
public final class OfrepLane {
    private final OfrepEvaluator ofrep;
    private final Access access;

    public OfrepLane(OfrepEvaluator ofrep, NodeToken readKey) {
        this.ofrep = ofrep;
        this.access = io.edgedeck.simulator.server.metrics.MetricsLane.access(readKey);
    }

    public Lane lane() {
        return new Lane("/ofrep/v1", access, List.of(
                Route.get("/configuration", c -> reply(ofrep.configuration(c.headerList("If-None-Match")))),
                Route.post("/evaluate/flags", c -> reply(ofrep.evaluateAll(c.body(), c.headerList("If-None-Match")))),
                Route.post("/evaluate/flags/{key}", c -> reply(ofrep.evaluate(c.param(0), c.body())))));
    }

    /** An evaluator's response as the HTTP answer: its status, JSON body (none for a 304) and ETag. */
    public static Reply.Whole reply(OfrepEvaluator.Response r) {
        Reply.Whole whole = r.body() == null ? Reply.bytes(r.status(), null, new byte[0])
                : Reply.bytes(r.status(), "application/json", r.body().getBytes(StandardCharsets.UTF_8));
        return r.etag() == null ? whole : whole.with("ETag", r.etag());
    }
}
