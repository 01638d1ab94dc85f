package io.edgedeck.console.common;

/** Style classes the component sheet defines; views use these constants, never literals. */
public final class StyleClasses {
    private StyleClasses() {
    }

    public static final String MODE_BANNER = "mode-banner";
    /** The banner's lines under its first, where the window is too narrow for it on one line. */
    public static final String MODE_BANNER_BELOW = "mode-banner-below";
    public static final String MODE_NAME = "mode-name";
    public static final String LIVE = "live";
    public static final String REHEARSAL = "rehearsal";
    public static final String OFFLINE = "offline";
    public static final String MODE_NOTE = "mode-note";
    public static final String STATUS_BAR = "status-bar";
    public static final String STALE_WARNING = "stale-warning";
    /** The status bar's word that the node resumed from its journal alone after a restart: amber, as a stale warning. */
    public static final String RESTART_NOTICE = "restart-notice";
    public static final String DASHBOARD = "dashboard";
    public static final String SECTION_TITLE = "section-title";
    public static final String MUTED = "muted";
    public static final String PALETTE_PROBE = "palette-probe";
    public static final String STATUS_PREFIX = "status-";
    public static final String MAIN_WINDOW = "main-window";
    public static final String NOTICE = "notice";
    public static final String SHOW_TILES = "show-tiles";
    public static final String VIEW = "view";
    /** A scroll pane around a tab's view that scrolls down in a low window: no frame of its own, the view's background. */
    public static final String VIEW_SCROLL = "view-scroll";
    public static final String VIEW_TITLE = "view-title";
    public static final String FORM = "form";
    public static final String STRONG = "strong";
    public static final String ACTION_MESSAGE = "action-message";
    public static final String ACCENT_BUTTON = "accent-button";
    public static final String DANGER_BUTTON = "danger-button";
    public static final String BANNER_ROLLBACK = "banner-rollback";
    /** The banner's word on the node itself: read-only (amber), or failed (red, pseudo-class {@code :failed}). */
    public static final String NODE_PROBLEM = "node-problem";
    /** The message across the window when the node will not let the console's token in. */
    public static final String TOKEN_REFUSED = "token-refused";
    public static final String ROLLBACK_BAR = "rollback-bar";
    public static final String ROLLBACK_LARGE = "rollback-large";
    public static final String ROLLBACK_TARGET = "rollback-target";
    public static final String OVERLAY_BACKDROP = "overlay-backdrop";
    public static final String PROMPT_CARD = "prompt-card";
    public static final String PROMPT_TITLE = "prompt-title";
    public static final String HOLD_PROGRESS = "hold-progress";
    public static final String HELP_KEYS = "help-keys";
    public static final String SECTION_HEADER = "section-header";
    public static final String STATUS_LINK = "status-link";
    public static final String POP_WALL = "pop-wall";
    public static final String POP_TILE = "pop-tile";
    public static final String POP_TILE_TITLE = "pop-tile-title";
    public static final String POP_TILE_HEALTH = "pop-tile-health";
    public static final String POP_TILE_VALUE = "pop-tile-value";
    public static final String POP_TILE_UNIT = "pop-tile-unit";
    public static final String POP_TILE_DETAIL = "pop-tile-detail";
    public static final String POP_TILE_SPARK = "pop-tile-spark";
    public static final String POP_TILE_OBJECTIVE = "pop-tile-objective";
}
