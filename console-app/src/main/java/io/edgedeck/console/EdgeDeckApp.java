package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.FxMonitor;
import io.edgedeck.console.common.HelpOverlay;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.console.connection.ConnectionStatusViewModel;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.connection.RehearsalPreflight;
import io.edgedeck.console.jitter.JitterFeature;
import io.edgedeck.console.dashboard.DashboardFeature;
import io.edgedeck.console.dashboard.DashboardViewModel;
import io.edgedeck.console.dashboard.Slo;
import io.edgedeck.console.flags.FlagsView;
import io.edgedeck.console.flags.FlagsViewModel;
import io.edgedeck.console.guardrails.GuardrailsView;
import io.edgedeck.console.guardrails.GuardrailsViewModel;
import io.edgedeck.console.rehearsal.RehearsalView;
import io.edgedeck.console.rehearsal.RehearsalViewModel;
import io.edgedeck.console.settings.Settings;
import io.edgedeck.console.settings.SettingsData;
import io.edgedeck.console.settings.SettingsSaver;
import io.edgedeck.console.settings.SettingsStore;
import io.edgedeck.console.settings.SettingsView;
import io.edgedeck.console.settings.SettingsViewModel;
import io.edgedeck.console.timeline.TimelineView;
import io.edgedeck.console.timeline.TimelineViewModel;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.themes.Theme;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ChangeListener;
import javafx.event.EventHandler;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/** The composition root: reads the options and settings, opens the connection, wires view models and views. */
public final class EdgeDeckApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeDeckApp.class);

    private SettingsStore store;
    private SettingsStore.Loaded loaded;
    private Console console;
    private SettingsSaver saver;
    private FxMonitor fxMonitor;

    /** Runs on the launcher thread, not the FX thread: the settings file and scenarios are read here. */
    @Override
    public void init() {
        store = SettingsStore.standard();
        loaded = store.load();
        ScenarioCatalog.list();
    }

    @Override
    public void start(Stage stage) throws Exception {
        ConsoleOptions parsed = ConsoleOptions.parse(getParameters().getRaw());
        List<String> raw = getParameters().getRaw();
        Settings settings = new Settings(loaded.data());
        if (raw.contains("--theme")) {
            settings.themeProperty().set(parsed.theme());
        }
        // Without --rehearsal, the console opens on the show rehearsed last.
        ConsoleOptions options = !raw.contains("--rehearsal") && ScenarioCatalog.isBuiltIn(settings.lastScenarioProperty().get())
                ? parsed.withScenario(settings.lastScenarioProperty().get()) : parsed;
        EdgeConnection connection = Connections.open(options);
        if (options.connect() == null && options.bundle() == null) {
            settings.lastScenarioProperty().set(options.scenario());
        }
        saver = new SettingsSaver(settings, store);
        if (loaded.problem() != null) {
            LOG.warn("{}", loaded.problem());
            saver.saveSoon();
        }
        console = Console.create(connection, settings, store.file().toString(), loaded.problem(), Platform::runLater);

        // A restarted rehearsal names its new show in the title too; stage and session live as long as the app.
        stage.titleProperty().bind(console.session().connectionProperty().map(Console::titleFor));
        stage.setScene(console.scene());
        stage.setWidth(settings.windowWidthProperty().get());
        stage.setHeight(settings.windowHeightProperty().get());
        if (settings.windowXProperty().get() != null && settings.windowYProperty().get() != null) {
            stage.setX(settings.windowXProperty().get());
            stage.setY(settings.windowYProperty().get());
        }
        stage.show();
        // The stage lives as long as the application, so these listeners need no removal.
        stage.widthProperty().addListener((o, a, w) -> settings.windowWidthProperty().set(w.doubleValue()));
        stage.heightProperty().addListener((o, a, h) -> settings.windowHeightProperty().set(h.doubleValue()));
        stage.xProperty().addListener((o, a, x) -> settings.windowXProperty().set(x.doubleValue()));
        stage.yProperty().addListener((o, a, y) -> settings.windowYProperty().set(y.doubleValue()));
        if (options.reportStartup()) {
            reportFirstLiveFrame(console.ticker());
        }
        if (options.reportFx()) {
            fxMonitor = new FxMonitor(System.out, () -> console.session().connection().latestFrame()
                    .map(f -> io.edgedeck.console.common.EngineTime.format(f.engineMillis())).orElse("-"), Duration.seconds(2));
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
        if (loaded.problem() != null) {
            Notifications.create().owner(stage).title("Settings").text(loaded.problem())
                    .hideAfter(Duration.seconds(20)).showWarning();
        }
        if (options.exitAfterSeconds() > 0) {
            PauseTransition wait = new PauseTransition(Duration.seconds(options.exitAfterSeconds()));
            wait.setOnFinished(e -> {
                if (options.exportBundle() != null) {
                    var export = console.jitter().exportTo(options.exportBundle());
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

    /**
     * Exits after hiding open popups (notifications) first: the toolkit tearing down a popup whose
     * owner window is already closed aborts the JVM on GTK.
     */
    private static void exit() {
        List.copyOf(Window.getWindows()).stream().filter(w -> w instanceof PopupWindow).forEach(Window::hide);
        Platform.exit();
    }

    /** Prints, once, how long after JVM start the first live frame reached the FX thread. */
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

    /** Writes the screenshot the options ask for, if any, off the FX thread, then exits. FX thread. */
    private static void screenshotAndExit(Console console, ConsoleOptions options) {
        if (options.screenshot() == null) {
            exit();
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
            Platform.runLater(EdgeDeckApp::exit);
        });
    }

    @Override
    public void stop() {
        if (fxMonitor != null) {
            fxMonitor.close();
        }
        if (console != null) {
            console.dispose();
        }
        if (saver != null) {
            saver.close();
        }
    }

    /** The console's parts for one session, wired; the application and UI tests share this. */
    public record Console(Scene scene, MainWindow window, DashboardFeature dashboard, FlagsView flags,
                          GuardrailsView guardrails, TimelineView timeline, RehearsalView rehearsal, JitterFeature jitter,
                          List<Feature> features, ConsoleSession session, Settings settings, Prompter prompter,
                          FrameTicker ticker, ConnectionStatusViewModel connectionStatus, String title, Runnable unbind) {

        /** Builds the console for a connection with default settings that are not saved (tests). FX thread. */
        public static Console create(EdgeConnection connection, Theme theme) {
            SettingsData d = SettingsData.defaults();
            Settings settings = new Settings(new SettingsData(d.operator(), d.p95TargetMs(), theme.id(), null, null,
                    d.windowWidth(), d.windowHeight(), d.lastScenario()));
            return create(connection, settings, "(not saved)", null, Platform::runLater);
        }

        /**
         * Builds the console for a connection. FX thread.
         *
         * @param ui where action results land: {@code Platform::runLater}
         */
        public static Console create(EdgeConnection connection, Settings settings, String settingsFile,
                                     String settingsProblem, Executor ui) {
            Executor background = Executors.newVirtualThreadPerTaskExecutor();
            FrameTicker ticker = new FrameTicker(connection, System::currentTimeMillis);
            ConsoleSession session = new ConsoleSession(connection, background);
            ConnectionStatusViewModel connectionStatus = new ConnectionStatusViewModel(connection);
            ChangeListener<EdgeConnection> follow = (o, old, next) -> {
                ticker.attach(next);
                connectionStatus.attach(next);
            };
            session.connectionProperty().addListener(follow);
            Palette palette = new Palette();
            Prompter prompter = new Prompter(settings.operatorProperty());

            DashboardViewModel dashboardModel = new DashboardViewModel();
            dashboardModel.sloProperty().bind(settings.p95TargetMsProperty().map(v -> new Slo(v.doubleValue())));
            DashboardFeature dashboard = new DashboardFeature(dashboardModel, palette);
            List<Feature> features = new ArrayList<>();
            features.add(dashboard);
            FlagsView flags = new FlagsView(new FlagsViewModel(session, settings.operatorProperty(), ui), prompter, null);
            GuardrailsView guardrails = new GuardrailsView(new GuardrailsViewModel(session, settings.operatorProperty(), ui,
                    new RehearsalPreflight(session, background)), prompter);
            TimelineView timeline = new TimelineView(new TimelineViewModel(), palette, settings.p95TargetMsProperty());
            JitterFeature jitter = new JitterFeature(session::connection, palette);
            features.add(flags);
            features.add(guardrails);
            features.add(timeline);
            features.add(jitter);
            RehearsalView rehearsal = null;
            if (connection.mode() == ConnectionMode.REHEARSAL) {
                List<RehearsalViewModel.ScenarioChoice> choices = ScenarioCatalog.list().stream()
                        .map(e -> new RehearsalViewModel.ScenarioChoice(e.name(), e.description())).toList();
                RehearsalViewModel rehearsalModel = new RehearsalViewModel(session, choices, (name, seed, speed) -> {
                    EdgeConnection next = Connections.rehearse(name, seed, speed);
                    ui.execute(() -> settings.lastScenarioProperty().set(name));
                    return next;
                }, settings.operatorProperty(), ui, background);
                connection.latestFrame().ifPresentOrElse(
                        f -> rehearsalModel.select(f.scenario(), f.seed(), f.speed()),
                        () -> rehearsalModel.select(settings.lastScenarioProperty().get(), 0, 1));
                rehearsal = new RehearsalView(rehearsalModel);
                features.add(rehearsal);
            }
            features.add(new SettingsView(new SettingsViewModel(settings, settingsFile, settingsProblem)));

            MainWindow window = new MainWindow(connection, dashboardModel, palette, features);
            window.bindTarget(session.connectionProperty().map(EdgeConnection::target));
            window.showConnectionStatus(connectionStatus);
            javafx.util.Subscription onlineToTiles = connectionStatus.onlineProperty().subscribe(dashboardModel::setConnectionOnline);
            prompter.attach(window);
            flags.attachOverlays(window);
            if (settingsProblem != null) {
                window.showNotice(settingsProblem);
            }
            Button bannerRollback = new Button("⟲ Roll back…");
            bannerRollback.setId("banner-rollback");
            bannerRollback.getStyleClass().add(StyleClasses.BANNER_ROLLBACK);
            bannerRollback.setTooltip(new Tooltip("Roll back the guardrail's variant: hold to confirm (Ctrl+Shift+R)"));
            bannerRollback.setOnAction(e -> guardrails.requestRollback());
            window.bannerExtras().getChildren().add(bannerRollback);

            Scene scene = new Scene(window);
            Runnable applyTheme = () -> {
                scene.getStylesheets().setAll(settings.themeProperty().get().tokenSheetUrl(), Theme.componentSheetUrl());
                window.applyCss();
                features.forEach(Feature::refreshColors);
            };
            applyTheme.run();
            InvalidationListener onTheme = o -> applyTheme.run();
            settings.themeProperty().addListener(onTheme);

            features.forEach(ticker::addSink);
            List<Feature.Shortcut> shortcuts = new ArrayList<>();
            Runnable showHelp = () -> showHelp(window, prompter, shortcuts);
            shortcuts.add(new Feature.Shortcut(new KeyCodeCombination(KeyCode.F1), "Show this help (also ?)", showHelp));
            shortcuts.add(new Feature.Shortcut(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN),
                    "Next theme: dark, light, high contrast",
                    () -> settings.themeProperty().set(settings.themeProperty().get().next())));
            for (Feature f : features) {
                shortcuts.addAll(f.shortcuts());
            }
            for (Feature.Shortcut s : shortcuts) {
                scene.getAccelerators().put(s.keys(), s.action());
            }
            EventHandler<KeyEvent> questionMark = e -> {
                if ("?".equals(e.getCharacter()) && !(scene.getFocusOwner() instanceof TextInputControl)) {
                    showHelp.run();
                    e.consume();
                }
            };
            scene.addEventFilter(KeyEvent.KEY_TYPED, questionMark);

            String title = titleFor(connection);
            Runnable unbind = () -> {
                settings.themeProperty().removeListener(onTheme);
                scene.removeEventFilter(KeyEvent.KEY_TYPED, questionMark);
                dashboardModel.sloProperty().unbind();
                session.connectionProperty().removeListener(follow);
                onlineToTiles.unsubscribe();
                connectionStatus.close();
            };
            return new Console(scene, window, dashboard, flags, guardrails, timeline, rehearsal, jitter, List.copyOf(features),
                    session, settings, prompter, ticker, connectionStatus, title, unbind);
        }

        private static void showHelp(MainWindow window, Prompter prompter, List<Feature.Shortcut> shortcuts) {
            if (window.hasOverlay()) {
                return;
            }
            Node[] help = new Node[1];
            help[0] = HelpOverlay.build(shortcuts, () -> window.hideOverlay(help[0]));
            window.showOverlay(help[0]);
        }

        static String titleFor(EdgeConnection connection) {
            return "EdgeDeck · " + connection.mode() + " · " + connection.target();
        }

        /** Selects a tab by its name, case-insensitively. FX thread. */
        public void showTab(String name) {
            features.stream().filter(f -> f.title().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                    .findFirst().ifPresent(f -> window.show(f.title()));
        }

        /** Releases every listener, the ticker and the connection. FX thread. */
        public void dispose() {
            unbind.run();
            features.forEach(Feature::dispose);
            ticker.close();
            session.close();
        }
    }
}
