package io.edgedeck.simulator.connectors.twitch;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.connectors.BackoffConfig;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.SocketFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Twitch chat connector against a real IRC server on loopback, over TLS and plain TCP. */
class TwitchChatConnectorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TAGS = "badge-info=;badges=;color=#1E90FF;display-name=Viewer\\s42;emotes=%s;"
            + "first-msg=0;id=%s;mod=0;room-id=12345;subscriber=0;tmi-sent-ts=%d;turbo=0;user-id=%s;user-type=";
    private final RecordingSink sink = new RecordingSink();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private LoopbackIrcServer server(SelfSignedTls tls) throws Exception {
        LoopbackIrcServer server = new LoopbackIrcServer(tls == null ? null : tls.server);
        open.add(server);
        return server;
    }

    private TwitchChatConnector connector(TwitchConfig config, SocketFactory sockets) {
        return started(new TwitchChatConnector(config, sink, InstantSource.system(), sockets, new Random(7)));
    }

    /** A plain-text connector to {@code server} handing its messages to {@code to}, started. */
    private TwitchChatConnector connector(LoopbackIrcServer server, EventSink to) {
        return started(new TwitchChatConnector(plain(server.port(), 60_000, 10_000), to, InstantSource.system(),
                SocketFactory.getDefault(), new Random(7)));
    }

    private TwitchChatConnector started(TwitchChatConnector c) {
        open.add(c);
        c.start();
        return c;
    }

    private static TwitchConfig plain(int port, long idleMillis, long pongMillis) {
        return new TwitchConfig("#SomeChannel", "127.0.0.1", port, false, idleMillis, pongMillis, null,
                new BackoffConfig(50L, 400L));
    }

    /** A connector on plain TCP with the default timings, once it has joined the server's channel. */
    private TwitchChatConnector joined(LoopbackIrcServer server) throws InterruptedException {
        TwitchChatConnector c = connector(plain(server.port(), 60_000, 10_000), SocketFactory.getDefault());
        server.awaitJoined(1, WAIT);
        return c;
    }

    /** Plain TCP, lines of up to 1 KiB. */
    private static TwitchConfig kibLines(int port) {
        return new TwitchConfig("somechannel", "127.0.0.1", port, false, null, null, 1024, new BackoffConfig(50L, 400L));
    }

    private static String tags(String emotes, String id, long ts, String userId) {
        return String.format(TAGS, emotes, id, ts, userId);
    }

    @Test
    void overTlsItLogsInAnonymouslyAndTurnsTaggedMessagesIntoChat(@TempDir Path dir) throws Exception {
        SelfSignedTls tls = new SelfSignedTls(dir);
        LoopbackIrcServer server = server(tls);
        TwitchConfig config = new TwitchConfig("somechannel", "127.0.0.1", server.port(), true, null, null, null, null);
        TwitchChatConnector connector = connector(config, tls.client.getSocketFactory());
        server.awaitJoined(1, WAIT);

        List<String> hello = server.received();
        assertEquals("CAP REQ :twitch.tv/tags twitch.tv/commands", hello.get(0));
        assertTrue(hello.get(1).matches("NICK justinfan\\d{5}"), hello.toString());
        assertTrue(hello.stream().noneMatch(l -> l.startsWith("PASS")), "anonymous: no password is sent");
        assertEquals("JOIN #somechannel", hello.get(2));
        LoopbackIrcServer.await(() -> connector.status().state() == SourceState.CONNECTED, WAIT, "connected");

        server.privmsg("somechannel", tags("25:0-4,12-16/1902:6-10", "b34ccfc7-4977-403a-8a94-33c6bac34fb8", 1777665600123L,
                "1337"), "viewer42", "Kappa Keepo Kappa");
        // An emoji is one character to Twitch's positions; /me wraps the text in ACTION.
        server.privmsg("somechannel", tags("25:2-6", "c1", 1777665601000L, "99"), "other", "\u0001ACTION \uD83D\uDE00 Kappa\u0001");
        server.privmsg("somechannel", tags("", "c2", 1777665602000L, "99"), "other", "no emotes here");
        sink.await(e -> e.size() == 3, WAIT);

        List<IngestEvent.Chat> chat = sink.events(IngestEvent.Chat.class);
        assertEquals(new IngestEvent.Chat("twitch:b34ccfc7-4977-403a-8a94-33c6bac34fb8", 1777665600123L, "Kappa Keepo Kappa",
                null, "twitch:somechannel", "twitch:1337", List.of("Kappa", "Keepo", "Kappa")), chat.get(0));
        assertEquals("\uD83D\uDE00 Kappa", chat.get(1).text());
        assertEquals(List.of("Kappa"), chat.get(1).emotes());
        assertEquals(List.of(), chat.get(2).emotes());

        server.send("PING :tmi.twitch.tv");
        server.awaitReceived("PONG :tmi.twitch.tv"::equals, WAIT);
        SourceStatus status = connector.status();
        assertEquals(3, status.events());
        assertEquals(List.of(), status.errors());
        assertTrue(status.why().contains("#somechannel"), status.why());
    }

    @Test
    void reconnectsAtOnceOnReconnectAndAfterACutSocketLosingNothingItRead() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = connector(plain(server.port(), 60_000, 10_000), SocketFactory.getDefault());
        server.awaitJoined(1, WAIT);
        server.privmsg("somechannel", tags("", "m1", 1L, "1"), "a", "before");
        sink.await(e -> e.size() == 1, WAIT);

        server.send(":tmi.twitch.tv RECONNECT");
        server.awaitJoined(2, WAIT);
        server.privmsg("somechannel", tags("", "m2", 2L, "1"), "a", "after reconnect");
        sink.await(e -> e.size() == 2, WAIT);

        server.privmsg("somechannel", tags("", "m3", 3L, "1"), "a", "just before the cut");
        sink.await(e -> e.size() == 3, WAIT);
        server.cut();
        server.awaitJoined(3, WAIT);
        server.privmsg("somechannel", tags("", "m4", 4L, "1"), "a", "after the cut");
        sink.await(e -> e.size() == 4, WAIT);

        assertEquals(List.of("twitch:m1", "twitch:m2", "twitch:m3", "twitch:m4"), sink.events().stream().map(IngestEvent::id).toList());
        assertEquals(3, server.connectionCount());
        SourceStatus status = connector.status();
        assertEquals(1, status.errorCount("connection-lost"), status.toString());
        assertEquals(0, status.errorCount("connect-failed"));
        LoopbackIrcServer.await(() -> connector.status().state() == SourceState.CONNECTED, WAIT, "connected again");
    }

    /** A server that accepts the connection and never answers the TLS handshake is left, and tried again. */
    @Test
    void aServerSilentInTheTlsHandshakeIsLeftAndTriedAgain(@TempDir Path dir) throws Exception {
        SelfSignedTls tls = new SelfSignedTls(dir);
        List<java.net.Socket> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            TwitchConfig config = new TwitchConfig("somechannel", "127.0.0.1", silent.getLocalPort(), true, 300L, 300L, null,
                    new BackoffConfig(50L, 400L));
            TwitchChatConnector connector = connector(config, tls.client.getSocketFactory());
            LoopbackIrcServer.await(() -> connector.status().errorCount("connect-failed") >= 2, WAIT,
                    "the silent handshake fails and is tried again");
            assertTrue(accepted.size() >= 2, "connected again: " + accepted.size());
            assertTrue(connector.status().errors().getFirst().lastMessage().contains("could not connect"),
                    connector.status().toString());
            long start = System.nanoTime();
            connector.close();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "closing does not wait out a handshake");
            assertEquals(SourceState.STOPPED, connector.status().state());
        } finally {
            accepted.forEach(socket -> {
                try {
                    socket.close();
                } catch (java.io.IOException ignored) {
                    // closing
                }
            });
        }
    }

    @Test
    void aStalledServerIsPingedThenLeftForANewConnection() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = connector(plain(server.port(), 300, 300), SocketFactory.getDefault());
        server.awaitJoined(1, WAIT);
        server.stall(true);
        server.awaitReceived("PING :edgedeck"::equals, WAIT);
        server.stall(false);
        server.awaitJoined(2, WAIT);
        SourceStatus status = connector.status();
        assertEquals(1, status.errorCount("stalled"), status.toString());
        assertTrue(status.errors().getFirst().lastMessage().contains("did not answer a PING"), status.toString());
        server.privmsg("somechannel", tags("", "s1", 1L, "1"), "a", "still here");
        sink.await(e -> e.size() == 1, WAIT);
    }

    /** A server that answers PINGs and never welcomes the node is left after the pong timeout, counted, and tried again later. */
    @Test
    void aServerThatNeverWelcomesIsLeftAndTriedAgain() throws Exception {
        LoopbackIrcServer server = server(null);
        server.noWelcome(true);
        // Quiet for 100 ms: the node pings, and the server answers, as a PING-answering server does.
        TwitchChatConnector connector = connector(plain(server.port(), 100, 300), SocketFactory.getDefault());
        List<SourceStatus> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        LoopbackIrcServer.await(() -> {
            seen.add(connector.status());
            return connector.status().errorCount("login-timeout") >= 2;
        }, WAIT, "two logins given up");
        assertTrue(server.received().contains("PING :edgedeck"), server.received().toString());
        assertTrue(seen.stream().noneMatch(s -> s.state() == SourceState.CONNECTED), seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.state() == SourceState.RECONNECTING), seen.toString());
        String said = connector.status().errors().stream().filter(e -> e.reason().equals("login-timeout")).findFirst()
                .orElseThrow().lastMessage();
        assertEquals("the server did not welcome the node (001) within 300 ms of its NICK", said);
        assertTrue(server.connectionCount() >= 2, "tried again");

        server.noWelcome(false);
        LoopbackIrcServer.await(() -> connector.status().state() == SourceState.CONNECTED, WAIT, "read once welcomed");
    }

    @Test
    void badLinesAreCountedAndTheConnectionKeepsReading() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = connector(kibLines(server.port()), SocketFactory.getDefault());
        server.awaitJoined(1, WAIT);

        server.send("@only-tags-and-nothing-else");
        server.send(":prefix.only");
        server.send("@id=x :a!a@a PRIVMSG #somechannel");
        server.privmsg("somechannel", tags("25:0-4", "big", 1L, "1"), "a", "Kappa " + "x".repeat(2000));
        server.privmsg("somechannel", tags("25:0-4/88:40-50/bad", "e1", 5L, "7"), "a", "Kappa short");
        server.privmsg("otherchannel", tags("", "elsewhere", 6L, "7"), "a", "not ours");
        server.privmsg("somechannel", tags("", "ok", 7L, "7"), "a", "fine");
        sink.await(e -> e.size() == 2, WAIT);

        List<IngestEvent.Chat> chat = sink.events(IngestEvent.Chat.class);
        assertEquals("twitch:e1", chat.get(0).id());
        assertEquals(List.of("Kappa"), chat.get(0).emotes(), "the valid range is kept, the bad ones counted");
        assertEquals("twitch:ok", chat.get(1).id());
        SourceStatus status = connector.status();
        assertEquals(3, status.errorCount("malformed-line"), status.toString());
        assertEquals(1, status.errorCount("line-too-long"));
        assertEquals(2, status.errorCount("bad-emote-range"));
        assertEquals(SourceState.CONNECTED, status.state());
        assertEquals(1, server.connectionCount(), "bad input never costs the connection");
    }

    /**
     * A CTCP request (VERSION, PING, a bare \u0001) is a client asking the channel's clients something,
     * not a viewer's words: counted as {@code ctcp} and not taken as chat, where {@code /me}'s ACTION is,
     * with or without its closing \u0001. A tag sent empty ({@code tmi-sent-ts=}) is the tag left out,
     * as IRCv3 message tags say: the arrival time, with nothing counted as wrong.
     */
    @Test
    void ctcpRequestsAreNotChatAndAnEmptyTagIsNoTag() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = joined(server);
        server.privmsg("somechannel", tags("", "v1", 1777665600000L, "7"), "a", "\u0001VERSION\u0001");
        server.privmsg("somechannel", tags("", "v2", 1777665600000L, "7"), "a", "\u0001PING 1777665600\u0001");
        server.privmsg("somechannel", tags("", "v3", 1777665600000L, "7"), "a", "\u0001");
        server.privmsg("somechannel", tags("", "v4", 1777665600000L, "7"), "a", "\u0001ACTION waves");
        server.send("@id=v5;user-id=7;tmi-sent-ts= :a!a@a.tmi.twitch.tv PRIVMSG #somechannel :no time");
        sink.await(e -> e.size() == 2, WAIT);

        List<IngestEvent.Chat> chat = sink.events(IngestEvent.Chat.class);
        assertEquals(List.of("twitch:v4", "twitch:v5"), chat.stream().map(IngestEvent.Chat::id).toList());
        assertEquals("waves", chat.get(0).text());
        assertEquals(null, chat.get(1).at(), "arrival time");
        SourceStatus status = connector.status();
        assertEquals(3, status.errorCount("ctcp"), status.toString());
        assertEquals(0, status.errorCount("bad-value"), status.toString());
        assertEquals(1, server.connectionCount());
    }

    /**
     * A tag key given twice in one line counts at its final occurrence only, as IRCv3 message tags
     * say: the last id, user-id and tmi-sent-ts are the message's, a final empty one is the tag left
     * out, and keys differing in case are different keys.
     */
    @Test
    void aTagGivenTwiceCountsAtItsFinalOccurrence() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = joined(server);
        server.send("@id=first;user-id=7;tmi-sent-ts=1777665600000;ID=upper;id=last;user-id=42;tmi-sent-ts=1777665601000"
                + " :viewer42!viewer42@viewer42.tmi.twitch.tv PRIVMSG #somechannel :said twice");
        server.send("@id=d2;tmi-sent-ts=1777665602000;user-id=42;tmi-sent-ts= :viewer42!viewer42@viewer42.tmi.twitch.tv"
                + " PRIVMSG #somechannel :time taken back");
        sink.await(e -> e.size() == 2, WAIT);
        List<IngestEvent.Chat> chat = sink.events(IngestEvent.Chat.class);
        assertEquals(List.of("twitch:last", "twitch:d2"), chat.stream().map(IngestEvent.Chat::id).toList());
        assertEquals(1777665601000L, chat.get(0).at());
        assertEquals("twitch:42", chat.get(0).user());
        assertNull(chat.get(1).at(), "the final tmi-sent-ts is empty: arrival time");
        assertEquals(0, connector.status().errorCount("bad-value"), connector.status().toString());
    }

    /** A host that does not resolve is named as such: the resolver's message is the host alone, which reads as no reason. */
    @Test
    void aHostThatDoesNotResolveIsNamedAsSuch() throws Exception {
        // .invalid never resolves (RFC 6761).
        TwitchChatConnector connector = connector(new TwitchConfig("somechannel", "chat.invalid", 6667, false, null, null, null,
                new BackoffConfig(50L, 400L)), SocketFactory.getDefault());
        LoopbackIrcServer.await(() -> connector.status().errorCount("connect-failed") >= 1, WAIT, "one attempt");
        assertEquals("could not connect to chat.invalid:6667: the host chat.invalid does not resolve; check the twitch host in the node config",
                connector.status().errors().getFirst().lastMessage());
    }

    @Test
    void aRefusedConnectionIsRetriedWithGrowingDelaysAndSaysWhy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TwitchChatConnector connector = connector(plain(port, 60_000, 10_000), SocketFactory.getDefault());
        LoopbackIrcServer.await(() -> connector.status().errorCount("connect-failed") >= 3, WAIT, "three attempts");
        SourceStatus status = connector.status();
        assertTrue(status.state() == SourceState.RECONNECTING || status.state() == SourceState.CONNECTING, status.toString());
        assertTrue(status.errors().getFirst().lastMessage().contains("could not connect to 127.0.0.1:" + port), status.toString());
        connector.close();
        assertEquals(SourceState.STOPPED, connector.status().state());
    }

    @Test
    void messagesTheNodeRefusedAreHandedOverWithTheNextBatch() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = connector(plain(server.port(), 60_000, 10_000), SocketFactory.getDefault());
        server.awaitJoined(1, WAIT);
        sink.refuse("the ingest queue is full");
        server.privmsg("somechannel", tags("", "r1", 1L, "1"), "a", "one");
        server.privmsg("somechannel", tags("", "r2", 2L, "1"), "a", "two");
        LoopbackIrcServer.await(() -> connector.status().errorCount("node-busy") >= 1, WAIT, "a refusal");
        assertEquals(List.of(), sink.events());
        sink.refuse(null);
        server.privmsg("somechannel", tags("", "r3", 3L, "1"), "a", "three");
        sink.await(e -> e.size() == 3, WAIT);
        assertEquals(List.of("twitch:r1", "twitch:r2", "twitch:r3"), sink.events().stream().map(IngestEvent::id).toList());
    }

    /** A node slow to take chat does not hold up the reader: it goes on answering the server's PINGs, and loses nothing. */
    @Test
    void whileTheNodeIsSlowTheReaderGoesOnAnsweringTheServer() throws Exception {
        LoopbackIrcServer server = server(null);
        java.util.concurrent.CountDownLatch engineBack = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch handedOver = new java.util.concurrent.CountDownLatch(1);
        EventSink slow = batch -> {
            handedOver.countDown();
            try {
                engineBack.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sink.accept(batch);
        };
        connector(server, slow);
        open.add(engineBack::countDown);
        server.awaitJoined(1, WAIT);
        server.privmsg("somechannel", tags("", "s1", 1L, "1"), "a", "one");
        assertTrue(handedOver.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), "the message went to the node");
        server.send("PING :tmi.twitch.tv");
        server.awaitReceived("PONG :tmi.twitch.tv"::equals, WAIT);
        server.privmsg("somechannel", tags("", "s2", 2L, "1"), "a", "two");
        engineBack.countDown();
        sink.await(e -> e.size() == 2, WAIT);
        assertEquals(List.of("twitch:s1", "twitch:s2"), sink.events().stream().map(IngestEvent::id).toList());
    }

    /** A line that arrives in two pieces with a read timeout between them is read whole. */
    @Test
    void aLineCutByAReadTimeoutIsReadWholeWhenTheRestArrives() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = connector(plain(server.port(), 300, 5_000), SocketFactory.getDefault());
        server.awaitJoined(1, WAIT);
        server.stall(true);
        server.sendPiece("@" + tags("", "half", 1L, "5") + " :a!a@a.tmi.twitch.tv PRIVMSG #somechannel :first ha");
        server.awaitReceived("PING :edgedeck"::equals, WAIT);
        server.sendPiece("lf\r\n");
        server.stall(false);
        server.privmsg("somechannel", tags("", "next", 2L, "5"), "a", "second");
        sink.await(e -> e.size() == 2, WAIT);
        List<IngestEvent.Chat> chat = sink.events(IngestEvent.Chat.class);
        assertEquals(List.of("twitch:half", "twitch:next"), chat.stream().map(IngestEvent::id).toList());
        assertEquals("first half", chat.get(0).text());
        SourceStatus status = connector.status();
        assertEquals(List.of(), status.errors());
        assertEquals(1, server.connectionCount());
    }

    /** The line limit is on the line itself: a line of exactly maxLineBytes is kept although CRLF follows it. */
    @Test
    void aLineOfExactlyTheLimitIsKeptItsCrlfNotCounted() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = connector(kibLines(server.port()), SocketFactory.getDefault());
        server.awaitJoined(1, WAIT);
        String head = "@" + tags("", "exact", 1L, "5") + " :a!a@a.tmi.twitch.tv PRIVMSG #somechannel :";
        server.send(head + "x".repeat(1024 - head.length()));
        String over = "@" + tags("", "over", 2L, "5") + " :a!a@a.tmi.twitch.tv PRIVMSG #somechannel :";
        server.send(over + "x".repeat(1025 - over.length()));
        server.privmsg("somechannel", tags("", "after", 3L, "5"), "a", "short");
        sink.await(e -> e.size() == 2, WAIT);
        assertEquals(List.of("twitch:exact", "twitch:after"), sink.events().stream().map(IngestEvent::id).toList());
        SourceStatus status = connector.status();
        assertEquals(1, status.errorCount("line-too-long"), status.toString());
        assertTrue(status.errors().getFirst().lastMessage().contains("a line of 1025 bytes"), status.toString());
    }

    /** Only the NOTICEs with which Twitch refuses a login end the session; a ban or a moderation notice does not. */
    @Test
    void onlyALoginRefusalNoticeEndsTheSession() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = joined(server);
        server.send("@msg-id=msg_banned :tmi.twitch.tv NOTICE #somechannel :You are permanently banned from talking in somechannel.");
        server.send("@msg-id=msg_rejected_mandatory :tmi.twitch.tv NOTICE #somechannel :Your message wasn't posted due to "
                + "conflicts with the channel's moderation settings set by the author.");
        server.send(":tmi.twitch.tv NOTICE #somechannel :Login to chat with the authority of a moderator.");
        server.privmsg("somechannel", tags("", "n1", 1L, "1"), "a", "still reading");
        sink.await(e -> e.size() == 1, WAIT);
        SourceStatus status = connector.status();
        assertEquals(0, status.errorCount("login-failed"), status.toString());
        assertEquals(1, server.connectionCount());

        server.send(":tmi.twitch.tv NOTICE * :Login authentication failed");
        LoopbackIrcServer.await(() -> connector.status().errorCount("login-failed") == 1, WAIT, "the login refusal");
        server.awaitJoined(2, WAIT);
        server.send(":tmi.twitch.tv NOTICE * :Improperly formatted auth");
        LoopbackIrcServer.await(() -> connector.status().errorCount("login-failed") == 2, WAIT, "the second login refusal");
    }

    /** Without a user-id tag the user is the login from the prefix; with no login either, there is no user, never "null". */
    @Test
    void aMessageWithoutUserIdTakesTheLoginOrNoUser() throws Exception {
        LoopbackIrcServer server = server(null);
        joined(server);
        server.send("@id=u1;tmi-sent-ts=1 :viewer42!viewer42@viewer42.tmi.twitch.tv PRIVMSG #somechannel :with a login");
        server.send("@id=u2;tmi-sent-ts=2;user-id= PRIVMSG #somechannel :no prefix at all");
        server.send("@id=u3;tmi-sent-ts=3 :tmi.twitch.tv PRIVMSG #somechannel :from the server");
        sink.await(e -> e.size() == 3, WAIT);
        List<IngestEvent.Chat> chat = sink.events(IngestEvent.Chat.class);
        assertEquals("twitch:login:viewer42", chat.get(0).user());
        assertNull(chat.get(1).user());
        assertNull(chat.get(2).user());
    }

    /**
     * A viewer is one user whether or not its messages carry user-id: a login first counted by its
     * login keeps that name when its id arrives, tagged or untagged. A login never seen with an id is
     * named as a login, so an all-digit login is never another viewer's id, and a user-id that is no
     * id is not taken.
     */
    @Test
    void aViewerIsOneUserWithOrWithoutUserIdAndALoginIsNeverAnId() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = joined(server);
        server.send("@id=v1;tmi-sent-ts=1 :viewer42!viewer42@viewer42.tmi.twitch.tv PRIVMSG #somechannel :id not known yet");
        server.privmsg("somechannel", tags("", "v2", 2L, "1337"), "viewer42", "tagged");
        server.send("@id=v3;tmi-sent-ts=3 :Viewer42!viewer42@viewer42.tmi.twitch.tv PRIVMSG #somechannel :untagged again");
        server.send("@id=v4;tmi-sent-ts=4 :1337!1337@1337.tmi.twitch.tv PRIVMSG #somechannel :an all-digit login");
        server.privmsg("somechannel", tags("", "v5", 5L, "login:viewer7"), "viewer8", "a user-id that is no id");
        sink.await(e -> e.size() == 5, WAIT);
        assertEquals(List.of("twitch:login:viewer42", "twitch:login:viewer42", "twitch:login:viewer42", "twitch:login:1337",
                        "twitch:login:viewer8"),
                sink.events(IngestEvent.Chat.class).stream().map(IngestEvent.Chat::user).toList());
        assertEquals(1, connector.status().errorCount("bad-value"), connector.status().toString());
    }

    /**
     * A line whose bytes are not UTF-8 (a lone surrogate encoded as if it were a character, as a
     * broken client's CESU-8 does) cannot be refused: the message is kept with U+FFFD in their place,
     * counted as malformed text, and the connection goes on.
     */
    @Test
    void bytesThatAreNotUtf8AreReplacedAndCounted() throws Exception {
        LoopbackIrcServer server = server(null);
        TwitchChatConnector connector = joined(server);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        line.writeBytes(("@" + tags("", "s1", 1L, "5") + " :viewer5!viewer5@viewer5.tmi.twitch.tv PRIVMSG #somechannel :cut ")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        line.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, '\r', '\n'});
        server.sendBytes(line.toByteArray());
        server.privmsg("somechannel", tags("", "s2", 2L, "5"), "viewer5", "fine \uD83D\uDE00");
        sink.await(e -> e.size() == 2, WAIT);
        List<IngestEvent.Chat> chat = sink.events(IngestEvent.Chat.class);
        assertEquals(-1, io.edgedeck.simulator.scenario.Surrogates.firstUnpaired(chat.get(0).text()), chat.get(0).text());
        assertTrue(chat.get(0).text().startsWith("cut \uFFFD"), chat.get(0).text());
        assertEquals("fine \uD83D\uDE00", chat.get(1).text());
        assertEquals(1, connector.status().errorCount("malformed-text"), connector.status().toString());
    }

    /** A connector on plain TCP to {@code server}, remembering viewers in {@code data}, once joined. */
    private TwitchChatConnector remembering(LoopbackIrcServer server, Path data) throws Exception {
        TwitchChatConnector c = started(new TwitchChatConnector(plain(server.port(), 60_000, 10_000), sink, InstantSource.system(),
                SocketFactory.getDefault(), new Random(7), data, io.edgedeck.simulator.server.privacy.UnitKeys.loadOrCreate(data)));
        server.awaitJoined(1, WAIT);
        return c;
    }

    /**
     * What the node knows of its viewers lasts across a restart: a login seen with its id is named by
     * it after the restart too, and a login counted by its login before the restart keeps that name
     * when its id comes after it. The file is the owner's alone.
     */
    @Test
    void aViewerIsOneUserAcrossARestart(@TempDir Path data) throws Exception {
        LoopbackIrcServer before = server(null);
        TwitchChatConnector first = remembering(before, data);
        before.privmsg("somechannel", tags("", "r1", 1L, "1337"), "viewer42", "tagged");
        before.send("@id=r2;tmi-sent-ts=2 :viewer9!viewer9@viewer9.tmi.twitch.tv PRIVMSG #somechannel :untagged");
        sink.await(e -> e.size() == 2, WAIT);
        first.close();

        LoopbackIrcServer after = server(null);
        TwitchChatConnector second = remembering(after, data);
        after.send("@id=r3;tmi-sent-ts=3 :viewer42!viewer42@viewer42.tmi.twitch.tv PRIVMSG #somechannel :untagged now");
        after.privmsg("somechannel", tags("", "r4", 4L, "77"), "viewer9", "tagged now");
        sink.await(e -> e.size() == 4, WAIT);
        List<String> users = sink.events(IngestEvent.Chat.class).stream().map(IngestEvent.Chat::user).toList();
        assertEquals(List.of("twitch:1337", "twitch:login:viewer9"), users.subList(0, 2));
        // The node keys each user; one remembered across the restart comes as the key of its name, kept as it is.
        var keys = io.edgedeck.simulator.server.privacy.UnitKeys.loadOrCreate(data);
        assertEquals(List.of(keys.key("twitch:1337"), keys.key("twitch:login:viewer9"), keys.key("twitch:1337"),
                keys.key("twitch:login:viewer9")), users.stream().map(keys::key).toList());
        assertEquals(List.of(), second.status().errors(), second.status().toString());
        Path file = TwitchChatConnector.viewersFile(data, "somechannel");
        TwitchUsersTest.assertKeysOnly(java.nio.file.Files.readString(file), "viewer42", "viewer9");
        if (java.nio.file.Files.getFileStore(data).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file)));
        }
    }

    /**
     * A server that sends RECONNECT right after every JOIN: the first is followed at once, the next
     * ones wait longer each time and are counted; a connection that lasted makes the next RECONNECT
     * a first one again.
     */
    @Test
    void aServerClosingEachConnectionRightAfterTheJoinIsNotHammered() throws Exception {
        LoopbackIrcServer server = server(null);
        server.closeOnJoin(true);
        TwitchConfig config = new TwitchConfig("somechannel", "127.0.0.1", server.port(), false, null, null, null,
                new BackoffConfig(200L, 800L));
        TwitchChatConnector connector = connector(config, SocketFactory.getDefault());
        server.awaitJoined(1, WAIT);
        Thread.sleep(2000);
        int connections = server.connectionCount();
        // Delays of 0.1-0.2, 0.2-0.4, then 0.4-0.8 s: about 5 connections in 2 s; the same short delay each time would make 10 or more.
        assertTrue(connections <= 7, "a growing delay between connections: " + connections + " connections in 2 s");
        assertTrue(connector.status().errorCount("connection-lost") >= 2, connector.status().toString());
    }

    /** A channel Twitch says does not exist or is suspended is never shown as read: the source says why, and tries again later. */
    @Test
    void aSuspendedChannelIsNamedAndNotShownConnected() throws Exception {
        LoopbackIrcServer server = server(null);
        server.afterJoin("@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #channel :This channel does not exist or has been suspended.");
        TwitchChatConnector connector = connector(plain(server.port(), 60_000, 10_000), SocketFactory.getDefault());
        LoopbackIrcServer.await(() -> connector.status().errorCount("channel-unavailable") >= 1, WAIT, "the channel named unavailable");
        SourceStatus status = connector.status();
        assertTrue(status.errors().stream().anyMatch(e -> e.lastMessage().contains("does not exist or has been suspended")),
                status.toString());
        LoopbackIrcServer.await(() -> connector.status().state() == SourceState.RECONNECTING, WAIT, "waiting to try again");
        String why = connector.status().why();
        assertTrue(why.startsWith("#somechannel cannot be read: This channel does not exist or has been suspended; trying again in "), why);
        server.afterJoin(null);
        LoopbackIrcServer.await(() -> connector.status().state() == SourceState.CONNECTED, WAIT, "connected once the channel is back");
    }

    @Test
    void aServerAskingToReconnectAgainAndAgainIsNotHammered() throws Exception {
        LoopbackIrcServer server = server(null);
        server.reconnectOnJoin(true);
        java.util.concurrent.atomic.AtomicLong later = new java.util.concurrent.atomic.AtomicLong();
        InstantSource clock = () -> java.time.Instant.now().plusMillis(later.get());
        TwitchConfig config = new TwitchConfig("somechannel", "127.0.0.1", server.port(), false, null, null, null,
                new BackoffConfig(200L, 800L));
        TwitchChatConnector connector = new TwitchChatConnector(config, sink, clock, SocketFactory.getDefault(), new Random(7));
        open.add(connector);
        connector.start();
        server.awaitJoined(2, WAIT);
        Thread.sleep(1500);
        int connections = server.connectionCount();
        assertTrue(connections <= 10, "a growing delay between connections, not a tight loop: " + connections
                + " connections in 1.5 s");
        SourceStatus status = connector.status();
        assertTrue(status.errorCount("reconnect-repeated") >= 2, status.toString());
        assertTrue(status.errors().stream().anyMatch(e -> e.lastMessage().contains("asked to reconnect again")), status.toString());

        server.reconnectOnJoin(false);
        Thread.sleep(1200);
        LoopbackIrcServer.await(() -> connector.status().state() == SourceState.CONNECTED, WAIT, "connected");
        long repeated = connector.status().errorCount("reconnect-repeated");
        later.addAndGet(TwitchChatConnector.STEADY_MILLIS);
        int before = server.connectionCount();
        server.send(":tmi.twitch.tv RECONNECT");
        server.awaitJoined(before + 1, WAIT);
        assertEquals(repeated, connector.status().errorCount("reconnect-repeated"),
                "a RECONNECT after a connection that lasted is followed at once, not counted");
    }

    /**
     * Without an id tag the line names the message: the same line with its tmi-sent-ts counts once,
     * but a viewer repeating a message with no tags to tell the two apart counts each time.
     */
    @Test
    void withoutAnIdTagARepeatedUntimedMessageCountsEachTime() throws Exception {
        LoopbackIrcServer server = server(null);
        joined(server);
        String untimed = ":viewer42!viewer42@viewer42.tmi.twitch.tv PRIVMSG #somechannel :gg";
        server.send(untimed);
        server.send(untimed);
        String timed = "@tmi-sent-ts=5;user-id=42 :viewer42!viewer42@viewer42.tmi.twitch.tv PRIVMSG #somechannel :gg";
        server.send(timed);
        server.send(timed);
        sink.await(e -> e.size() == 4, WAIT);
        List<String> ids = sink.events().stream().map(IngestEvent::id).toList();
        assertNotEquals(ids.get(0), ids.get(1), ids.toString());
        assertEquals(ids.get(2), ids.get(3), ids.toString());
    }

    /** A node that fails to take a batch in a way it did not foresee: the messages are kept and handed over later. */
    @Test
    void aBatchTheNodeFailedToTakeIsKeptAndTriedAgain() throws Exception {
        LoopbackIrcServer server = server(null);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        EventSink failingOnce = batch -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the engine stopped");
            }
            return sink.accept(batch);
        };
        TwitchChatConnector connector = connector(server, failingOnce);
        server.awaitJoined(1, WAIT);
        server.privmsg("somechannel", tags("", "f1", 1L, "1"), "a", "one");
        sink.await(e -> e.size() == 1, Duration.ofSeconds(15));
        assertEquals(1, connector.status().errorCount("node-error"), connector.status().toString());
        assertEquals(List.of("twitch:f1"), sink.events().stream().map(IngestEvent::id).toList());
    }

    @Test
    void ircLinesParseWithEscapedTagsAndTrailingParameters() {
        IrcMessage m = IrcMessage.parse("@display-name=A\\sB;msg=semi\\:colon\\\\;flag :nick!u@h PRIVMSG #chan :hello there :)");
        assertEquals("A B", m.tags().get("display-name"));
        assertEquals("semi;colon\\", m.tags().get("msg"));
        assertEquals("", m.tags().get("flag"));
        assertEquals("nick", m.nick());
        assertEquals(List.of("#chan", "hello there :)"), m.params());
        IrcMessage ping = IrcMessage.parse("PING :tmi.twitch.tv");
        assertNull(ping.prefix());
        assertEquals("tmi.twitch.tv", ping.param(0));
        assertFalse(TwitchConfig.of("#Some_Channel").tls() == null);
        assertEquals(6697, TwitchConfig.of("x1").port());
    }
}
