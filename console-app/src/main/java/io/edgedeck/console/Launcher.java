package io.edgedeck.console;

import io.edgedeck.console.settings.SettingsStore;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.CompletableFuture;

/**
 * The console's main class. It reads the command line, then starts the JavaFX toolkit on one
 * thread while this one reads the settings and the scenario and starts the show, so the two
 * slowest steps of a start overlap; a mistake on the command line is a message and exit status 2
 * before any window opens.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        int[] exitCode = {0};
        ConsoleOptions options = ConsoleOptions.read(args, out, err, exitCode);
        if (options == null) {
            System.exit(exitCode[0]);
            return;
        }
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
            } catch (RuntimeException e) {
                err.println("edgedeck: the console could not start: " + e);
                e.printStackTrace(err);
                app.exit();
                System.exit(1);
            }
        });
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
