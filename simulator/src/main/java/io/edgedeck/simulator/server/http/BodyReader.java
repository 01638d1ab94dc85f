package io.edgedeck.simulator.server.http;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request body without holding a thread while the bytes are on their way: chunks are
 * gathered as they arrive, up to a size and within a deadline. A client that sends half a body
 * costs a little memory until the deadline, never a thread or a slot another caller needs.
 */
final class BodyReader implements Runnable {
    private final Content.Source source;
    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();
    /** Bytes read past the limit and thrown away, so the client is listening when the 413 goes out. */
    private long discarded = -1;

    /**
     * How much of a too-large body is read and discarded before the 413 is sent. A client that is
     * still writing when the server answers and hangs up often never reads the answer (the reset
     * loses it); swallowing a bounded overflow lets ordinary clients see a clear 413. Beyond this,
     * the connection is cut at once.
     */
    static final long SWALLOW_BYTES = 1024 * 1024;

    /** A request attribute: a handler took the body (read it, or began to), so it is not read again. */
    static final String TAKEN = "edgedeck.body.taken";

    private static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private BodyReader(Content.Source source, int max) {
        this.source = source;
        this.max = max;
    }

    static byte[] read(Request request, int max, Duration deadline) {
        if (request.getLength() > max + SWALLOW_BYTES) {
            throw tooLarge(max);
        }
        BodyReader reader = new BodyReader(request, max);
        reader.run();
        try {
            return reader.done.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(408, "body", "the request body did not arrive within " + deadline.toSeconds()
                    + " s; nothing was applied");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TooLarge) {
                throw tooLarge(max);
            }
            throw ApiException.invalid("body", "the request body could not be read: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, null, "the node is stopping");
        }
    }

    /**
     * Reads and throws away a body the node will not take (a caller refused 401/403), at most
     * {@link #SWALLOW_BYTES} within {@code deadline}, so the client is listening when the refusal
     * goes out instead of losing it to a reset. A longer body is not read at all.
     */
    static void discard(Request request, Duration deadline) {
        if (request.getLength() == 0 || request.getLength() > SWALLOW_BYTES) {
            return;
        }
        BodyReader reader = new BodyReader(request, 0);
        reader.run();
        try {
            reader.done.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Read what arrived in time, or more than is swallowed: the refusal goes out either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(413, "body", "the request body is larger than " + HttpLimits.bytes(max));
    }

    /** Takes every chunk that is there, then asks to be called again when more arrive. */
    @Override
    public void run() {
        while (!done.isDone()) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.completeExceptionally(chunk.getFailure());
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            int length = buffer.remaining();
            if (discarded >= 0 || bytes.size() + length > max) {
                discarded = Math.max(discarded, 0) + length;
                boolean last = chunk.isLast();
                chunk.release();
                if (last || discarded > SWALLOW_BYTES) {
                    done.completeExceptionally(new TooLarge());
                    return;
                }
                continue;
            }
            byte[] copy = new byte[length];
            buffer.get(copy);
            bytes.writeBytes(copy);
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                done.complete(bytes.toByteArray());
            }
        }
    }
}
