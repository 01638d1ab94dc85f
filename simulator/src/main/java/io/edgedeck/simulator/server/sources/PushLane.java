package io.edgedeck.simulator.server.sources;

import io.edgedeck.simulator.connectors.PushConnector;
import io.edgedeck.simulator.connectors.PushResult;
import io.edgedeck.simulator.connectors.cdn.CdnLogEndpoint;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The endpoints CDNs and chat bridges push to ({@code /connectors/cdn/{name}},
 * {@code /connectors/chat/{name}}), POST and PUT, each checking its own header secret and size
 * limits ({@link io.edgedeck.simulator.connectors.PushEndpoint}), and Fastly's ownership challenge.
 * The lane itself needs no node key: the connector's secret is the key.
 */
public final class PushLane {
    /** Bytes of a refused body still read before answering, so the sender is listening for the answer. */
    private static final long SWALLOW_BYTES = 1024 * 1024;

    private PushLane() {
    }

    /** The lanes for these endpoints (the connectors' and, when a Fastly service is named, the challenge's). */
    public static List<Lane> lanes(Map<String, PushConnector> endpoints, String fastlyChallenge) {
        List<Lane> lanes = new ArrayList<>();
        if (!endpoints.isEmpty()) {
            List<Route> routes = new ArrayList<>();
            endpoints.forEach((path, connector) -> {
                String relative = path.substring("/connectors".length());
                // A CDN puts parameters of its own in the URL it pushes to (Cloudflare's header_...): any is taken.
                routes.add(Route.post(relative, c -> push(connector, c)).takingAnyQuery());
                routes.add(Route.put(relative, c -> push(connector, c)).takingAnyQuery());
            });
            lanes.add(new Lane("/connectors", Access.anyone(), routes));
        }
        if (fastlyChallenge != null) {
            byte[] body = fastlyChallenge.getBytes(StandardCharsets.UTF_8);
            lanes.add(new Lane(CdnLogEndpoint.FASTLY_CHALLENGE_PATH, Access.anyone(),
                    List.of(Route.get("", c -> Reply.bytes(200, "text/plain; charset=utf-8", body)).takingAnyQuery())));
        }
        return lanes;
    }

    private static Reply push(PushConnector connector, Call c) {
        InputStream body = c.bodyStream();
        PushResult result = connector.handle(c::header, body);
        Reply.Whole reply = Reply.bytes(result.status(), result.contentType(), result.body());
        if (result.retryAfterSeconds() != null) {
            reply = reply.with("Retry-After", Long.toString(result.retryAfterSeconds()));
        }
        if (result.status() != 200) {
            // What the sender still sends of a refused body: read a bounded amount so it sees the answer, then hang up.
            drain(body);
            reply = reply.with("Connection", "close");
        }
        return reply;
    }

    private static void drain(InputStream body) {
        byte[] buffer = new byte[8192];
        long left = SWALLOW_BYTES;
        try {
            int n;
            while (left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException gone) {
            // the sender hung up; the answer goes nowhere either way
        }
    }
}
