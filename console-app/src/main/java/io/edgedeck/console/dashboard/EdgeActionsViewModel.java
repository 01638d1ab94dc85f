package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.client.model.VariantView;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What changed a variant at the edge (rolled back, paused, killed), by a guardrail or a person, so
 * the wall keeps saying so until the operator acknowledges it. Read from each frame's firings, flags
 * and timeline on the FX thread; of a fleet it knows only how the timeline names another node's change.
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

    /** Reads the frame's firings, kills and the rollbacks its timeline records that are not firings. FX thread. */
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
            } else {
                rollbacksOutsideFirings(flag, frame.timeline(), seen);
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

    /**
     * The kill in force, from the timeline: the node's own {@code flag.kill}, or (in a fleet) the
     * {@code fleet.apply} that brought another node's kill here, by that node; at the aggregator,
     * whose timeline carries every node's entries, the kill where it was made, by whom.
     */
    private static EdgeAction killOf(FlagView flag, List<ShowEvent> timeline, ShowClock times) {
        ShowEvent applied = null;
        for (int i = timeline.size() - 1; i >= 0; i--) {
            ShowEvent e = timeline.get(i);
            if (killsAmongOthers(e, flag.key())) {
                if (applied != null) {
                    break;
                }
                return new EdgeAction(e.atMillis(), Kind.KILLED, flag.key(), null, e.actor(), false, e.label(),
                        times.format(e.atMillis()));
            }
            if (!flag.key().equals(e.flag())) {
                continue;
            }
            FlagEntry entry = FlagEntry.of(e.label());
            boolean current = entry.version() < 0 || entry.version() == flag.version();
            if (entry.action().equals("flag.kill")) {
                if (current) {
                    return new EdgeAction(e.atMillis(), Kind.KILLED, flag.key(), null, e.actor(), false, e.label(),
                            times.format(e.atMillis()));
                }
                break;
            }
            if (applied == null && current && entry.action().equals(FLEET_APPLY) && e.label().endsWith(" killed")) {
                applied = e;
            }
        }
        if (applied != null) {
            return new EdgeAction(applied.atMillis(), Kind.KILLED, flag.key(), null, issuer(applied.actor()), false,
                    applied.label(), times.format(applied.atMillis()));
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

    /**
     * Rollbacks that are not firings: in a fleet, a variant rolled back on another node or by the
     * aggregator's guardrail reaches this node through the control topic as a {@code fleet.apply}
     * that takes it to weight 0; at the aggregator, a node's manual {@code flag.rollback}. A variant
     * at weight 0 whose flag's current version was made so is rolled back here too, unless a firing
     * already says so.
     */
    private void rollbacksOutsideFirings(FlagView flag, List<ShowEvent> timeline, List<EdgeAction> seen) {
        for (VariantView variant : flag.variants()) {
            if (variant.weight() != 0 || variant.name().equals(flag.controlVariant())) {
                continue;
            }
            ShowEvent origin = null;
            ShowEvent applied = null;
            long servedUntil = -1;
            for (int i = timeline.size() - 1; i >= 0; i--) {
                ShowEvent e = timeline.get(i);
                if (!flag.key().equals(e.flag())) {
                    continue;
                }
                FlagEntry entry = FlagEntry.of(e.label());
                if (entry.version() == flag.version()) {
                    if (entry.action().equals("flag.rollback") && origin == null) {
                        origin = e;
                    } else if (entry.action().equals(FLEET_APPLY) && applied == null) {
                        applied = e;
                    }
                } else if (entry.version() >= 0 && entry.version() < flag.version()) {
                    // The version before: the variant was served then, and the change gave its whole weight
                    // to control and left every other variant's alone, as a rollback does (an operator's
                    // weight change on another node reads the same way only when it is one in effect).
                    if (entry.weightOf(variant.name()) > 0 && rolledBackFrom(entry, flag, variant.name())) {
                        servedUntil = e.atMillis();
                    }
                    break;
                }
            }
            ShowEvent by = origin != null ? origin : servedUntil >= 0 ? applied : null;
            if (by == null || firedSince(seen, flag.key(), variant.name(), servedUntil)) {
                continue;
            }
            String who = origin != null ? by.actor() : issuer(by.actor());
            seen.add(new EdgeAction(by.atMillis(), Kind.ROLLED_BACK, flag.key(), variant.name(), who, false, by.label(),
                    times.format(by.atMillis())));
        }
    }

    /** Whether {@code flag}'s weights are {@code before}'s with {@code variant}'s weight given to control. */
    private static boolean rolledBackFrom(FlagEntry before, FlagView flag, String variant) {
        int moved = before.basisPointsOf(variant);
        for (VariantView v : flag.variants()) {
            int was = before.basisPointsOf(v.name());
            int expected = v.name().equals(variant) ? 0 : v.name().equals(flag.controlVariant()) ? was + moved : was;
            if (was < 0 || v.weight() != expected) {
                return false;
            }
        }
        return true;
    }

    private static boolean firedSince(List<EdgeAction> seen, String flag, String variant, long sinceMillis) {
        return seen.stream().anyMatch(a -> a.kind() == Kind.ROLLED_BACK && a.flag().equals(flag)
                && variant.equals(a.variant()) && a.atMillis() >= sinceMillis);
    }

    /** "node-c" for {@code fleet:node-c}, "the aggregator" for the aggregator's guardrails. */
    private static String issuer(String actor) {
        String node = actor != null && actor.startsWith("fleet:") ? actor.substring("fleet:".length()) : actor;
        return "aggregator".equals(node) ? "the fleet's aggregator" : node;
    }

    private static final String FLEET_APPLY = "fleet.apply";
    private static final Pattern NODE_PREFIX = Pattern.compile("^[A-Za-z0-9_.-]+: (?=[a-z]+\\.[a-z-]+ )");
    private static final Pattern VERSION = Pattern.compile(": v(\\d+)( |$)");

    /**
     * A flag's timeline entry as its label reads, "ACTION FLAG: vN NAME=P% ...", with the node's name
     * before it at the aggregator ("node-a: flag.kill ...").
     *
     * @param version the version it made, or -1 when the label names none
     */
    private record FlagEntry(String action, long version, String rest) {
        static FlagEntry of(String label) {
            String l = NODE_PREFIX.matcher(label).replaceFirst("");
            int space = l.indexOf(' ');
            String action = space < 0 ? l : l.substring(0, space);
            Matcher v = VERSION.matcher(l);
            return v.find() ? new FlagEntry(action, Long.parseLong(v.group(1)), l.substring(v.end()))
                    : new FlagEntry(action, -1, "");
        }

        /** The variant's weight in basis points as the entry lists it, or -1 when it lists none. */
        int basisPointsOf(String variant) {
            double percent = weightOf(variant);
            return percent < 0 ? -1 : (int) Math.round(percent * 100);
        }

        /** The variant's weight in percent as the entry lists it, or -1 when it lists none. */
        double weightOf(String variant) {
            for (String token : rest.split(" ")) {
                if (token.startsWith(variant + "=") && token.endsWith("%")) {
                    try {
                        return Double.parseDouble(token.substring(variant.length() + 1, token.length() - 1));
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
            return -1;
        }
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
