package io.edgedeck.console.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.edgedeck.console.common.TileColouring;

/**
 * The settings as they are stored in {@code settings.json}. Missing fields take their defaults, so
 * a file from an older console still loads.
 *
 * @param windowX null until the window was placed once
 * @param tileColouring what PoP tiles are coloured against: {@code fixed} (the p95 objective) or
 *                      {@code adaptive} (each PoP's learned normal, docs/BASELINES.md)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SettingsData(String operator, Double p95TargetMs, String theme, Double windowX, Double windowY,
                           Double windowWidth, Double windowHeight, String lastScenario, Boolean worstFirst,
                           String tileColouring) {

    public static final double DEFAULT_P95_MS = 150;
    public static final double DEFAULT_WIDTH = 1320;
    public static final double DEFAULT_HEIGHT = 820;

    public static SettingsData defaults() {
        return new SettingsData(defaultOperator(), DEFAULT_P95_MS, "dark", null, null, DEFAULT_WIDTH, DEFAULT_HEIGHT,
                "steady-show", false, TileColouring.FIXED.id());
    }

    /** Fills what the file left out with defaults. */
    public SettingsData withDefaults() {
        SettingsData d = defaults();
        return new SettingsData(
                operator == null || operator.isBlank() ? d.operator : operator,
                p95TargetMs == null || !(p95TargetMs > 0) ? d.p95TargetMs : p95TargetMs,
                theme == null ? d.theme : theme,
                windowX, windowY,
                windowWidth == null || windowWidth < 400 ? d.windowWidth : windowWidth,
                windowHeight == null || windowHeight < 300 ? d.windowHeight : windowHeight,
                lastScenario == null || lastScenario.isBlank() ? d.lastScenario : lastScenario,
                worstFirst == null ? d.worstFirst : worstFirst,
                TileColouring.fromId(tileColouring).id());
    }

    static String defaultOperator() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "operator" : user;
    }
}
