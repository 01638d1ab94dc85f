package io.edgedeck.engine.ingest;

/** Where an ingested checkout stands, as its {@code state} field names it. */
enum CheckoutState {
    STARTED("started"), AUTHORISED("authorised"), QUEUED("queued"), RECONCILED("reconciled");

    private final String wireName;

    CheckoutState(String wireName) {
        this.wireName = wireName;
    }

    /** The state a wire name stands for, or null. */
    static CheckoutState of(String wireName) {
        for (CheckoutState s : values()) {
            if (s.wireName.equals(wireName)) {
                return s;
            }
        }
        return null;
    }
}
