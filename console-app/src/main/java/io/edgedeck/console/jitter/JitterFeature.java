package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConnectionLog;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleConnection;
import io.edgedeck.simulator.bundle.BundleReader;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Jitter diagnostics for support staff, as a tab: where and when a PoP stutters, and a bundle to
 * hand on. Ranking history and reading and writing bundles run as background jobs.
 */
public final class JitterFeature implements Feature {
    private final java.util.function.Supplier<EdgeConnection> connection;
    private final java.util.function.Supplier<List<ConnectionLog.Event>> connectionLog;
    private final Background background;
    private final JitterViewModel viewModel;
    private final Palette palette;
    /** Built when the tab is first shown; until then only the view model follows the frames. */
    private JitterView view;
    private CompletableFuture<BundleExportTask.Exported> export;

    public JitterFeature(EdgeConnection connection, Palette palette, Background background) {
        this(() -> connection, palette, background, List::of);
    }

    /**
     * @param connection    the console's connection now: a restarted rehearsal replaces it
     * @param connectionLog what the console saw of the connection this session, for a bundle
     */
    public JitterFeature(java.util.function.Supplier<EdgeConnection> connection, Palette palette, Background background,
                         java.util.function.Supplier<List<ConnectionLog.Event>> connectionLog) {
        this.connection = connection;
        this.connectionLog = connectionLog;
        this.background = background;
        this.palette = palette;
        this.viewModel = new JitterViewModel(connection, background, System::currentTimeMillis);
    }

    /**
     * The view, built on the first call from the view model's current state (ranking, picture, span,
     * threshold), so a tab first shown mid-show shows what the model holds at once. FX thread.
     */
    private JitterView built() {
        if (view == null) {
            view = new JitterView(viewModel, palette);
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
        return view;
    }

    /** True once the view has been built (the tab was shown, or a bundle exported). */
    public boolean viewBuilt() {
        return view != null;
    }

    @Override
    public String title() {
        return "Jitter";
    }

    @Override
    public Node view() {
        return built();
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        viewModel.onTick(frame, fresh, millisSinceFrame);
    }

    @Override
    public void refreshColors() {
        if (view != null) {
            view.refreshColors();
        }
    }

    @Override
    public void dispose() {
        if (view != null) {
            view.dispose();
        }
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
     * Writes a bundle of what the console shows now, with pictures of this view and the window; if
     * the node cannot be asked, of what the console holds, marked partial. FX thread; the writing
     * runs in the background and reports on the progress bar.
     */
    public CompletableFuture<Path> exportTo(Path file) {
        return exported(file).thenApply(BundleExportTask.Exported::file);
    }

    /**
     * The same, answering what the status line says once the bundle is written: where it is, whether it is whole or
     * partial (and how many of its files), and what to do with it. What {@code --export-bundle} prints.
     */
    public CompletableFuture<String> exportSaying(Path file) {
        return exported(file).thenApply(BundleExportTask.Exported::summary);
    }

    private CompletableFuture<BundleExportTask.Exported> exported(Path file) {
        if (export != null && !export.isDone()) {
            return export;
        }
        Map<String, BufferedImage> pictures = new LinkedHashMap<>();
        pictures.put("jitter.png", Snapshots.capture(built()));
        if (view.getScene() != null) {
            pictures.put("window.png", Snapshots.capture(view.getScene().getRoot()));
        }
        export = track(background.run(new BundleExportTask(connection.get(), viewModel.heldHistories(), connectionLog.get(), pictures, file,
                createdBy())),
                written -> new Said(written.summary(), written.partial().isEmpty() ? Status.OK : Status.WARN))
                .start();
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
    public CompletableFuture<Bundle> open(Path file) {
        return track(background.run(progress -> {
            progress.update(-1, "reading " + file.getFileName());
            return BundleReader.read(file);
        }), bundle -> {
            showBundleWindow(bundle, file.getFileName().toString());
            return new Said("Opened " + file.getFileName(), Status.NEUTRAL);
        }).start();
    }

    /** An outcome on the status line: its words, coloured by how it went. */
    private record Said(String words, Status status) {
    }

    /**
     * Shows a job on the progress bar and the status line while it runs, and its outcome after: {@code done}'s
     * words, or the failure's in red. FX thread.
     */
    private <T> Background.Job<T> track(Background.Job<T> job, java.util.function.Function<? super T, Said> done) {
        JitterView view = built();
        view.progress.setProgress(-1);
        view.progress.setVisible(true);
        view.exportButton.setDisable(true);
        view.openButton.setDisable(true);
        show(view, new Said("", Status.NEUTRAL));
        Said[] outcome = {null};
        return job.onProgress((fraction, message) -> {
            view.progress.setProgress(fraction);
            view.exportStatus.setText(message);
        }).onSuccess(value -> outcome[0] = done.apply(value))
                .onFailure(failure -> outcome[0] = new Said("Failed: " + failure.message(), Status.BAD)).andFinally(() -> {
            view.progress.setVisible(false);
            view.exportButton.setDisable(false);
            view.openButton.setDisable(false);
            show(view, outcome[0]);
        });
    }

    private static void show(JitterView view, Said said) {
        for (Status s : Status.values()) {
            view.exportStatus.getStyleClass().remove(s.styleClass());
        }
        if (said.status() != Status.NEUTRAL) {
            view.exportStatus.getStyleClass().add(said.status().styleClass());
        }
        view.exportStatus.setText(said.words());
    }

    /** A window with this view over the bundle; closing it releases its ticker and thread. */
    private void showBundleWindow(Bundle bundle, String name) {
        BundleConnection offline = new BundleConnection(bundle, name);
        Palette palette = new Palette();
        JitterFeature feature = new JitterFeature(offline, palette, background);
        StackPane root = new StackPane(palette.probes(), feature.view());
        Scene scene = new Scene(root, 1320, 820);
        if (view != null && view.getScene() != null) {
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
        return view == null || view.getScene() == null ? null : view.getScene().getWindow();
    }

    /** What made a bundle, for its manifest and README: "edgedeck-console 0.1.0 (commit 1a2b3c4)", as the node says its own. */
    static String createdBy() {
        return io.edgedeck.client.BuildStamp.of(JitterFeature.class).describe("edgedeck-console");
    }
}
