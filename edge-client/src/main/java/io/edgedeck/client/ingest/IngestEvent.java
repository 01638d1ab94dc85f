package io.edgedeck.client.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One observation as it travels to an edge node: a line of {@code POST /ingest/v1/events}, or what a
 * connector (CDN logs, probes, chat, the load generator) hands the node. The node turns each into an
 * observation of its core; the core computes every number a tile shows from them.
 *
 * <p>Every event has an {@code id}, unique per source: a re-sent event is counted once. {@code at}
 * is when it happened, in epoch milliseconds; absent, the node's arrival time is used. More fields
 * may be added to a type; the ones here keep their names and meaning.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = IngestEvent.Exposure.class, name = "exposure"),
        @JsonSubTypes.Type(value = IngestEvent.Conversion.class, name = "conversion"),
        @JsonSubTypes.Type(value = IngestEvent.Latency.class, name = "latency"),
        @JsonSubTypes.Type(value = IngestEvent.Chat.class, name = "chat"),
        @JsonSubTypes.Type(value = IngestEvent.Checkout.class, name = "checkout"),
        @JsonSubTypes.Type(value = IngestEvent.Step.class, name = "step"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface IngestEvent {

    /** Unique per source; the node counts a re-sent id once within its dedupe window. */
    String id();

    /** When it happened, epoch ms; null for "when it arrived". */
    Long at();

    /** The wire name of this event's type, as in the {@code type} field. */
    default String type() {
        return switch (this) {
            case Exposure e -> "exposure";
            case Conversion c -> "conversion";
            case Latency l -> "latency";
            case Chat c -> "chat";
            case Checkout c -> "checkout";
            case Step s -> "step";
        };
    }

    /** Unit {@code targetingKey} was served {@code variant} of {@code flag} at {@code pop} (null: the node's default PoP). */
    record Exposure(String id, Long at, String flag, String variant, String targetingKey, String pop) implements IngestEvent {
    }

    /**
     * Unit {@code targetingKey} converted (the OpenFeature tracking shape): it counts for every
     * variant the unit was exposed to.
     *
     * @param name  the conversion's name, e.g. {@code checkout}
     * @param value its value (revenue), or null
     */
    record Conversion(String id, Long at, String name, String targetingKey, Double value) implements IngestEvent {
    }

    /**
     * A request at {@code pop} took {@code ms}, or was {@code lost}.
     *
     * @param status       the HTTP status it was answered with, or null
     * @param source       who measured it: {@code audience} (default), {@code probe} or {@code cdn}
     * @param targetingKey the unit whose request it was, when the app knows it: the request then also counts
     *                     for every variant the unit is in (a variant's latency and error rate), or null
     */
    record Latency(String id, Long at, String pop, Double ms, Boolean lost, Integer status, String source, String targetingKey)
            implements IngestEvent {
        /** A request no unit is named for: it counts for its PoP only. */
        public Latency(String id, Long at, String pop, Double ms, Boolean lost, Integer status, String source) {
            this(id, at, pop, ms, lost, status, source, null);
        }
    }

    /**
     * One of a unit's small interactions, a step of its micro-metric triggers: it counts for no
     * variant and no PoP, only for the unit's triggers.
     *
     * @param name {@code view}, {@code hover}, {@code click}, {@code add-to-cart}, {@code checkout} or {@code chat}
     */
    record Step(String id, Long at, String name, String targetingKey) implements IngestEvent {
    }

    /**
     * A chat message.
     *
     * @param targetingKey the unit who wrote it, when the app knows it; null counts it for the show
     * @param channel      where it was said, e.g. {@code twitch:somechannel}
     * @param user         the platform's id of who wrote it, e.g. {@code twitch:12345}, or null
     * @param emotes       the emotes in the message as the platform marked them (names, e.g. {@code PogChamp}),
     *                     or null when the platform does not mark them
     */
    record Chat(String id, Long at, String text, String targetingKey, String channel, String user,
                java.util.List<String> emotes) implements IngestEvent {
    }

    /**
     * A checkout's state at a PoP, and, when the app measured them, how long the decision it ended
     * with took per stage: all three stage times, or none. They belong on the event that ends the
     * decision ({@code authorised} or {@code queued}).
     *
     * @param state      {@code started}, {@code authorised}, {@code queued} or {@code reconciled}
     * @param validateMs checking the request (token, cart), ms, or null
     * @param enrichMs   looking up what the decision needs (profile, stock), ms, or null
     * @param actMs      authorising the payment (or queueing it), ms, or null
     */
    record Checkout(String id, Long at, String checkoutId, String pop, String state, Double validateMs, Double enrichMs,
                    Double actMs) implements IngestEvent {
        /** A checkout's state without stage times. */
        public Checkout(String id, Long at, String checkoutId, String pop, String state) {
            this(id, at, checkoutId, pop, state, null, null, null);
        }
    }
}
