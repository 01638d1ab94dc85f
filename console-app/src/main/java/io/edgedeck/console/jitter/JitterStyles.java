package io.edgedeck.console.jitter;

/** Style classes of the jitter view, defined in the themes' component sheet. */
final class JitterStyles {
    private JitterStyles() {
    }

    static final String VIEW = "jitter-view";
    static final String TOOLBAR = "jitter-toolbar";
    /** The ranking and the picture, scrolling down on a narrow window. */
    static final String BODY = "jitter-body";
    static final String HEADLINE = "jitter-headline";
    static final String CAUSE = "jitter-cause";
    static final String SECTION_TITLE = "section-title";
    static final String MUTED = "muted";
    /** The warning that the picture lags the show. */
    static final String BEHIND = "jitter-behind";
}
