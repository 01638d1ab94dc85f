package io.edgedeck.simulator.server.ingest;

import io.edgedeck.engine.triggers.TriggerAction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trigger actions due for units: a trigger that fires for a unit leaves its action pending for
 * {@link #PENDING_MILLIS}, during which the ingest answer lists it for that unit and OFREP evaluates
 * {@code trigger.<id>} to true. Bounded: past {@code maxUnits} units with something pending, expired
 * entries are dropped, and while it is still full a new firing is not held (it is still counted and
 * answered in its own batch). Written on the engine thread, read from any thread.
 */
public final class PendingActions {
    /** How long an action stays pending after its trigger fires: 5 minutes. */
    public static final long PENDING_MILLIS = 5 * 60_000;

    /**
     * An action due for a unit; a {@code surface-checkout} on a live node carries a one-click
     * checkout token for the unit ({@code checkoutToken}, good until {@code checkoutTokenExpiresAtEpochMillis}).
     */
    public record Due(String targetingKey, String trigger, String action, long firedAtEpochMillis, long untilEpochMillis,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                      String checkoutToken,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                      Long checkoutTokenExpiresAtEpochMillis) {

        public Due(String targetingKey, String trigger, String action, long firedAtEpochMillis, long untilEpochMillis) {
            this(targetingKey, trigger, action, firedAtEpochMillis, untilEpochMillis, null, null);
        }

        /** The same action for another spelling of its unit (the id its sender used). */
        public Due forUnit(String unit) {
            return new Due(unit, trigger, action, firedAtEpochMillis, untilEpochMillis, checkoutToken, checkoutTokenExpiresAtEpochMillis);
        }

        /** The same action with a checkout token for its unit. */
        public Due withToken(String token, long expiresAtEpochMillis) {
            return new Due(targetingKey, trigger, action, firedAtEpochMillis, untilEpochMillis, token, expiresAtEpochMillis);
        }
    }

    private final int maxUnits;
    private final Map<String, Map<String, Due>> byUnit = new ConcurrentHashMap<>();

    PendingActions(int maxUnits) {
        this.maxUnits = maxUnits;
    }

    void fired(String unit, String trigger, TriggerAction action, long nowEpochMillis) {
        if (byUnit.size() >= maxUnits && !byUnit.containsKey(unit)) {
            expire(nowEpochMillis);
            if (byUnit.size() >= maxUnits) {
                return;
            }
        }
        byUnit.computeIfAbsent(unit, u -> new ConcurrentHashMap<>()).put(trigger, new Due(unit, trigger,
                action.name().toLowerCase(Locale.ROOT).replace('_', '-'), nowEpochMillis, nowEpochMillis + PENDING_MILLIS));
    }

    /** True while {@code trigger}'s action is pending for {@code unit}. Any thread. */
    public boolean pending(String trigger, String unit, long nowEpochMillis) {
        Map<String, Due> due = unit == null ? null : byUnit.get(unit);
        Due d = due == null ? null : due.get(trigger);
        return d != null && d.untilEpochMillis() > nowEpochMillis;
    }

    /** Every action pending now for these units. */
    List<Due> forUnits(Iterable<String> units, long nowEpochMillis) {
        List<Due> out = new ArrayList<>();
        for (String unit : units) {
            Map<String, Due> due = byUnit.get(unit);
            if (due != null) {
                due.values().stream().filter(d -> d.untilEpochMillis() > nowEpochMillis).forEach(out::add);
            }
        }
        return out;
    }

    private void expire(long nowEpochMillis) {
        for (Iterator<Map<String, Due>> it = byUnit.values().iterator(); it.hasNext(); ) {
            Map<String, Due> due = it.next();
            due.values().removeIf(d -> d.untilEpochMillis() <= nowEpochMillis);
            if (due.isEmpty()) {
                it.remove();
            }
        }
    }
}
