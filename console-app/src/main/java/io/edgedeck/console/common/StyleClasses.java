package io.edgedeck.console.common;

/** Style classes the component sheet defines; views use these constants, never literals. */
public final class StyleClasses {
    private StyleClasses() {
    }

    public static final String MODE_BANNER = "mode-banner";
    public static final String MODE_NAME = "mode-name";
    public static final String LIVE = "live";
    public static final String REHEARSAL = "rehearsal";
    public static final String STATUS_BAR = "status-bar";
    public static final String STALE_WARNING = "stale-warning";
    public static final String DASHBOARD = "dashboard";
    public static final String SECTION_TITLE = "section-title";
    public static final String MUTED = "muted";
    public static final String PALETTE_PROBE = "palette-probe";
    public static final String STATUS_PREFIX = "status-";
}
