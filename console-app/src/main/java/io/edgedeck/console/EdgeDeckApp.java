package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Snapshots;
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
import java.lang.management.ManagementFactory;
import java.util.List;

/** The composition root: reads the options, opens the connection, wires view models and views. */
public final class EdgeDeckApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeDeckApp.class);

    private EdgeConnection connection;
    private FrameTicker ticker;

    @Override
    public void start(Stage stage) throws Exception {
        ConsoleOptions options = ConsoleOptions.parse(getParameters().getRaw());
        connection = Connections.open(options);
        Console console = Console.create(connection, options.theme());
        ticker = console.ticker();
        stage.setTitle(console.title());
        stage.setScene(console.scene());
        stage.setWidth(1320);
        stage.setHeight(820);
        stage.show();
        if (options.reportStartup()) {
            reportFirstLiveFrame(ticker);
        }
        ticker.start();
        if (options.exitAfterSeconds() > 0) {
            PauseTransition wait = new PauseTransition(Duration.seconds(options.exitAfterSeconds()));
            wait.setOnFinished(e -> {
                if (options.screenshot() != null) {
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
                } else {
                    Platform.exit();
                }
            });
            wait.play();
        }
    }

    /**
     * Prints, once, the wall time from JVM start to the first tick that hands a frame to the views
     * (after the views' own sinks, so the frame has been applied); the start-up budget's figure.
     */
    private static void reportFirstLiveFrame(FrameTicker ticker) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        boolean[] reported = {false};
        ticker.addSink((frame, fresh, millisSinceFrame) -> {
            if (!reported[0]) {
                reported[0] = true;
                System.out.println("first live frame " + (System.currentTimeMillis() - jvmStart) + " ms after JVM start");
            }
        });
    }

    @Override
    public void stop() {
        if (ticker != null) {
            ticker.close();
        }
        if (connection != null) {
            connection.close();
        }
    }

    /** The console's parts for one connection, wired; the application and UI tests share this. */
    public record Console(Scene scene, MainWindow window, DashboardFeature dashboard, List<Feature> features,
                          FrameTicker ticker, String title) {

        /** Builds the console for a connection. FX thread. */
        public static Console create(EdgeConnection connection, Theme theme) {
            Palette palette = new Palette();
            DashboardFeature dashboard = new DashboardFeature(new DashboardViewModel(), palette);
            List<Feature> features = List.of(dashboard);
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
            String title = "EdgeDeck · " + connection.mode() + " · " + connection.target();
            return new Console(scene, window, dashboard, features, ticker, title);
        }
    }
}
