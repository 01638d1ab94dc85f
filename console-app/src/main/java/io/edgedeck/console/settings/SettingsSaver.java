package io.edgedeck.console.settings;

import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Saves the settings shortly after they stop changing. Dragging a window fires dozens of changes
 * a second; the saver snapshots on the FX thread and writes once, {@value #DEBOUNCE_MILLIS} ms after
 * the last change, on its own thread.
 */
public final class SettingsSaver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsSaver.class);
    public static final long DEBOUNCE_MILLIS = 500;

    private final Settings settings;
    private final SettingsStore store;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("edgedeck-settings").daemon().unstarted(r));
    private final InvalidationListener onChange = this::changed;
    private ScheduledFuture<?> pending;

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

    /** Writes now, off the FX thread, e.g. to save a fixed settings file at once. FX thread. */
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

    /** Stops watching; a pending save still happens before the writer thread ends. FX thread. */
    @Override
    public void close() {
        for (Observable o : settings.observables()) {
            o.removeListener(onChange);
        }
        if (pending != null && pending.cancel(false)) {
            SettingsData last = settings.snapshot();
            writer.execute(() -> write(last));
        }
        writer.shutdown();
        try {
            // The console is exiting: wait briefly so the last change reaches the disk.
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
