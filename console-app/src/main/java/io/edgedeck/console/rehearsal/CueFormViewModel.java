package io.edgedeck.console.rehearsal;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopMetrics;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/**
 * The form for firing a cue by hand: its type, the PoP or variant it hits, its magnitude (defaulted
 * per type) and duration, the PoPs and variants the running show offers, and reading the form into a
 * {@link CueRequest} or the reason it cannot be fired. FX thread; knows nothing of nodes.
 */
public final class CueFormViewModel {
    public static final List<String> TYPES = List.of("pop-outage", "partition", "jitter-storm", "latency-shift",
            "loss", "acquirer-slowdown", "sentiment-shift", "traffic-surge", "encoder-drop", "encoder-bitrate",
            "encoder-frame-drop", "encoder-encoding-lag", "encoder-rendering-lag");
    /** The unit of a cue that takes no magnitude. */
    public static final String NOT_USED = "not used";

    /** What the form reads as: a cue to fire, or why there is none. */
    public sealed interface Reading {
        /** @param done what to tell the operator once the engine took it */
        record Ready(CueRequest cue, String done) implements Reading {
        }

        record Invalid(String reason) implements Reading {
        }
    }

    private final StringProperty type = new SimpleStringProperty(this, "type", "pop-outage");
    private final StringProperty pop = new SimpleStringProperty(this, "pop");
    private final StringProperty magnitude = new SimpleStringProperty(this, "magnitude", "");
    private final StringProperty duration = new SimpleStringProperty(this, "duration", "60");
    private final StringProperty variant = new SimpleStringProperty(this, "variant");
    private final ObservableList<String> pops = FXCollections.observableArrayList();
    private final ObservableList<String> variants = FXCollections.observableArrayList();
    private final ObservableList<String> readOnlyPops = FXCollections.unmodifiableObservableList(pops);
    private final ObservableList<String> readOnlyVariants = FXCollections.unmodifiableObservableList(variants);

    CueFormViewModel() {
        // The form lives as long as its listener: no removal needed.
        type.addListener((obs, old, now) -> magnitude.set(defaultMagnitude(now)));
        magnitude.set(defaultMagnitude(type.get()));
    }

    static String defaultMagnitude(String type) {
        return switch (type) {
            case "jitter-storm" -> "40";
            case "latency-shift" -> "120";
            case "loss" -> "0.05";
            case "acquirer-slowdown" -> "2500";
            case "traffic-surge" -> "3";
            case "encoder-bitrate" -> "800";
            case "encoder-frame-drop" -> "8";
            case "encoder-encoding-lag" -> "10";
            case "encoder-rendering-lag" -> "25";
            default -> "";
        };
    }

    /** What the magnitude means for a cue type, for the form's hint. */
    public static String magnitudeUnit(String type) {
        return switch (type) {
            case "jitter-storm", "latency-shift", "acquirer-slowdown" -> "ms";
            case "loss" -> "share lost, 0 to 1";
            case "traffic-surge" -> "× audience";
            case "encoder-bitrate" -> "kb/s it falls to, under 6000";
            case "encoder-frame-drop" -> "% of frames dropped";
            case "encoder-encoding-lag" -> "% of frames the encoder skips";
            case "encoder-rendering-lag" -> "ms to render a frame, over 4.2";
            default -> NOT_USED;
        };
    }

    /** True for a cue that hits a PoP; a surge, a shift in mood and an encoder fault hit none. */
    public static boolean hitsAPop(String type) {
        return !type.equals("sentiment-shift") && !type.equals("traffic-surge") && !type.startsWith("encoder-");
    }

    /** A row of the cue form that only some cues use. */
    public enum Row { POP, VARIANT }

    /**
     * The rows a cue of {@code type} (null: none chosen) uses beyond its cue, magnitude and duration: a PoP for a
     * fault that hits one, a variant for a shift in mood. The form shows these rows and lays out only these.
     */
    public static java.util.Set<Row> rowsUsed(String type) {
        java.util.Set<Row> rows = java.util.EnumSet.noneOf(Row.class);
        if (type != null && hitsAPop(type)) {
            rows.add(Row.POP);
        }
        if ("sentiment-shift".equals(type)) {
            rows.add(Row.VARIANT);
        }
        return rows;
    }

    /** Offers the PoPs and non-control variants of the show the frame comes from, keeping the picks that remain. */
    void offer(MetricsFrame frame) {
        List<String> popIds = frame.pops().stream().map(PopMetrics::id).toList();
        if (!popIds.equals(pops)) {
            pops.setAll(popIds);
            if (pop.get() == null || !popIds.contains(pop.get())) {
                pop.set(popIds.isEmpty() ? null : popIds.getFirst());
            }
        }
        List<String> vs = new ArrayList<>();
        for (FlagView f : frame.flags()) {
            f.variants().stream().filter(v -> !v.name().equals(f.controlVariant())).forEach(v -> vs.add(f.key() + " / " + v.name()));
        }
        if (!vs.equals(variants)) {
            variants.setAll(vs);
            if (variant.get() == null || !vs.contains(variant.get())) {
                variant.set(vs.isEmpty() ? null : vs.getFirst());
            }
        }
    }

    /** Reads the form as a cue fired by {@code operator}, or the field at fault. */
    Reading read(String operator) {
        String kind = type.get();
        int seconds;
        double amount = 0;
        try {
            seconds = Integer.parseInt(duration.get().strip());
        } catch (NumberFormatException e) {
            return new Reading.Invalid("The duration must be a whole number of seconds.");
        }
        if (!magnitudeUnit(kind).equals(NOT_USED)) {
            try {
                amount = Double.parseDouble(magnitude.get().strip());
            } catch (NumberFormatException e) {
                return new Reading.Invalid("The magnitude must be a number (" + magnitudeUnit(kind) + ").");
            }
        }
        String flag = null;
        String variantName = null;
        List<String> target = List.of();
        if (kind.equals("sentiment-shift")) {
            if (variant.get() == null) {
                return new Reading.Invalid("This show has no variant to turn sour.");
            }
            String[] parts = variant.get().split(" / ", 2);
            flag = parts[0];
            variantName = parts[1];
        } else if (hitsAPop(kind)) {
            if (pop.get() == null) {
                return new Reading.Invalid("Pick a PoP.");
            }
            target = List.of(pop.get());
        }
        CueRequest cue = new CueRequest(kind, target, amount, seconds, flag, variantName, operator);
        String where = kind.equals("sentiment-shift") ? variant.get() : kind.startsWith("encoder-") ? "the encoder" : target.isEmpty() ? "everyone" : String.join(", ", target);
        return new Reading.Ready(cue, "Fired " + kind + " at " + where + " for " + seconds + " s.");
    }

    public StringProperty typeProperty() {
        return type;
    }

    public StringProperty popProperty() {
        return pop;
    }

    public StringProperty magnitudeProperty() {
        return magnitude;
    }

    public StringProperty durationProperty() {
        return duration;
    }

    /** "flag / variant" for a sentiment shift. */
    public StringProperty variantProperty() {
        return variant;
    }

    public ObservableList<String> pops() {
        return readOnlyPops;
    }

    public ObservableList<String> variants() {
        return readOnlyVariants;
    }
}
