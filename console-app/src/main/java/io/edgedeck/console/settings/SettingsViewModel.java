package io.edgedeck.console.settings;

import io.edgedeck.console.common.TileColouring;
import io.edgedeck.themes.Theme;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Locale;

/**
 * The settings form: fields the operator edits, applied to {@link Settings} only when valid.
 * The theme and the tiles' colouring apply at once, as the theme shortcut does.
 */
public final class SettingsViewModel {
    private final Settings settings;
    private final StringProperty operator = new SimpleStringProperty(this, "operator");
    private final StringProperty p95Target = new SimpleStringProperty(this, "p95Target");
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme");
    private final ObjectProperty<TileColouring> tileColouring = new SimpleObjectProperty<>(this, "tileColouring");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final String fileLocation;

    public SettingsViewModel(Settings settings, String fileLocation, String loadProblem) {
        this.settings = settings;
        this.fileLocation = fileLocation;
        revert();
        theme.bindBidirectional(settings.themeProperty());
        tileColouring.bindBidirectional(settings.tileColouringProperty());
        if (loadProblem != null) {
            message.set(loadProblem);
        }
    }

    /** Puts the stored values back into the form. */
    public void revert() {
        operator.set(settings.operatorProperty().get());
        p95Target.set(String.format(Locale.ROOT, "%.0f", settings.p95TargetMsProperty().get()));
    }

    /** Validates the form and applies it; says what was wrong otherwise. */
    public boolean apply() {
        String name = operator.get() == null ? "" : operator.get().strip();
        if (name.isEmpty()) {
            message.set("The operator name is required: it goes into every audit entry.");
            return false;
        }
        double target;
        try {
            target = Double.parseDouble(p95Target.get().strip().replace("ms", "").strip());
        } catch (NumberFormatException | NullPointerException e) {
            message.set("The p95 objective must be a number of milliseconds, not '" + p95Target.get() + "'.");
            return false;
        }
        if (!(target >= 5 && target <= 10_000)) {
            message.set("The p95 objective must be between 5 and 10000 ms.");
            return false;
        }
        settings.operatorProperty().set(name);
        settings.p95TargetMsProperty().set(target);
        message.set("Saved. Tiles now turn amber above " + Math.round(target * 0.8) + " ms and red above "
                + Math.round(target) + " ms.");
        return true;
    }

    public StringProperty operatorProperty() {
        return operator;
    }

    public StringProperty p95TargetProperty() {
        return p95Target;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    /** What PoP tiles are coloured against; applies at once, like the theme. */
    public ObjectProperty<TileColouring> tileColouringProperty() {
        return tileColouring;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String fileLocation() {
        return fileLocation;
    }

    /** Unbinds from the settings. */
    public void dispose() {
        theme.unbindBidirectional(settings.themeProperty());
        tileColouring.unbindBidirectional(settings.tileColouringProperty());
    }
}
