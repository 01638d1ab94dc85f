package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.common.FrameTicker;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What the status bar says about the connection (online, reconnecting and why, offline) and what
 * the banner says about the node behind it (read-only while its journal cannot be written, failed
 * once its engine stopped: a failed node is never "Online"). Status changes arrive on the
 * connection's thread; the newest is handed to the FX thread, and a burst of changes costs one hop,
 * not one per change. The node's condition arrives with the frames, on the FX tick; so does a change of
 * the show's run state, and then the status is read from the connection on that tick, so the status
 * bar never says "running" beside a banner that says "finished".
 */
public final class ConnectionStatusViewModel implements AutoCloseable, FrameTicker.Sink {
    /** What a console on a read key still shows, after why the show is not, at the top. */
    public static final String READ_VIEWS = "Until then, Sources and Triggers show what this key can read; nothing here changes the node.";
    /**
     * What a console on a key that reads nothing still shows (a live node's ingest key, a token the node does not know or
     * revoked), after why and what fixes it, at the top.
     */
    public static final String INGEST_VIEWS = "Until then, only Settings is offered: this console's own; nothing here reads or changes the node.";
    /** The status bar's line on a read key: why is said once, at the top. */
    public static final String READ_KEY = "Diagnostic reads only (why is at the top); nothing is changed";
    /**
     * The status bar's line while the node cannot read its operators file and so refuses this console's token for now:
     * why is said once, at the top; the console keeps asking.
     */
    public static final String WAITING_FOR_OPERATORS = "Not connected: the node cannot read its operators file (why is at the"
            + " top); asking again; actions refused";
    /** The status bar's line while the node will not let this console's token in: why is said once, at the top. */
    public static final String NOT_LET_IN = "Offline: not let in (why is at the top); nothing is read or changed";

    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final ReadOnlyBooleanWrapper online = new ReadOnlyBooleanWrapper(this, "online", true);
    private final ReadOnlyStringWrapper nodeProblem = new ReadOnlyStringWrapper(this, "nodeProblem", "");
    private final ReadOnlyBooleanWrapper nodeFailed = new ReadOnlyBooleanWrapper(this, "nodeFailed", false);
    private final ReadOnlyStringWrapper refusal = new ReadOnlyStringWrapper(this, "refusal", "");
    private final ReadOnlyBooleanWrapper readKey = new ReadOnlyBooleanWrapper(this, "readKey", false);
    private final ReadOnlyBooleanWrapper ingestKey = new ReadOnlyBooleanWrapper(this, "ingestKey", false);
    private final ReadOnlyBooleanWrapper tokenRefused = new ReadOnlyBooleanWrapper(this, "tokenRefused", false);
    private final ReadOnlyStringWrapper restart = new ReadOnlyStringWrapper(this, "restart", "");
    private final ReadOnlyStringWrapper restartWhy = new ReadOnlyStringWrapper(this, "restartWhy", "");
    private final java.time.ZoneId zone;
    private ConnectionStatus status;
    private NodeCondition node = NodeCondition.OK;
    private final AtomicReference<ConnectionStatus> pending = new AtomicReference<>();
    private Subscription subscription;
    private EdgeConnection connection;
    private ShowState shownState;
    private final Consumer<Runnable> fxThread;
    private java.util.function.Function<NodeCondition, String> fleetWords = NodeCondition::detail;

    public ConnectionStatusViewModel(EdgeConnection connection) {
        this(connection, Platform::runLater);
    }

    /** @param fxThread runs a task on the FX thread; tests pass a direct runner */
    public ConnectionStatusViewModel(EdgeConnection connection, Consumer<Runnable> fxThread) {
        this(connection, fxThread, java.time.ZoneId.systemDefault());
    }

    /** @param zone the time zone the node's restart time is told in */
    public ConnectionStatusViewModel(EdgeConnection connection, Consumer<Runnable> fxThread, java.time.ZoneId zone) {
        this.fxThread = fxThread;
        this.zone = zone;
        attach(connection);
    }

    /**
     * Follows another connection from now on (a restarted rehearsal), and stops listening to the
     * previous one. FX thread.
     */
    public void attach(EdgeConnection connection) {
        if (subscription != null) {
            subscription.close();
        }
        subscription = connection.subscribeStatus(this::offer);
        this.connection = connection;
        shownState = null;
        node = NodeCondition.OK;
        status = null;
        restart.set("");
        restartWhy.set("");
        offer(connection.status());
    }

    private void offer(ConnectionStatus status) {
        if (pending.getAndSet(status) == null) {
            fxThread.accept(() -> apply(pending.getAndSet(null)));
        }
    }

    /** FX thread. */
    void apply(ConnectionStatus next) {
        // A status read on a tick may be newer than one still on its way here.
        if (next == null || (status != null && next.sinceMillis() < status.sinceMillis())) {
            return;
        }
        boolean connected = next.online() && (status == null || !status.online());
        status = next;
        show();
        if (connected) {
            askHowItStarted(connection);
        }
    }

    /**
     * Asks the node, on connecting and on each reconnect after losing it, whether it resumed from its journal
     * alone ({@code restart} of {@code GET /api/v1/node}): then its sessions and PoP counters started again from
     * zero, and the status bar says so, with when. FX thread; the answer comes back to it.
     */
    private void askHowItStarted(EdgeConnection asked) {
        if (!asked.hasNodeInfo()) {
            return;
        }
        asked.nodeInfo().whenComplete((info, failed) -> fxThread.accept(() -> {
            if (asked != connection) {
                return; // a connection followed no longer
            }
            if (failed != null) {
                // Unknown, not "no restart": what the bar said stays until the node answers.
                return;
            }
            if (info.restart() == null) {
                restart.set("");
                restartWhy.set("");
                return;
            }
            restart.set("Node restarted at " + localTime(info.startedAt()) + " and resumed from its journal alone:"
                    + " sessions and PoP counters started again from zero");
            restartWhy.set("Node restarted at " + info.startedAt() + ": " + info.restart());
        }));
    }

    /** The node's start time, an ISO-8601 instant, as this console's wall clock reads it (14:02:09); as given if it is not one. */
    private String localTime(String startedAt) {
        try {
            return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss", java.util.Locale.ROOT)
                    .format(java.time.Instant.parse(startedAt).atZone(zone));
        } catch (java.time.DateTimeException | NullPointerException e) {
            return String.valueOf(startedAt);
        }
    }

    /** Takes the node's condition from the newest frame. FX thread. */
    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        if (frame.state() != shownState) {
            // The connection says what its show is doing (e.g. finished) before its frame is handed on.
            shownState = frame.state();
            apply(connection.status());
        }
        if (!frame.node().equals(node)) {
            node = frame.node();
            show();
        }
    }

    private void show() {
        if (status == null) {
            return;
        }
        boolean failed = node.status() == NodeCondition.Status.FAILED;
        online.set(status.online() && !failed);
        // A fleet aggregator takes no flag change (its admin token fires show cues, nothing else): its frame's condition
        // says which of its nodes is not well (silent, read-only, failed), never that a node the console could change is
        // read-only, nor "view only" beside the cue it may fire.
        boolean fleet = connection.hasFleet();
        // At an aggregator, a silent node's seconds as the Fleet tab counts them: one figure in the window, not two.
        String detail = fleet ? fleetWords.apply(node) : node.detail();
        // A live connection goes offline only when the node will not let its token in (it stopped asking): nothing
        // the console shows could be read, which the whole window must say, not the status bar alone.
        boolean refused = connection.mode() == ConnectionMode.LIVE && status.state() == ConnectionStatus.State.OFFLINE;
        // A key the node knows that may not read the show (its read key): the diagnostic reads still answer, and the
        // window offers those alone.
        readKey.set(refused && connection.diagnosticReadsOnly());
        // The node's ingest key, which reads nothing: the window keeps Settings alone, and says so.
        ingestKey.set(refused && connection.ingestKeyOnly());
        // A token the node does not know, or revoked: it reads nothing either, and the window keeps Settings alone.
        tokenRefused.set(refused && connection.tokenRefused());
        refusal.set(!refused ? "" : readKey.get() ? "Not let in to the show: " + status.detail() + ". " + READ_VIEWS
                : ingestKey.get() || tokenRefused.get() ? "Not let in: " + status.detail() + ". " + INGEST_VIEWS
                : "Not let in: " + status.detail() + ".");
        // A node that cannot read its operators file refuses every person's token for now, this one maybe good: the
        // console keeps asking, and says so in the banner while that is what it waits for: read from the same status as
        // the rest, so a node gone meanwhile (refused, cut, restoring) is said as such, not blamed on the file.
        boolean waiting = !refused && connection.mode() == ConnectionMode.LIVE
                && status.state() == ConnectionStatus.State.RECONNECTING && status.waitingForOperators();
        // Said once, at the top: the status bar does not repeat why, it says where the console stands.
        text.set(readKey.get() ? READ_KEY : !refusal.get().isEmpty() ? NOT_LET_IN : waiting ? WAITING_FOR_OPERATORS
                : fleet && node.status() != NodeCondition.Status.OK && status.online() ? "Online, aggregator · fleet: " + detail
                : describe(status, node));
        nodeFailed.set(failed);
        nodeProblem.set(waiting ? "Not let in for now: " + status.detail()
                : fleet && node.status() != NodeCondition.Status.OK ? "Fleet: " + detail : switch (node.status()) {
            case OK -> "";
            case READ_ONLY -> "Edge node read-only: " + node.detail();
            case FAILED -> "Edge node failed: " + node.detail();
        });
    }

    /**
     * Tells the fleet's condition (its frames', at an aggregator) in {@code words}: each silent node it names by the Fleet
     * tab's count of its seconds ({@code FleetViewModel.condition}). FX thread.
     */
    public void tellFleetBy(java.util.function.Function<NodeCondition, String> words) {
        this.fleetWords = words;
        show();
    }

    /** Tells the fleet's condition again, after the count {@link #tellFleetBy} gives moved on. FX thread, every tick. */
    public void retellFleet() {
        show();
    }

    static String describe(ConnectionStatus status) {
        return describe(status, NodeCondition.OK);
    }

    static String describe(ConnectionStatus status, NodeCondition node) {
        if (node.status() == NodeCondition.Status.FAILED && status.online()) {
            return "Edge node failed: " + node.detail() + "; actions refused";
        }
        return switch (status.state()) {
            case ONLINE -> node.status() == NodeCondition.Status.READ_ONLY
                    ? "Online, read-only: " + node.detail() : "Online · " + status.detail();
            case RECONNECTING -> status.nodeStarting() ? "Node " + status.restoring() + "; actions refused"
                    : status.nodeRestoring() ? "Node restoring its show: " + status.restoring() + "; actions refused"
                    : "Not connected: " + status.detail() + "; actions refused";
            case OFFLINE -> "Offline: " + status.detail() + "; actions refused";
        };
    }

    /** What the banner says is wrong with the node, e.g. "Edge node failed: journal not writable: ..."; empty when nothing is. */
    public ReadOnlyStringProperty nodeProblemProperty() {
        return nodeProblem.getReadOnlyProperty();
    }

    /** True while the node lets this console's key make the diagnostic reads alone (its read key). FX thread. */
    public ReadOnlyBooleanProperty readKeyProperty() {
        return readKey.getReadOnlyProperty();
    }

    /** True while the node says this console's key is its ingest key, which reads nothing the console shows. FX thread. */
    public ReadOnlyBooleanProperty ingestKeyProperty() {
        return ingestKey.getReadOnlyProperty();
    }

    /** True while the node refuses this console's token (401): it does not know it, or it was revoked. FX thread. */
    public ReadOnlyBooleanProperty tokenRefusedProperty() {
        return tokenRefused.getReadOnlyProperty();
    }

    /**
     * Why the node will not let this console in (its token refused, or a key that may not read the show), naming the token
     * file and what to use instead; empty while it may. Nothing after that is read until the console connects again.
     */
    public ReadOnlyStringProperty refusalProperty() {
        return refusal.getReadOnlyProperty();
    }

    /**
     * What the node said of its own restart, when it resumed from its journal alone: "Node restarted at 14:02:09 and
     * resumed from its journal alone: sessions and PoP counters started again from zero"; empty when it did not.
     */
    public ReadOnlyStringProperty restartProperty() {
        return restart.getReadOnlyProperty();
    }

    /** Why, in the node's words, with its start time as it gave it; empty when {@link #restartProperty()} is. */
    public ReadOnlyStringProperty restartWhyProperty() {
        return restartWhy.getReadOnlyProperty();
    }

    /** True once the node's engine stopped: its numbers are its last. */
    public ReadOnlyBooleanProperty nodeFailedProperty() {
        return nodeFailed.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty onlineProperty() {
        return online.getReadOnlyProperty();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
