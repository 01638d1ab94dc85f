package io.edgedeck.simulator.connectors.chat;

import io.edgedeck.simulator.connectors.PushLimits;
import io.edgedeck.simulator.connectors.Secret;

import java.util.regex.Pattern;

/**
 * A chat webhook in the node config: any bridge (YouTube live chat, a Discord or Kick relay, a
 * moderation tool) POSTs chat messages as JSON to {@code /connectors/chat/{name}} ({@link #path()}).
 *
 * <p>JSON: {@code {"name": "youtube", "secret": "file:/etc/edgedeck/chat-secret", "channel": "youtube:my-show"}}.
 *
 * @param name         unique among chat webhooks; letters, digits, '-' and '_'
 * @param secret       the shared secret the bridge sends in {@code secretHeader}
 * @param secretHeader default {@code X-EdgeDeck-Secret}
 * @param channel      the channel for messages that name none (default {@code webhook:<name>})
 * @param limits       batch size limits; defaults in {@link PushLimits}
 */
public record ChatWebhookConfig(String name, Secret secret, String secretHeader, String channel, PushLimits limits) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ChatWebhookConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '-' or '_', not " + name);
        }
        if (secret == null) {
            throw new IllegalArgumentException("secret is required: the bridge must send it in X-EdgeDeck-Secret (or secretHeader)");
        }
        secretHeader = secretHeader == null || secretHeader.isBlank() ? "X-EdgeDeck-Secret" : secretHeader.trim();
        channel = channel == null || channel.isBlank() ? "webhook:" + name : channel.trim();
        limits = limits == null ? PushLimits.DEFAULT : limits;
    }

    public String path() {
        return "/connectors/chat/" + name;
    }
}
