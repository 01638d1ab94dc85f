package io.edgedeck.console.settings;

import io.edgedeck.console.common.TileColouring;
import io.edgedeck.themes.Theme;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The operator's settings as observable properties, read and changed on the FX thread. A
 * {@link SettingsSaver} writes them to disk shortly after they change.
 */
public final class Settings {
    private final StringProperty operator = new SimpleStringProperty(this, "operator");
    private final DoubleProperty p95TargetMs = new SimpleDoubleProperty(this, "p95TargetMs");
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme");
    private final ObjectProperty<Double> windowX = new SimpleObjectProperty<>(this, "windowX");
    private final ObjectProperty<Double> windowY = new SimpleObjectProperty<>(this, "windowY");
    private final DoubleProperty windowWidth = new SimpleDoubleProperty(this, "windowWidth");
    private final DoubleProperty windowHeight = new SimpleDoubleProperty(this, "windowHeight");
    private final StringProperty lastScenario = new SimpleStringProperty(this, "lastScenario");
    private final BooleanProperty worstFirst = new SimpleBooleanProperty(this, "worstFirst");
    private final ObjectProperty<TileColouring> tileColouring = new SimpleObjectProperty<>(this, "tileColouring");

    public Settings(SettingsData data) {
        SettingsData d = data.withDefaults();
        operator.set(d.operator());
        p95TargetMs.set(d.p95TargetMs());
        Theme t;
        try {
            t = Theme.fromId(d.theme());
        } catch (IllegalArgumentException e) {
            t = Theme.DARK;
        }
        theme.set(t);
        windowX.set(d.windowX());
        windowY.set(d.windowY());
        windowWidth.set(d.windowWidth());
        windowHeight.set(d.windowHeight());
        lastScenario.set(d.lastScenario());
        worstFirst.set(d.worstFirst());
        tileColouring.set(TileColouring.fromId(d.tileColouring()));
    }

    /** The values now, to hand to another thread for saving. FX thread. */
    public SettingsData snapshot() {
        return new SettingsData(operator.get(), p95TargetMs.get(), theme.get().id(), windowX.get(), windowY.get(),
                windowWidth.get(), windowHeight.get(), lastScenario.get(), worstFirst.get(),
                tileColouring.get().id());
    }

    /** Everything that is saved, for the saver to watch. */
    Observable[] observables() {
        return new Observable[]{operator, p95TargetMs, theme, windowX, windowY, windowWidth, windowHeight, lastScenario,
                worstFirst, tileColouring};
    }

    /** Who the audit log names for changes made from this console. */
    public StringProperty operatorProperty() {
        return operator;
    }

    /** The p95 latency objective PoP tiles are coloured against, in ms. */
    public DoubleProperty p95TargetMsProperty() {
        return p95TargetMs;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public ObjectProperty<Double> windowXProperty() {
        return windowX;
    }

    public ObjectProperty<Double> windowYProperty() {
        return windowY;
    }

    public DoubleProperty windowWidthProperty() {
        return windowWidth;
    }

    public DoubleProperty windowHeightProperty() {
        return windowHeight;
    }

    public StringProperty lastScenarioProperty() {
        return lastScenario;
    }

    /** What PoP tiles are coloured against: the fixed objective or each PoP's learned normal. */
    public ObjectProperty<TileColouring> tileColouringProperty() {
        return tileColouring;
    }

    /** Whether the wall of PoPs puts the worst first (else the edge's order). */
    public BooleanProperty worstFirstProperty() {
        return worstFirst;
    }
}
