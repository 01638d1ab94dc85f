package io.edgedeck.client.analysis;

import io.edgedeck.client.model.ShowEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What changed the show just before a moment: the timeline events closest before (or in the same
 * second as) it, those concerning the PoP in question or no PoP in particular (flag changes,
 * rollbacks) first. Support reads this next to a jitter onset to see its likely cause. What a live
 * node's configuration set up as it started ({@link ShowEvent#byNodeConfig()}) is not a change
 * just before anything, and is left out.
 */
public final class WhatChanged {
    /** Events further back than this are not offered as a cause. */
    public static final long LOOKBACK_MILLIS = 5 * 60_000;
    public static final int MOST = 3;

    private WhatChanged() {
    }

    /** Up to {@value #MOST} events from the lookback window up to the end of {@code second} (its last millisecond), newest first. */
    public static List<ShowEvent> before(List<ShowEvent> events, String pop, long second) {
        long until = (second + 1) * 1000;
        List<ShowEvent> here = new ArrayList<>();
        List<ShowEvent> elsewhere = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            ShowEvent e = events.get(i);
            if (e.atMillis() >= until) {
                continue;
            }
            if (e.atMillis() < until - LOOKBACK_MILLIS) {
                break;
            }
            if (e.byNodeConfig()) {
                continue;
            }
            (e.pop() == null || e.pop().equals(pop) ? here : elsewhere).add(e);
        }
        here.addAll(elsewhere);
        return List.copyOf(here.subList(0, Math.min(MOST, here.size())));
    }

    /** One line a person reads: "4:00  jitter storm +45 ms at fra for 180 s (cue)". */
    public static String describe(ShowEvent e) {
        return describe(e, clock(e.atMillis() / 1000));
    }

    /** The same line with {@code when} as its time, e.g. the wall clock where the show runs live. */
    public static String describe(ShowEvent e, String when) {
        return String.format(Locale.ROOT, "%s  %s (%s)", when, e.label(), e.actor());
    }

    /** Engine seconds as m:ss, or h:mm:ss past an hour. */
    public static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
