package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What the status bar says about the connection: online, reconnecting and why, offline. Status
 * changes arrive on the connection's thread; the newest is handed to the FX thread, and a burst of
 * changes costs one hop, not one per change.
 */
public final class ConnectionStatusViewModel implements AutoCloseable {
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final ReadOnlyBooleanWrapper online = new ReadOnlyBooleanWrapper(this, "online", true);
    private final AtomicReference<ConnectionStatus> pending = new AtomicReference<>();
    private Subscription subscription;
    private final Consumer<Runnable> fxThread;

    public ConnectionStatusViewModel(EdgeConnection connection) {
        this(connection, Platform::runLater);
    }

    /** @param fxThread runs a task on the FX thread; tests pass a direct runner */
    public ConnectionStatusViewModel(EdgeConnection connection, Consumer<Runnable> fxThread) {
        this.fxThread = fxThread;
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
        offer(connection.status());
    }

    private void offer(ConnectionStatus status) {
        if (pending.getAndSet(status) == null) {
            fxThread.accept(() -> apply(pending.getAndSet(null)));
        }
    }

    /** FX thread. */
    void apply(ConnectionStatus status) {
        if (status == null) {
            return;
        }
        online.set(status.online());
        text.set(describe(status));
    }

    static String describe(ConnectionStatus status) {
        return switch (status.state()) {
            case ONLINE -> "Online · " + status.detail();
            case RECONNECTING -> "Not connected: " + status.detail() + "; actions refused";
            case OFFLINE -> "Offline: " + status.detail() + "; actions refused";
        };
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
