package io.edgedeck.console;

import javafx.application.Application;

import java.util.List;

/**
 * The jar's main class. It is deliberately not the {@link Application} subclass: with JavaFX on
 * the class path, the launcher would refuse to start an Application subclass as main class.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.print(ConsoleOptions.USAGE);
            return;
        }
        try {
            ConsoleOptions.parse(List.of(args));
        } catch (ConsoleOptions.UsageException e) {
            System.err.println("edgedeck: " + e.getMessage());
            System.err.print(ConsoleOptions.USAGE);
            System.exit(2);
        }
        Application.launch(EdgeDeckApp.class, args);
    }
}
