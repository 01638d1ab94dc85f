package io.edgedeck.console.guardrails;

/** The harms a pre-flight offers to give a rule's variant, as {@code sweep --effect} names them. */
public enum PreflightEffect {
    CONVERSION_MINUS_10("-10% conversion", "conversion:-10%"),
    CONVERSION_MINUS_20("-20% conversion", "conversion:-20%"),
    CONVERSION_MINUS_30("-30% conversion", "conversion:-30%"),
    SOUR_CHAT("sour chat", "chat:sour");

    private final String label;
    private final String spec;

    PreflightEffect(String label, String spec) {
        this.label = label;
        this.spec = spec;
    }

    /** What the console shows. */
    public String label() {
        return label;
    }

    /** The effect as the command line writes it. */
    public String spec() {
        return spec;
    }

    @Override
    public String toString() {
        return label;
    }
}
