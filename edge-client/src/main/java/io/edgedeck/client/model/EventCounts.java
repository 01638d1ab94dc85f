package io.edgedeck.client.model;

/** Audience events (views, hovers, clicks, chat, checkouts) since the show started. */
public record EventCounts(long total, long delivered, long lost) {
}
