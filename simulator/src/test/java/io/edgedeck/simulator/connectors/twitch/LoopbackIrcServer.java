package io.edgedeck.simulator.connectors.twitch;

import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A small IRC server on loopback that speaks as much of Twitch's dialect as the chat connector uses:
 * CAP REQ (acknowledged), PASS/NICK (welcomed with 001), JOIN (confirmed), PING/PONG both ways, tagged
 * PRIVMSG pushed by the test, RECONNECT (also right after every JOIN, as a misbehaving server might), a
 * line sent in pieces, a cut socket, and a stall (it stops answering anything).
 * Plain TCP or TLS, as the test asks.
 */
public final class LoopbackIrcServer implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile boolean stalled;
    private volatile boolean reconnectOnJoin;
    private volatile boolean closeOnJoin;
    private volatile boolean noWelcome;
    private volatile String afterJoin;

    public LoopbackIrcServer(SSLContext tls) throws IOException {
        ServerSocketFactory factory = tls == null ? ServerSocketFactory.getDefault() : tls.getServerSocketFactory();
        listener = factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("irc-accept").start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Connection c = new Connection(s);
                connections.add(c);
                Thread.ofVirtual().name("irc-conn").start(c::serve);
            } catch (IOException closed) {
                return;
            }
        }
    }

    final class Connection {
        final Socket socket;
        volatile String nick;
        volatile String joined;

        Connection(Socket socket) {
            this.socket = socket;
        }

        void serve() {
            try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    received.add(line);
                    if (stalled) {
                        continue;
                    }
                    String[] words = line.split(" ", 3);
                    switch (words[0]) {
                        case "CAP" -> send(":tmi.twitch.tv CAP * ACK :" + line.substring(line.indexOf(':') + 1));
                        case "PASS" -> {
                        }
                        case "NICK" -> {
                            nick = words[1];
                            if (noWelcome) {
                                continue;
                            }
                            send(":tmi.twitch.tv 001 " + nick + " :Welcome, GLHF!");
                            send(":tmi.twitch.tv 376 " + nick + " :>");
                        }
                        case "JOIN" -> {
                            send(":" + nick + "!" + nick + "@" + nick + ".tmi.twitch.tv JOIN " + words[1]);
                            send("@emote-only=0;room-id=12345 :tmi.twitch.tv ROOMSTATE " + words[1]);
                            joined = words[1];
                            if (reconnectOnJoin) {
                                send(":tmi.twitch.tv RECONNECT");
                            }
                            if (afterJoin != null) {
                                send(afterJoin.replace("#channel", words[1]));
                            }
                            if (closeOnJoin) {
                                socket.close();
                                return;
                            }
                        }
                        case "PING" -> send(":tmi.twitch.tv PONG tmi.twitch.tv :" + line.substring(line.indexOf(':') + 1));
                        default -> {
                        }
                    }
                }
            } catch (IOException gone) {
                // the client left or the test cut the socket
            }
        }

        void send(String line) throws IOException {
            sendPiece(line + "\r\n");
        }

        synchronized void sendPiece(String text) throws IOException {
            sendBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        synchronized void sendBytes(byte[] bytes) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    /** Sends bytes as they are, UTF-8 or not, to the newest connection that has joined a channel. */
    void sendBytes(byte[] bytes) throws IOException {
        current().sendBytes(bytes);
    }

    /** Sends a raw line to the newest connection that has joined a channel. */
    void send(String line) throws IOException {
        current().send(line);
    }

    /** Sends text as it is, with no line end added: a piece of a line. */
    void sendPiece(String text) throws IOException {
        current().sendPiece(text);
    }

    /** A tagged PRIVMSG as Twitch sends it. */
    public void privmsg(String channel, String tags, String login, String text) throws IOException {
        send("@" + tags + " :" + login + "!" + login + "@" + login + ".tmi.twitch.tv PRIVMSG #" + channel + " :" + text);
    }

    Connection current() {
        for (Connection c : connections.reversed()) {
            if (c.joined != null && !c.socket.isClosed()) {
                return c;
            }
        }
        throw new AssertionError("no joined connection");
    }

    /** Cuts the newest connection's socket without a word. */
    void cut() throws IOException {
        current().socket.close();
    }

    /** From now on the server sends RECONNECT right after confirming each JOIN. */
    void reconnectOnJoin(boolean on) {
        reconnectOnJoin = on;
    }

    /** From now on the server sends this line right after confirming each JOIN ({@code #channel} stands for the channel); null sends none. */
    void afterJoin(String line) {
        afterJoin = line;
    }

    /** From now on the server closes each connection right after confirming its JOIN. */
    void closeOnJoin(boolean on) {
        closeOnJoin = on;
    }

    /** From now on the server takes a NICK without a welcome (001), and goes on answering PINGs. */
    void noWelcome(boolean on) {
        noWelcome = on;
    }

    /** From now on the server reads but answers nothing, not even PING. */
    void stall(boolean on) {
        stalled = on;
    }

    List<String> received() {
        return List.copyOf(received);
    }

    int connectionCount() {
        return connections.size();
    }

    /** Waits until {@code n} connections have joined a channel. */
    public void awaitJoined(int n, Duration timeout) throws InterruptedException {
        await(() -> connections.stream().filter(c -> c.joined != null).count() >= n, timeout, "joined connections: " + n);
    }

    /** Waits until a line received from the client matches. */
    void awaitReceived(Predicate<String> line, Duration timeout) throws InterruptedException {
        await(() -> received.stream().anyMatch(line), timeout, "a line from the client; got " + received);
    }

    static void await(java.util.function.BooleanSupplier done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Connection c : new ArrayList<>(connections)) {
            c.socket.close();
        }
    }
}
