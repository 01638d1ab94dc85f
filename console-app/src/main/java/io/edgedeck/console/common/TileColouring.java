package io.edgedeck.console.common;

/**
 * What a PoP tile's colour is judged against (docs/BASELINES.md): the producer's fixed p95 objective,
 * or what is normal for that PoP as its node learned it.
 */
public enum TileColouring {
    /** Against the p95 objective set in Settings, the same for every PoP. */
    FIXED("fixed", "Fixed p95 objective", "every PoP against the p95 objective above"),
    /** Against the normal the node learned for each PoP; the fixed objective until it has learned one. */
    ADAPTIVE("adaptive", "Normal for each PoP",
            "amber outside the normal its node learned, red at 1.5x it; the objective until it has learned one");

    private final String id;
    private final String label;
    private final String hint;

    TileColouring(String id, String label, String hint) {
        this.id = id;
        this.label = label;
        this.hint = hint;
    }

    /** What the choice does, in a few words beside it in the Settings tab. */
    public String hint() {
        return hint;
    }

    /** As stored in settings.json. */
    public String id() {
        return id;
    }

    /** In words, for the Settings tab. */
    public String label() {
        return label;
    }

    /** The colouring stored under this id; fixed for an unknown or missing one. */
    public static TileColouring fromId(String id) {
        for (TileColouring c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return FIXED;
    }
}
