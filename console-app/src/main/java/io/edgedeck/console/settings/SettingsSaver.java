package io.edgedeck.console.settings;

import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    /** The last failure told, so a folder that stays unwritable is named once, not at every save. Saver thread. */
    private String told;

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
            String problem = problem(store.file().getParent(), e);
            if (!problem.equals(told)) {
                told = problem;
                LOG.warn(problem);
            }
        }
    }

    /** One line: the folder and why it could not be written, without a stack trace (the operator can act on neither). */
    static String problem(Path folder, IOException e) {
        String cause;
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason()
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e.getClass().getSimpleName();
            cause = f.getFile() + ": " + reason;
        } else {
            cause = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return "Could not save the settings in " + folder + " (" + cause + "); this run's changes will not be kept";
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
