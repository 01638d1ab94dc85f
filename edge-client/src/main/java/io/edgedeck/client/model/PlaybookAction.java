package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Locale;

/**
 * One change a playbook or a scheduled change makes (docs/API.md, "Playbooks"). {@code type} says
 * which, and which other fields it takes:
 * <ul>
 *   <li>{@code kill}, {@code unkill}: {@code flag};</li>
 *   <li>{@code change}: {@code flag}, {@code variants} (weights in basis points, adding up to 10000) and/or {@code scope};
 *       applied to the flag's version when it runs;</li>
 *   <li>{@code rollback}: {@code flag}, {@code variant} (a treatment); {@code pops} to roll it back at those PoPs only,
 *       else everywhere;</li>
 *   <li>{@code arm}, {@code disarm}: {@code guardrail}.</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlaybookAction(String type, String flag, String variant, List<String> pops, List<VariantView> variants,
                             String scope, String guardrail) {
    public static final String KILL = "kill";
    public static final String UNKILL = "unkill";
    public static final String CHANGE = "change";
    public static final String ROLLBACK = "rollback";
    public static final String ARM = "arm";
    public static final String DISARM = "disarm";
    /** Every type, in the order the docs list them. */
    public static final List<String> TYPES = List.of(KILL, UNKILL, CHANGE, ROLLBACK, ARM, DISARM);

    public PlaybookAction {
        pops = pops == null ? null : List.copyOf(pops);
        variants = variants == null ? null : List.copyOf(variants);
    }

    public static PlaybookAction kill(String flag) {
        return new PlaybookAction(KILL, flag, null, null, null, null, null);
    }

    public static PlaybookAction change(String flag, List<VariantView> variants) {
        return new PlaybookAction(CHANGE, flag, null, null, variants, null, null);
    }

    /** A rollback of {@code variant} at {@code pops}, or everywhere when {@code pops} is null. */
    public static PlaybookAction rollback(String flag, String variant, List<String> pops) {
        return new PlaybookAction(ROLLBACK, flag, variant, pops, null, null, null);
    }

    public static PlaybookAction arm(String guardrail, boolean armed) {
        return new PlaybookAction(armed ? ARM : DISARM, null, null, null, null, null, guardrail);
    }

    /** "kill offer-banner", "roll back checkout-button/treatment at fra, ams", "arm strict-guard": for people and the audit. */
    public String describe() {
        return switch (type == null ? "" : type) {
            case KILL, UNKILL -> type + " " + flag;
            case CHANGE -> "change " + flag + (variants == null ? "" : " to " + String.join(" ", variants.stream()
                    .map(v -> v.name() + "=" + String.format(Locale.ROOT, "%.2f%%", v.weight() / 100.0)).toList()))
                    + (scope == null ? "" : " scope=" + scope);
            case ROLLBACK -> "roll back " + flag + "/" + variant + (pops == null ? " everywhere" : " at " + String.join(", ", pops));
            case ARM, DISARM -> type + " " + guardrail;
            default -> type + " " + (flag != null ? flag : guardrail);
        };
    }
}
