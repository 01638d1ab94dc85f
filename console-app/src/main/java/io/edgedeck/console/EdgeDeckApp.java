package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.files.OutputFile;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.EngineTime;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.FxMonitor;
import io.edgedeck.console.common.OutputFiles;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.dashboard.DashboardFeature;
import io.edgedeck.console.settings.Settings;
import io.edgedeck.console.settings.SettingsData;
import io.edgedeck.console.settings.SettingsSaver;
import io.edgedeck.console.settings.SettingsStore;
import io.edgedeck.simulator.bundle.BundleException;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.stage.PopupWindow;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One run of the console: reads the settings, opens the connection the options ask for, shows
 * the main window, and on exit writes the settings and lets go of everything. {@link Launcher}
 * makes one per JVM; tests make two in a row on one settings directory.
 */
public final class EdgeDeckApp {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeDeckApp.class);

    /** A start-up mistake in what a person asked for; the message names the option. */
    public static final class StartupException extends Exception {
        public StartupException(String message) {
            super(message);
        }
    }

    private final ConsoleOptions options;
    private final SettingsStore store;
    private final SettingsStore.Loaded loaded;
    private final SettingsData startSettings;
    private final EdgeConnection connection;
    private final String notice;
    private final Background background = Background.forFx();
    private Settings settings;
    private SettingsSaver saver;
    private Console console;
    private FxMonitor fxMonitor;
    private Stage stage;
    private boolean stopped;
    private final List<String> problems = new ArrayList<>();
    private double backstopSeconds;
    private Consumer<Ending> ending = end -> Platform.exit();
    /** Where a run's outcome lines go ("Wrote shot.png", the bundle's summary): standard output. */
    private Consumer<String> out = System.out::println;

    /**
     * How a run ended: {@code status} 0, or {@link #OUTPUT_NOT_WRITTEN} when a screenshot or bundle the
     * command line asked for could not be written, each such failure one line in {@code problems}
     * ("could not write --screenshot /x.png: permission denied").
     *
     * @param settingsWritten completes once the settings are on disk
     */
    public record Ending(int status, List<String> problems, CompletableFuture<Void> settingsWritten) {
    }

    /** The exit status when a --screenshot or --export-bundle could not be written at --exit-after. */
    public static final int OUTPUT_NOT_WRITTEN = 3;

    private EdgeDeckApp(ConsoleOptions options, SettingsStore store, SettingsStore.Loaded loaded, SettingsData startSettings,
                        EdgeConnection connection, String notice) {
        this.options = options;
        this.store = store;
        this.loaded = loaded;
        this.startSettings = startSettings;
        this.connection = connection;
        this.notice = notice;
    }

    /**
     * Reads the settings and opens the connection: the scenario is read and the show started here,
     * once, held at 00:00 until {@link #start} shows the window; or the bundle read, or the node's token. Blocking file I/O: never on the FX thread.
     *
     * @throws StartupException when the scenario, bundle or token named on the command line cannot be used
     */
    public static EdgeDeckApp prepare(ConsoleOptions options, SettingsStore store) throws StartupException {
        // A file that cannot be written is refused now, not found out when the show has been played to --exit-after.
        checkWritable("--screenshot", options.screenshot());
        checkWritable("--export-bundle", options.exportBundle());
        SettingsStore.Loaded loaded = store.load();
        SettingsData saved = loaded.data();
        String theme = options.theme() != null ? options.theme().id() : saved.theme();
        boolean rehearsal = options.connect() == null && options.bundle() == null;
        String notice = loaded.problem();
        ConsoleOptions effective = options;
        String scenario = saved.lastScenario();
        if (rehearsal) {
            if (options.scenario() != null) {
                scenario = options.scenario();
            } else {
                // Without --rehearsal the console opens on the show rehearsed last.
                effective = options.withScenario(saved.lastScenario());
            }
        }
        EdgeConnection connection;
        try {
            connection = Connections.openHeld(effective);
        } catch (BundleException e) {
            throw new StartupException("--bundle: " + e.getMessage());
        } catch (ScenarioCatalog.UnknownScenarioException | ScenarioValidationException | IOException e) {
            if (options.connect() != null) {
                // The token's messages name their option and file already ("--token-file FILE is empty").
                String said = e.getMessage();
                throw new StartupException(said != null && said.startsWith("--") ? said
                        : (options.tokenFile() != null ? "--token-file: " : "--connect: ") + said);
            }
            if (options.scenario() != null) {
                throw new StartupException("--rehearsal: " + describe(e));
            }
            // The show remembered from last time is gone (a deleted file): say so and rehearse the default.
            notice = "The last show, " + scenario + ", could not be opened (" + describe(e) + "); rehearsing "
                    + ConsoleOptions.DEFAULT_SCENARIO + " instead";
            scenario = ConsoleOptions.DEFAULT_SCENARIO;
            effective = options.withScenario(scenario);
            try {
                connection = Connections.openHeld(effective);
            } catch (IOException again) {
                throw new StartupException("--rehearsal: " + again.getMessage());
            }
        }
        // What the edge is decides some tabs (a fleet aggregator's, a node's): refuse one it lacks before a window opens.
        if (options.tab() != null && !Console.offers(options.tab(), connection)) {
            String edge = connection.hasFleet() ? "a LIVE console on a fleet aggregator" : "a LIVE console on an edge node";
            connection.close();
            throw new StartupException(ConsoleOptions.tabRefusal(options.tab(), edge));
        }
        SettingsData start = new SettingsData(saved.operator(), saved.p95TargetMs(), theme, saved.windowX(), saved.windowY(),
                saved.windowWidth(), saved.windowHeight(), rehearsal ? scenario : saved.lastScenario(), saved.worstFirst(),
                saved.tileColouring());
        return new EdgeDeckApp(effective, store, loaded, start, connection, notice);
    }

    private static void checkWritable(String option, Path file) throws StartupException {
        if (file != null) {
            java.util.Optional<String> why = OutputFiles.whyNotWritable(file);
            if (why.isPresent()) {
                throw new StartupException(option + " " + file + ": cannot be written: " + why.get());
            }
        }
    }

    private static String describe(Exception e) {
        if (e instanceof ScenarioValidationException v) {
            return "the scenario is not valid:" + v.errors().stream().map(err -> "\n  " + err)
                    .collect(java.util.stream.Collectors.joining());
        }
        return e.getMessage();
    }

    /** The options this run started with, the remembered scenario filled in. */
    public ConsoleOptions options() {
        return options;
    }

    /** Builds the console, shows the window and starts the frame ticker. FX thread. */
    public void start(Stage stage) {
        this.stage = stage;
        settings = new Settings(startSettings);
        saver = new SettingsSaver(settings, store);
        if (!startSettings.equals(loaded.data()) || !store.exists()) {
            // What this start changed (the scenario, the theme) is remembered even if nothing else changes.
            saver.saveSoon();
        }
        if (notice != null) {
            LOG.warn("{}", notice);
        }
        console = Console.create(connection, settings, store.file().toString(), notice, background);

        // A restarted rehearsal names its new show in the title too; stage and session live as long as this run.
        stage.titleProperty().bind(console.session().connectionProperty().map(Console::titleFor));
        stage.setScene(console.scene());
        WindowPlacement place = WindowPlacement.fitted(settings.windowWidthProperty().get(), settings.windowHeightProperty().get(),
                settings.windowXProperty().get(), settings.windowYProperty().get(),
                java.util.stream.Stream.concat(java.util.stream.Stream.of(javafx.stage.Screen.getPrimary()),
                        javafx.stage.Screen.getScreens().stream()).map(javafx.stage.Screen::getVisualBounds).toList());
        stage.setWidth(place.width());
        stage.setHeight(place.height());
        // Remembered as it opened, not as the file had it.
        settings.windowWidthProperty().set(place.width());
        settings.windowHeightProperty().set(place.height());
        if (place.x() != null) {
            stage.setX(place.x());
            stage.setY(place.y());
        }
        stage.setOnCloseRequest(e -> exit());
        // Each dashboard tile replays, as the window shows, every change it was told before: one redraw each
        // (445 redraws of the show row's 4 tiles in a start of steady-show). Draw each tile once instead.
        DashboardFeature.drawingTilesOnceWhile(stage::show);
        // The stage lives as long as this run, so these listeners need no removal.
        stage.widthProperty().addListener((o, a, w) -> settings.windowWidthProperty().set(w.doubleValue()));
        stage.heightProperty().addListener((o, a, h) -> settings.windowHeightProperty().set(h.doubleValue()));
        stage.xProperty().addListener((o, a, x) -> settings.windowXProperty().set(x.doubleValue()));
        stage.yProperty().addListener((o, a, y) -> settings.windowYProperty().set(y.doubleValue()));
        if (options.reportStartup()) {
            reportFirstLiveFrame(console.ticker(), console.scene());
        }
        if (options.reportFx()) {
            fxMonitor = new FxMonitor(System.out, () -> console.session().connection().latestFrame()
                    .map(f -> EngineTime.format(f.engineMillis())).orElse("-"), Duration.seconds(2));
            // Measure the show, not the window opening: start at the first frame the views applied.
            boolean[] started = {false};
            console.ticker().addSink((frame, fresh, since) -> {
                if (!started[0]) {
                    started[0] = true;
                    fxMonitor.start();
                }
            });
        }
        console.ticker().start();
        // An opened bundle is for diagnosing jitter: start there unless told otherwise.
        String firstTab = options.tab() != null ? options.tab() : options.bundle() != null ? "jitter" : null;
        if (firstTab != null) {
            console.showTab(firstTab);
        }
        if (notice != null) {
            Notifications.create().owner(stage).title("Settings").text(notice)
                    .hideAfter(Duration.seconds(20)).showWarning();
        }
        if (connection.mode() == io.edgedeck.client.ConnectionMode.REHEARSAL && !countsOnTheShowsClock(options, connection)) {
            // A rehearsal was held at 00:00 while the window was built: it plays from here, so the console sees the
            // show from its first second however slow the start (--exit-after on the show's clock resumes it itself).
            connection.resume();
        }
        if (options.exitAfterSeconds() > 0) {
            exitAfter(this::writeOutputsAndExit);
        }
    }

    /** Whether --exit-after counts engine time: a rehearsal at a set speed. */
    private static boolean countsOnTheShowsClock(ConsoleOptions options, EdgeConnection connection) {
        return options.exitAfterSeconds() > 0 && options.speed() > 0
                && connection.mode() == io.edgedeck.client.ConnectionMode.REHEARSAL;
    }

    /**
     * Runs {@code finish} at --exit-after. A rehearsal at a set speed, held since {@link #prepare}, plays from
     * here and counts on the show's clock: it pauses itself at SECONDS x speed of engine time (or ends there,
     * if sooner), however slow or busy the machine, so {@code --speed 20 --exit-after 18} holds minute 6:00,
     * and the files are written of that held show once the Jitter tab has drawn it. Anything else (max speed,
     * LIVE, a bundle) counts SECONDS of wall time from when the window opened and cannot be held. FX thread.
     */
    private void exitAfter(Runnable finish) {
        if (countsOnTheShowsClock(options, connection)) {
            long engineMillis = Math.round(options.exitAfterSeconds() * options.speed() * 1000);
            connection.pauseAt(engineMillis);
            connection.resume();
            boolean[] reached = {false};
            long[] shownMillis = {0};
            console.ticker().addSink((frame, fresh, since) -> {
                shownMillis[0] = frame.engineMillis();
                if (!reached[0] && ((frame.state() == io.edgedeck.client.model.ShowState.PAUSED && frame.engineMillis() >= engineMillis)
                        || frame.state() == io.edgedeck.client.model.ShowState.FINISHED
                        || frame.state() == io.edgedeck.client.model.ShowState.FAILED)) {
                    reached[0] = true;
                    // The views took this held frame in this tick; the Jitter tab fetches its history on a
                    // worker, so the files wait until it has drawn this second too.
                    whenJitterDrawn(frame.engineMillis() / 1000, finish);
                }
            });
            // A show that stalls (a failed engine, a machine far too slow for the speed) must not hold a script
            // forever: past a generous wall-clock bound the files show where it got to, and the exit status says so.
            PauseTransition backstop = new PauseTransition(Duration.seconds(
                    backstopSeconds > 0 ? backstopSeconds : exitAfterBackstopSeconds(options.exitAfterSeconds())));
            backstop.setOnFinished(e -> {
                if (!reached[0]) {
                    reached[0] = true;
                    problems.add("--exit-after " + options.exitAfterSeconds() + " at --speed " + options.speed()
                            + ": the show reached only " + EngineTime.format(shownMillis[0]) + " of "
                            + EngineTime.format(engineMillis) + " in " + Math.round(backstop.getDuration().toSeconds())
                            + " s; the files show it there");
                    finish.run();
                }
            });
            backstop.play();
            return;
        }
        PauseTransition wait = new PauseTransition(Duration.seconds(options.exitAfterSeconds()));
        wait.setOnFinished(e -> finish.run());
        wait.play();
    }

    /** How long the files wait for the Jitter and Triggers tabs to draw the held second before they are written as they are. */
    static final double JITTER_DRAWN_WAIT_SECONDS = 30;

    /**
     * Runs {@code finish} once the Jitter tab's ranking and picture, and the Triggers tab's audit, are of
     * {@code engineSecond}, or after {@link #JITTER_DRAWN_WAIT_SECONDS} (the Jitter banner then says how old its
     * picture is). Both fetch on workers of their own, a poll behind the frames at most. FX thread.
     */
    private void whenJitterDrawn(long engineSecond, Runnable finish) {
        List<CompletableFuture<Void>> drawn = new ArrayList<>();
        if (console.features().contains(console.jitter())) {
            drawn.add(console.jitter().viewModel().drawnAt(engineSecond));
        }
        console.features().stream().filter(f -> f instanceof io.edgedeck.console.triggers.TriggersFeature)
                .forEach(f -> drawn.add(((io.edgedeck.console.triggers.TriggersFeature) f).model().drawnAt(engineSecond)));
        if (drawn.isEmpty()) {
            Platform.runLater(finish);
            return;
        }
        boolean[] done = {false};
        Runnable once = () -> {
            if (!done[0]) {
                done[0] = true;
                finish.run();
            }
        };
        PauseTransition bound = new PauseTransition(Duration.seconds(JITTER_DRAWN_WAIT_SECONDS));
        bound.setOnFinished(e -> {
            LOG.warn("The Jitter or Triggers tab had not drawn {} after {} s; the files show them as they were",
                    EngineTime.format(engineSecond * 1000), JITTER_DRAWN_WAIT_SECONDS);
            once.run();
        });
        bound.play();
        CompletableFuture.allOf(drawn.toArray(CompletableFuture[]::new)).thenRun(() -> Platform.runLater(() -> {
            bound.stop();
            once.run();
        }));
    }

    /** Tests: a shorter wall-clock bound on reaching the --exit-after minute than {@link #exitAfterBackstopSeconds}. Before {@link #start}. */
    void stallBackstopSeconds(double seconds) {
        this.backstopSeconds = seconds;
    }

    /** How long in wall time a rehearsal may take to reach its --exit-after minute: four times the asked, and at least two minutes more. */
    static double exitAfterBackstopSeconds(double exitAfterSeconds) {
        return Math.max(4 * exitAfterSeconds, exitAfterSeconds + 120);
    }

    /**
     * Takes the screenshot the options ask for, if any, and the bundle's pictures in the same moment (one FX
     * turn), writes the bundle, then the screenshot, then exits. FX thread.
     */
    private void writeOutputsAndExit() {
        BufferedImage screenshot = options.screenshot() == null ? null : Snapshots.capture(console.scene().getRoot());
        if (options.exportBundle() != null) {
            console.jitter().exportSaying(options.exportBundle()).whenComplete((said, error) -> {
                if (error == null) {
                    out.accept(said);
                } else {
                    problems.add("could not write --export-bundle " + options.exportBundle() + ": "
                            + OutputFile.reason(error));
                }
                screenshotAndExit(screenshot);
            });
        } else {
            screenshotAndExit(screenshot);
        }
    }

    /** The console this run shows, once started. */
    public Console console() {
        return console;
    }

    /**
     * Prints, once, how long after JVM start the first live frame reached the views on the FX thread,
     * and when the pulse that draws it had laid the scene out (what remains is rendering).
     */
    private static void reportFirstLiveFrame(FrameTicker ticker, Scene scene) {
        ticker.addSink(new FirstLiveFrameReport(() -> ManagementFactory.getRuntimeMXBean().getStartTime(),
                System::currentTimeMillis, then -> {
                    Runnable[] once = {null};
                    once[0] = () -> {
                        scene.removePostLayoutPulseListener(once[0]);
                        then.run();
                    };
                    scene.addPostLayoutPulseListener(once[0]);
                }, System.out::println));
    }

    /** Writes the screenshot taken, if any, off the FX thread, then exits. FX thread. */
    private void screenshotAndExit(BufferedImage image) {
        if (image == null) {
            exit();
            return;
        }
        background.run(() -> {
            Snapshots.writePng(image, options.screenshot());
            return options.screenshot();
        }).onSuccess(file -> out.accept("Wrote " + file.toAbsolutePath()))
                .onFailure(failure -> problems.add("could not write --screenshot " + options.screenshot() + ": "
                        + OutputFile.reason(failure.cause())))
                .andFinally(this::exit).start();
    }

    /**
     * Ends this run: writes the settings, lets go of the connection and every listener, closes the
     * window and, after hiding open popups (the toolkit tearing down a popup whose owner window is
     * already closed aborts the JVM on GTK), stops the toolkit. FX thread.
     */
    public void exit() {
        CompletableFuture<Void> written = stop();
        List.copyOf(Window.getWindows()).stream().filter(w -> w instanceof PopupWindow).forEach(Window::hide);
        ending.accept(new Ending(problems.isEmpty() ? 0 : OUTPUT_NOT_WRITTEN, List.copyOf(problems), written));
    }

    /**
     * What {@link #exit()} does last, once this run let go of everything: by default stops the toolkit; the
     * launcher also reports the problems and exits with the status. Before {@link #start}.
     */
    public void onEnding(Consumer<Ending> ending) {
        this.ending = ending;
    }

    /** Tests: where the outcome lines go instead of standard output. Before {@link #start}. */
    void printTo(Consumer<String> out) {
        this.out = out;
    }

    /**
     * Writes the settings and lets go of everything, leaving the toolkit running (tests start
     * another). The future completes once the settings are on disk. FX thread.
     */
    public CompletableFuture<Void> stop() {
        if (stopped) {
            return saver == null ? CompletableFuture.completedFuture(null) : saver.closeAndWrite();
        }
        stopped = true;
        if (fxMonitor != null) {
            fxMonitor.close();
        }
        if (stage != null) {
            // Where the window is now, even if it never moved since it opened (placed by the window manager).
            if (stage.isShowing()) {
                settings.windowXProperty().set(stage.getX());
                settings.windowYProperty().set(stage.getY());
            }
            stage.setOnCloseRequest(null);
            stage.hide();
        }
        if (console != null) {
            console.dispose();
        }
        background.close();
        return saver == null ? CompletableFuture.completedFuture(null) : saver.closeAndWrite();
    }
}
