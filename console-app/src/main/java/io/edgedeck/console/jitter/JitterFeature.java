package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleConnection;
import io.edgedeck.simulator.bundle.BundleReader;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Jitter diagnostics for support staff, as a tab: where and when a PoP stutters, and a bundle to
 * hand on. Owns one background thread for ranking history and reading and writing bundles.
 */
public final class JitterFeature implements Feature {
    private final java.util.function.Supplier<EdgeConnection> connection;
    private final ExecutorService background = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("edgedeck-jitter").factory());
    private final JitterViewModel viewModel;
    private final JitterView view;
    private Task<Path> export;

    public JitterFeature(EdgeConnection connection, Palette palette) {
        this(() -> connection, palette);
    }

    /** @param connection the console's connection now: a restarted rehearsal replaces it */
    public JitterFeature(java.util.function.Supplier<EdgeConnection> connection, Palette palette) {
        this.connection = connection;
        this.viewModel = new JitterViewModel(connection, background, System::currentTimeMillis);
        this.view = new JitterView(viewModel, palette);
        view.exportButton.setOnAction(e -> chooseExportFile());
        view.openButton.setOnAction(e -> chooseBundleToOpen());
        // Colours are read from the theme once the view is in a styled scene.
        view.sceneProperty().subscribe(scene -> {
            if (scene != null) {
                view.applyCss();
                view.refreshColors();
            }
        });
    }

    @Override
    public String title() {
        return "Jitter";
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        viewModel.onTick(frame, fresh, millisSinceFrame);
    }

    @Override
    public void refreshColors() {
        view.refreshColors();
    }

    @Override
    public void dispose() {
        view.dispose();
        background.shutdownNow();
    }

    public JitterViewModel viewModel() {
        return viewModel;
    }

    private void chooseExportFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export a diagnostic bundle");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("EdgeDeck bundle (*.zip)", "*.zip"));
        MetricsFrame frame = connection.get().latestFrame().orElse(null);
        chooser.setInitialFileName(frame == null ? "edgedeck-bundle.zip" : String.format(Locale.ROOT, "edgedeck-%s-%ds.zip",
                frame.scenario(), frame.engineMillis() / 1000));
        File file = chooser.showSaveDialog(window());
        if (file != null) {
            exportTo(file.toPath());
        }
    }

    /**
     * Writes a bundle of what the console shows now, with pictures of this view and the window.
     * FX thread; the writing runs in the background and reports on the progress bar.
     */
    public Task<Path> exportTo(Path file) {
        if (export != null && export.isRunning()) {
            return export;
        }
        Map<String, BufferedImage> pictures = new LinkedHashMap<>();
        pictures.put("jitter.png", Snapshots.capture(view));
        if (view.getScene() != null) {
            pictures.put("window.png", Snapshots.capture(view.getScene().getRoot()));
        }
        export = new BundleExportTask(connection.get(), pictures, file, "edgedeck-console " + version());
        track(export, "Exported " + file.getFileName());
        background.execute(export);
        return export;
    }

    private void chooseBundleToOpen() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a diagnostic bundle");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("EdgeDeck bundle (*.zip)", "*.zip"));
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            open(file.toPath());
        }
    }

    /** Reads a bundle in the background and shows it in a window of its own. FX thread. */
    public Task<Bundle> open(Path file) {
        Task<Bundle> read = new Task<>() {
            @Override
            protected Bundle call() throws Exception {
                updateMessage("reading " + file.getFileName());
                return BundleReader.read(file);
            }
        };
        track(read, "Opened " + file.getFileName());
        read.setOnSucceeded(e -> showBundleWindow(read.getValue(), file.getFileName().toString()));
        background.execute(read);
        return read;
    }

    /** Binds the progress bar and the status line to a task while it runs. */
    private void track(Task<?> task, String doneText) {
        view.progress.progressProperty().bind(task.progressProperty());
        view.progress.setVisible(true);
        view.exportButton.disableProperty().bind(task.runningProperty());
        view.openButton.disableProperty().bind(task.runningProperty());
        view.exportStatus.textProperty().bind(task.messageProperty());
        task.stateProperty().subscribe(state -> {
            if (state == Worker.State.SUCCEEDED || state == Worker.State.FAILED || state == Worker.State.CANCELLED) {
                view.progress.progressProperty().unbind();
                view.progress.setVisible(false);
                view.exportButton.disableProperty().unbind();
                view.openButton.disableProperty().unbind();
                view.exportButton.setDisable(false);
                view.openButton.setDisable(false);
                view.exportStatus.textProperty().unbind();
                view.exportStatus.setText(state == Worker.State.SUCCEEDED ? doneText
                        : "Failed: " + (task.getException() == null ? "cancelled" : task.getException().getMessage()));
            }
        });
    }

    /** A window with this view over the bundle; closing it releases its ticker and thread. */
    private void showBundleWindow(Bundle bundle, String name) {
        BundleConnection offline = new BundleConnection(bundle, name);
        Palette palette = new Palette();
        JitterFeature feature = new JitterFeature(offline, palette);
        StackPane root = new StackPane(palette.probes(), feature.view());
        Scene scene = new Scene(root, 1320, 820);
        if (view.getScene() != null) {
            scene.getStylesheets().setAll(view.getScene().getStylesheets());
        }
        FrameTicker ticker = new FrameTicker(offline, System::currentTimeMillis);
        ticker.addSink(feature);
        Stage stage = new Stage();
        stage.setTitle("EdgeDeck · " + offline.target());
        stage.setScene(scene);
        stage.setOnHidden(e -> {
            ticker.close();
            feature.dispose();
        });
        stage.show();
        ticker.start();
    }

    private Window window() {
        return view.getScene() == null ? null : view.getScene().getWindow();
    }

    static String version() {
        String v = JitterFeature.class.getPackage().getImplementationVersion();
        return v == null ? "(unpackaged build)" : v;
    }
}
