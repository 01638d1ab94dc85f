package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.ShowChange;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the console saw of its connection this session, for a diagnostic bundle: when it connected, each
 * time it lost the node and why, each reconnect, each time the node's show started again (engine time
 * going back: the node restarted), and when the node, started again, was first seen restoring its show and when it
 * had restored it (or, a node on a new data directory with no show to restore, starting and started). Wall-clock times, so they can be matched against the node's logs and the
 * audit trail; the engine time beside them where a frame gave one. Listens on the connection's own thread;
 * read from any thread. Keeps the newest {@value #KEPT} events.
 */
public final class ConnectionLog implements AutoCloseable {
    static final int KEPT = 500;

    /**
     * One thing that happened to the connection.
     *
     * @param at           wall-clock time, ISO-8601 UTC
     * @param event        {@code connected}, {@code disconnected}, {@code reconnected}, {@code offline},
     *                     {@code node starting}, {@code node started}, {@code node restoring}, {@code node restored},
     *                     {@code node restarted} or {@code connection replaced}
     * @param detail       why, as the status bar said it, or what the frames showed
     * @param engineMillis the engine time of the newest frame at that moment, or null before any frame
     */
    public record Event(String at, String event, String detail, Long engineMillis) {
    }

    private final LongSupplier wallClock;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final ShowChange showChange = new ShowChange();
    private Subscription statusSubscription;
    private Subscription frameSubscription;
    private ConnectionStatus.State state;
    private Long engineMillis;
    private boolean everOnline;
    /** What the node last said it was doing before it serves ({@code NODE_STARTING}, {@code NODE_RESTORING}), or NOTHING. */
    private ConnectionStatus.Waiting notServing = ConnectionStatus.Waiting.NOTHING;

    public ConnectionLog(EdgeConnection connection) {
        this(connection, System::currentTimeMillis);
    }

    /** @param wallClock milliseconds since the epoch; tests pass their own */
    public ConnectionLog(EdgeConnection connection, LongSupplier wallClock) {
        this.wallClock = wallClock;
        attach(connection);
    }

    /** Follows another connection from now on (a restarted rehearsal), noting it. Any thread. */
    public synchronized void attach(EdgeConnection connection) {
        if (statusSubscription != null) {
            statusSubscription.close();
            frameSubscription.close();
            add("connection replaced", "now " + connection.mode() + " " + connection.target());
            state = null;
            everOnline = false;
            notServing = ConnectionStatus.Waiting.NOTHING;
        }
        statusSubscription = connection.subscribeStatus(this::status);
        frameSubscription = connection.subscribeFrames(this::frame);
        status(connection.status());
    }

    private synchronized void status(ConnectionStatus now) {
        if (now == null) {
            return;
        }
        ConnectionStatus.Waiting said = now.nodeStarting() || now.nodeRestoring() ? now.waiting() : ConnectionStatus.Waiting.NOTHING;
        if (said != notServing && (said != ConnectionStatus.Waiting.NOTHING || now.online())) {
            // Noted once each way: the node's answers while it starts or restores move its progress, not its state.
            add(said == ConnectionStatus.Waiting.NODE_STARTING ? "node starting"
                            : said == ConnectionStatus.Waiting.NODE_RESTORING ? "node restoring"
                            : notServing == ConnectionStatus.Waiting.NODE_STARTING ? "node started" : "node restored",
                    said != ConnectionStatus.Waiting.NOTHING ? now.detail()
                            : notServing == ConnectionStatus.Waiting.NODE_STARTING ? "the node started and answers"
                            : "the node restored its show and answers again");
        }
        // Only an answer from the node moves it: one lost while it restored and answering restored after the drop
        // is noted restored; one answering restoring again after the drop is not noted restoring twice.
        if (said != ConnectionStatus.Waiting.NOTHING || now.online()) {
            notServing = said;
        }
        if (now.state() == state) {
            return;
        }
        ConnectionStatus.State before = state;
        state = now.state();
        switch (now.state()) {
            case ONLINE -> add(everOnline ? "reconnected" : "connected", now.detail());
            case RECONNECTING -> add(before == ConnectionStatus.State.ONLINE ? "disconnected" : "not connected", now.detail());
            case OFFLINE -> add("offline", now.detail());
        }
        everOnline |= now.online();
    }

    private synchronized void frame(MetricsFrame frame) {
        Long before = engineMillis;
        if (showChange.isNewShow(frame)) {
            engineMillis = frame.engineMillis();
            add("node restarted", "the frames' show started again: " + frame.scenario() + " seed " + frame.seed()
                    + ", engine time " + frame.engineMillis() + " ms after " + before + " ms");
        }
        engineMillis = frame.engineMillis();
    }

    private void add(String event, String detail) {
        if (events.size() == KEPT) {
            events.removeFirst();
        }
        events.addLast(new Event(Instant.ofEpochMilli(wallClock.getAsLong()).toString(), event, detail, engineMillis));
    }

    /** The events so far, oldest first. Any thread. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized void close() {
        statusSubscription.close();
        frameSubscription.close();
    }
}
