package io.edgedeck.simulator.connectors.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.PushConnector;
import io.edgedeck.simulator.connectors.PushEndpoint;
import io.edgedeck.simulator.connectors.Timestamps;
import io.edgedeck.simulator.server.http.PeerValues;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat from any platform through a bridge: NDJSON or a JSON array (gzip accepted) of messages, each
 * {@code {"id": "...", "text": "...", "user": "youtube:UC...", "channel": "youtube:my-show",
 * "targetingKey": "viewer-42", "at": 1777665600000, "emotes": ["PogChamp"]}} where only {@code id} and
 * {@code text} are required. Each becomes an {@link IngestEvent.Chat} with id {@code chat:<name>:<id>},
 * so a bridge that re-sends a batch is counted once. Same checks and answers as the CDN endpoint
 * (see {@link PushEndpoint}); the node mounts {@link #handle} at {@link #path()}.
 */
public final class ChatWebhook extends PushConnector {
    public static final String KIND = "chat-webhook";
    static final int MAX_TEXT_CHARS = 2000;
    /** The fields a message is read from; any other is skipped. */
    private static final List<String> FIELDS = List.of("id", "text", "at", "emotes", "user", "channel", "targetingKey");

    private final ChatWebhookConfig config;

    public ChatWebhook(ChatWebhookConfig config, EventSink sink, InstantSource clock) {
        super(KIND, config.name(), config.path(), "chat", config.secret(), config.secretHeader(), config.limits(), sink, clock,
                FIELDS);
        this.config = config;
    }

    public ChatWebhookConfig config() {
        return config;
    }

    @Override
    protected PushEndpoint.Outcome map(JsonNode m) {
        PushEndpoint.Outcome.Refused twice = PushEndpoint.givenTwice(m, FIELDS);
        if (twice != null) {
            return twice;
        }
        String id = text(m, "id");
        if (id == null || id.isBlank()) {
            return refused("missing-field", "id", "id is required (a unique message id, so a re-sent message counts once)");
        }
        JsonNode textNode = m.get("text");
        if (textNode == null || !textNode.isTextual()) {
            return refused("missing-field", "text", "text is required and must be a string");
        }
        String text = textNode.asText();
        if (text.length() > MAX_TEXT_CHARS) {
            return refused("bad-value", "text", "text is " + text.length() + " characters, over the limit of " + MAX_TEXT_CHARS);
        }
        Long at = null;
        JsonNode atNode = m.get("at");
        if (atNode != null && !atNode.isNull()) {
            try {
                // Bridges write seconds as often as milliseconds: told apart by size, as CDN times are.
                at = Timestamps.epochMillis(atNode);
            } catch (IllegalArgumentException e) {
                return refused("bad-value", "at", "at must be epoch seconds or ms, or an RFC 3339 time; " + e.getMessage());
            }
        }
        List<String> emotes = null;
        JsonNode emoteNode = m.get("emotes");
        if (emoteNode != null && !emoteNode.isNull()) {
            if (!emoteNode.isArray()) {
                return refused("bad-value", "emotes", "emotes must be an array of names");
            }
            emotes = new ArrayList<>();
            for (JsonNode e : emoteNode) {
                if (!e.isTextual()) {
                    return refused("bad-value", "emotes", "emotes must be an array of names, not " + PeerValues.shown(emoteNode));
                }
                emotes.add(e.asText());
            }
        }
        for (String field : List.of("user", "channel", "targetingKey")) {
            JsonNode f = m.get(field);
            if (f != null && !f.isNull() && !f.isTextual()) {
                return refused("bad-value", field, field + " must be a string, not " + PeerValues.shown(f));
            }
        }
        String channel = text(m, "channel");
        return new PushEndpoint.Outcome.Event(new IngestEvent.Chat("chat:" + config.name() + ":" + id.trim(), at, text,
                text(m, "targetingKey"), channel == null ? config.channel() : channel, text(m, "user"), emotes));
    }

    private static String text(JsonNode m, String field) {
        JsonNode f = m.get(field);
        return f == null || f.isNull() || !f.isValueNode() ? null : f.asText();
    }

    private static PushEndpoint.Outcome refused(String reason, String field, String detail) {
        return new PushEndpoint.Outcome.Refused(reason, field, detail);
    }
}
