package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.console.common.ShowClock;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What changed a variant at the edge (rolled back, paused, killed), by a guardrail or a person, so
 * the wall keeps saying so until the operator acknowledges it. Read from each frame's firings and
 * flags on the FX thread; knows nothing of nodes.
 */
public final class EdgeActionsViewModel {

    /** What happened to the variant. */
    public enum Kind {
        ROLLED_BACK("rolled back"), PAUSED("paused"), KILLED("killed");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    /**
     * One action on the edge.
     *
     * @param atMillis engine time, or -1 when the frame no longer carries when (a kill older than its timeline)
     * @param variant  the variant, or null for a kill, which sends every variant to control
     * @param by       the rule for an automatic firing, else the operator
     * @param at       {@code atMillis} as a person reads it here (the wall clock on a live node), or "" when unknown
     */
    public record EdgeAction(long atMillis, Kind kind, String flag, String variant, String by, boolean automatic,
                             String reason, String at) {
        String key() {
            return kind + "|" + flag + "|" + variant + "|" + atMillis;
        }

        /** Whether it concerns this variant of this flag. */
        public boolean concerns(String flagKey, String variantName) {
            return flag.equals(flagKey) && (variant == null || variant.equals(variantName));
        }

        /** "rolled back at 05:21 by sentiment-guard" in a rehearsal, "rolled back at 21:05:21 UTC by alice" live. */
        public String sentence() {
            return kind.words + (at.isEmpty() ? "" : " at " + at) + " by " + by;
        }

        /** "offer-banner / treatment rolled back at 05:21 by sentiment-guard". */
        public String headline() {
            return flag + (variant == null ? "" : " / " + variant) + " " + sentence();
        }

        /** The headline and why, for a notification. */
        public String details() {
            return headline() + (automatic ? " (automatic)" : "") + (reason == null || reason.isBlank() ? "" : ": " + reason);
        }
    }

    private final Map<String, EdgeAction> byKey = new LinkedHashMap<>();
    private final ObservableList<EdgeAction> actions = FXCollections.observableArrayList();
    private final ObservableList<EdgeAction> readOnlyActions = FXCollections.unmodifiableObservableList(actions);
    private final Set<String> acknowledged = new HashSet<>();
    private final ReadOnlyObjectWrapper<EdgeAction> latestNew = new ReadOnlyObjectWrapper<>(this, "latestNew");
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private boolean watching;
    /** How times are shown: the wall clock on a live node, the show's clock in a rehearsal. */
    private ShowClock times = new ShowClock();

    /** Shows times by {@code clock}: the console's, which the frame ticker feeds before this. FX thread. */
    public void showTimesBy(ShowClock clock) {
        times = clock;
    }

    /** Reads the frame's firings and kills. FX thread. */
    public void apply(MetricsFrame frame) {
        List<EdgeAction> seen = new ArrayList<>();
        for (GuardrailFiring f : frame.firings()) {
            Kind kind = switch (f.action()) {
                case ROLLBACK, ROLLBACK_BREACHED_POPS -> Kind.ROLLED_BACK;
                case PAUSE -> Kind.PAUSED;
                case ALERT -> null; // an alert changes nothing at the edge
            };
            if (kind != null) {
                String by = f.automatic() ? f.rule() : f.actor();
                seen.add(new EdgeAction(f.atMillis(), kind, f.flag(), f.variant(), by, f.automatic(), f.reason(),
                        times.format(f.atMillis())));
            }
        }
        for (FlagView flag : frame.flags()) {
            if (flag.killed()) {
                seen.add(killOf(flag, frame.timeline(), times));
            }
        }
        boolean changed = false;
        for (EdgeAction a : seen) {
            if (!byKey.containsKey(a.key())) {
                byKey.put(a.key(), a);
                actions.addFirst(a);
                changed = true;
                // Actions from before the console watched are shown on the tiles, but are not news.
                if (watching) {
                    latestNew.set(a);
                }
            }
        }
        watching = true;
        if (changed) {
            revision.set(revision.get() + 1);
        }
    }

    private static EdgeAction killOf(FlagView flag, List<ShowEvent> timeline, ShowClock times) {
        for (int i = timeline.size() - 1; i >= 0; i--) {
            ShowEvent e = timeline.get(i);
            if (flag.key().equals(e.flag()) && e.label().startsWith("flag.kill") || killsAmongOthers(e, flag.key())) {
                return new EdgeAction(e.atMillis(), Kind.KILLED, flag.key(), null, e.actor(), false, e.label(),
                        times.format(e.atMillis()));
            }
        }
        return new EdgeAction(-1, Kind.KILLED, flag.key(), null, "an operator", false, "", "");
    }

    /**
     * True when {@code e} is one entry of several changes made as one (a playbook's run, a scheduled
     * change firing) and one of them killed {@code key}: its label lists them after the target,
     * "playbook.run calm: kill checkout-button; disarm sentiment-guard".
     */
    private static boolean killsAmongOthers(ShowEvent e, String key) {
        if (!e.label().startsWith("playbook.run ") && !e.label().startsWith("schedule.fire ")) {
            return false;
        }
        int colon = e.label().indexOf(": ");
        return colon >= 0 && List.of(e.label().substring(colon + 2).split("; ")).contains(PlaybookAction.KILL + " " + key);
    }

    /** Forgets everything: another show started. FX thread. */
    public void reset() {
        byKey.clear();
        actions.clear();
        acknowledged.clear();
        latestNew.set(null);
        watching = false;
        revision.set(revision.get() + 1);
    }

    /** The newest action on this variant not yet acknowledged. */
    public Optional<EdgeAction> unacknowledged(String flag, String variant) {
        return actions.stream().filter(a -> a.concerns(flag, variant) && !acknowledged.contains(a.key())).findFirst();
    }

    /** Every action not yet acknowledged, newest first. */
    public List<EdgeAction> unacknowledged() {
        return actions.stream().filter(a -> !acknowledged.contains(a.key())).toList();
    }

    /** The operator has seen what happened to this variant: its tile goes back to its numbers. FX thread. */
    public void acknowledge(String flag, String variant) {
        boolean changed = false;
        for (EdgeAction a : actions) {
            if (a.concerns(flag, variant)) {
                changed |= acknowledged.add(a.key());
            }
        }
        if (changed) {
            revision.set(revision.get() + 1);
        }
    }

    /** Every action so far this show, newest first. */
    public ObservableList<EdgeAction> actions() {
        return readOnlyActions;
    }

    /** Set for each action that happened while the console watched, for a notification. */
    public ReadOnlyObjectProperty<EdgeAction> latestNewProperty() {
        return latestNew.getReadOnlyProperty();
    }

    /** Increases when an action appears or is acknowledged. */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    static String describeCount(int unacknowledged, int total) {
        return String.format(Locale.ROOT, "⟲ %d edge action%s%s", total, total == 1 ? "" : "s",
                unacknowledged == 0 ? "" : " (" + unacknowledged + " new)");
    }
}
