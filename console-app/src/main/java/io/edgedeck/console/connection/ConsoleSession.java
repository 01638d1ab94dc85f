package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgedeck.console.common.Background;

/**
 * The console's current connection. Features ask it for the connection when they act, rather than
 * holding one, so a rehearsal can be restarted with another scenario or seed without rebuilding
 * the window: the session swaps the connection, its listeners (the frame ticker) follow, and the
 * old connection is closed off the FX thread.
 */
public final class ConsoleSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSession.class);

    private final ReadOnlyObjectWrapper<EdgeConnection> connection;
    private final Background background;

    /**
     * @param background where old connections are closed (closing joins the engine thread)
     */
    public ConsoleSession(EdgeConnection initial, Background background) {
        this.connection = new ReadOnlyObjectWrapper<>(this, "connection", initial);
        this.background = background;
    }

    /** The connection actions go to now. Any thread. */
    public EdgeConnection connection() {
        return connection.get();
    }

    public ConnectionMode mode() {
        return connection.get().mode();
    }

    /** Changes on the FX thread when a rehearsal restarts. */
    public ReadOnlyObjectProperty<EdgeConnection> connectionProperty() {
        return connection.getReadOnlyProperty();
    }

    /**
     * Makes {@code next} the console's connection and closes the previous one. Listeners of
     * {@link #connectionProperty()} (the frame ticker) move over first. FX thread.
     */
    public void replace(EdgeConnection next) {
        EdgeConnection old = connection.get();
        connection.set(next);
        if (old != null && old != next) {
            background.execute("Closing the previous connection to " + old.target(), old::close);
        }
    }

    private static void closeQuietly(EdgeConnection c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the previous connection to {} failed", c.target(), e);
        }
    }

    /** Closes the connection. */
    @Override
    public void close() {
        closeQuietly(connection.get());
    }
}
