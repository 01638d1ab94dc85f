package io.edgedeck.client;

/** Returned by every listener registration; closing it removes the listener. Idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
