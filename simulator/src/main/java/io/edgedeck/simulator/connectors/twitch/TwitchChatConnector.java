package io.edgedeck.simulator.connectors.twitch;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.connectors.Backoff;
import io.edgedeck.simulator.connectors.BoundedLineReader;
import io.edgedeck.simulator.connectors.Connector;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.EventSink;
import io.edgedeck.simulator.connectors.Hashes;
import io.edgedeck.simulator.connectors.SinkRefusedException;
import io.edgedeck.simulator.server.privacy.UnitKeys;

import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Reads one Twitch channel's chat over Twitch IRC and hands each message to the node as an
 * {@link IngestEvent.Chat}: channel {@code twitch:<channel>}, user {@code twitch:<user-id>} (or
 * {@code twitch:login:<login>} for a login not yet seen with its id, or the node's key of the name a
 * viewer remembered from before a restart was first counted under, see {@link TwitchUsers}), the
 * emotes Twitch marked, and the message's own id (so a message seen twice counts once). One job:
 * the IRC client (session, keep-alive, reconnects, handing messages over); lines are parsed by
 * {@link IrcMessage}, emote ranges by {@link TwitchEmotes}.
 *
 * <p>The session is the one Twitch documents for an anonymous, read-only reader: TLS to port 6697,
 * {@code CAP REQ :twitch.tv/tags twitch.tv/commands} (so emotes and user ids arrive as IRCv3 tags),
 * {@code NICK justinfan<digits>} with no password, then {@code JOIN #channel} once welcomed. It answers
 * every PING, pings a quiet server itself and reconnects when that gets no answer, reconnects at once
 * on {@code RECONNECT} (but a RECONNECT less than {@value #STEADY_MILLIS} ms after connecting, with
 * another like it before and no connection lasting that long in between, waits a growing delay and
 * is counted as {@code reconnect-repeated}), and after a dropped or refused connection waits a
 * jittered, growing delay.
 *
 * <p>Threads: one reader thread per channel ({@code edgedeck-twitch-<channel>}) does all the I/O;
 * a delivering thread ({@code edgedeck-twitch-<channel>-deliver}) hands the messages to the sink, a
 * batch at a time, so a node slow to take them never holds up the reader, which must go on answering
 * the server's PINGs; nothing blocks the engine. Messages the node refused are kept (up to
 * {@value #MAX_PENDING}) and handed over again once the wait the node asked for has passed; past
 * that bound the oldest are dropped and counted as {@code backlog-dropped}.
 */
public final class TwitchChatConnector implements Connector {
    public static final String KIND = "twitch";
    static final int MAX_PENDING = 10_000;
    private static final int BATCH = 500;
    /** Logins remembered with their user ids, so a viewer's untagged messages name it by its id. */
    static final int MAX_KNOWN_LOGINS = 20_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** A connection that lasted this long was a good one: a RECONNECT that ends it is followed at once. */
    static final long STEADY_MILLIS = 30_000;
    /**
     * The NOTICE texts with which Twitch refuses a login (in lowercase), the whole text each: other
     * NOTICEs (a ban, a moderation message) say something about the channel, not the session.
     */
    private static final java.util.Set<String> LOGIN_REFUSED = java.util.Set.of(
            "login authentication failed", "improperly formatted auth", "login unsuccessful");
    /** The NOTICE msg-id with which Twitch answers a JOIN of a channel that does not exist or is suspended. */
    private static final String CHANNEL_GONE = "msg_channel_suspended";

    private final TwitchConfig config;
    private final EventSink sink;
    private final InstantSource clock;
    private final SocketFactory sockets;
    private final RandomGenerator random;
    private final ConnectorCounters counters;
    /** Messages waiting for the node, oldest first; guarded by itself. */
    private final ArrayDeque<IngestEvent> pending = new ArrayDeque<>();
    /** Whether what waits should go now (a burst of lines ended, or a batch is full); guarded by {@link #pending}. */
    private boolean due;
    private volatile boolean closed;
    /** Who sent each message, by id or login: named on the reader thread, saved on the delivering one; kept across reconnects. */
    private final TwitchUsers users;
    /** Messages seen without id and tmi-sent-ts tags; the reader thread's alone. */
    private long untimedMessages;
    private volatile Socket socket;
    private Thread reader;
    private Thread deliverer;

    /**
     * @param dataDir where the viewers' names are remembered across restarts ({@link #viewersFile}), by their keys
     *                under {@code keys}; null to remember them only while the process runs
     * @param keys    the node's unit keys, the ones its core counts units by; null (a node that keys no unit) to
     *                remember the viewers only while the process runs
     */
    public TwitchChatConnector(TwitchConfig config, EventSink sink, InstantSource clock, Path dataDir, UnitKeys keys) {
        this(config, sink, clock, config.tls() ? SSLSocketFactory.getDefault() : SocketFactory.getDefault(),
                RandomGenerator.getDefault(), dataDir, keys);
    }

    /** With the socket factory given: tests connect to their own TLS server. */
    TwitchChatConnector(TwitchConfig config, EventSink sink, InstantSource clock, SocketFactory sockets, RandomGenerator random) {
        this(config, sink, clock, sockets, random, null, null);
    }

    TwitchChatConnector(TwitchConfig config, EventSink sink, InstantSource clock, SocketFactory sockets, RandomGenerator random,
                        Path dataDir, UnitKeys keys) {
        this.users = dataDir == null || keys == null ? new TwitchUsers(MAX_KNOWN_LOGINS)
                : new TwitchUsers(MAX_KNOWN_LOGINS, viewersFile(dataDir, config.channel()), keys);
        this.config = config;
        this.sink = sink;
        this.clock = clock;
        this.sockets = sockets;
        this.random = random;
        this.counters = new ConnectorCounters(KIND, config.channel(), clock, SourceState.STOPPED, "not started");
    }

    /** The file in {@code dataDir} that remembers the names of {@code channel}'s viewers, by their keys. */
    public static Path viewersFile(Path dataDir, String channel) {
        return dataDir.resolve("twitch-" + channel + ".viewers.jsonl");
    }

    @Override
    public synchronized void start() {
        if (reader != null || closed) {
            return;
        }
        reader = Thread.ofPlatform().daemon().name("edgedeck-twitch-" + config.channel()).start(this::run);
        deliverer = Thread.ofPlatform().daemon().name("edgedeck-twitch-" + config.channel() + "-deliver").start(this::deliver);
    }

    @Override
    public ConnectorCounters counters() {
        return counters;
    }

    @Override
    public SourceStatus status() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        List<Thread> threads = new ArrayList<>();
        synchronized (this) {
            closed = true;
            if (reader != null) {
                threads.add(reader);
                threads.add(deliverer);
            }
        }
        closeQuietly(socket);
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        users.close();
        counters.state(SourceState.STOPPED, "stopped by the node");
    }

    /** The reader thread: connect, read until the connection ends, wait, again. */
    private void run() {
        try {
            int unreadable = users.load();
            if (unreadable > 0) {
                counters.error("viewers-unreadable", unreadable + " lines of the remembered viewers could not be read (one a"
                        + " crash cut short, say); those viewers are named afresh");
            }
        } catch (IOException e) {
            counters.error("viewers-unreadable", "the remembered viewers could not be read (" + e.getMessage()
                    + "); viewers are remembered only until the node stops");
        }
        Backoff backoff = new Backoff(config.backoff(), random);
        // RECONNECTs in a row, each ending a connection younger than STEADY_MILLIS: the first is
        // followed at once, the next ones wait, longer each time, so a server asking again and again
        // does not get a new connection every moment.
        Backoff reconnects = new Backoff(config.backoff(), random);
        int hastyReconnects = 0;
        String where = config.host() + ":" + config.port();
        while (!closed) {
            counters.state(SourceState.CONNECTING, "connecting to " + where + (config.tls() ? " (TLS)" : ""));
            String why;
            boolean immediately = false;
            boolean askedAgain = false;
            boolean opened = false;
            long openedAt = 0;
            try (Socket s = open()) {
                opened = true;
                openedAt = clock.millis();
                Session session = new Session(s);
                session.read();
                why = "the server closed the connection";
                counters.error("connection-lost", why);
            } catch (ReconnectRequested e) {
                why = "Twitch asked the client to reconnect (RECONNECT)";
                long lasted = clock.millis() - openedAt;
                askedAgain = lasted < STEADY_MILLIS && hastyReconnects++ > 0;
                immediately = !askedAgain;
                if (askedAgain) {
                    counters.error("reconnect-repeated", "Twitch asked to reconnect again, " + lasted
                            + " ms after connecting; waiting before doing so");
                }
            } catch (Stalled e) {
                why = e.getMessage();
                counters.error("stalled", why);
            } catch (LoginFailed e) {
                why = e.getMessage();
                counters.error("login-failed", why);
            } catch (LoginTimedOut e) {
                why = e.getMessage();
                counters.error("login-timeout", why);
            } catch (ChannelUnavailable e) {
                why = e.getMessage();
                counters.error("channel-unavailable", why);
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                why = opened ? "the connection dropped: " + e.getMessage()
                        : e instanceof UnknownHostException
                        // Its message is the host alone ("chat.example.com"), which reads as no reason at all.
                        ? "could not connect to " + where + ": the host " + config.host() + " does not resolve; check the twitch host in the node config"
                        : "could not connect to " + where + ": " + e.getMessage();
                counters.error(opened ? "connection-lost" : "connect-failed", why);
            } finally {
                socket = null;
                ready();
            }
            if (closed) {
                break;
            }
            if (opened && clock.millis() - openedAt >= STEADY_MILLIS) {
                // Only a connection that lasted starts the delays over: one the server ends right after
                // the JOIN, again and again, waits longer each time, as a refused connection does.
                hastyReconnects = 0;
                reconnects.reset();
                backoff.reset();
            }
            long delay = immediately ? 0 : askedAgain ? reconnects.nextDelayMillis() : backoff.nextDelayMillis();
            // A server's sentence keeps its full stop out of the middle of the line: "... suspended; trying again".
            String cause = why.endsWith(".") ? why.substring(0, why.length() - 1) : why;
            counters.state(SourceState.RECONNECTING, cause + (delay == 0 ? "; reconnecting now"
                    : String.format(java.util.Locale.ROOT, "; trying again in %.1f s", delay / 1000.0)));
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
    }

    /**
     * A connected socket, its TLS handshake done. Known to {@link #close} from the start, so closing
     * the connector ends a connect or handshake in progress; a server that accepts and then says
     * nothing fails the handshake within the idle time (at most the connect timeout), not never.
     */
    private Socket open() throws IOException {
        Socket s = sockets.createSocket();
        socket = s;
        try {
            if (closed) {
                throw new IOException("the connector is closed");
            }
            s.connect(new InetSocketAddress(config.host(), config.port()), CONNECT_TIMEOUT_MILLIS);
            if (s instanceof SSLSocket ssl) {
                ssl.setSoTimeout((int) Math.min(CONNECT_TIMEOUT_MILLIS, config.idleMillis()));
                SSLParameters params = ssl.getSSLParameters();
                // The certificate must be for the host named in the config, as a browser would check it.
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.startHandshake();
            }
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /** One connection's conversation. */
    private final class Session {
        private final Socket socket;
        private final OutputStream out;
        private final BoundedLineReader lines;
        private final String nick;
        private boolean welcomed;
        private boolean joined;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.lines = new BoundedLineReader(socket.getInputStream(), config.maxLineBytes());
            this.nick = "justinfan" + (10_000 + random.nextInt(90_000));
        }

        void read() throws IOException {
            send("CAP REQ :twitch.tv/tags twitch.tv/commands");
            send("NICK " + nick);
            socket.setSoTimeout((int) (long) config.idleMillis());
            boolean pinged = false;
            // A server that takes the connection, answers PINGs and never welcomes the node (or never
            // confirms its JOIN) is not read: it gets pongTimeoutMillis from the NICK to do both.
            long loginBy = System.nanoTime() + config.pongTimeoutMillis() * 1_000_000;
            while (!closed) {
                if (!joined) {
                    long left = Math.ceilDiv(loginBy - System.nanoTime(), 1_000_000);
                    if (left <= 0) {
                        throw new LoginTimedOut(welcomed
                                ? "the server welcomed the node and did not confirm its JOIN of #" + config.channel()
                                + " within " + config.pongTimeoutMillis() + " ms"
                                : "the server did not welcome the node (001) within " + config.pongTimeoutMillis() + " ms of its NICK");
                    }
                    socket.setSoTimeout((int) Math.min(left, pinged ? config.pongTimeoutMillis() : config.idleMillis()));
                }
                BoundedLineReader.Line line;
                try {
                    line = lines.next();
                } catch (SocketTimeoutException quiet) {
                    if (!joined && loginBy - System.nanoTime() <= 0) {
                        continue;
                    }
                    if (pinged) {
                        throw new Stalled("the server sent nothing for " + (config.idleMillis() + config.pongTimeoutMillis())
                                + " ms and did not answer a PING");
                    }
                    send("PING :edgedeck");
                    pinged = true;
                    socket.setSoTimeout((int) (long) config.pongTimeoutMillis());
                    continue;
                }
                if (line == null) {
                    return;
                }
                if (pinged) {
                    pinged = false;
                    socket.setSoTimeout((int) (long) config.idleMillis());
                }
                if (line.tooLong()) {
                    counters.error("line-too-long", "a line of " + line.length() + " bytes is over the limit of "
                            + config.maxLineBytes() + " bytes; skipped");
                } else if (!line.text().isEmpty()) {
                    if (line.replaced()) {
                        // Twitch sends UTF-8; bytes that are not (a lone surrogate's encoding, say) are read as U+FFFD.
                        counters.error("malformed-text", "line " + line.number() + " held bytes that are not UTF-8 text;"
                                + " read with U+FFFD in their place");
                    }
                    handle(line.text());
                }
                if (!lines.buffered() || pendingCount() >= BATCH) {
                    ready();
                }
            }
        }

        private void handle(String text) throws IOException {
            IrcMessage m;
            try {
                m = IrcMessage.parse(text);
            } catch (IllegalArgumentException e) {
                counters.error("malformed-line", "not an IRC line (" + e.getMessage() + "): " + abbreviate(text));
                return;
            }
            switch (m.command()) {
                case "PING" -> send("PONG :" + (m.param(0) == null ? "tmi.twitch.tv" : m.param(0)));
                case "RECONNECT" -> throw new ReconnectRequested();
                case "001" -> {
                    welcomed = true;
                    send("JOIN #" + config.channel());
                }
                case "JOIN" -> {
                    if (nick.equalsIgnoreCase(m.nick())) {
                        joined = true;
                        socket.setSoTimeout((int) (long) config.idleMillis());
                        counters.state(SourceState.CONNECTED, "reading #" + config.channel() + " as " + nick);
                    }
                }
                case "CAP" -> {
                    if ("NAK".equalsIgnoreCase(m.param(1))) {
                        counters.error("tags-refused", "the server refused the tags capability: messages arrive without "
                                + "user ids and emotes");
                    }
                }
                case "NOTICE" -> {
                    String notice = m.param(1) == null ? "" : m.param(1);
                    if (LOGIN_REFUSED.contains(notice.strip().toLowerCase(java.util.Locale.ROOT))) {
                        throw new LoginFailed("the server refused the login: " + notice);
                    }
                    if (CHANNEL_GONE.equals(m.tags().get("msg-id"))) {
                        // Joined, but there is nothing to read: not "connected" to a channel's chat.
                        throw new ChannelUnavailable("#" + config.channel() + " cannot be read: " + notice);
                    }
                }
                case "PRIVMSG" -> message(m, text);
                default -> {
                    // ROOMSTATE, USERSTATE, CLEARCHAT and the like say nothing about the audience's words.
                }
            }
        }

        private void message(IrcMessage m, String raw) {
            String target = m.param(0);
            String body = m.param(1);
            if (target == null || body == null) {
                counters.error("malformed-line", "PRIVMSG without channel and text: " + abbreviate(raw));
                return;
            }
            if (!target.equalsIgnoreCase("#" + config.channel())) {
                return;
            }
            if (body.startsWith("\u0001ACTION ")) {
                // /me: the closing \u0001 is optional in CTCP.
                body = body.substring(8, body.endsWith("\u0001") ? body.length() - 1 : body.length());
            } else if (body.startsWith("\u0001")) {
                // VERSION, PING and the like ask the channel's clients something; they are no viewer's words.
                counters.error("ctcp", "a CTCP " + ctcpCommand(body) + " request, not a chat message; skipped");
                return;
            }
            List<String> problems = new ArrayList<>(0);
            List<String> emotes = m.tags().containsKey("emotes")
                    ? TwitchEmotes.names(m.tags().get("emotes"), body, problems) : null;
            for (String p : problems) {
                counters.error("bad-emote-range", p + " (message kept without it)");
            }
            Long at = null;
            String sent = m.tags().get("tmi-sent-ts");
            if (sent != null && sent.isEmpty()) {
                sent = null; // IRCv3: a tag sent empty is the tag left out
            }
            if (sent != null) {
                try {
                    at = Long.parseLong(sent);
                } catch (NumberFormatException e) {
                    counters.error("bad-value", "tmi-sent-ts is not epoch ms: " + sent + " (arrival time used)");
                }
            }
            String messageId = m.tags().get("id");
            String id = "twitch:" + (messageId != null && !messageId.isEmpty() ? messageId : idWithoutTag(raw, sent != null));
            String login = m.prefix() != null && m.prefix().contains("!") ? m.nick() : null;
            problems.clear();
            String user = users.user(m.tags().get("user-id"), login, problems);
            for (String p : problems) {
                counters.error("bad-value", p + " (the login used)");
            }
            enqueue(new IngestEvent.Chat(id, at, body, null, "twitch:" + config.channel(), user, emotes));
        }

        /** The command of a CTCP body ({@code \u0001VERSION\u0001}), in the words of a count: {@code VERSION}, or {@code empty}. */
        private static String ctcpCommand(String body) {
            String inner = body.substring(1, body.endsWith("\u0001") && body.length() > 1 ? body.length() - 1 : body.length());
            int space = inner.indexOf(' ');
            String command = space < 0 ? inner : inner.substring(0, space);
            return command.isBlank() ? "(empty)" : abbreviate(command);
        }

        /**
         * An id for a message that came without one. With its tmi-sent-ts the line itself names the
         * message: the same line again (same user, text and sending time) is the same message. Without
         * one (tags refused) a viewer saying "gg" twice sends the same line twice, so each arrival gets
         * an id of its own.
         */
        private String idWithoutTag(String raw, boolean timed) {
            return Hashes.contentId(timed ? raw : raw + "\n" + clock.millis() + "#" + ++untimedMessages);
        }

        private void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void enqueue(IngestEvent event) {
        synchronized (pending) {
            pending.addLast(event);
            keepWithinBound();
        }
    }

    /** Drops the oldest waiting messages past {@value #MAX_PENDING}, counted. Holds {@link #pending}. */
    private void keepWithinBound() {
        while (pending.size() > MAX_PENDING) {
            pending.removeFirst();
            counters.error("backlog-dropped", "the node refused chat for longer than " + MAX_PENDING
                    + " messages; the oldest waiting message was dropped");
        }
    }

    private int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Reader thread: what waits goes to the node now, on the delivering thread. */
    private void ready() {
        synchronized (pending) {
            if (!pending.isEmpty()) {
                due = true;
                pending.notifyAll();
            }
        }
    }

    /**
     * The delivering thread: hands what waits to the node, {@value #BATCH} messages at a time, in
     * order. A batch the node refused goes back to the head of the queue, and is tried again once
     * the wait the node asked for has passed, with whatever came meanwhile.
     */
    private void deliver() {
        long retryAt = System.nanoTime();
        List<IngestEvent> batch = new ArrayList<>();
        while (!closed) {
            synchronized (pending) {
                try {
                    while (!closed && (!due || pending.isEmpty() || retryAt - System.nanoTime() > 0)) {
                        pending.wait(due && !pending.isEmpty() ? Math.max(1, (retryAt - System.nanoTime()) / 1_000_000) : 0);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                while (batch.size() < BATCH && !pending.isEmpty()) {
                    batch.add(pending.removeFirst());
                }
                due = !pending.isEmpty();
            }
            try {
                // The names these messages were given last across a restart before the node takes them.
                users.save();
                counters.taken(batch.size(), sink.accept(List.copyOf(batch)));
            } catch (IOException e) {
                counters.error("viewers-unsaved", "the viewers' names could not be saved (" + e.getMessage() + "); "
                        + batch.size() + " chat messages kept, tried again in 5 s");
                retryAt = System.nanoTime() + 5_000_000_000L;
                requeue(batch);
            } catch (SinkRefusedException | RuntimeException e) {
                // Refused, or failed in a way the node did not foresee: kept and tried again, never dropped with the thread.
                long wait = e instanceof SinkRefusedException r ? Math.max(1, r.retryAfterSeconds()) : 5;
                counters.error(e instanceof SinkRefusedException ? "node-busy" : "node-error", "the node did not take "
                        + batch.size() + " chat messages (kept, tried again in " + wait + " s): " + e.getMessage());
                retryAt = System.nanoTime() + wait * 1_000_000_000L;
                requeue(batch);
            }
            batch.clear();
        }
    }

    /** Puts a batch not handed over back at the head of what waits, in order. */
    private void requeue(List<IngestEvent> batch) {
        synchronized (pending) {
            for (IngestEvent event : batch.reversed()) {
                pending.addFirst(event);
            }
            due = true;
            keepWithinBound();
        }
    }

    /** What Twitch sent, as every connector's refusal repeats a peer's value (PeerValues.shown). */
    private static String abbreviate(String s) {
        return io.edgedeck.simulator.server.http.PeerValues.shown(s);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a socket that is already gone
            }
        }
    }

    private static final class ReconnectRequested extends IOException {
    }

    private static final class Stalled extends IOException {
        Stalled(String message) {
            super(message);
        }
    }

    private static final class LoginFailed extends IOException {
        LoginFailed(String message) {
            super(message);
        }
    }

    private static final class LoginTimedOut extends IOException {
        LoginTimedOut(String message) {
            super(message);
        }
    }

    private static final class ChannelUnavailable extends IOException {
        ChannelUnavailable(String message) {
            super(message);
        }
    }
}
