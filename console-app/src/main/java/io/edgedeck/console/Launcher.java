package io.edgedeck.console;

import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.connection.NodeTokens;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import javafx.application.Application;

import java.io.IOException;

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
            ConsoleOptions options = ConsoleOptions.parse(List.of(args));
            // Read the token, the bundle or the scenario before any window opens, so a mistake is a
            // message, not a crash.
            if (options.connect() != null) {
                try {
                    NodeTokens.inUserConfig().token(options.connect(), options.tokenFile(), options.insecure());
                } catch (IOException e) {
                    System.err.println("edgedeck: " + e.getMessage());
                    System.exit(2);
                }
            } else if (options.bundle() != null) {
                io.edgedeck.simulator.bundle.BundleReader.read(options.bundle());
            } else {
                Connections.rehearsal(options);
            }
        } catch (ConsoleOptions.UsageException e) {
            System.err.println("edgedeck: " + e.getMessage());
            System.err.print(ConsoleOptions.USAGE);
            System.exit(2);
        } catch (ScenarioValidationException e) {
            System.err.println("edgedeck: the scenario is not valid:");
            e.errors().forEach(err -> System.err.println("  " + err));
            System.exit(2);
        } catch (io.edgedeck.simulator.bundle.BundleException e) {
            System.err.println("edgedeck: --bundle: " + e.getMessage());
            System.exit(2);
        } catch (ScenarioCatalog.UnknownScenarioException | IOException e) {
            System.err.println("edgedeck: --rehearsal: " + e.getMessage());
            System.exit(2);
        }
        Application.launch(EdgeDeckApp.class, args);
    }
}
