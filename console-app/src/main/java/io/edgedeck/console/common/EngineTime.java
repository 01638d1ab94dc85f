package io.edgedeck.console.common;

import java.util.Locale;

/** Engine time as producers read it on every tab: minutes and seconds since the show started. */
public final class EngineTime {
    private EngineTime() {
    }

    /** "05:19" for 319,000 ms. */
    public static String format(long millis) {
        long s = millis / 1000;
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
