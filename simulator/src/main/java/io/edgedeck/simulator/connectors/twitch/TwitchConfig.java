package io.edgedeck.simulator.connectors.twitch;

import io.edgedeck.simulator.connectors.BackoffConfig;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Twitch channel whose chat the node reads, anonymously and read-only, over Twitch IRC.
 *
 * <p>JSON: {@code {"channel": "somechannel"}}; every other field has a default:
 * {@code {"channel": "somechannel", "host": "irc.chat.twitch.tv", "port": 6697, "tls": true,
 * "idleMillis": 60000, "pongTimeoutMillis": 10000, "maxLineBytes": 16384,
 * "backoff": {"initialMillis": 500, "maxMillis": 30000}}}.
 *
 * @param channel           the channel's login name (with or without '#'; matched in lowercase)
 * @param host              the IRC server (default {@code irc.chat.twitch.tv})
 * @param port              default 6697 with TLS, 6667 without
 * @param tls               default true; Twitch's TLS port is 6697
 * @param idleMillis        with nothing heard for this long the connector sends its own PING (default 60 s;
 *                          Twitch itself pings about every five minutes)
 * @param pongTimeoutMillis with still nothing heard this long after that PING, the server is taken as
 *                          stalled and the connection is made again (default 10 s)
 * @param maxLineBytes      a longer line (tags included) is skipped and counted (default 16 KiB; Twitch
 *                          allows 8 KiB of tags plus 512 bytes of message)
 * @param backoff           how long to wait before connecting again after a failure
 */
public record TwitchConfig(String channel, String host, Integer port, Boolean tls, Long idleMillis, Long pongTimeoutMillis,
                           Integer maxLineBytes, BackoffConfig backoff) {
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9_]{2,25}");

    public TwitchConfig {
        if (channel == null) {
            throw new IllegalArgumentException("channel is required: the Twitch channel's login name");
        }
        channel = channel.trim().toLowerCase(Locale.ROOT);
        if (channel.startsWith("#")) {
            channel = channel.substring(1);
        }
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel must be a Twitch login name (2 to 25 letters, digits or '_'), not \"" + channel + "\"");
        }
        host = host == null || host.isBlank() ? "irc.chat.twitch.tv" : host.trim();
        tls = tls == null || tls;
        port = port == null ? (tls ? 6697 : 6667) : port;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
        idleMillis = idleMillis == null ? 60_000L : idleMillis;
        pongTimeoutMillis = pongTimeoutMillis == null ? 10_000L : pongTimeoutMillis;
        if (idleMillis < 100 || pongTimeoutMillis < 100) {
            throw new IllegalArgumentException("idleMillis and pongTimeoutMillis must be at least 100");
        }
        maxLineBytes = maxLineBytes == null ? 16 * 1024 : maxLineBytes;
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1024, not " + maxLineBytes);
        }
        backoff = backoff == null ? BackoffConfig.DEFAULT : backoff;
    }

    /** Just a channel, everything else as Twitch documents it. */
    public static TwitchConfig of(String channel) {
        return new TwitchConfig(channel, null, null, null, null, null, null, null);
    }
}
