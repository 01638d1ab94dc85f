package io.edgedeck.themes;

import java.net.URL;
import java.util.Locale;
import java.util.Objects;

/**
 * The console's themes. Each is one token sheet (looked-up colours only) applied over the one
 * component sheet; switching theme swaps the token sheet and nothing else.
 */
public enum Theme {
    DARK("tokens-dark.css"),
    LIGHT("tokens-light.css"),
    CONTRAST("tokens-contrast.css");

    private static final String COMPONENTS = "components.css";
    private final String tokenSheet;

    Theme(String tokenSheet) {
        this.tokenSheet = tokenSheet;
    }

    /** URL of this theme's token sheet, for {@code Scene.getStylesheets()}. */
    public String tokenSheetUrl() {
        return resource(tokenSheet);
    }

    /** URL of the component sheet every theme shares. */
    public static String componentSheetUrl() {
        return resource(COMPONENTS);
    }

    /** The command-line and settings name: {@code dark}, {@code light}, {@code contrast}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Theme fromId(String id) {
        for (Theme t : values()) {
            if (t.id().equalsIgnoreCase(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown theme '" + id + "'; expected dark, light or contrast");
    }

    /** The theme after this one, for the cycle-theme shortcut. */
    public Theme next() {
        return values()[(ordinal() + 1) % values().length];
    }

    private static String resource(String name) {
        URL url = Objects.requireNonNull(Theme.class.getResource(name), "missing theme sheet " + name);
        return url.toExternalForm();
    }
}
