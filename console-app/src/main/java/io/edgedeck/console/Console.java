package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.console.approvals.RequestsView;
import io.edgedeck.console.approvals.RequestsViewModel;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.Feature;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.FxMonitor;
import io.edgedeck.console.common.HelpOverlay;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.connection.ActingAs;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.console.connection.RehearsalPreflight;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.console.connection.ConnectionLog;
import io.edgedeck.console.connection.ConnectionStatusViewModel;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.fleet.FleetCueViewModel;
import io.edgedeck.console.fleet.FleetFeature;
import io.edgedeck.console.jitter.JitterFeature;
import io.edgedeck.console.playbooks.PlaybooksView;
import io.edgedeck.console.playbooks.PlaybooksViewModel;
import io.edgedeck.console.playbooks.ScheduleView;
import io.edgedeck.console.playbooks.ScheduleViewModel;
import io.edgedeck.console.sources.SourcesFeature;
import io.edgedeck.console.triggers.TriggersFeature;
import io.edgedeck.console.dashboard.DashboardFeature;
import io.edgedeck.console.dashboard.DashboardViewModel;
import io.edgedeck.console.dashboard.EdgeActionsView;
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
import javafx.collections.ListChangeListener;
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
import java.time.ZoneId;

/** The console's parts for one session, wired; the application and UI tests share this. */
public record Console(Scene scene, MainWindow window, DashboardFeature dashboard, FlagsView flags,
                      GuardrailsView guardrails, TimelineView timeline, RehearsalView rehearsal, JitterFeature jitter,
                      List<Feature> features, ConsoleSession session, Settings settings, Prompter prompter,
                      FrameTicker ticker, ConnectionStatusViewModel connectionStatus, ActingAs actingAs, String title,
                      Runnable unbind) {

    /** Builds the console for a connection with default settings that are not saved (tests). FX thread. */
    public static Console create(EdgeConnection connection, Theme theme) {
        SettingsData d = SettingsData.defaults();
        Settings settings = new Settings(new SettingsData(d.operator(), d.p95TargetMs(), theme.id(), null, null,
                d.windowWidth(), d.windowHeight(), d.lastScenario(), d.worstFirst(), d.tileColouring()));
        return create(connection, settings, "(not saved)", null, Background.forFx());
    }

    /**
     * Builds the console for a connection. FX thread.
     *
     * @param background where features run work off the FX thread; its owner closes it after {@link #dispose()}
     */
    public static Console create(EdgeConnection connection, Settings settings, String settingsFile,
                                 String settingsProblem, Background background) {
        FrameTicker ticker = new FrameTicker(connection, System::currentTimeMillis);
        // First of the ticker's sinks, so the times the views show are placed by the frame they show.
        ShowClock showClock = new ShowClock();
        ticker.addSink(showClock);
        ConsoleSession session = new ConsoleSession(connection, background);
        ConnectionStatusViewModel connectionStatus = new ConnectionStatusViewModel(connection);
        ConnectionLog connectionLog = new ConnectionLog(connection);
        ChangeListener<EdgeConnection> follow = (o, old, next) -> {
            ticker.attach(next);
            connectionStatus.attach(next);
            connectionLog.attach(next);
        };
        session.connectionProperty().addListener(follow);
        Palette palette = new Palette();
        ActingAs actingAs = new ActingAs(session, settings.operatorProperty(), background.ui());
        Prompter prompter = new Prompter(actingAs.promptLineProperty());

        DashboardViewModel dashboardModel = new DashboardViewModel();
        dashboardModel.edgeActions().showTimesBy(showClock);
        // A bundle is the show as it stood when it was written: its clock says so, not "paused".
        dashboardModel.setSnapshot(connection.mode() == ConnectionMode.OFFLINE);
        dashboardModel.sloProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(
                () -> new Slo(settings.p95TargetMsProperty().get(), settings.tileColouringProperty().get()),
                settings.p95TargetMsProperty(), settings.tileColouringProperty()));
        DashboardFeature dashboard = new DashboardFeature(dashboardModel, palette, settings.worstFirstProperty());
        List<Feature> features = new ArrayList<>();
        features.add(dashboard);
        // What each tab runs on the ticker, by the tab: let go of with it, so a tab taken away runs nothing on each tick.
        java.util.Map<Object, javafx.util.Subscription> tickedBy = new java.util.IdentityHashMap<>();
        // Only a fleet aggregator knows its nodes: the Fleet tab, beside the wall, ticked whether or not frames come.
        if (offers("fleet", connection)) {
            FleetFeature fleet = new FleetFeature(session::connection, System::currentTimeMillis,
                    new FleetCueViewModel(session, actingAs.callerProperty(), background), prompter);
            features.add(fleet);
            // The banner and status bar tell a silent node's seconds by the Fleet tab's count, as its headline does.
            connectionStatus.tellFleetBy(fleet.model()::condition);
            // So do the PoP tiles of a silent node's PoPs.
            dashboardModel.tellPopFaultsBy(fleet.model()::popFaults);
            tickedBy.put(fleet, ticker.addEveryTick(() -> {
                fleet.tick();
                connectionStatus.retellFleet();
                dashboardModel.retellPopFaults();
            }));
        }
        // Only a node with approval lanes gets the Requests tab; its list also marks held changes in the Flags tab.
        RequestsView requests = null;
        if (offers("requests", connection)) {
            NodePoller<List<ChangeRequest>> poller = new NodePoller<>("edgedeck-requests", RequestsView.POLL_MILLIS,
                    () -> session.connection().requests());
            requests = new RequestsView(new RequestsViewModel(session, actingAs.callerProperty(), background, poller::askNow),
                    poller, prompter, System::currentTimeMillis);
            requests.model().showTimesBy(showClock);
        }
        FlagsView flags = new FlagsView(requests == null
                ? new FlagsViewModel(session, actingAs.operatorProperty(), background)
                : new FlagsViewModel(session, actingAs.operatorProperty(), background, requests.model().requests()),
                prompter, null);
        flags.showTimesBy(showClock);
        GuardrailsViewModel guardrailsModel = new GuardrailsViewModel(session, actingAs.operatorProperty(), background,
                new RehearsalPreflight(session, background));
        guardrailsModel.showTimesBy(showClock);
        GuardrailsView guardrails = new GuardrailsView(guardrailsModel, prompter);
        flags.limitTo(actingAs);
        guardrails.limitTo(actingAs);
        TimelineViewModel timelineModel = new TimelineViewModel();
        // Latency before this console's first frame comes from the PoPs' history, as the Jitter tab's does.
        timelineModel.fillFrom(session::connection, background);
        TimelineView timeline = new TimelineView(timelineModel, palette, dashboardModel.objectivesProperty());
        timeline.showTimesBy(showClock);
        timeline.describeHistoryOfARehearsal(connection.mode() == ConnectionMode.REHEARSAL);
        // A node's scheduled changes, ahead of time on the Timeline; a rehearsal's engine keeps none.
        ScheduleView schedule = null;
        ListChangeListener<ScheduleViewModel.Upcoming> aheadOnTimeline = null;
        if (connection.hasPlaybooks()) {
            NodePoller<List<ScheduledChange>> poller = new NodePoller<>("edgedeck-schedule", ScheduleView.POLL_MILLIS,
                    () -> session.connection().scheduledChanges());
            schedule = new ScheduleView(new ScheduleViewModel(session, actingAs.mayChangeProperty(), background, poller::askNow,
                    ZoneId.systemDefault()), poller, prompter, System::currentTimeMillis);
            timeline.showSchedule(schedule.view());
            ScheduleViewModel scheduleModel = schedule.model();
            aheadOnTimeline = c -> timeline.viewModel().setAhead(scheduleModel.upcoming().stream()
                    .map(u -> new TimelineViewModel.Ahead(u.inSeconds(), u.label())).toList());
            scheduleModel.upcoming().addListener(aheadOnTimeline);
        }
        JitterFeature jitter = new JitterFeature(session::connection, palette, background, connectionLog::events);
        jitter.viewModel().showTimesBy(showClock);
        features.add(flags);
        if (requests != null) {
            features.add(requests);
        }
        // Only a node keeps playbooks: the in-process rehearsal engine has none, so a rehearsal offers no such tab.
        if (offers("playbooks", connection)) {
            NodePoller<List<Playbook>> poller = new NodePoller<>("edgedeck-playbooks", PlaybooksView.POLL_MILLIS,
                    () -> session.connection().playbookList());
            PlaybooksViewModel playbooksModel = new PlaybooksViewModel(session, actingAs.mayChangeProperty(), background, poller::askNow);
            playbooksModel.showTimesBy(showClock);
            features.add(new PlaybooksView(playbooksModel, poller, prompter, System::currentTimeMillis));
        }
        features.add(guardrails);
        features.add(timeline);
        // Jitter is drawn from each PoP's history, which a fleet aggregator does not keep: no tab that cannot fill.
        if (offers("jitter", connection)) {
            features.add(jitter);
        }
        // Only a node that lists what feeds it gets the Sources tab and status line.
        SourcesFeature sources = offers("sources", connection) ? new SourcesFeature(session::connection, System::currentTimeMillis) : null;
        if (sources != null) {
            features.add(sources);
        }
        // The trigger audit, where the edge can serve it: the in-process engine, or a node.
        TriggersFeature triggers = offers("triggers", connection) ? new TriggersFeature(session::connection, System::currentTimeMillis) : null;
        if (triggers != null) {
            features.add(triggers);
        }
        RehearsalView rehearsal = null;
        if (offers("rehearsal", connection)) {
            // The file the show came from, if it did, by its path: a scenario in it may be named like a built-in,
            // and Start must play the file again, not the built-in.
            String source = connection instanceof io.edgedeck.simulator.show.RehearsalConnection r ? r.source() : null;
            List<RehearsalViewModel.ScenarioChoice> choices = new ArrayList<>();
            if (source != null && !ScenarioCatalog.isBuiltIn(source)) {
                var scenario = ((io.edgedeck.simulator.show.RehearsalConnection) connection).runner().show().definition().scenario();
                choices.add(RehearsalViewModel.ScenarioChoice.file(source, scenario.name(), scenario.description()));
            }
            // The built-ins by name; each is read for its description only when the Rehearsal tab shows it.
            ScenarioCatalog.NAMES.forEach(name -> choices.add(new RehearsalViewModel.ScenarioChoice(name,
                    () -> ScenarioCatalog.description(name))));
            RehearsalViewModel rehearsalModel = new RehearsalViewModel(session, choices, Connections::rehearseHeld,
                    settings.operatorProperty(), background);
            rehearsalModel.startedScenarioProperty().subscribe(name -> {
                if (name != null) {
                    settings.lastScenarioProperty().set(name);
                }
            });
            connection.latestFrame().ifPresentOrElse(
                    f -> rehearsalModel.select(source != null ? source : f.scenario(), f.seed(), f.speed()),
                    () -> rehearsalModel.select(settings.lastScenarioProperty().get(), 0, 1));
            rehearsal = new RehearsalView(rehearsalModel);
            features.add(rehearsal);
        }
        features.add(new SettingsView(new SettingsViewModel(settings, settingsFile, settingsProblem), connection.mode()));

        MainWindow window = new MainWindow(connection, dashboardModel, palette, features);
        window.bindTarget(session.connectionProperty().map(EdgeConnection::target));
        window.showConnectionStatus(connectionStatus);
        ticker.addSink(connectionStatus);
        window.showActingAs(actingAs);
        if (sources != null) {
            window.addToStatusBar(sources.statusLine());
        }
        if (requests != null) {
            window.addToStatusBar(requests.statusLine());
            requests.attachOverlays(window);
        }
        // Final for the lambdas below (online, and what closing the window lets go).
        ScheduleView scheduleShown = schedule;
        // A bundle never hears from an edge: its numbers are the show as it stood then, coloured as they were,
        // under a banner that says so; anything else greys its tiles when it stops hearing from the edge.
        javafx.util.Subscription onlineToTiles = connection.mode().allowsChanges()
                ? connectionStatus.onlineProperty().subscribe(online -> {
                    dashboardModel.setConnectionOnline(online);
                    features.forEach(f -> f.connectionOnline(online));
                    // The schedule shows on the Timeline, not as a tab of its own: told as the tabs are.
                    if (scheduleShown != null) {
                        scheduleShown.connectionOnline(online);
                    }
                }) : () -> { };
        EdgeActionsView edgeActions = new EdgeActionsView(dashboardModel.edgeActions(), () -> window);
        window.addToStatusBar(edgeActions.button());
        prompter.attach(window);
        flags.attachOverlays(window);
        // The dashboard decides when frames are late; the flags' propagation goes stale with its tiles.
        javafx.util.Subscription framesToFlags = dashboardModel.staleProperty().subscribe(flags::framesStale)
                // A token the node refused reads nothing: the empty tables say so, not that there is nothing.
                .and(connectionStatus.refusalProperty().subscribe(flags::notReadable))
                // Nor do the show tiles wait for a frame that will not come.
                .and(connectionStatus.refusalProperty().subscribe(r -> dashboardModel.showTiles().notLetIn(!r.isEmpty())));
        if (settingsProblem != null) {
            window.showNotice(settingsProblem);
        }
        if (connection.mode().allowsChanges()) {
            Button bannerRollback = new Button("⟲ Roll back…");
            bannerRollback.setId("banner-rollback");
            bannerRollback.getStyleClass().add(StyleClasses.BANNER_ROLLBACK);
            // Read whole at any width ("Roll ba…" at 600 px): the scenario's name beside it gives way first.
            bannerRollback.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            bannerRollback.setTooltip(new Tooltip("Roll back the guardrail's variant: hold to confirm (Ctrl+Shift+R)"));
            bannerRollback.setOnAction(e -> guardrails.requestRollback());
            guardrails.refuseWhile(connectionStatus.nodeProblemProperty(), window::showNotice);
            // A viewer's console offers no rollback at all in the banner; the guardrails tab says why. Nor does a
            // console whose node takes no change (failed, or read-only while its journal cannot be written): the
            // banner names the node's problem in its place.
            // Nor one whose variant serves nobody already: the rollback it would make is done.
            javafx.beans.binding.BooleanBinding offerRollback = actingAs.mayChangeProperty()
                    .and(connectionStatus.nodeProblemProperty().isEmpty()).and(guardrails.offered());
            // While the node is out of reach a click would only be refused: shown, so it is where the eye
            // looks for it, but disabled until the connection is back (the status bar says why).
            bannerRollback.disableProperty().bind(connectionStatus.onlineProperty().not());
            bannerRollback.visibleProperty().bind(offerRollback);
            bannerRollback.managedProperty().bind(offerRollback);
            window.bannerExtras().getChildren().add(bannerRollback);
        }

        Scene scene = new Scene(window);
        Runnable applyTheme = () -> {
            scene.getStylesheets().setAll(settings.themeProperty().get().tokenSheetUrl(), Theme.componentSheetUrl());
            window.applyCss();
            features.forEach(Feature::refreshColors);
        };
        applyTheme.run();
        InvalidationListener onTheme = o -> applyTheme.run();
        settings.themeProperty().addListener(onTheme);

        for (Feature f : features) {
            tickedBy.merge(f, ticker.addSink(f), javafx.util.Subscription::and);
        }
        if (sources != null) {
            tickedBy.merge(sources, ticker.addEveryTick(sources::takeAnswer), javafx.util.Subscription::and);
        }
        if (requests != null) {
            tickedBy.merge(requests, ticker.addEveryTick(requests::takeAnswer), javafx.util.Subscription::and);
        }
        if (triggers != null) {
            // Every tick, frame or none: a node that cannot be reached sends none, and the tab must say so.
            tickedBy.merge(triggers, ticker.addEveryTick(triggers::takeAnswer), javafx.util.Subscription::and);
        }
        if (schedule != null) {
            tickedBy.put(schedule, ticker.addSink(schedule));
        }
        List<Feature.Shortcut> shortcuts = new ArrayList<>();
        Runnable showHelp = () -> showHelp(window, prompter, shortcuts);
        shortcuts.add(new Feature.Shortcut(new KeyCodeCombination(KeyCode.F1), "Show this help (also ?)", showHelp));
        shortcuts.add(new Feature.Shortcut(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN),
                "Next theme: dark, light, high contrast",
                () -> settings.themeProperty().set(settings.themeProperty().get().next())));
        // The shortcuts that belong to a tab, which go with it when a key that may not read the show leaves the tab out.
        java.util.Map<Feature, List<Feature.Shortcut>> tabsOwn = new java.util.IdentityHashMap<>();
        for (Feature f : features) {
            List<Feature.Shortcut> own = f.shortcuts();
            shortcuts.addAll(own);
            tabsOwn.put(f, own);
        }
        // A node's own cue; at an aggregator, which keeps no schedule, the same keys fire the Fleet tab's cue on every node.
        if (schedule != null) {
            Feature.Shortcut cue = new Feature.Shortcut(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                    "Fire the named cue the oldest scheduled change waits for (\"the drop goes live\"): hold to confirm",
                    schedule::requestNextCue);
            shortcuts.add(cue);
            // The schedule shows on the Timeline: its cue goes with that tab.
            tabsOwn.merge(timeline, List.of(cue), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        }
        for (Feature.Shortcut s : shortcuts) {
            scene.getAccelerators().put(s.keys(), s.action());
        }
        // On a key that may not read the show the window offers only the tabs that key can fill (MainWindow.READ_KEY_TABS
        // for the read key, MainWindow.INGEST_KEY_TABS for the ingest key and a refused token): a shortcut of a tab not offered would try a
        // view the node refuses, so it is neither answered nor listed in the help.
        // The console lives as long as the connection's status: the subscription needs no removal.
        // The tabs it takes away are let go of too: their pollers stop, so nothing asks for what the key cannot read, and
        // what they ran on each tick stops with them.
        java.util.Set<Object> letGo = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        ScheduleView scheduleOnTimeline = schedule;
        MainWindow.onKeyThatMayNotReadTheShow(connectionStatus, kept -> {
            for (Feature f : features) {
                if (!kept.contains(f.title()) && letGo.add(f)) {
                    for (Feature.Shortcut s : tabsOwn.getOrDefault(f, List.of())) {
                        scene.getAccelerators().remove(s.keys(), s.action());
                        shortcuts.remove(s);
                    }
                    javafx.util.Subscription ticks = tickedBy.remove(f);
                    if (ticks != null) {
                        ticks.unsubscribe();
                    }
                    f.dispose();
                    // The schedule shows on the Timeline, and goes with it.
                    if (f == timeline && scheduleOnTimeline != null && letGo.add(scheduleOnTimeline)) {
                        tickedBy.remove(scheduleOnTimeline).unsubscribe();
                        scheduleOnTimeline.dispose();
                    }
                }
            }
        });
        EventHandler<KeyEvent> questionMark = e -> {
            if ("?".equals(e.getCharacter()) && !(scene.getFocusOwner() instanceof TextInputControl)) {
                showHelp.run();
                e.consume();
            }
        };
        scene.addEventFilter(KeyEvent.KEY_TYPED, questionMark);

        String title = titleFor(connection);
        ListChangeListener<ScheduleViewModel.Upcoming> aheadShown = aheadOnTimeline;
        Runnable unbind = () -> {
            if (scheduleShown != null) {
                scheduleShown.model().upcoming().removeListener(aheadShown);
                if (!letGo.contains(scheduleShown)) {
                    scheduleShown.dispose();
                }
            }
            settings.themeProperty().removeListener(onTheme);
            scene.removeEventFilter(KeyEvent.KEY_TYPED, questionMark);
            dashboardModel.sloProperty().unbind();
            session.connectionProperty().removeListener(follow);
            onlineToTiles.unsubscribe();
            framesToFlags.unsubscribe();
            edgeActions.dispose();
            connectionStatus.close();
            connectionLog.close();
            actingAs.close();
            // Each feature once: those a read key took away were let go of then.
            features.stream().filter(f -> !letGo.contains(f)).forEach(Feature::dispose);
            if (!features.contains(jitter)) {
                jitter.dispose();
            }
        };
        return new Console(scene, window, dashboard, flags, guardrails, timeline, rehearsal, jitter, List.copyOf(features),
                session, settings, prompter, ticker, connectionStatus, actingAs, title, unbind);
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

    /**
     * Selects a tab by its name, case-insensitively. FX thread.
     *
     * @throws IllegalArgumentException when this console has no such tab ({@link #offers})
     */
    public void showTab(String name) {
        Feature tab = features.stream().filter(f -> f.title().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("this console has no " + name + " tab"));
        window.show(tab.title());
    }

    /**
     * Whether a console on {@code connection} has the tab named {@code tab} (as {@code --tab} takes it): the one
     * answer {@link #create} builds its tabs from and {@code --tab} is checked against before a window opens.
     */
    public static boolean offers(String tab, EdgeConnection connection) {
        return switch (tab) {
            case "fleet" -> connection.hasFleet();
            case "requests" -> connection.hasApprovals();
            case "playbooks" -> connection.hasPlaybooks();
            case "jitter" -> connection.hasHistory();
            case "sources" -> connection.hasSources();
            case "triggers" -> connection.hasTriggerAudit();
            case "rehearsal" -> connection.mode() == ConnectionMode.REHEARSAL;
            default -> true;
        };
    }

    /** Releases every listener, every feature, the ticker and the connection. FX thread. */
    public void dispose() {
        unbind.run();
        ticker.close();
        session.close();
    }
}
