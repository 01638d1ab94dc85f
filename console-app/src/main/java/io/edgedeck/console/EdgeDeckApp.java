package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.console.connection.ConnectionStatusViewModel;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.dashboard.DashboardFeature;
import io.edgedeck.console.dashboard.DashboardViewModel;
import io.edgedeck.themes.Theme;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/** The composition root: reads the options, opens the connection, wires view models and views. */
public final class EdgeDeckApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeDeckApp.class);

    private EdgeConnection connection;
    private FrameTicker ticker;
    private ConnectionStatusViewModel connectionStatus;

    @Override
    public void start(Stage stage) throws Exception {
        ConsoleOptions options = ConsoleOptions.parse(getParameters().getRaw());
        connection = Connections.open(options);
        Console console = Console.create(connection, options.theme());
        ticker = console.ticker();
        connectionStatus = console.connectionStatus();
        stage.setTitle(console.title());
        stage.setScene(console.scene());
        stage.setWidth(1320);
        stage.setHeight(820);
        stage.show();
        String firstTab = options.tab() != null ? options.tab() : options.bundle() != null ? "Jitter" : null;
        if (firstTab != null) {
            console.window().show(firstTab);
        }
        ticker.start();
        if (options.exitAfterSeconds() > 0) {
            PauseTransition wait = new PauseTransition(Duration.seconds(options.exitAfterSeconds()));
            wait.setOnFinished(e -> {
                if (options.exportBundle() != null) {
                    var jitter = console.features().stream().filter(io.edgedeck.console.jitter.JitterFeature.class::isInstance)
                            .map(io.edgedeck.console.jitter.JitterFeature.class::cast).findFirst().orElseThrow();
                    var export = jitter.exportTo(options.exportBundle());
                    export.setOnSucceeded(done -> {
                        System.out.println("Wrote " + export.getValue().toAbsolutePath());
                        screenshotAndExit(console, options);
                    });
                    export.setOnFailed(failed -> {
                        LOG.error("Could not write the bundle to {}", options.exportBundle(), export.getException());
                        screenshotAndExit(console, options);
                    });
                } else {
                    screenshotAndExit(console, options);
                }
            });
            wait.play();
        }
    }

    /** Writes the screenshot the options ask for, if any, off the FX thread, then exits. FX thread. */
    private static void screenshotAndExit(Console console, ConsoleOptions options) {
        if (options.screenshot() == null) {
            Platform.exit();
            return;
        }
        BufferedImage image = Snapshots.capture(console.scene().getRoot());
        Thread.ofPlatform().name("edgedeck-screenshot").start(() -> {
            try {
                Snapshots.writePng(image, options.screenshot());
                System.out.println("Wrote " + options.screenshot().toAbsolutePath());
            } catch (IOException ex) {
                LOG.error("Could not write the screenshot to {}", options.screenshot(), ex);
            }
            Platform.runLater(Platform::exit);
        });
    }

    @Override
    public void stop() {
        if (ticker != null) {
            ticker.close();
        }
        if (connectionStatus != null) {
            connectionStatus.close();
        }
        if (connection != null) {
            connection.close();
        }
    }

    /** The console's parts for one connection, wired; the application and UI tests share this. */
    public record Console(Scene scene, MainWindow window, DashboardFeature dashboard, List<Feature> features,
                          FrameTicker ticker, String title, ConnectionStatusViewModel connectionStatus) {

        /** Builds the console for a connection. FX thread. */
        public static Console create(EdgeConnection connection, Theme theme) {
            Palette palette = new Palette();
            DashboardFeature dashboard = new DashboardFeature(new DashboardViewModel(), palette);
            List<Feature> features = List.of(dashboard, new io.edgedeck.console.jitter.JitterFeature(connection, palette));
            MainWindow window = new MainWindow(connection, dashboard.viewModel(), palette, features);
            Scene scene = new Scene(window);
            scene.getStylesheets().setAll(theme.tokenSheetUrl(), Theme.componentSheetUrl());
            window.applyCss();
            FrameTicker ticker = new FrameTicker(connection, System::currentTimeMillis);
            features.forEach(ticker::addSink);
            for (Feature f : features) {
                for (Feature.Shortcut s : f.shortcuts()) {
                    scene.getAccelerators().put(s.keys(), s.action());
                }
            }
            ConnectionStatusViewModel connectionStatus = new ConnectionStatusViewModel(connection);
            window.showConnectionStatus(connectionStatus);
            connectionStatus.onlineProperty().subscribe(dashboard.viewModel()::setConnectionOnline);
            String title = "EdgeDeck · " + connection.mode() + " · " + connection.target();
            return new Console(scene, window, dashboard, features, ticker, title, connectionStatus);
        }
    }
}
