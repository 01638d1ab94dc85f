package io.edgedeck.console;

import io.edgedeck.console.settings.SettingsStore;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.CompletableFuture;

/**
 * The console's main class. It reads the command line, then starts the JavaFX toolkit on one
 * thread while this one reads the settings and the scenario and starts the show, so the two
 * slowest steps of a start overlap. A mistake on the command line, the help and the version are
 * said and the process ends before any toolkit code runs: the usage lines alone and exit status 2
 * for a mistake, with or without a display. Anything else that goes wrong before the window is up is one line naming
 * what failed and exit status 1: the toolkit's thread would otherwise keep the process running
 * without a window. After the window is up, an error on any thread (out of memory) ends the console the same way,
 * one line and status 1, rather than leave it running with a window that no longer answers.
 */
public final class Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    /** Set once the net has said what failed: a second thread's failure adds no second line. */
    private static final java.util.concurrent.atomic.AtomicBoolean FAILED = new java.util.concurrent.atomic.AtomicBoolean();

    private Launcher() {
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        // Until the window is up, a throwable on any thread (the toolkit's own included) ends the start the same way.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> couldNotStart(err, e));
        try {
            start(args, err, () -> Thread.setDefaultUncaughtExceptionHandler((thread, e) -> afterTheWindow(err, thread, e)));
        } catch (Throwable e) {
            couldNotStart(err, e);
        }
    }

    /**
     * The net once the window is up, on every thread (the toolkit's own included): the JVM failing (out of memory, a
     * stack overflow: a {@link VirtualMachineError}) leaves nothing the console can trust, not even a window that still
     * answers, so it is one line naming what failed and exit status 1, as before the window; anything else (an
     * exception, or an error such as a part whose class cannot load) is reported as the JVM does and the console
     * carries on without that part, as a producer mid-show would want.
     */
    static void afterTheWindow(PrintWriter err, Thread thread, Throwable e) {
        if (!(e instanceof VirtualMachineError)) {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace(System.err);
            return;
        }
        try {
            if (FAILED.compareAndSet(false, true)) {
                err.println("edgedeck: the console stopped: " + whatFailed(e));
                LOG.debug("the console stopped", e);
            }
        } finally {
            Runtime.getRuntime().halt(1);
        }
    }

    /** @param windowUp run on the FX thread once the window is shown */
    private static void start(String[] args, PrintWriter err, Runnable windowUp) {
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        int[] exitCode = {0};
        ConsoleOptions options = ConsoleOptions.read(args, out, err, exitCode);
        if (options == null) {
            System.exit(exitCode[0]);
            return;
        }
        CompletableFuture<Void> toolkit = startToolkit();
        EdgeDeckApp app;
        try {
            app = EdgeDeckApp.prepare(options, SettingsStore.standard());
        } catch (EdgeDeckApp.StartupException e) {
            err.println("edgedeck: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            toolkit.join();
        } catch (RuntimeException e) {
            err.println("edgedeck: the display could not be opened: " + displayProblem(e.getCause()));
            System.exit(1);
            return;
        }
        app.onEnding(end -> {
            end.problems().forEach(problem -> err.println("edgedeck: " + problem));
            Platform.exit();
            if (end.status() != 0) {
                // The JVM would end with status 0 once the toolkit stops: end it with the status, the settings written.
                end.settingsWritten().whenComplete((written, failure) -> System.exit(end.status()));
            }
        });
        Platform.runLater(() -> {
            try {
                app.start(new Stage());
                windowUp.run();
            } catch (Throwable e) {
                try {
                    app.exit();
                } finally {
                    couldNotStart(err, e);
                }
            }
        });
    }

    /** Starts the JavaFX toolkit on a thread of its own: the future completes once it is up, or with what stopped it. */
    private static CompletableFuture<Void> startToolkit() {
        CompletableFuture<Void> toolkit = new CompletableFuture<>();
        Thread.ofPlatform().name("edgedeck-toolkit-start").start(() -> {
            try {
                // The console decides when it ends: closing the main window writes the settings first.
                Platform.setImplicitExit(false);
                Platform.startup(() -> toolkit.complete(null));
            } catch (RuntimeException | Error e) {
                toolkit.completeExceptionally(e);
            }
        });
        return toolkit;
    }

    /**
     * The net under a start: "edgedeck: the console could not start: …" naming what failed, exit status 1, the
     * process ended. The stack trace goes to the log at debug level only ({@code
     * -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}): the operator can act on the line, not on the trace.
     */
    static void couldNotStart(PrintWriter err, Throwable e) {
        try {
            if (FAILED.compareAndSet(false, true)) {
                err.println("edgedeck: the console could not start: " + whatFailed(e));
                LOG.debug("the console could not start", e);
            }
        } finally {
            System.exit(1);
        }
    }

    /** The throwable in a line: its message, and its kind where the message alone would not say what failed. */
    static String whatFailed(Throwable e) {
        Throwable cause = e;
        // A wrapper says less than what it wraps ("java.util.concurrent.CompletionException: ...").
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof java.lang.reflect.InvocationTargetException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        String kind = cause.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message.lines().findFirst().orElse(message);
    }

    /**
     * What to tell a person whose toolkit could not start: the toolkit's own words, and where they
     * point at a missing system library or display, what to install or set.
     */
    static String displayProblem(Throwable cause) {
        String message = cause == null || cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage();
        if (message.contains("GTK")) {
            return message + ". JavaFX draws its windows with GTK 3 and needs libXtst"
                    + " (Debian, Ubuntu: sudo apt-get install libgtk-3-0 libxtst6; Fedora: sudo dnf install gtk3 libXtst)";
        }
        if (message.contains("DISPLAY") || message.toLowerCase(java.util.Locale.ROOT).contains("open display")) {
            return message + ". Start it from a desktop session, or on a machine without one under a virtual display:"
                    + " xvfb-run -a ./edgedeck ...";
        }
        return message;
    }
}
