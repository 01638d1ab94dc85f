package io.edgedeck.engine.ingest;

import io.edgedeck.engine.sentiment.ChatSentiment;
import io.edgedeck.engine.triggers.TriggerFiring;

import java.util.List;

/** What the keyed path made of one event. */
public sealed interface IngestOutcome {

    /** The event's id, as sent (null when it had none). */
    String eventId();

    /**
     * Counted.
     *
     * @param firings the micro-metric triggers the event completed for its unit (usually none)
     * @param chat     what the core's scorer made of a chat message (its language read or not, its score
     *                 with the channel's learned emotes); null for every other kind
     * @param exposure what an exposure was to its arm; null for every other kind
     */
    record Accepted(String eventId, List<TriggerFiring> firings, ChatSentiment.Reading chat, Exposure exposure)
            implements IngestOutcome {
        public Accepted {
            firings = List.copyOf(firings);
        }

        public Accepted(String eventId, List<TriggerFiring> firings) {
            this(eventId, firings, null, null);
        }
    }

    /** What an accepted exposure was to the arm it names, as the core counted it. */
    enum Exposure {
        /** The unit's first under this flag version: one of the arm's exposures. */
        COUNTED,
        /** A unit moved from another arm of the flag (a rollback, a ramp): the arm's moved cohort. */
        MOVED,
        /** Counted already. */
        REPEAT,
        /** Outside the flag's scope at its PoP: in no arm. */
        OUT_OF_SCOPE
    }

    /** Already counted: the same id arrived within the dedupe window. */
    record Duplicate(String eventId) implements IngestOutcome {
    }

    /**
     * Not counted, and not remembered: a corrected event with the same id is taken.
     *
     * @param field  the field at fault, as named on the wire (e.g. {@code ms}, {@code targetingKey})
     * @param reason why, for a person
     * @param code   the fault, a short code the same each time the same event is refused for it ({@code unknown-pop},
     *               {@code unknown-variant}, {@code at-ahead}), whatever the node's state or clock the reason names
     *               ("this node has [fra, ams]", "is 120345 ms ahead"). What a refusal is known by in the dedupe
     *               window, with the event's id and the field
     */
    record Refused(String eventId, String field, String reason, String code) implements IngestOutcome {
    }
}
