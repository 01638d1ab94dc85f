package io.edgedeck.console.settings;

import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes the settings {@value #DEBOUNCE_MILLIS} ms after the last change (dragging a window fires
 * dozens of changes a second; they cost one write), and once more when the console exits. Changes
 * are snapshotted on the FX thread and written, in order, by the saver's own thread; that thread
 * keeps the JVM alive until the last write is on disk.
 */
public final class SettingsSaver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsSaver.class);
    public static final long DEBOUNCE_MILLIS = 500;

    private final Settings settings;
    private final SettingsStore store;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("edgedeck-settings").unstarted(r));
    private final InvalidationListener onChange = this::changed;
    private ScheduledFuture<?> pending;
    private CompletableFuture<Void> closed;

    /** FX thread. */
    public SettingsSaver(Settings settings, SettingsStore store) {
        this.settings = settings;
        this.store = store;
        for (Observable o : settings.observables()) {
            o.addListener(onChange);
        }
    }

    private void changed(Observable o) {
        SettingsData snapshot = settings.snapshot();
        if (pending != null) {
            pending.cancel(false);
        }
        pending = writer.schedule(() -> write(snapshot), DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Writes soon, as after a change: e.g. what the command line changed at start. FX thread. */
    public void saveSoon() {
        changed(null);
    }

    private void write(SettingsData data) {
        try {
            store.save(data);
        } catch (IOException e) {
            LOG.warn("Could not save the settings to {}", store.file(), e);
        }
    }

    /**
     * Stops watching and writes the settings as they are now, so the window's last size and place
     * survive an exit. Returns at once; the future completes when the file is written. FX thread.
     */
    public CompletableFuture<Void> closeAndWrite() {
        if (closed != null) {
            return closed;
        }
        for (Observable o : settings.observables()) {
            o.removeListener(onChange);
        }
        if (pending != null) {
            pending.cancel(false);
        }
        SettingsData last = settings.snapshot();
        closed = CompletableFuture.runAsync(() -> write(last), writer);
        writer.shutdown();
        return closed;
    }

    @Override
    public void close() {
        closeAndWrite();
    }
}
