package io.edgedeck.console.flags;

import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantView;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the on/off switch means for a flag. A flag with a control and one other variant is "on"
 * while that other variant gets any traffic. Switching it off sends everyone to control; switching
 * it on restores the split it had before it was switched off, or sends everyone to the other
 * variant when there is no earlier split to restore. Flags with more variants have no switch:
 * their weights are edited.
 */
public final class FlagRules {
    public static final int ALL = 10_000;

    private FlagRules() {
    }

    /** True when the flag has exactly a control and one treatment. */
    public static boolean switchable(FlagView flag) {
        return flag.variants().size() == 2 && flag.variants().stream().anyMatch(v -> v.name().equals(flag.controlVariant()));
    }

    /** The variant the switch turns on and off. */
    public static String treatment(FlagView flag) {
        return flag.variants().stream().map(VariantView::name).filter(n -> !n.equals(flag.controlVariant()))
                .findFirst().orElseThrow();
    }

    /**
     * What the switch column says under the switch: the treatment's share ("treatment 40%"), "treatment 0%:
     * control only" once it serves nobody (switched off or rolled back: the flag still serves, and Kill still
     * applies), or "killed".
     */
    public static String switchNote(FlagView flag) {
        if (flag.killed()) {
            return "killed: control everywhere";
        }
        if (!switchable(flag)) {
            return "weights";
        }
        String treatment = treatment(flag);
        int weight = flag.variants().stream().filter(v -> v.name().equals(treatment)).mapToInt(VariantView::weight).sum();
        return treatment + " " + percent(weight) + (weight == 0 ? ": control only" : "");
    }

    /**
     * What an audit entry changed, before the whole of it: the words of {@code before} that are gone and those of
     * {@code after} that are new, versions aside ("→ killed" for a kill, "treatment=40% → treatment=50%" for a
     * reweight); "" where nothing but the version differs.
     */
    public static String whatChanged(String before, String after) {
        List<String> was = words(before);
        List<String> now = words(after);
        List<String> gone = was.stream().filter(w -> !now.contains(w)).toList();
        List<String> added = now.stream().filter(w -> !was.contains(w)).toList();
        if (gone.isEmpty() && added.isEmpty()) {
            return "";
        }
        return (gone.isEmpty() ? "" : String.join(" ", gone) + " ") + "→ " + String.join(" ", added);
    }

    private static List<String> words(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.matches("v\\d+")).toList();
    }

    public static boolean isOn(FlagView flag) {
        return !flag.killed() && flag.variants().stream()
                .anyMatch(v -> !v.name().equals(flag.controlVariant()) && v.weight() > 0);
    }

    /**
     * The weights the switch asks for.
     *
     * @param previous the weights before it was last switched off, or null
     */
    public static List<VariantView> switched(FlagView flag, boolean on, List<VariantView> previous) {
        if (on && previous != null && previous.stream().anyMatch(v -> !v.name().equals(flag.controlVariant()) && v.weight() > 0)) {
            return previous;
        }
        String target = on ? treatment(flag) : flag.controlVariant();
        List<VariantView> out = new ArrayList<>();
        for (VariantView v : flag.variants()) {
            out.add(new VariantView(v.name(), v.name().equals(target) ? ALL : 0));
        }
        return out;
    }

    /** "control 50% · treatment 50%". */
    public static String describe(List<VariantView> variants) {
        List<String> parts = new ArrayList<>();
        for (VariantView v : variants) {
            parts.add(v.name() + " " + percent(v.weight()));
        }
        return String.join(" · ", parts);
    }

    static String percent(int basisPoints) {
        return basisPoints % 100 == 0
                ? (basisPoints / 100) + "%"
                : String.format(Locale.ROOT, "%.2f%%", basisPoints / 100.0);
    }

    /**
     * What the weights do not say is served: "treatment rolled back at ams, fra · offer paused", or
     * null when every variant is served as its weight says at every PoP.
     */
    public static String overrides(FlagView flag) {
        List<String> parts = new ArrayList<>();
        flag.rolledBackAt().forEach((variant, pops) -> parts.add(variant + " rolled back at " + String.join(", ", pops)));
        for (String variant : flag.paused()) {
            parts.add(variant + " paused");
        }
        return parts.isEmpty() ? null : String.join(" · ", parts);
    }

    /** "live at 5/6 PoPs", or "live at all 6 PoPs" once propagation finished. */
    public static String propagation(FlagView flag) {
        if (flag.popsTotal() == 0) {
            return "no PoPs";
        }
        if (flag.popsAcknowledged() >= flag.popsTotal()) {
            return flag.fullPropagationMillis() == null
                    ? "live at all " + flag.popsTotal() + " PoPs"
                    : String.format(Locale.ROOT, "live at all %d PoPs (%.1f s)", flag.popsTotal(), flag.fullPropagationMillis() / 1000.0);
        }
        return "live at " + flag.popsAcknowledged() + "/" + flag.popsTotal() + " PoPs";
    }

    /**
     * Weights from percentages typed by a person, in basis points summing to 10000.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static List<VariantView> fromPercents(List<String> names, List<String> percents) {
        return io.edgedeck.console.common.WeightsForm.fromPercents(names, percents);
    }
}
