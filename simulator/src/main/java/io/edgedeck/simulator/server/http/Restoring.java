package io.edgedeck.simulator.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.Problem;
import io.edgedeck.client.model.Reasons;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What a node answers while it restores its show, before its lanes exist: every request, {@code /healthz}
 * included, a 503 {@code application/problem+json} of type {@value #TYPE} whose {@code detail} says how
 * far the restore has come ("restoring: played 4:10 of 10:43 of the show again; ...", or, for a node with no show to
 * restore, "starting: it has no show to restore, nothing to read back; ..."), its {@code restoring} member how far
 * alone, and its {@code phase} which of the two ({@code restoring}, or {@code starting} on a new data directory), with a
 * {@code Retry-After}. Nothing is read, taken or changed:
 * a change sent now is not made, and the caller is told to send it again. A request without a key its lane takes
 * (the node's keys are loaded before it listens) is refused first, as the running node refuses it: 401, or 403 for
 * another lane's key ({@link Router#refusedAt}); {@code /healthz} needs none. Once {@link #serve} is given the node's
 * router, every request goes to it.
 */
public final class Restoring extends Handler.Abstract {
    /** The problem type of an answer given while the node restores its show. */
    public static final String TYPE = Reasons.RESTORING_TYPE;

    private final java.util.function.BooleanSupplier restoringShow;
    private final Supplier<String> howFar;
    private final Supplier<String> detail;
    private final LongSupplier retryAfterSeconds;
    private final List<Lane> gate;
    private volatile Handler serving;

    /**
     * @param restoringShow     true while the node restores a show it had, false while it starts with none to restore
     * @param howFar            how far the restore has come, in words ("played 4:10 of 10:43 of the show again")
     * @param detail            the same as a sentence for a person, and that the node answers once done
     * @param retryAfterSeconds when to ask again
     * @param gate              the node's lanes by prefix and key, without routes: who is told the node is restoring
     */
    public Restoring(java.util.function.BooleanSupplier restoringShow, Supplier<String> howFar, Supplier<String> detail,
                     LongSupplier retryAfterSeconds, List<Lane> gate) {
        this.restoringShow = restoringShow;
        this.howFar = howFar;
        this.detail = detail;
        this.retryAfterSeconds = retryAfterSeconds;
        this.gate = List.copyOf(gate);
    }

    /** The node is restored: from now on {@code router} answers every request. */
    public void serve(Handler router) {
        serving = router;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler router = serving;
        if (router != null) {
            return router.handle(request, response, callback);
        }
        Reply.Whole refused = Router.refusedAt(gate, request);
        if (refused != null) {
            // As below, its body is not read: the connection carries no further request.
            Router.writeWhole(response, callback, request.getLength() == 0 ? refused : refused.with("Connection", "close"));
            return true;
        }
        // "restoring" alone is how far, for a client to show as it likes; "phase" which of the two, for a program to tell
        // apart; "detail" says it to a person.
        ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("type", TYPE).put("title", "Restoring").put("status", 503)
                .put("detail", detail.get()).put("restoring", howFar.get())
                .put("phase", restoringShow.getAsBoolean() ? Reasons.PHASE_RESTORING : Reasons.PHASE_STARTING);
        byte[] bytes;
        try {
            bytes = JsonBodies.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds.getAsLong()));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (request.getLength() != 0) {
            // Its body is not read: the connection carries no further request.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if ("HEAD".equals(request.getMethod())) {
            response.write(true, null, callback);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
