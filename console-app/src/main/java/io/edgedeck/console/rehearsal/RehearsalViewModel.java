package io.edgedeck.console.rehearsal;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.common.EngineTime;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Outcome;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.connection.ConsoleSession;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The rehearsal tab's state: which show to run (scenario, seed, speed), its run state, and the
 * cue form ({@link CueFormViewModel}) for firing faults and shifts by hand. Starting builds a fresh in-process engine and
 * hands it to the session, which every other feature follows.
 */
public final class RehearsalViewModel implements FrameTicker.Sink {
    /** What the tab says once the show has played to its end. */
    public static final String ENDED = "The show has ended: Start runs it again.";
    public static final List<String> SPEEDS = List.of("1x", "2x", "5x", "10x", "20x", "50x", "max");

    /**
     * Builds a rehearsal connection, held at 00:00 or already playing; Start resumes it once the session has
     * it, so every view sees the new show from its first second. Blocking (it may read a scenario file).
     */
    @FunctionalInterface
    public interface Starter {
        EdgeConnection start(String scenario, Long seed, double speed) throws Exception;
    }

    /**
     * A scenario the picker offers. Its description is asked for when the picker shows it, not
     * before: a description of a built-in means reading that built-in.
     *
     * @param name  what Start plays: a built-in's name, or a scenario file's path
     * @param label what the picker shows
     */
    public record ScenarioChoice(String name, String label, Supplier<String> describer) {
        /** A built-in, shown by its name, described when shown. */
        public ScenarioChoice(String name, Supplier<String> describer) {
            this(name, name, describer);
        }

        /** A scenario whose description is at hand. */
        public ScenarioChoice(String name, String description) {
            this(name, () -> description);
        }

        /**
         * The scenario file at {@code path}, shown as a file by its path, never as the built-in its
         * scenario may be named like.
         */
        public static ScenarioChoice file(String path, String scenarioName, String description) {
            return new ScenarioChoice(path, "file: " + path, () -> "The scenario " + scenarioName + " from the file " + path
                    + (description.isBlank() ? "" : ": " + description));
        }

        public String description() {
            return describer.get();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final ConsoleSession session;
    private final Starter starter;
    private final ObservableStringValue operator;
    private final Background background;
    private final List<ScenarioChoice> scenarios;

    private final ObjectProperty<ScenarioChoice> scenario = new SimpleObjectProperty<>(this, "scenario");
    private final StringProperty seed = new SimpleStringProperty(this, "seed", "");
    private final StringProperty speed = new SimpleStringProperty(this, "speed", "1x");
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper stopped = new ReadOnlyBooleanWrapper(this, "stopped");
    private final ReadOnlyBooleanWrapper finished = new ReadOnlyBooleanWrapper(this, "finished");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final Outcome message = new Outcome();
    private final ReadOnlyStringWrapper startedScenario = new ReadOnlyStringWrapper(this, "startedScenario");
    private final CueFormViewModel cues = new CueFormViewModel();
    /** The seed {@link #select} filled in (the running show's), which a scenario picked after it does not take. */
    private String filledSeed;


    public RehearsalViewModel(ConsoleSession session, List<ScenarioChoice> scenarios, Starter starter,
                              ObservableStringValue operator, Background background) {
        this.session = session;
        this.scenarios = List.copyOf(scenarios);
        this.starter = starter;
        this.operator = operator;
        this.background = background;
        // Another scenario plays with its own seed (the field blank), not with the seed of the show running
        // now; a seed the producer typed stays.
        scenario.addListener((obs, old, now) -> {
            if (old != null && seed.get() != null && seed.get().equals(filledSeed)) {
                seed.set("");
            }
        });
    }

    /**
     * Picks the scenario the show runs now, with its seed and speed.
     *
     * @param scenarioName the choice's name: a built-in's, or the path of the file the show came from
     */
    public void select(String scenarioName, long showSeed, double showSpeed) {
        scenarios.stream().filter(s -> s.name().equals(scenarioName)).findFirst().ifPresent(scenario::set);
        filledSeed = Long.toString(showSeed);
        seed.set(filledSeed);
        speed.set(speedLabel(showSpeed));
    }

    public static double parseSpeed(String label) {
        if (label == null || label.equalsIgnoreCase("max")) {
            return 0;
        }
        return Double.parseDouble(label.toLowerCase(Locale.ROOT).replace("x", "").strip());
    }

    static String speedLabel(double speed) {
        if (speed <= 0) {
            return "max";
        }
        return (speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed)) + "x";
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        if (!fresh) {
            return;
        }
        running.set(frame.state() == ShowState.RUNNING && !stopped.get());
        finished.set(frame.state() == ShowState.FINISHED && !stopped.get());
        state.set(stopped.get() ? "stopped" : switch (frame.state()) {
            case READY -> "ready";
            case RUNNING -> "running at " + speedLabel(frame.speed());
            case PAUSED -> "paused";
            case FINISHED -> "finished";
            case FAILED -> "failed: " + frame.node().detail();
        } + String.format(Locale.ROOT, " · %s seed %d · %s", frame.scenario(), frame.seed(),
                EngineTime.format(frame.engineMillis()) + " / " + EngineTime.format(frame.durationSeconds() * 1000L)));
        cues.offer(frame);
    }

    // ------------------------------------------------------------------ commands

    /** Starts the chosen show from the beginning, replacing the one running now. */
    public void start() {
        ScenarioChoice chosen = scenario.get();
        if (chosen == null) {
            message.failed("Pick a scenario first.");
            return;
        }
        Long parsedSeed;
        double parsedSpeed;
        try {
            parsedSeed = seed.get() == null || seed.get().isBlank() ? null : Long.parseLong(seed.get().strip());
        } catch (NumberFormatException e) {
            // A number too large for a seed is a whole number all the same: say how large one may be.
            message.failed("The seed must be a whole number between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE
                    + ", not '" + seed.get().strip() + "'.");
            return;
        }
        try {
            parsedSpeed = parseSpeed(speed.get());
        } catch (NumberFormatException e) {
            message.failed("Pick a speed.");
            return;
        }
        busy.set(true);
        message.say("Starting " + chosen.label() + "…");
        background.run(() -> starter.start(chosen.name(), parsedSeed, parsedSpeed)).onSuccess(connection -> {
            stopped.set(false);
            session.replace(connection);
            // Held at 00:00 until every view follows it: it plays from here.
            connection.resume();
            startedScenario.set(chosen.name());
            message.done("Started " + connection.target() + " at " + speedLabel(parsedSpeed) + ".");
        }).onFailure(failure -> message.failed("Could not start " + chosen.label() + ": " + failure.message()))
                .andFinally(() -> busy.set(false)).start();
    }

    public void pause() {
        act(session.connection().pause(), "Paused.");
    }

    public void resume() {
        if (!ended()) {
            act(session.connection().resume(), "Resumed.");
        }
    }

    /** True, and says so, when the show has played to its end: nothing can resume it or cue into it. */
    private boolean ended() {
        if (finished.get()) {
            message.failed(ENDED);
        }
        return finished.get();
    }

    /** Pauses if running, resumes if paused: the pause shortcut. */
    public void togglePause() {
        if (running.get()) {
            pause();
        } else if (!stopped.get() && !ended()) {
            resume();
        }
    }

    /** Applies the speed picked to the running show. */
    public void applySpeed() {
        double s;
        try {
            s = parseSpeed(speed.get());
        } catch (NumberFormatException e) {
            return;
        }
        act(session.connection().setSpeed(s), "Speed " + speedLabel(s) + ".");
    }

    /** Ends the rehearsal: the engine stops for good and frees its thread; Start runs a new one. */
    public void stop() {
        EdgeConnection connection = session.connection();
        background.run(() -> {
            connection.pause().join();
            connection.close();
            return connection;
        }).onSuccess(closed -> {
            stopped.set(true);
            running.set(false);
            state.set("stopped");
            message.done("Stopped. Start runs the show again from the beginning.");
        }).onFailure(failure -> message.failed("Could not stop: " + failure.message())).start();
    }

    /** Fires the cue in the form now, or says which field stops it. */
    public void fireCue() {
        if (ended()) {
            return;
        }
        switch (cues.read(operator.get())) {
            case CueFormViewModel.Reading.Ready ready -> act(session.connection().fireCue(ready.cue()), ready.done());
            case CueFormViewModel.Reading.Invalid invalid -> message.failed(invalid.reason());
        }
    }

    private void act(CompletableFuture<Void> action, String done) {
        background.follow(action).onSuccess(v -> message.done(done))
                .onFailure(failure -> message.failed("Not done: " + failure.message())).start();
    }

    // ------------------------------------------------------------------ properties

    public List<ScenarioChoice> scenarios() {
        return scenarios;
    }

    public ObjectProperty<ScenarioChoice> scenarioProperty() {
        return scenario;
    }

    /** Blank for the scenario's own seed. */
    public StringProperty seedProperty() {
        return seed;
    }

    public StringProperty speedProperty() {
        return speed;
    }

    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty stoppedProperty() {
        return stopped.getReadOnlyProperty();
    }

    /** True once the show has played to its end (and was not stopped): Start is all that is left. */
    public ReadOnlyBooleanProperty finishedProperty() {
        return finished.getReadOnlyProperty();
    }

    /** True while a new show is being built. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.textProperty();
    }

    /** Whether the last outcome worked, failed, or only explains: the message line's colour. */
    public ReadOnlyObjectProperty<Status> messageStatusProperty() {
        return message.statusProperty();
    }

    /**
     * Forgets the last outcome: called when the connection comes or goes, after which a "Not changed: not
     * connected" or an old success would describe a state of the connection that is over. FX thread.
     */
    public void connectionChanged() {
        message.say("");
    }

    /** The scenario Start last started here, or null: the settings remember it for the next run. */
    public ReadOnlyStringProperty startedScenarioProperty() {
        return startedScenario.getReadOnlyProperty();
    }

    /** The form for firing a cue by hand. */
    public CueFormViewModel cues() {
        return cues;
    }
}
